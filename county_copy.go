package hecha

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"time"
)

// CopyKind names one kind of item a county store's whole content is made
// of, for moving a county between stores (hecha-county copy).
type CopyKind string

// The kinds of copy item, in the order Export yields them and Import
// wants them: a case after the registry records its candidates name, a
// change entry after its case or record.
const (
	CopyCountyItem     CopyKind = "county"      // the county the store serves
	CopyDivisionsItem  CopyKind = "divisions"   // the division table and historic list
	CopyFloatingItem   CopyKind = "floating"    // a floating registry record
	CopyResidentItem   CopyKind = "resident"    // a resident registry record
	CopyCaseItem       CopyKind = "case"        // a case, its bookkeeping and its results
	CopyRegCandItem    CopyKind = "reg_cand"    // a record is a candidate of a township's case
	CopyCaseChangeItem CopyKind = "case_change" // a case's entry in a township's changes
	CopyRegChangeItem  CopyKind = "reg_change"  // a record's entry in a township's extract
	CopySequenceItem   CopyKind = "sequence"    // a township's change counter
	CopyConflictItem   CopyKind = "conflict"    // a conflict notice
	CopyTokenItem      CopyKind = "token"       // a township's token (its hash)
	CopyBatchItem      CopyKind = "batch"       // a logged result batch
	CopyAuditItem      CopyKind = "audit"       // an entry of the audit trail, in seq order
)

// CopyKinds are the kinds in Export's order.
var CopyKinds = []CopyKind{CopyCountyItem, CopyDivisionsItem, CopyFloatingItem, CopyResidentItem, CopyCaseItem,
	CopyRegCandItem, CopyCaseChangeItem, CopyRegChangeItem, CopySequenceItem, CopyConflictItem, CopyTokenItem, CopyBatchItem,
	CopyAuditItem}

// CopyItem is one item of a county store's content, exactly as the store
// keeps it (nothing is validated or recomputed on the way): Kind says
// which one field is set.
type CopyItem struct {
	Kind      CopyKind        `json:"kind"`
	County    Code            `json:"county,omitempty"`
	Divisions *CopyDivisions  `json:"divisions,omitempty"`
	Floating  *FloatingRecord `json:"floating,omitempty"`
	Resident  *ResidentRecord `json:"resident,omitempty"`
	Case      *CopyCase       `json:"case,omitempty"`
	Cand      *CopyCand       `json:"cand,omitempty"`
	Change    *CopyChange     `json:"change,omitempty"` // CopyCaseChangeItem, CopyRegChangeItem
	Sequence  *CopySequence   `json:"sequence,omitempty"`
	Conflict  *ConflictNotice `json:"conflict,omitempty"`
	Token     *CopyToken      `json:"token,omitempty"`
	Batch     *Batch          `json:"batch,omitempty"`
	Audit     *AuditEntry     `json:"audit,omitempty"`
}

// CopyDivisions is the stored division table (as DivisionsCSV gives it)
// and historic list (nil when none).
type CopyDivisions struct {
	Table    []byte `json:"table"`
	Historic []byte `json:"historic,omitempty"`
}

// CopyCase is a case with the county's bookkeeping of it: its status, the
// hash of its content as last imported, the revisions a result is checked
// against, and every result accepted for it, oldest first, as received
// (the bytes the store keeps); InForce is the id of the one in force.
//
// ImportHash is in the one form every store compares, Case.ContentHash: a
// store that keeps another form of its own (the bbolt file hashes its
// binary encoding) gives ContentHash on Export when its own hash is that of
// the case's content, and turns it back on Import, so that the first
// import after a copy tells a changed case from an unchanged one.
type CopyCase struct {
	Case       Case         `json:"case"`
	Status     Status       `json:"status"`
	ImportHash []byte       `json:"import_hash"`
	ContentRev int          `json:"content_rev"`
	AssignRev  int          `json:"assign_rev"`
	InForce    string       `json:"in_force,omitempty"`
	Results    []CopyResult `json:"results,omitempty"`
}

// CopyResult is one received result: its id, the township that sent it
// and its bytes as stored.
type CopyResult struct {
	ID       string          `json:"id"`
	Township Code            `json:"township"`
	Data     json.RawMessage `json:"data"`
}

// CopySrc is the registry a record is from in a CopyCand or CopyChange:
// "F" floating, "R" resident; "" for a case.
type CopySrc = string

// CopyCand says a registry record is a candidate of a township's case.
type CopyCand struct {
	Src      CopySrc `json:"src"`
	RecordID string  `json:"record_id"`
	Township Code    `json:"township"`
	CaseID   string  `json:"case_id"`
}

// CopyChange is the current entry of a case (Src "") or registry record in
// a township's change sequence, with the number cursors compare. Device
// and PrevSeq say the change was made by applying a result that device
// sent (CasesSinceFor); both are empty otherwise.
type CopyChange struct {
	Township Code    `json:"township"`
	Src      CopySrc `json:"src,omitempty"`
	ID       string  `json:"id"`
	Seq      uint64  `json:"seq"`
	Device   string  `json:"device,omitempty"`
	PrevSeq  uint64  `json:"prev_seq,omitempty"`
}

// CopySequence is the highest number a township's sequence of case
// changes (Registry false) or registry changes has handed out. A store
// whose sequence is shared by its townships gives it for every township
// with entries; Import never lowers a sequence, so the cursors townships
// hold stay meaningful.
type CopySequence struct {
	Township Code   `json:"township"`
	Registry bool   `json:"registry,omitempty"`
	Seq      uint64 `json:"seq"`
}

// CopyToken is a township's token as the county keeps it: never the
// secret, only its SHA-256.
type CopyToken struct {
	Token
	Hash      []byte    `json:"hash"`
	RevokedAt time.Time `json:"revoked_at,omitzero"`
}

// Key returns what identifies the item among the items of its kind: an
// item imported again under the same key replaces the one stored.
func (it *CopyItem) Key() string {
	switch it.Kind {
	case CopyFloatingItem:
		return it.Floating.ID
	case CopyResidentItem:
		return it.Resident.ID
	case CopyCaseItem:
		return it.Case.Case.ID
	case CopyRegCandItem:
		return it.Cand.Src + "\x00" + it.Cand.RecordID + "\x00" + string(it.Cand.Township) + "\x00" + it.Cand.CaseID
	case CopyCaseChangeItem, CopyRegChangeItem:
		return string(it.Change.Township) + "\x00" + it.Change.Src + "\x00" + it.Change.ID
	case CopySequenceItem:
		r := "c"
		if it.Sequence.Registry {
			r = "r"
		}
		return string(it.Sequence.Township) + "\x00" + r
	case CopyConflictItem:
		return string(it.Conflict.From) + "\x00" + it.Conflict.CaseID
	case CopyTokenItem:
		return it.Token.ID
	case CopyBatchItem:
		return it.Batch.ID
	case CopyAuditItem:
		return strconv.FormatUint(it.Audit.Seq, 10)
	}
	return ""
}

// Canonical returns the item's canonical encoding, the same for the same
// content whichever store it came from: JSON, with times in UTC to the
// microsecond (what PostgreSQL keeps).
func (it *CopyItem) Canonical() ([]byte, error) {
	c := *it
	switch {
	case c.Token != nil:
		t := *c.Token
		t.CreatedAt, t.RevokedAt = copyTime(t.CreatedAt), copyTime(t.RevokedAt)
		c.Token = &t
	case c.Batch != nil:
		b := *c.Batch
		b.FirstAt, b.LastAt = copyTime(b.FirstAt), copyTime(b.LastAt)
		c.Batch = &b
	case c.Case != nil:
		cc := *c.Case
		cc.Case.UpdatedAt = copyTime(cc.Case.UpdatedAt)
		if a := cc.Case.Assignment; a != nil {
			a2 := *a
			a2.At = copyTime(a2.At)
			cc.Case.Assignment = &a2
		}
		c.Case = &cc
	case c.Conflict != nil:
		n := *c.Conflict
		n.At = copyTime(n.At)
		c.Conflict = &n
	}
	return json.Marshal(&c)
}

func copyTime(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(time.Microsecond)
}

// CopySum is the canonical checksum of one kind of item: how many there
// are and the sum, modulo 2^256, of the SHA-256 of each item's key and
// canonical encoding. It does not depend on the order items are added in,
// so two stores that keep them in different orders agree.
type CopySum struct {
	Count int
	sum   [sha256.Size]byte
}

// Add adds one item.
func (s *CopySum) Add(it *CopyItem) error {
	data, err := it.Canonical()
	if err != nil {
		return err
	}
	h := sha256.New()
	h.Write([]byte(it.Key()))
	h.Write([]byte{0})
	h.Write(data)
	var carry uint16
	d := h.Sum(nil)
	for i := len(d) - 1; i >= 0; i-- {
		v := uint16(s.sum[i]) + uint16(d[i]) + carry
		s.sum[i], carry = byte(v), v>>8
	}
	s.Count++
	return nil
}

// Hex returns the checksum in hex.
func (s *CopySum) Hex() string { return hex.EncodeToString(s.sum[:]) }

// CountyCopier is what a county store implements so that a county can be
// moved to another store with everything it holds (hecha-county copy).
// Its methods are in addition to CountyStore's.
type CountyCopier interface {
	// Export calls fn with every item of the store's county, kind by kind
	// in CopyKinds order (within a kind in any order, but the audit
	// trail's entries in seq order), each kind read in one transaction. fn may keep the item; it must not write to this
	// store (it may run inside a read transaction).
	//
	// Errors: EINVALID when the store serves no county; an error from fn
	// stops the export and is returned.
	Export(ctx context.Context, fn func(*CopyItem) error) error
	// Import writes items exactly as given, replacing an item of the same
	// kind and key, possibly in several transactions: importing the same
	// items again changes nothing, and an import cut off midway can be run
	// again. A CopySequence is never lowered. Items come in CopyKinds
	// order, in as many calls as the caller likes; the CopyCountyItem
	// comes first and sets the county the store serves (a store that
	// serves another county refuses it), and the other items are that
	// county's. Audit entries are never replaced: each is appended after
	// the log's head as it is (its seq, links and hash kept, see
	// CopyAuditEntry), or found there already.
	//
	// Errors: EINVALID for an item without its field, a county the store
	// cannot take, or items before the county is set; ECONFLICT
	// (copy.audit.*) for an audit entry the log cannot take.
	Import(ctx context.Context, items []*CopyItem) error
}

// CopyAuditEntry decides what a store importing the copied audit entry e
// does with it, the log's head being head: append it (add true, and
// the head after it) when it is the next entry and links to the head, so
// that the chain goes on exactly as in the source; nothing when the log
// holds it already, stored being the entry the log keeps at e.Seq (as
// MarshalAudit writes it; nil when none). A log is never rewritten: an
// entry that differs from the one stored, or that does not follow the
// head, is refused.
//
// Errors: EINVALID (copy.item) for an entry without a seq; ECONFLICT
// copy.audit.differs when the log has another entry at e.Seq or its last
// entry is not the one e links to (the two logs went on separately),
// copy.audit.gap when entries before e are missing.
func CopyAuditEntry(head AuditHead, e *AuditEntry, stored []byte) (add bool, next AuditHead, err error) {
	switch {
	case e.Seq == 0:
		return false, head, Invalid("audit", "copy.item", string(CopyAuditItem))
	case e.Seq <= head.Seq:
		if stored == nil || !bytes.Equal(stored, MarshalAudit(e)) {
			return false, head, Errorf(ECONFLICT, "audit", "copy.audit.differs", e.Seq)
		}
		return false, head, nil
	case e.Seq > head.Seq+1:
		return false, head, Errorf(ECONFLICT, "audit", "copy.audit.gap", e.Seq, head.Seq)
	case e.Prev != head.Hash:
		return false, head, Errorf(ECONFLICT, "audit", "copy.audit.differs", head.Seq)
	}
	return true, AuditHead{Seq: e.Seq, Hash: e.Hash}, nil
}

// The copy's messages, the same for every county store.
var _ = Register(map[string]Msg{
	"copy.audit.differs": {Zh: "目标数据库的审计日志第 %d 条与源数据库的不同：两边的审计日志已各自延续。审计日志只能追加、不能改写，无法复制", En: "entry %d of the destination's audit trail differs from the source's: the two trails went on separately. An audit trail is only appended to, never rewritten, so it cannot be copied"},
	"copy.audit.gap":     {Zh: "审计日志第 %d 条之前缺少记录（目标数据库只到第 %d 条）", En: "audit entries are missing before entry %d (the destination's trail ends at entry %d)"},
	"copy.item":          {Zh: "复制的数据项（%s）不完整", En: "a copied item (%s) is incomplete"},
	"copy.kind":          {Zh: "不认识的数据项类型：%s", En: "unknown kind of copied item: %s"},
	"copy.other_county":  {Zh: "目标数据库服务于 %s，不能复制 %s 的数据进来", En: "the destination serves %s and cannot take the data of %s"},
})
