package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"runtime"
	"slices"
	"sync"
	"time"

	"go.etcd.io/bbolt"

	"hecha"
	"hecha/internal/codec"
)

// importBatch is how many cases ImportCases writes per transaction: a
// commit's fsync and page writes are then a small part of a row's cost,
// and a transaction's dirty pages stay within a few tens of megabytes.
const importBatch = 5000

// prepareChunk is how many cases one goroutine of ImportCases prepares at
// a time.
const prepareChunk = 512

// hashBinaryV1 starts a content hash of the binary encoding; a hash
// without it (32 bytes) is hecha.Case.ContentHash.
const hashBinaryV1 = 2

// contentHash returns the hash of c's imported content: hashBinaryV1 and
// the SHA-256 of its binary encoding (codec.Encoder.CaseContent).
func contentHash(c *hecha.Case) ([]byte, error) {
	e := codec.Encoder{B: make([]byte, 0, 384)}
	e.CaseContent(c)
	h := sha256.Sum256(e.B)
	return append([]byte{hashBinaryV1}, h[:]...), nil
}

// cloneContent returns a copy of c that shares no memory with it in the
// parts Normalize rewrites.
func cloneContent(c *hecha.Case) hecha.Case {
	d := *c
	d.Person.Members = slices.Clone(c.Person.Members)
	for _, b := range []**hecha.Basic{&d.Resident, &d.Outflow} {
		if *b != nil {
			v := **b
			*b = &v
		}
	}
	return d
}

// ImportCases normalises and validates every case (the caller's values
// are not changed) and then inserts or updates them by id, importBatch
// cases per transaction. A case whose imported content is unchanged is
// left alone (no new Rev, no change for the township); a changed one gets
// the new content, the next Rev and UpdatedAt and, when assigned, fresh
// candidates and a place in its township's changes. The assignment,
// candidates and Rev of the cases given are ignored: an import brings
// content, Assign distributes. The preparation (normalising, validating
// and hashing each case) runs on every processor.
//
// Errors: EINVALID (an Errors whose first entry, about no field, names the
// case id, followed by the case's field errors) when a case fails Validate
// or its id cannot be a key; nothing is written then.
func (db *CountyDB) ImportCases(ctx context.Context, cases []hecha.Case) (hecha.ImportStats, error) {
	var stats hecha.ImportStats
	in, err := db.prepareImport(cases, db.now())
	if err != nil {
		return stats, err
	}
	for start := 0; start < len(in); start += importBatch {
		end := min(start+importBatch, len(in))
		var s hecha.ImportStats
		err := db.update(ctx, func(tx *bbolt.Tx) error {
			s = hecha.ImportStats{}
			for i := start; i < end; i++ {
				if err := db.importCase(tx, &in[i], &s); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return stats, err
		}
		stats.Added += s.Added
		stats.Changed += s.Changed
		stats.Unchanged += s.Unchanged
	}
	return stats, nil
}

// preparedCase is a case ready for importCase: normalised, validated, its
// content hash and, should it be new, its stored case and state.
type preparedCase struct {
	c           hecha.Case
	hash        []byte
	now         time.Time
	data, state []byte
}

// prepareImport prepares every case, on one goroutine per processor; the
// error names the first invalid case in the order given. now is the
// import's time, the UpdatedAt of the cases it adds or changes.
func (db *CountyDB) prepareImport(cases []hecha.Case, now time.Time) ([]preparedCase, error) {
	in := make([]preparedCase, len(cases))
	errs := make([]error, len(cases))
	prepare := func(i int) error {
		if err := hecha.CheckID("id", cases[i].ID); err != nil {
			return err
		}
		p := &in[i]
		p.c, p.now = cloneContent(&cases[i]), now
		p.c.Normalize()
		if err := p.c.Validate(db.rules); err != nil {
			return err
		}
		var err error
		if p.hash, err = contentHash(&p.c); err != nil {
			return err
		}
		// Most imported cases are new: encode them as importCase adds them.
		c, st := newImported(p)
		if p.data, err = codec.EncodeCase(c); err != nil {
			return err
		}
		p.state, err = encodeState(st)
		return err
	}
	// Workers take chunks in order and stop after the chunk where one of
	// them found an error, so a file wrong from its first row costs little.
	var (
		mu     sync.Mutex
		next   int
		failed bool
		wg     sync.WaitGroup
	)
	for range min(runtime.GOMAXPROCS(0), (len(cases)+prepareChunk-1)/prepareChunk) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				from := next
				next += prepareChunk
				stop := failed || from >= len(cases)
				mu.Unlock()
				if stop {
					return
				}
				for i := from; i < min(from+prepareChunk, len(cases)); i++ {
					if errs[i] = prepare(i); errs[i] != nil {
						mu.Lock()
						failed = true
						mu.Unlock()
						break
					}
				}
			}
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			if hecha.ErrorCode(err) != hecha.EINVALID {
				return nil, err
			}
			list := hecha.Errors{hecha.Invalid("", "county.case_invalid", cases[i].ID)}
			list.Add(err)
			return nil, list
		}
	}
	return in, nil
}

// newImported returns the case and state an import adds for p.
func newImported(p *preparedCase) (*hecha.Case, *caseState) {
	c := &hecha.Case{ID: p.c.ID, Rev: 1, UpdatedAt: p.now}
	c.SetContent(&p.c)
	return c, &caseState{Status: hecha.StatusPending, ImportHash: p.hash, ContentRev: 1}
}

// importCase inserts or updates one prepared case.
func (db *CountyDB) importCase(tx *bbolt.Tx, p *preparedCase, stats *hecha.ImportStats) error {
	id := []byte(p.c.ID)
	stored := tx.Bucket(bucketCountyState).Get(id)
	if stored == nil {
		if err := tx.Bucket(bucketCountyUndistributed).Put(id, nil); err != nil {
			return err
		}
		if err := setStatus(tx, p.c.ID, "", hecha.StatusPending); err != nil {
			return err
		}
		if err := putValue(tx, bucketCases, id, p.data); err != nil {
			return err
		}
		stats.Added++
		return tx.Bucket(bucketCountyState).Put(id, p.state)
	}

	// A known case: compare the content with the one last imported.
	in, hash := &p.c, p.hash
	var st caseState
	if err := decodeState(stored, &st); err != nil {
		return errDecode(tx, bucketCountyState, in.ID, err)
	}
	same := bytes.Equal(st.ImportHash, hash)
	if !same && len(st.ImportHash) == sha256.Size {
		old, err := in.ContentHash()
		if err != nil {
			return err
		}
		same = bytes.Equal(st.ImportHash, old)
	}
	if same {
		stats.Unchanged++
		return nil
	}
	c, _, err := mustLoadCase(tx, in.ID)
	if err != nil {
		return err
	}
	c.SetContent(in)
	c.Rev++
	c.UpdatedAt = p.now
	st.ImportHash, st.ContentRev = hash, c.Rev
	if c.Unit != "" {
		cands, err := compareCase(tx, c)
		if err != nil {
			return err
		}
		if err := setCandidates(tx, c, cands, c.Unit.At(hecha.LevelTownship)); err != nil {
			return err
		}
		if err := touchCase(tx, c.ID, c.Unit.At(hecha.LevelTownship)); err != nil {
			return err
		}
	}
	stats.Changed++
	return saveCase(tx, c, &st)
}
