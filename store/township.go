package store

import (
	"bytes"
	"context"

	"go.etcd.io/bbolt"

	"hecha"
	"hecha/internal/codec"
)

// Case returns one case. Errors: ENOTFOUND.
func (db *DB) Case(ctx context.Context, id string) (*hecha.Case, error) {
	var c *hecha.Case
	err := db.view(ctx, func(tx *bbolt.Tx) error {
		var err error
		c, err = getCase(tx, id)
		return err
	})
	return c, err
}

// Summaries returns the summary of every case, in case id order, in one
// sequential read of the summary bucket.
func (db *TownshipDB) Summaries(ctx context.Context) ([]hecha.CaseSummary, error) {
	var out []hecha.CaseSummary
	err := db.eachSummary(ctx, func(n int) { out = make([]hecha.CaseSummary, 0, n) }, func(s *hecha.CaseSummary) error {
		out = append(out, *s)
		return nil
	})
	return out, err
}

// EachSummary calls f with the summary of every case, in case id order,
// in one sequential read of the summary bucket, as Summaries reads them
// but without holding them all: a caller that keeps only part of each
// (the interface's case index) need not allocate them all first. size,
// when not nil, is first told how many there are. s is reused between
// calls: f copies what it keeps (the strings it may keep as they are).
// An error from f ends the read and is returned. f runs inside the read
// transaction: it must not write to the database.
func (db *TownshipDB) EachSummary(ctx context.Context, size func(n int), f func(s *hecha.CaseSummary) error) error {
	return db.eachSummary(ctx, size, f)
}

// eachSummary is EachSummary.
func (db *TownshipDB) eachSummary(ctx context.Context, size func(n int), f func(s *hecha.CaseSummary) error) error {
	err := db.view(ctx, func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketSummaries)
		if size != nil {
			size(b.Stats().KeyN)
		}
		var s hecha.CaseSummary
		return b.ForEach(func(k, v []byte) error {
			v, err := openValue(tx, bucketSummaries, k, v)
			if err != nil {
				return err
			}
			if err := decodeSummary(v, &s); err != nil {
				return errDamaged(db.path, err)
			}
			return f(&s)
		})
	})
	if err == nil {
		db.releaseMapped()
	}
	return err
}

// Summary returns the summary of one case. Errors: ENOTFOUND.
func (db *TownshipDB) Summary(ctx context.Context, id string) (*hecha.CaseSummary, error) {
	var s *hecha.CaseSummary
	err := db.view(ctx, func(tx *bbolt.Tx) error {
		var ok bool
		var err error
		if s, ok, err = getSummary(tx, id); err == nil && !ok {
			err = notFound("store.case_not_found", id)
		}
		return err
	})
	return s, err
}

// CasesByStatus returns the summaries of up to limit cases in the given
// status, in case id order, skipping the first offset; limit 0 means all.
// It reads the status index, so the first page of a status is quick to get
// without loading every summary.
func (db *TownshipDB) CasesByStatus(ctx context.Context, status hecha.Status, offset, limit int) ([]hecha.CaseSummary, error) {
	var out []hecha.CaseSummary
	err := db.view(ctx, func(tx *bbolt.Tx) error {
		p := prefix([]byte(status))
		c := tx.Bucket(bucketStatusIndex).Cursor()
		skipped := 0
		for k, _ := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, _ = c.Next() {
			if skipped < offset {
				skipped++
				continue
			}
			if limit > 0 && len(out) == limit {
				break
			}
			v, err := getValue(tx, bucketSummaries, k[len(p):])
			if err != nil {
				return err
			}
			var s hecha.CaseSummary
			if err := decodeSummary(v, &s); err != nil {
				return errDamaged(db.path, err)
			}
			out = append(out, s)
		}
		return nil
	})
	return out, err
}

// Counts returns the number of cases in each status, from the status index.
func (db *TownshipDB) Counts(ctx context.Context) (hecha.StatusCounts, error) {
	counts := hecha.StatusCounts{}
	err := db.view(ctx, func(tx *bbolt.Tx) error {
		c := tx.Bucket(bucketStatusIndex).Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			if i := bytes.IndexByte(k, sep); i >= 0 {
				counts[hecha.Status(k[:i])]++
			}
		}
		return nil
	})
	if err == nil {
		db.releaseMapped()
	}
	return counts, err
}

// getCase loads a case. Errors: ENOTFOUND.
func getCase(tx *bbolt.Tx, id string) (*hecha.Case, error) {
	data, err := getValue(tx, bucketCases, []byte(id))
	if err != nil {
		return nil, err
	}
	if data == nil {
		return nil, notFound("store.case_not_found", id)
	}
	var c hecha.Case
	if err := codec.DecodeCase(data, &c); err != nil {
		return nil, errDecode(tx, bucketCases, id, err)
	}
	return &c, nil
}

// getSummary loads a case's summary; false when there is none.
func getSummary(tx *bbolt.Tx, id string) (*hecha.CaseSummary, bool, error) {
	v, err := getValue(tx, bucketSummaries, []byte(id))
	if err != nil || v == nil {
		return nil, false, err
	}
	var s hecha.CaseSummary
	if err := decodeSummary(v, &s); err != nil {
		return nil, true, errDamaged(tx.DB().Path(), err)
	}
	return &s, true, nil
}

// summarize returns the summary of c with the given status and form.
func summarize(c *hecha.Case, status hecha.Status, form hecha.Form) hecha.CaseSummary {
	full, initials := hecha.NamePinyinKeys(c.Person.Name)
	return hecha.CaseSummary{
		ID:        c.ID,
		Kind:      c.Kind,
		Name:      c.Person.Name,
		Pinyin:    full,
		Initials:  initials,
		CitizenID: c.Person.CitizenID,
		Sex:       c.Person.Sex,
		BirthDate: c.Person.BirthDate,
		Unit:      c.Unit,
		Village:   c.Person.HouseholdDivision.At(hecha.LevelVillage),
		Status:    status,
		Form:      form,
	}
}

// putSummary stores s, moving the case's status index entry from old
// (the stored summary's status, "" for a new case) to s.Status.
func putSummary(tx *bbolt.Tx, s *hecha.CaseSummary, old hecha.Status) error {
	id := []byte(s.ID)
	if err := putValue(tx, bucketSummaries, id, encodeSummary(s)); err != nil {
		return err
	}
	if old == s.Status {
		return nil
	}
	idx := tx.Bucket(bucketStatusIndex)
	if old != "" {
		if err := idx.Delete(key([]byte(old), id)); err != nil {
			return err
		}
	}
	return idx.Put(key([]byte(s.Status), id), nil)
}

// setStatus sets a stored case's status and form (form "" keeps the form)
// and its UpdatedAt.
func (db *TownshipDB) setStatus(tx *bbolt.Tx, caseID string, status hecha.Status, form hecha.Form) error {
	s, ok, err := getSummary(tx, caseID)
	if err != nil {
		return err
	}
	if !ok {
		return notFound("store.case_not_found", caseID)
	}
	old := s.Status
	s.Status = status
	if form != "" {
		s.Form = form
	}
	s.UpdatedAt = db.now()
	return putSummary(tx, s, old)
}

// putCase stores c and its summary (status and form as given), keeping
// the status index right.
func (db *TownshipDB) putCase(tx *bbolt.Tx, c *hecha.Case, status hecha.Status, form hecha.Form) error {
	data, err := codec.EncodeCase(c)
	if err != nil {
		return err
	}
	if err := putValue(tx, bucketCases, []byte(c.ID), data); err != nil {
		return err
	}
	var old hecha.Status
	if s, ok, err := getSummary(tx, c.ID); err != nil {
		return err
	} else if ok {
		old = s.Status
	}
	s := summarize(c, status, form)
	s.UpdatedAt = db.now()
	return putSummary(tx, &s, old)
}

// removeCase deletes a case, its summary and its index entry (not its
// history, which is never deleted).
func removeCase(tx *bbolt.Tx, id string) error {
	s, ok, err := getSummary(tx, id)
	if err != nil || !ok {
		return err
	}
	if err := tx.Bucket(bucketStatusIndex).Delete(key([]byte(s.Status), []byte(id))); err != nil {
		return err
	}
	if err := tx.Bucket(bucketSummaries).Delete([]byte(id)); err != nil {
		return err
	}
	if err := tx.Bucket(bucketDrafts).Delete([]byte(id)); err != nil {
		return err
	}
	return tx.Bucket(bucketCases).Delete([]byte(id))
}

// mappedSize returns the size of the data file as the last transaction saw
// it: the part of the mapping that holds pages.
func (db *DB) mappedSize() int64 {
	var n int64
	_ = db.bolt.View(func(tx *bbolt.Tx) error {
		n = tx.Size()
		return nil
	})
	return n
}
