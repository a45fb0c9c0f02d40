package hecha

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"
	"time"
)

// CountyDump is everything a county store holds for one county, in a form
// every county store can load: what "hecha-county copy" moves between a
// bbolt file and a PostgreSQL database.
type CountyDump struct {
	County    Code             `json:"county"`
	Table     []byte           `json:"table,omitempty"`    // the division table's CSV
	Historic  []byte           `json:"historic,omitempty"` // the historic county list's CSV
	Floating  []FloatingRecord `json:"floating,omitempty"`
	Resident  []ResidentRecord `json:"resident,omitempty"`
	Cases     []DumpCase       `json:"cases,omitempty"`
	Tokens    []DumpToken      `json:"tokens,omitempty"`
	Batches   []Batch          `json:"batches,omitempty"`
	Conflicts []DumpConflict   `json:"conflicts,omitempty"`
	// Sequence is at least every change number the source handed out. The
	// target numbers the changes it makes from above it, so the cursor a
	// township took from the source is below all of them: its next pull
	// takes every case and record again and skips none.
	Sequence uint64 `json:"sequence"`
}

// DumpCase is a case with the county's bookkeeping of it.
type DumpCase struct {
	Case       Case   `json:"case"`
	Status     Status `json:"status"`
	ContentRev int    `json:"content_rev"`
	AssignRev  int    `json:"assign_rev,omitempty"`
	InForce    string `json:"in_force,omitempty"`
	// ImportHash is the hash of the content last imported, as the source
	// keeps it: ContentHash's, or another store's own. A store that cannot
	// read it takes the next import of the case as unchanged.
	ImportHash []byte `json:"import_hash,omitempty"`
	// Results are the case's accepted results, oldest first.
	Results []Result `json:"results,omitempty"`
}

// DumpToken is a township token as the county keeps it: the SHA-256 of
// its secret, never the secret.
type DumpToken struct {
	ID        string    `json:"id"`
	Township  Code      `json:"township"`
	Hash      []byte    `json:"hash"`
	CreatedAt time.Time `json:"created_at"`
	RevokedAt time.Time `json:"revoked_at,omitzero"` // zero when in force
}

// DumpConflict is a conflict notice and the township it was recorded for.
type DumpConflict struct {
	Township Code           `json:"township"`
	Notice   ConflictNotice `json:"notice"`
}

// DumpSums are the count and checksum of each part of a dump.
type DumpSums map[string]DumpSum

// DumpSum is one part's count and checksum (hex SHA-256).
type DumpSum struct {
	Count int    `json:"count"`
	Sum   string `json:"sum"`
}

// Sums returns the count and checksum of each part of d, over what both
// stores keep alike: times in UTC to the microsecond (PostgreSQL's
// precision), parts sorted by id, the import hashes and Sequence left out
// (each store keeps its own). Two stores holding the same county give the
// same sums.
func (d *CountyDump) Sums() (DumpSums, error) {
	out := DumpSums{}
	add := func(name string, n int, v any) error {
		data, err := json.Marshal(v)
		if err != nil {
			return err
		}
		h := sha256.Sum256(data)
		out[name] = DumpSum{Count: n, Sum: hex.EncodeToString(h[:])}
		return nil
	}
	t := func(x time.Time) time.Time { return x.UTC().Truncate(time.Microsecond) }
	if err := add("county", 1, d.County); err != nil {
		return nil, err
	}
	if err := add("divisions", len(d.Table)+len(d.Historic), [][]byte{d.Table, d.Historic}); err != nil {
		return nil, err
	}
	fl := slices.Clone(d.Floating)
	slices.SortFunc(fl, func(a, b FloatingRecord) int { return strings.Compare(a.ID, b.ID) })
	if err := add("floating", len(fl), fl); err != nil {
		return nil, err
	}
	rs := slices.Clone(d.Resident)
	slices.SortFunc(rs, func(a, b ResidentRecord) int { return strings.Compare(a.ID, b.ID) })
	if err := add("resident", len(rs), rs); err != nil {
		return nil, err
	}
	cases := make([]DumpCase, len(d.Cases))
	results := 0
	for i, c := range d.Cases {
		c.ImportHash = nil
		c.Case.UpdatedAt = t(c.Case.UpdatedAt)
		if c.Case.Assignment != nil {
			a := *c.Case.Assignment
			a.At = t(a.At)
			c.Case.Assignment = &a
		}
		c.Results = slices.Clone(c.Results)
		for k := range c.Results {
			c.Results[k].SavedAt = t(c.Results[k].SavedAt)
		}
		results += len(c.Results)
		cases[i] = c
	}
	slices.SortFunc(cases, func(a, b DumpCase) int { return strings.Compare(a.Case.ID, b.Case.ID) })
	if err := add("cases", len(cases), cases); err != nil {
		return nil, err
	}
	if err := add("results", results, nil); err != nil {
		return nil, err
	}
	toks := make([]DumpToken, len(d.Tokens))
	for i, k := range d.Tokens {
		k.CreatedAt, k.RevokedAt = t(k.CreatedAt), t(k.RevokedAt)
		toks[i] = k
	}
	slices.SortFunc(toks, func(a, b DumpToken) int { return strings.Compare(a.ID, b.ID) })
	if err := add("tokens", len(toks), toks); err != nil {
		return nil, err
	}
	bs := make([]Batch, len(d.Batches))
	for i, b := range d.Batches {
		b.FirstAt, b.LastAt = t(b.FirstAt), t(b.LastAt)
		bs[i] = b
	}
	slices.SortFunc(bs, func(a, b Batch) int { return strings.Compare(a.ID, b.ID) })
	if err := add("batches", len(bs), bs); err != nil {
		return nil, err
	}
	cs := make([]DumpConflict, len(d.Conflicts))
	for i, c := range d.Conflicts {
		c.Notice.At = t(c.Notice.At)
		cs[i] = c
	}
	slices.SortFunc(cs, func(a, b DumpConflict) int {
		return strings.Compare(string(a.Township)+"\x00"+a.Notice.CaseID, string(b.Township)+"\x00"+b.Notice.CaseID)
	})
	if err := add("conflicts", len(cs), cs); err != nil {
		return nil, err
	}
	return out, nil
}

// CountyDumper is a county store that can write out and load a whole
// county (both stores are).
type CountyDumper interface {
	// DumpCounty returns everything the store holds of its county.
	//
	// Errors: EINVALID when the store serves no one county.
	DumpCounty(ctx context.Context) (*CountyDump, error)
	// LoadCounty writes d into the store, in one transaction: all of it
	// or nothing.
	//
	// Errors: EINVALID (copy.target_not_empty) when the store already
	// holds cases of the county.
	LoadCounty(ctx context.Context, d *CountyDump) error
}

// The messages of a copy.
var _ = Register(map[string]Msg{
	"copy.target_not_empty": {
		Zh: "目标库中已有 %s 的个案，不能再复制进去",
		En: "the target already holds cases of %s; nothing was copied into it",
	},
	"copy.no_county": {
		Zh: "源库没有设定服务的县（或是多个县的省级库：请在网址中用 county= 指定一个县）",
		En: "the source serves no one county (or is a province's database: name one county with county= in its URL)",
	},
})
