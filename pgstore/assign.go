package pgstore

import (
	"bytes"
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"

	"hecha"
)

// assignBatch is how many cases one transaction of Assign writes: a page
// of AutoAssign and AssignUnder.
const assignBatch = 2000

// compareCase runs the comparison for c at day precision against the
// county's registries, inside tx, and returns the candidates.
func compareCase(ctx context.Context, tx pgx.Tx, county hecha.Code, c *hecha.Case) ([]hecha.Candidate, error) {
	l := lookup{ctx: ctx, q: tx, county: county}
	cm, err := hecha.Compare(c, l, l, hecha.PrecisionDay)
	if err != nil {
		return nil, err
	}
	return cm.Candidates, nil
}

// candSrc returns the source and record id of a candidate.
func candSrc(cd hecha.Candidate) (string, string) {
	if cd.Floating != nil {
		return srcFloating, cd.Floating.ID
	}
	return srcResident, cd.RecordID()
}

// setCandidates attaches cands to c: c's old candidates leave oldTown's
// candidate index; the records found join the extract of c's township.
func setCandidates(ctx context.Context, tx pgx.Tx, l *changeLog, county hecha.Code, c *hecha.Case, cands []hecha.Candidate, oldTown hecha.Code) error {
	for _, cd := range c.Candidates {
		src, id := candSrc(cd)
		_, err := tx.Exec(ctx, `DELETE FROM hecha_reg_cand WHERE county = $1 AND src = $2 AND record_id = $3
			AND township = $4 AND case_id = $5`, string(county), src, id, string(oldTown), c.ID)
		if err != nil {
			return err
		}
	}
	c.Candidates = cands
	town := c.Unit.At(hecha.LevelTownship)
	if town == "" {
		return nil
	}
	for _, cd := range cands {
		src, id := candSrc(cd)
		_, err := tx.Exec(ctx, `INSERT INTO hecha_reg_cand (county, src, record_id, township, case_id)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, string(county), src, id, string(town), c.ID)
		if err != nil {
			return err
		}
		l.touchRecord(town, src, id)
	}
	return nil
}

// checkUnit checks that unit can be assigned cases and returns the county.
func (s *Store) checkUnit(unit hecha.Code) (hecha.Code, error) {
	if _, ok := s.rules.Divisions.Lookup(unit); !ok {
		return "", hecha.Errorf(hecha.ENOTFOUND, "unit", "county.unit_unknown", string(unit))
	}
	if l := unit.Level(); l != hecha.LevelTownship && l != hecha.LevelVillage {
		return "", hecha.Invalid("unit", "county.assign_level", string(unit))
	}
	county, err := s.needCounty("unit")
	if err != nil {
		return "", err
	}
	if !unit.Within(county) {
		return "", hecha.Invalid("unit", "county.outside", string(unit), string(county))
	}
	return county, nil
}

// Assign distributes the cases ids to unit (see hecha.CountyStore),
// assignBatch cases per transaction.
func (s *Store) Assign(ctx context.Context, ids []string, unit hecha.Code, by string) error {
	county, err := s.checkUnit(unit)
	if err != nil {
		return err
	}
	err = s.view(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT u.i FROM unnest($2::text[]) WITH ORDINALITY AS u(i, n)
			LEFT JOIN hecha_cases c ON c.county = $1 AND c.id = u.i WHERE c.id IS NULL ORDER BY u.n LIMIT 1`,
			string(county), ids)
		if err != nil {
			return err
		}
		missing, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
		if len(missing) > 0 {
			return hecha.Errorf(hecha.ENOTFOUND, "", "store.case_not_found", missing[0])
		}
		return nil
	})
	if err != nil {
		return err
	}
	_, err = s.assignEach(ctx, county, ids, func(*hecha.Case) hecha.Code { return unit }, by)
	return err
}

// AutoAssign assigns every undistributed case whose household division
// reaches township level within the county to that township, or village
// (see hecha.CountyStore). It reads the undistributed cases a page at a
// time, never all of them at once.
func (s *Store) AutoAssign(ctx context.Context, by string) (int, error) {
	county, err := s.needCounty("county")
	if err != nil {
		return 0, err
	}
	return s.assignUndistributed(ctx, county, by, func(c *hecha.Case) hecha.Code {
		hd := c.Person.HouseholdDivision
		if !hd.Within(county) {
			return ""
		}
		for _, u := range []hecha.Code{hd.At(hecha.LevelVillage), hd.At(hecha.LevelTownship)} {
			if _, ok := s.rules.Divisions.Lookup(u); ok && u != "" {
				return u
			}
		}
		return ""
	})
}

// AssignUnder assigns every undistributed case whose household division
// lies under from to the township or village to.
func (s *Store) AssignUnder(ctx context.Context, from, to hecha.Code, by string) (int, error) {
	county, err := s.checkUnit(to)
	if err != nil {
		return 0, err
	}
	if from == "" {
		return 0, hecha.Invalid("from", "division.required")
	}
	return s.assignUndistributed(ctx, county, by, func(c *hecha.Case) hecha.Code {
		if c.Person.HouseholdDivision.Within(from) {
			return to
		}
		return ""
	})
}

// assignUndistributed assigns each undistributed case to the unit pick
// returns for it, reading their ids a page at a time.
func (s *Store) assignUndistributed(ctx context.Context, county hecha.Code, by string, pick func(*hecha.Case) hecha.Code) (int, error) {
	total, after := 0, ""
	for {
		rows, err := s.pool.Query(ctx, `SELECT id FROM hecha_cases WHERE county = $1 AND unit = '' AND id > $2
			ORDER BY id LIMIT $3`, string(county), after, assignBatch)
		if err != nil {
			return total, s.dbErr(err)
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return total, s.dbErr(err)
		}
		if len(ids) == 0 {
			return total, nil
		}
		after = ids[len(ids)-1]
		n, err := s.assignEach(ctx, county, ids, pick, by)
		total += n
		if err != nil {
			return total, err
		}
	}
}

// assignEach assigns each case of ids to the unit pick returns for it,
// assignBatch per transaction, and returns how many it changed. Each
// transaction is a handful of round trips, whatever its number of cases:
// its cases read and locked in one query, the registry records their
// comparisons need in one batch, its writes in another.
func (s *Store) assignEach(ctx context.Context, county hecha.Code, ids []string, pick func(*hecha.Case) hecha.Code, by string) (int, error) {
	total := 0
	for start := 0; start < len(ids); start += assignBatch {
		chunk := ids[start:min(start+assignBatch, len(ids))]
		n := 0
		err := s.tx(ctx, func(tx pgx.Tx) error {
			n = 0
			l := &changeLog{county: county}
			now := s.now()
			cases, states, err := loadCasesLocked(ctx, tx, county, chunk)
			if err != nil {
				return err
			}
			// The cases to assign, each once (a case named twice is
			// assigned the first time), and the lookups of their
			// comparisons.
			type todo struct {
				c    *hecha.Case
				st   *caseState
				unit hecha.Code
			}
			var work []todo
			done := make(map[string]bool, len(chunk))
			keys := newRegKeys()
			for _, id := range chunk {
				c, st := cases[id], states[id]
				if c == nil {
					return hecha.Errorf(hecha.ENOTFOUND, "", "store.case_not_found", id)
				}
				if done[id] {
					continue
				}
				done[id] = true
				unit := pick(c)
				if unit == "" {
					continue
				}
				if err := keys.add(c); err != nil {
					return err
				}
				work = append(work, todo{c, st, unit})
			}
			reg, err := prefetch(ctx, tx, county, keys)
			if err != nil {
				return err
			}
			w := &pageWrites{}
			for _, t := range work {
				changed, err := assignCase(reg, w, l, t.c, t.st, t.unit, by, now)
				if err != nil {
					return err
				}
				if changed {
					n++
				}
			}
			if err := w.flush(ctx, tx); err != nil {
				return err
			}
			return l.flush(ctx, tx)
		})
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}

// assignCase assigns one case to unit, comparing it against reg and
// adding its writes to w, and reports whether anything changed, as
// store's assignCase does.
func assignCase(reg *pageRegistry, w *pageWrites, l *changeLog, c *hecha.Case, st *caseState, unit hecha.Code, by string, now time.Time) (bool, error) {
	oldUnit := c.Unit
	oldTown, newTown := oldUnit.At(hecha.LevelTownship), unit.At(hecha.LevelTownship)
	c.Unit = unit
	cm, err := hecha.Compare(c, reg, reg, hecha.PrecisionDay)
	if err != nil {
		return false, err
	}
	cands := cm.Candidates
	if oldUnit == unit && sameJSON(cands, c.Candidates) {
		return false, nil
	}
	// The old candidates leave oldTown's candidate index; the new ones
	// join the new township's, and its registry extract (setCandidates).
	for _, cd := range c.Candidates {
		src, id := candSrc(cd)
		w.candDel.add(st.county, src, id, oldTown, c.ID)
	}
	c.Candidates = cands
	if newTown != "" {
		for _, cd := range cands {
			src, id := candSrc(cd)
			w.candIns.add(st.county, src, id, newTown, c.ID)
			l.touchRecord(newTown, src, id)
		}
	}
	c.Rev++
	c.UpdatedAt = now
	c.Assignment = &hecha.Assignment{Unit: unit, At: now, By: by}
	if oldTown != newTown {
		st.assignRev = c.Rev
		if oldTown != "" && st.inForce != "" {
			n := hecha.ConflictNotice{CaseID: c.ID, From: oldUnit, To: unit, ResultID: st.inForce, At: now}
			if err := w.conflict(oldTown, st.county, &n); err != nil {
				return false, err
			}
			st.inForce = ""
			st.status = hecha.StatusPending
		}
		l.touchCase(oldTown, c.ID, "")
	}
	l.touchCase(newTown, c.ID, "")
	return true, w.saveCase(c, st)
}

// sameJSON reports whether a and b encode to the same JSON.
func sameJSON(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(x, y)
}

// Conflicts returns the conflict notices recorded for township, in case
// id order.
func (s *Store) Conflicts(ctx context.Context, township hecha.Code) ([]hecha.ConflictNotice, error) {
	var out []hecha.ConflictNotice
	err := s.view(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT data FROM hecha_conflicts WHERE township = $1 AND ($2 = '' OR county = $2)
			ORDER BY case_id`, string(township), s.scopeArg())
		if err != nil {
			return err
		}
		datas, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
		if err != nil {
			return err
		}
		out = nil
		for _, d := range datas {
			var n hecha.ConflictNotice
			if err := json.Unmarshal(d, &n); err != nil {
				return err
			}
			out = append(out, n)
		}
		return nil
	})
	return out, err
}

// UnitCounts returns how many cases of the store's county (every
// county's when it has none) each unit holds, the undistributed ones
// under "", from the cases' unit column: the counts the assign command
// reports, without reading a case.
func (s *Store) UnitCounts(ctx context.Context) (map[hecha.Code]int, error) {
	var out map[hecha.Code]int
	err := s.view(ctx, func(tx pgx.Tx) error {
		out = map[hecha.Code]int{}
		rows, err := tx.Query(ctx, `SELECT unit, count(*) FROM hecha_cases WHERE `+countyCond("county", s.county)+`
			GROUP BY unit`, s.scopeArg())
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var unit string
			var n int64
			if err := rows.Scan(&unit, &n); err != nil {
				return err
			}
			out[hecha.Code(unit)] = int(n)
		}
		return rows.Err()
	})
	return out, err
}
