package store

import (
	"bytes"
	"context"
	"fmt"
	"slices"

	"go.etcd.io/bbolt"

	"hecha"
	"hecha/internal/codec"
)

// CountyDB implements the county contract.
var _ hecha.CountyStore = (*CountyDB)(nil)

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

// SetCounty sets the county this database serves: a county-level code of
// the division table. Assignments and tokens must lie within it.
//
// Errors: EINVALID about "county" for a code not at county level; ENOTFOUND
// for a code the table does not know.
func (db *CountyDB) SetCounty(ctx context.Context, code hecha.Code) error {
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
func (db *CountyDB) County(ctx context.Context) (hecha.Code, error) {
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

// loadCase reads a case and its state; found is false when the case is
// unknown.
func loadCase(tx *bbolt.Tx, id string) (c *hecha.Case, st *caseState, found bool, err error) {
	c, st = new(hecha.Case), new(caseState)
	data, err := getValue(tx, bucketCases, []byte(id))
	if err != nil || data == nil {
		return nil, nil, false, err
	}
	if err := codec.DecodeCase(data, c); err != nil {
		return nil, nil, false, errDecode(tx, bucketCases, id, err)
	}
	if data := tx.Bucket(bucketCountyState).Get([]byte(id)); data != nil {
		if err := decodeState(data, st); err != nil {
			return nil, nil, false, errDecode(tx, bucketCountyState, id, err)
		}
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
	data, err := codec.EncodeCase(c)
	if err != nil {
		return err
	}
	if err := putValue(tx, bucketCases, []byte(c.ID), data); err != nil {
		return err
	}
	if data, err = encodeState(st); err != nil {
		return fmt.Errorf("encode case state %s: %w", c.ID, err)
	}
	return tx.Bucket(bucketCountyState).Put([]byte(c.ID), data)
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
func (db *CountyDB) Cases(ctx context.Context, f hecha.CaseFilter) ([]hecha.Case, error) {
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
