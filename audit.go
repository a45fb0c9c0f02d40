package hecha

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// The county's audit trail (DESIGN §9): every request and command that
// reads or changes personal data is appended to a log where each entry
// carries the SHA-256 of the one before. The rules of the chain live here,
// as pure functions, so that every backend (store's bbolt file, a
// PostgreSQL database) keeps the same chain and one verifier checks them
// all:
//
//   - EncodeAudit writes an entry in its canonical encoding: a version
//     byte, then every field in a fixed order, lengths as varints. The
//     encoding covers Seq and Prev, not Hash.
//   - SealAudit numbers an entry after the log's head (Seq = head.Seq+1),
//     links it (Prev = head.Hash) and sets Hash = SHA-256 of its canonical
//     encoding. A backend seals inside the transaction that appends, so
//     that two writers never link to the same head.
//   - AuditVerifier walks the entries in sequence order and names the
//     first bad one: altered (its content does not match its hash),
//     relinked (it does not link to the entry before it: that one was
//     replaced, or it was inserted), missing (entries before it removed),
//     out of order (reordered, duplicated); End compares the last entry
//     with the head the backend keeps apart, so that entries cut off the
//     end are seen too.
//
// A chain proves that nothing was changed after the fact only up to the
// head someone kept elsewhere: whoever can rewrite the whole file can
// rewrite the whole chain. "hecha-county audit verify" prints the head;
// an operator who notes it can later see that the log up to it is intact.

// AuditVersion is the version byte of EncodeAudit's layout.
const AuditVersion = 1

// Limits of an audit entry's fields, checked by Validate.
const (
	MaxAuditText   = 256   // bytes of each short text field
	MaxAuditDetail = 4096  // bytes of Detail
	MaxAuditCases  = 10000 // case ids named by one entry
)

// AuditOK is the Outcome of an action that succeeded; any other outcome
// is an error code (EINVALID, ENOTFOUND, ...).
const AuditOK = "ok"

// AuditEntry is one entry of the county's audit trail: who did what to
// which cases, when, from where, and how it ended.
type AuditEntry struct {
	// Seq is the entry's place in the log, from 1; set by SealAudit.
	Seq uint64 `json:"seq"`
	// Time is when the request arrived or the command ran (the county's
	// clock, stored in UTC to the nanosecond).
	Time time.Time `json:"time"`

	// The actor. An API request has the token's township, its public id
	// and the device (a fingerprint of the token), and the clerks named
	// by the results it sends; a command has the operator's login name.
	Township Code   `json:"township,omitempty"`
	TokenID  string `json:"token_id,omitempty"`
	Device   string `json:"device,omitempty"`
	Clerk    string `json:"clerk,omitempty"`
	User     string `json:"user,omitempty"`
	// Remote is the client's address of an API request.
	Remote string `json:"remote,omitempty"`

	// Action names what was done: "GET /api/v1/cases" for a request, the
	// command's words ("import cases", "token create") for a command.
	Action string `json:"action"`
	// Detail is the request's query or the command's flags and
	// arguments.
	Detail string `json:"detail,omitempty"`
	// Cases are the ids of the cases read or changed, when known; Count
	// the number of records read or changed (cases, results, registry
	// records), also when the ids are not listed.
	Cases []string `json:"cases,omitempty"`
	Count int      `json:"count,omitempty"`
	// Outcome is AuditOK or the error code the action ended with.
	Outcome string `json:"outcome"`

	// Prev is the Hash of the entry before (zero for the first); Hash the
	// SHA-256 of this entry's canonical encoding. Set by SealAudit.
	Prev [sha256.Size]byte `json:"prev"`
	Hash [sha256.Size]byte `json:"hash"`
}

// ValidateAudit validates entries about to be appended, naming each bad
// one as "entries[i]": an AuditLog appends none of them when one is bad.
func ValidateAudit(entries []AuditEntry) error {
	var es Errors
	for i := range entries {
		es.AddField(fmt.Sprintf("entries[%d]", i), entries[i].Validate())
	}
	return es.Err()
}

// Validate checks what an entry must have before it is appended: a time
// the encoding can hold, an action, an outcome, and fields within their
// limits. The recorders clip their texts (ClipAudit), so a valid action
// is never lost to a long argument.
//
// Errors: EINVALID about the field.
func (e *AuditEntry) Validate() error {
	var es Errors
	if e.Time.IsZero() || e.Time.Year() < 1900 || e.Time.Year() > 2200 {
		es.Add(Invalid("time", "audit.err.time"))
	}
	if e.Action == "" {
		es.Add(Invalid("action", "audit.err.required", "action"))
	}
	if e.Outcome == "" {
		es.Add(Invalid("outcome", "audit.err.required", "outcome"))
	}
	for _, f := range []struct {
		name, value string
		max         int
	}{
		{"township", string(e.Township), MaxAuditText}, {"token_id", e.TokenID, MaxAuditText},
		{"device", e.Device, MaxAuditText}, {"clerk", e.Clerk, MaxAuditText},
		{"user", e.User, MaxAuditText}, {"remote", e.Remote, MaxAuditText},
		{"action", e.Action, MaxAuditText}, {"outcome", e.Outcome, MaxAuditText},
		{"detail", e.Detail, MaxAuditDetail},
	} {
		if len(f.value) > f.max {
			es.Add(Invalid(f.name, "audit.err.long", f.max))
		}
	}
	if len(e.Cases) > MaxAuditCases {
		es.Add(Invalid("cases", "audit.err.cases", MaxAuditCases))
	}
	for i, id := range e.Cases {
		if id == "" || len(id) > MaxAuditText {
			es.Add(Invalid(fmt.Sprintf("cases[%d]", i), "audit.err.case_id"))
			break
		}
	}
	if e.Count < 0 {
		es.Add(Invalid("count", "audit.err.count"))
	}
	return es.Err()
}

// ClipAudit returns s cut to at most max bytes on a character boundary,
// marked with "…" when cut, for a field of an audit entry.
func ClipAudit(s string, max int) string {
	if len(s) <= max {
		return s
	}
	const mark = "…"
	n := max - len(mark)
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + mark
}

// AuditHead is where a log ends: the Seq and Hash of its last entry, or
// zero for an empty log. A backend keeps it apart from the entries.
type AuditHead struct {
	Seq  uint64
	Hash [sha256.Size]byte
}

// String writes the head as "SEQ:HASH" in hex, as the operator notes it.
func (h AuditHead) String() string { return fmt.Sprintf("%d:%x", h.Seq, h.Hash) }

// SealAudit returns e numbered and linked after head, with its hash, and
// the new head. The backend calls it inside the transaction that appends
// e, with the head read in that transaction.
func SealAudit(head AuditHead, e AuditEntry) (AuditEntry, AuditHead) {
	e.Seq = head.Seq + 1
	e.Prev = head.Hash
	e.Time = e.Time.UTC()
	e.Hash = sha256.Sum256(EncodeAudit(&e))
	return e, AuditHead{Seq: e.Seq, Hash: e.Hash}
}

// EncodeAudit returns e's canonical encoding (without Hash): the bytes
// its Hash is the SHA-256 of.
func EncodeAudit(e *AuditEntry) []byte {
	n := 1 + 2*binary.MaxVarintLen64 + 32 + len(e.Detail) + 9*binary.MaxVarintLen64
	for _, s := range []string{string(e.Township), e.TokenID, e.Device, e.Clerk, e.User, e.Remote, e.Action, e.Outcome} {
		n += len(s)
	}
	for _, c := range e.Cases {
		n += binary.MaxVarintLen64 + len(c)
	}
	b := make([]byte, 0, n+sha256.Size)
	b = append(b, AuditVersion)
	b = binary.AppendUvarint(b, e.Seq)
	b = binary.AppendVarint(b, e.Time.UnixNano())
	for _, s := range []string{string(e.Township), e.TokenID, e.Device, e.Clerk, e.User, e.Remote, e.Action, e.Detail, e.Outcome} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	b = binary.AppendUvarint(b, uint64(len(e.Cases)))
	for _, c := range e.Cases {
		b = binary.AppendUvarint(b, uint64(len(c)))
		b = append(b, c...)
	}
	b = binary.AppendUvarint(b, uint64(e.Count))
	return append(b, e.Prev[:]...)
}

// MarshalAudit returns e as a backend stores it: its canonical encoding
// followed by its Hash.
func MarshalAudit(e *AuditEntry) []byte {
	return append(EncodeAudit(e), e.Hash[:]...)
}

// errAuditShort is the reader's error for data that ends early.
var errAuditShort = errors.New("ends early")

// UnmarshalAudit reads an entry MarshalAudit wrote. It refuses, saying
// where, data of another version, data that ends early or goes on after
// the entry, and any encoding that is not the canonical one (so an entry
// reads back to the very bytes its hash was taken of). It does not check
// the hash: that is the verifier's job.
func UnmarshalAudit(data []byte) (AuditEntry, error) {
	var e AuditEntry
	if len(data) == 0 {
		return e, errors.New("audit entry: empty")
	}
	if data[0] != AuditVersion {
		return e, fmt.Errorf("audit entry: version %d, this program reads version %d", data[0], AuditVersion)
	}
	r := auditReader{data: data, off: 1}
	e.Seq = r.uvarint("seq")
	nanos := r.varint("time")
	e.Time = time.Unix(0, nanos).UTC()
	e.Township = Code(r.text("township"))
	e.TokenID = r.text("token_id")
	e.Device = r.text("device")
	e.Clerk = r.text("clerk")
	e.User = r.text("user")
	e.Remote = r.text("remote")
	e.Action = r.text("action")
	e.Detail = r.text("detail")
	e.Outcome = r.text("outcome")
	n := r.uvarint("cases")
	if r.err == nil && n > uint64(len(data)-r.off) {
		r.fail("cases", fmt.Errorf("%d ids in %d bytes", n, len(data)-r.off))
	}
	for i := uint64(0); r.err == nil && i < n; i++ {
		e.Cases = append(e.Cases, r.text("cases"))
	}
	count := r.uvarint("count")
	if r.err == nil && count > uint64(maxInt) {
		r.fail("count", fmt.Errorf("%d is too large", count))
	}
	e.Count = int(count)
	r.bytes("prev", e.Prev[:])
	r.bytes("hash", e.Hash[:])
	if r.err != nil {
		return AuditEntry{}, r.err
	}
	if r.off != len(data) {
		return AuditEntry{}, fmt.Errorf("audit entry: %d bytes after the entry", len(data)-r.off)
	}
	if !bytes.Equal(MarshalAudit(&e), data) {
		return AuditEntry{}, errors.New("audit entry: not in the canonical encoding")
	}
	return e, nil
}

const maxInt = int(^uint(0) >> 1)

// auditReader reads the fields of an encoded entry, keeping the first
// error.
type auditReader struct {
	data []byte
	off  int
	err  error
}

func (r *auditReader) fail(field string, err error) {
	if r.err == nil {
		r.err = fmt.Errorf("audit entry: %s at byte %d: %w", field, r.off, err)
	}
}

func (r *auditReader) uvarint(field string) uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.data[r.off:])
	if n <= 0 {
		r.fail(field, errAuditShort)
		return 0
	}
	r.off += n
	return v
}

func (r *auditReader) varint(field string) int64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.data[r.off:])
	if n <= 0 {
		r.fail(field, errAuditShort)
		return 0
	}
	r.off += n
	return v
}

func (r *auditReader) text(field string) string {
	n := r.uvarint(field)
	if r.err != nil {
		return ""
	}
	if n > uint64(len(r.data)-r.off) {
		r.fail(field, errAuditShort)
		return ""
	}
	s := string(r.data[r.off : r.off+int(n)])
	r.off += int(n)
	return s
}

func (r *auditReader) bytes(field string, out []byte) {
	if r.err != nil {
		return
	}
	if len(r.data)-r.off < len(out) {
		r.fail(field, errAuditShort)
		return
	}
	r.off += copy(out, r.data[r.off:])
}

// AuditFilter selects entries of the log; the zero filter selects all.
type AuditFilter struct {
	// Since keeps entries at or after this time.
	Since time.Time
	// Township keeps entries whose township is this code or under it.
	Township Code
	// Case keeps entries that name this case id.
	Case string
}

// Match reports whether e passes the filter.
func (f AuditFilter) Match(e *AuditEntry) bool {
	if !f.Since.IsZero() && e.Time.Before(f.Since) {
		return false
	}
	if f.Township != "" && !strings.HasPrefix(string(e.Township), string(f.Township)) {
		return false
	}
	if f.Case != "" {
		for _, c := range e.Cases {
			if c == f.Case {
				return true
			}
		}
		return false
	}
	return true
}

// AuditLog is the county's append-only audit trail. Implemented by store
// (bbolt) and by the PostgreSQL county store. It has no way to change or
// remove an entry.
//
// A backend keeps each entry as MarshalAudit writes it (or its fields and
// Hash, so long as UnmarshalAudit's bytes come back), and the head apart
// from the entries. Append runs in one transaction: read the head (with
// several writers, such as several serve processes on one PostgreSQL
// database, under a lock: SELECT … FOR UPDATE on the head's row), seal
// each entry after it with SealAudit, insert, write the new head, commit.
// Entries reads in Seq order; VerifyAuditLog then checks any backend the
// same way.
//
// Errors: EINVALID when an entry fails Validate (nothing is appended);
// EUNAVAILABLE/ELOCKED from the database; an Error with an audit.*
// message (AuditUnreadable) for an entry that does not read back.
type AuditLog interface {
	// Append validates the entries, seals each after the log's head with
	// SealAudit and appends them, all or none, durably before it returns.
	Append(ctx context.Context, entries ...AuditEntry) error
	// Entries calls fn with every entry that matches f, in sequence
	// order, and stops at fn's first error, which it returns.
	Entries(ctx context.Context, f AuditFilter, fn func(AuditEntry) error) error
	// Head returns the head of the log, kept apart from the entries.
	Head(ctx context.Context) (AuditHead, error)
}

// AuditUnreadable returns the error a backend gives for the stored entry
// at seq that does not read back (cause says why).
func AuditUnreadable(seq uint64, cause error) error {
	return auditFault("audit.unreadable", seq, cause.Error())
}

// auditFault is the verifier's error about the entry at seq: EINVALID
// about the field "audit", the first argument the entry's seq.
func auditFault(msgID string, seq uint64, args ...any) *Error {
	return Invalid("audit", msgID, append([]any{seq}, args...)...)
}

// AuditVerifier checks a log entry by entry. Give it every entry in
// sequence order with Add, then the log's head with End; the first error
// names the first bad entry (its seq is the error's first argument).
type AuditVerifier struct {
	head AuditHead
}

// Add checks the next entry.
func (v *AuditVerifier) Add(e *AuditEntry) error {
	want := v.head.Seq + 1
	switch {
	case sha256.Sum256(EncodeAudit(e)) != e.Hash:
		// Its content changed since it was sealed. Say it before
		// anything else: an altered Seq is an altered entry.
		return auditFault("audit.altered", e.Seq)
	case e.Seq < want:
		return auditFault("audit.order", e.Seq, v.head.Seq)
	case e.Seq == want+1:
		return auditFault("audit.missing.one", e.Seq, want)
	case e.Seq > want:
		return auditFault("audit.missing", e.Seq, want, e.Seq-1)
	case e.Prev != v.head.Hash:
		return auditFault("audit.relinked", e.Seq, v.head.Seq)
	}
	v.head = AuditHead{Seq: e.Seq, Hash: e.Hash}
	return nil
}

// End checks the end of the log against the head the backend keeps.
func (v *AuditVerifier) End(head AuditHead) error {
	switch {
	case head.Seq == v.head.Seq+1:
		return auditFault("audit.tail.one", head.Seq)
	case head.Seq > v.head.Seq:
		return auditFault("audit.tail", v.head.Seq+1, head.Seq)
	case head.Seq < v.head.Seq:
		return auditFault("audit.beyond", head.Seq+1, head.Seq)
	case head.Hash != v.head.Hash:
		return auditFault("audit.head", head.Seq)
	}
	return nil
}

// Head returns the head of the entries checked so far.
func (v *AuditVerifier) Head() AuditHead { return v.head }

// VerifyAudit checks a whole log: entries in sequence order, and its
// head. It returns nil for an intact log, else an error naming the first
// bad entry.
func VerifyAudit(entries []AuditEntry, head AuditHead) error {
	var v AuditVerifier
	for i := range entries {
		if err := v.Add(&entries[i]); err != nil {
			return err
		}
	}
	return v.End(head)
}

// VerifyAuditLog reads every entry of log in order and checks the chain
// and its head. It returns the head verified and nil for an intact log,
// else an error naming the first bad entry (an audit.unreadable one from
// the backend included).
func VerifyAuditLog(ctx context.Context, log AuditLog) (AuditHead, error) {
	head, err := log.Head(ctx)
	if err != nil {
		return AuditHead{}, err
	}
	var v AuditVerifier
	err = log.Entries(ctx, AuditFilter{}, func(e AuditEntry) error { return v.Add(&e) })
	if err == nil {
		err = v.End(head)
	}
	if err != nil {
		return v.Head(), err
	}
	return head, nil
}
