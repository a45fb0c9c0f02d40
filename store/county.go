package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"slices"

	"go.etcd.io/bbolt"

	"hecha"
)

// The store implements the county's services.
var _ hecha.CountyService = (*DB)(nil)

// importBatch is how many cases ImportCases writes per transaction.
const importBatch = 2000

// defaultPage is the page size of CasesSince and RegistrySince when the
// caller gives none.
const defaultPage = 1000

// caseState is the county's bookkeeping of one case beyond hecha.Case.
type caseState struct {
	// Status is pending until a result is in force, then done.
	Status hecha.Status `json:"status"`
	// ImportHash is the SHA-256 of the case's content as last imported, so
	// an identical re-import is recognised even after a result changed the
	// case's items.
	ImportHash []byte `json:"import_hash"`
	// ContentRev is the Rev at which the imported content last changed;
	// AssignRev the Rev at which the case came to its current township. A
	// result made against an older Rev than either is in conflict.
	ContentRev int `json:"content_rev"`
	AssignRev  int `json:"assign_rev,omitempty"`
	// Results are the ids of the case's accepted results, oldest first;
	// InForce is the newest one made under the current assignment, or "".
	Results []string `json:"results,omitempty"`
	InForce string   `json:"in_force,omitempty"`
}

// importContent is the part of a case that an import supplies; its
// canonical JSON is hashed to tell a changed case from an identical one.
type importContent struct {
	ID             string       `json:"id"`
	Kind           hecha.Kind   `json:"kind"`
	Person         hecha.Person `json:"person"`
	InflowDivision hecha.Code   `json:"inflow_division,omitempty"`
	InflowAddress  string       `json:"inflow_address,omitempty"`
	InflowDate     hecha.Date   `json:"inflow_date"`
	Resident       *hecha.Basic `json:"resident,omitempty"`
	Outflow        *hecha.Basic `json:"outflow,omitempty"`
}

// contentHash returns the SHA-256 of c's imported content.
func contentHash(c *hecha.Case) ([]byte, error) {
	data, err := json.Marshal(importContent{
		ID: c.ID, Kind: c.Kind, Person: c.Person,
		InflowDivision: c.InflowDivision, InflowAddress: c.InflowAddress, InflowDate: c.InflowDate,
		Resident: c.Resident, Outflow: c.Outflow,
	})
	if err != nil {
		return nil, fmt.Errorf("encode case %s: %w", c.ID, err)
	}
	h := sha256.Sum256(data)
	return h[:], nil
}

// setContent copies the imported content of src into dst.
func setContent(dst, src *hecha.Case) {
	dst.Kind, dst.Person = src.Kind, src.Person
	dst.InflowDivision, dst.InflowAddress, dst.InflowDate = src.InflowDivision, src.InflowAddress, src.InflowDate
	dst.Resident, dst.Outflow = src.Resident, src.Outflow
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

// SetCounty sets the county this database serves: a county-level code of
// the division table. Assignments and tokens must lie within it.
//
// Errors: EINVALID about "county" for a code not at county level; ENOTFOUND
// for a code the table does not know.
func (db *DB) SetCounty(ctx context.Context, code hecha.Code) error {
	if code.Level() != hecha.LevelCounty {
		return hecha.Invalid("county", "county.county_level", string(code))
	}
	if _, ok := db.rules.Divisions.Lookup(code); !ok {
		return hecha.Errorf(hecha.ENOTFOUND, "county", "county.unit_unknown", string(code))
	}
	return db.update(ctx, func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(keyCounty, []byte(code))
	})
}

// County returns the county this database serves, or "" before SetCounty.
func (db *DB) County(ctx context.Context) (hecha.Code, error) {
	var c hecha.Code
	err := db.view(ctx, func(tx *bbolt.Tx) error {
		c = countyOf(tx)
		return nil
	})
	return c, err
}

func countyOf(tx *bbolt.Tx) hecha.Code {
	return hecha.Code(tx.Bucket(bucketMeta).Get(keyCounty))
}

// ImportCases normalises and validates every case (the caller's values
// are not changed) and then inserts or updates them by id,
// importBatch cases per transaction. A case whose imported content is
// unchanged is left alone (no new Rev, no change for the township); a
// changed one gets the new content, the next Rev and UpdatedAt and, when
// assigned, fresh candidates and a place in its township's changes. The
// assignment, candidates and Rev of the cases given are ignored: an import
// brings content, Assign distributes.
//
// Errors: EINVALID (an Errors whose first entry, about no field, names the
// case id, followed by the case's field errors) when a case fails Validate; nothing is
// written then.
func (db *DB) ImportCases(ctx context.Context, cases []hecha.Case) (hecha.ImportStats, error) {
	var stats hecha.ImportStats
	in := make([]hecha.Case, len(cases))
	for i := range cases {
		in[i] = cloneContent(&cases[i])
		in[i].Normalize()
		if err := in[i].Validate(db.rules); err != nil {
			errs := hecha.Errors{hecha.Invalid("", "county.case_invalid", cases[i].ID)}
			errs.Add(err)
			return stats, errs
		}
	}
	for start := 0; start < len(in); start += importBatch {
		chunk := in[start:min(start+importBatch, len(in))]
		var s hecha.ImportStats
		err := db.update(ctx, func(tx *bbolt.Tx) error {
			s = hecha.ImportStats{}
			for i := range chunk {
				if err := db.importCase(tx, &chunk[i], &s); err != nil {
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

// importCase inserts or updates one validated case.
func (db *DB) importCase(tx *bbolt.Tx, in *hecha.Case, stats *hecha.ImportStats) error {
	if err := checkID("id", in.ID); err != nil {
		return err
	}
	hash, err := contentHash(in)
	if err != nil {
		return err
	}
	now := db.now()
	c, st, found, err := loadCase(tx, in.ID)
	if err != nil {
		return err
	}
	if !found {
		c = &hecha.Case{ID: in.ID, Rev: 1, UpdatedAt: now}
		setContent(c, in)
		st = &caseState{Status: hecha.StatusPending, ImportHash: hash, ContentRev: 1}
		if err := tx.Bucket(bucketCountyUndistributed).Put([]byte(c.ID), nil); err != nil {
			return err
		}
		if err := setStatus(tx, c.ID, "", st.Status); err != nil {
			return err
		}
		stats.Added++
		return saveCase(tx, c, st)
	}
	if bytes.Equal(st.ImportHash, hash) {
		stats.Unchanged++
		return nil
	}
	setContent(c, in)
	c.Rev++
	c.UpdatedAt = now
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
	return saveCase(tx, c, st)
}

// loadCase reads a case and its state; found is false when the case is
// unknown.
func loadCase(tx *bbolt.Tx, id string) (c *hecha.Case, st *caseState, found bool, err error) {
	c, st = new(hecha.Case), new(caseState)
	ok, err := getJSON(tx.Bucket(bucketCases), []byte(id), c)
	if err != nil || !ok {
		return nil, nil, false, err
	}
	if _, err := getJSON(tx.Bucket(bucketCountyState), []byte(id), st); err != nil {
		return nil, nil, false, err
	}
	return c, st, true, nil
}

// mustLoadCase is loadCase with ENOTFOUND for an unknown case.
func mustLoadCase(tx *bbolt.Tx, id string) (*hecha.Case, *caseState, error) {
	c, st, found, err := loadCase(tx, id)
	if err == nil && !found {
		err = notFound("store.case_not_found", id)
	}
	return c, st, err
}

// saveCase writes a case and its state.
func saveCase(tx *bbolt.Tx, c *hecha.Case, st *caseState) error {
	if err := putJSON(tx.Bucket(bucketCases), []byte(c.ID), c); err != nil {
		return err
	}
	return putJSON(tx.Bucket(bucketCountyState), []byte(c.ID), st)
}

// setStatus moves a case's status index entry from old to status.
func setStatus(tx *bbolt.Tx, id string, old, status hecha.Status) error {
	idx := tx.Bucket(bucketCountyStatus)
	if old == status {
		return nil
	}
	if old != "" {
		if err := idx.Delete(key([]byte(old), []byte(id))); err != nil {
			return err
		}
	}
	return idx.Put(key([]byte(status), []byte(id)), nil)
}

// Cases returns the cases f selects, in id order. The unit, undistributed
// and status filters are answered from their index buckets; Kind and any
// second filter are checked on the cases the index yields.
func (db *DB) Cases(ctx context.Context, f hecha.CaseFilter) ([]hecha.Case, error) {
	var out []hecha.Case
	err := db.view(ctx, func(tx *bbolt.Tx) error {
		ids, sorted := candidateIDs(tx, f)
		if !sorted {
			slices.Sort(ids)
		}
		skip := f.Offset
		for _, id := range ids {
			if f.Limit > 0 && len(out) >= f.Limit {
				break
			}
			c, st, found, err := loadCase(tx, id)
			if err != nil {
				return err
			}
			if !found || !matches(c, st, f) {
				continue
			}
			if skip > 0 {
				skip--
				continue
			}
			out = append(out, *c)
		}
		return nil
	})
	return out, err
}

// candidateIDs returns the ids of the cases an index says f may select,
// and whether they are already in id order.
func candidateIDs(tx *bbolt.Tx, f hecha.CaseFilter) ([]string, bool) {
	var ids []string
	switch {
	case f.Undistributed:
		_ = tx.Bucket(bucketCountyUndistributed).ForEach(func(k, _ []byte) error {
			ids = append(ids, string(k))
			return nil
		})
		return ids, true
	case f.Unit != "":
		// Unit codes nest by prefix: 4101 is a prefix of every code under it.
		c := tx.Bucket(bucketCountyUnit).Cursor()
		p := []byte(f.Unit)
		for k, _ := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, _ = c.Next() {
			if i := bytes.IndexByte(k, sep); i >= 0 {
				ids = append(ids, string(k[i+1:]))
			}
		}
		return ids, false
	case f.Status != "":
		c := tx.Bucket(bucketCountyStatus).Cursor()
		p := prefix([]byte(f.Status))
		for k, _ := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, _ = c.Next() {
			ids = append(ids, string(k[len(p):]))
		}
		return ids, true
	}
	_ = tx.Bucket(bucketCountyState).ForEach(func(k, _ []byte) error {
		ids = append(ids, string(k))
		return nil
	})
	return ids, true
}

// matches reports whether a case passes every filter of f.
func matches(c *hecha.Case, st *caseState, f hecha.CaseFilter) bool {
	switch {
	case f.Undistributed && c.Unit != "":
		return false
	case f.Unit != "" && !c.Unit.Within(f.Unit):
		return false
	case f.Status != "" && st.Status != f.Status:
		return false
	case f.Kind != "" && c.Kind != f.Kind:
		return false
	}
	return true
}
