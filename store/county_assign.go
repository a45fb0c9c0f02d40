package store

import (
	"bytes"
	"context"
	"encoding/json"

	"go.etcd.io/bbolt"

	"hecha"
)

// Assign distributes the cases ids to unit, a township or village of the
// county: for each case it runs the comparison at day precision against the
// county's registries and attaches the candidates, sets Unit and
// Assignment, bumps Rev and puts the case in the township's changes. A
// case taken from another township is put in that township's changes too;
// if that township had a result in force, a conflict notice is recorded for
// it and the case is pending again. Assigning a case again to the same
// unit only refreshes its candidates, and changes nothing if they are the
// same. Cases are written importBatch per transaction.
//
// Errors: ENOTFOUND for an unknown unit or case (nothing is written);
// EINVALID about "unit" for a unit above township level (county.assign_level)
// or outside the county, or when no county is set.
func (db *CountyDB) Assign(ctx context.Context, ids []string, unit hecha.Code, by string) error {
	if err := db.checkUnit(ctx, unit); err != nil {
		return err
	}
	err := db.view(ctx, func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketCases)
		for _, id := range ids {
			if b.Get([]byte(id)) == nil {
				return notFound("store.case_not_found", id)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	_, err = db.assignEach(ctx, ids, func(*hecha.Case) hecha.Code { return unit }, by)
	return err
}

// checkUnit checks that unit can be assigned cases.
func (db *CountyDB) checkUnit(ctx context.Context, unit hecha.Code) error {
	if _, ok := db.rules.Divisions.Lookup(unit); !ok {
		return hecha.Errorf(hecha.ENOTFOUND, "unit", "county.unit_unknown", string(unit))
	}
	if l := unit.Level(); l != hecha.LevelTownship && l != hecha.LevelVillage {
		return hecha.Invalid("unit", "county.assign_level", string(unit))
	}
	county, err := db.County(ctx)
	if err != nil {
		return err
	}
	if county == "" {
		return hecha.Invalid("unit", "county.no_county")
	}
	if !unit.Within(county) {
		return hecha.Invalid("unit", "county.outside", string(unit), string(county))
	}
	return nil
}

// AutoAssign assigns every undistributed case whose household division
// reaches township level within the county to that township, or to the
// village when it reaches village level and the table knows the village.
// It returns how many cases it assigned.
//
// Errors: EINVALID when no county is set.
func (db *CountyDB) AutoAssign(ctx context.Context, by string) (int, error) {
	county, err := db.County(ctx)
	if err != nil {
		return 0, err
	}
	if county == "" {
		return 0, hecha.Invalid("county", "county.no_county")
	}
	return db.assignUndistributed(ctx, by, func(c *hecha.Case) hecha.Code {
		hd := c.Person.HouseholdDivision
		if !hd.Within(county) {
			return ""
		}
		for _, u := range []hecha.Code{hd.At(hecha.LevelVillage), hd.At(hecha.LevelTownship)} {
			if _, ok := db.rules.Divisions.Lookup(u); ok && u != "" {
				return u
			}
		}
		return ""
	})
}

// AssignUnder assigns every undistributed case whose household division
// lies under from (a division of any level) to the township or village to.
// It returns how many cases it assigned.
//
// Errors: as Assign for to.
func (db *CountyDB) AssignUnder(ctx context.Context, from, to hecha.Code, by string) (int, error) {
	if err := db.checkUnit(ctx, to); err != nil {
		return 0, err
	}
	if from == "" {
		return 0, hecha.Invalid("from", "division.required")
	}
	return db.assignUndistributed(ctx, by, func(c *hecha.Case) hecha.Code {
		if c.Person.HouseholdDivision.Within(from) {
			return to
		}
		return ""
	})
}

// assignUndistributed assigns each undistributed case to the unit pick
// returns for it ("" leaves it alone). It walks the undistributed set
// a batch of cases per transaction, each batch taken after the last case
// of the one before, so it holds one batch whatever the number of cases,
// and gives the pages of the file it read back to the kernel between
// batches (releaseMapped) so they do not pile up in the process either.
func (db *CountyDB) assignUndistributed(ctx context.Context, by string, pick func(*hecha.Case) hecha.Code) (int, error) {
	// Smaller than importBatch: each case's comparison reads registry
	// pages all over the file, and they stay resident until the batch
	// ends (5,000 cases held some 400 MB of the file at 300k cases).
	const batch = 1000
	total := 0
	var after []byte
	for {
		n, done := 0, false
		err := db.update(ctx, func(tx *bbolt.Tx) error {
			n = 0
			// Take the batch's ids before assigning: assigning deletes
			// from the set the cursor walks.
			ids := make([]string, 0, batch)
			cur := tx.Bucket(bucketCountyUndistributed).Cursor()
			k, _ := cur.First()
			if after != nil {
				if k, _ = cur.Seek(after); bytes.Equal(k, after) {
					k, _ = cur.Next()
				}
			}
			for ; k != nil && len(ids) < batch; k, _ = cur.Next() {
				ids = append(ids, string(k))
			}
			done = k == nil
			var err error
			if n, err = db.assignIDs(tx, ids, pick, by); err != nil {
				return err
			}
			if len(ids) > 0 {
				after = []byte(ids[len(ids)-1])
			}
			return nil
		})
		if err != nil {
			return total, err
		}
		total += n
		db.releaseMapped()
		if done {
			return total, nil
		}
	}
}

// assignEach assigns each case of ids to the unit pick returns for it,
// importBatch cases per transaction, and returns how many it changed.
func (db *CountyDB) assignEach(ctx context.Context, ids []string, pick func(*hecha.Case) hecha.Code, by string) (int, error) {
	total := 0
	for start := 0; start < len(ids); start += importBatch {
		chunk := ids[start:min(start+importBatch, len(ids))]
		n := 0
		err := db.update(ctx, func(tx *bbolt.Tx) error {
			var err error
			n, err = db.assignIDs(tx, chunk, pick, by)
			return err
		})
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}

// assignIDs assigns each case of ids to the unit pick returns for it ("" leaves
// it alone) in tx, and returns how many it changed.
func (db *CountyDB) assignIDs(tx *bbolt.Tx, ids []string, pick func(*hecha.Case) hecha.Code, by string) (int, error) {
	n := 0
	for _, id := range ids {
		c, st, err := mustLoadCase(tx, id)
		if err != nil {
			return n, err
		}
		unit := pick(c)
		if unit == "" {
			continue
		}
		changed, err := db.assignCase(tx, c, st, unit, by)
		if err != nil {
			return n, err
		}
		if changed {
			n++
		}
	}
	return n, nil
}

// assignCase assigns one case to unit and reports whether anything changed.
func (db *CountyDB) assignCase(tx *bbolt.Tx, c *hecha.Case, st *caseState, unit hecha.Code, by string) (bool, error) {
	oldUnit := c.Unit
	oldTown, newTown := oldUnit.At(hecha.LevelTownship), unit.At(hecha.LevelTownship)
	c.Unit = unit
	cands, err := compareCase(tx, c)
	if err != nil {
		return false, err
	}
	if oldUnit == unit && sameJSON(cands, c.Candidates) {
		return false, nil
	}
	if err := setCandidates(tx, c, cands, oldTown); err != nil {
		return false, err
	}
	now := db.now()
	c.Rev++
	c.UpdatedAt = now
	c.Assignment = &hecha.Assignment{Unit: unit, At: now, By: by}
	if oldTown != newTown {
		st.AssignRev = c.Rev
		if oldTown != "" && st.InForce != "" {
			n := hecha.ConflictNotice{CaseID: c.ID, From: oldUnit, To: unit, ResultID: st.InForce, At: now}
			if err := putJSON(tx.Bucket(bucketCountyConflicts), key([]byte(oldTown), []byte(c.ID)), &n); err != nil {
				return false, err
			}
			st.InForce = ""
			if err := setStatus(tx, c.ID, st.Status, hecha.StatusPending); err != nil {
				return false, err
			}
			st.Status = hecha.StatusPending
		}
		if err := touchCase(tx, c.ID, oldTown); err != nil {
			return false, err
		}
	}
	if err := moveUnit(tx, c.ID, oldUnit, unit); err != nil {
		return false, err
	}
	if err := touchCase(tx, c.ID, newTown); err != nil {
		return false, err
	}
	return true, saveCase(tx, c, st)
}

// moveUnit moves a case's unit index entry, and its place in the
// undistributed set.
func moveUnit(tx *bbolt.Tx, id string, from, to hecha.Code) error {
	if from == to {
		return nil
	}
	idx, und := tx.Bucket(bucketCountyUnit), tx.Bucket(bucketCountyUndistributed)
	if from != "" {
		if err := idx.Delete(key([]byte(from), []byte(id))); err != nil {
			return err
		}
	} else if err := und.Delete([]byte(id)); err != nil {
		return err
	}
	if to == "" {
		return und.Put([]byte(id), nil)
	}
	return idx.Put(key([]byte(to), []byte(id)), nil)
}

// sameJSON reports whether a and b encode to the same JSON.
func sameJSON(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(x, y)
}

// Conflicts returns the conflict notices recorded for township, in case id
// order.
func (db *CountyDB) Conflicts(ctx context.Context, township hecha.Code) ([]hecha.ConflictNotice, error) {
	var out []hecha.ConflictNotice
	err := db.view(ctx, func(tx *bbolt.Tx) error {
		c := tx.Bucket(bucketCountyConflicts).Cursor()
		p := prefix([]byte(township))
		for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
			var n hecha.ConflictNotice
			if err := json.Unmarshal(v, &n); err != nil {
				return err
			}
			out = append(out, n)
		}
		return nil
	})
	return out, err
}

// UnitCounts returns how many cases each unit holds, the undistributed
// ones under "", from the unit index and the undistributed set: the
// counts the assign command reports, without reading a case.
func (db *CountyDB) UnitCounts(ctx context.Context) (map[hecha.Code]int, error) {
	var out map[hecha.Code]int
	err := db.view(ctx, func(tx *bbolt.Tx) error {
		out = map[hecha.Code]int{}
		// The index is in unit order: count a unit's run of keys.
		var unit []byte
		run := 0
		c := tx.Bucket(bucketCountyUnit).Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			i := bytes.IndexByte(k, sep)
			if i < 0 {
				continue
			}
			if !bytes.Equal(k[:i], unit) {
				if run > 0 {
					out[hecha.Code(unit)] += run
				}
				unit, run = append(unit[:0], k[:i]...), 0
			}
			run++
		}
		if run > 0 {
			out[hecha.Code(unit)] += run
		}
		if n := tx.Bucket(bucketCountyUndistributed).Stats().KeyN; n > 0 {
			out[""] = n
		}
		return nil
	})
	return out, err
}
