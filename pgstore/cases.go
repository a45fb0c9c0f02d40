package pgstore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"

	"hecha"
)

// importBatch is how many cases one transaction of ImportCases writes.
const importBatch = 10000

// prepareChunk is how many cases one goroutine of ImportCases prepares at
// a time.
const prepareChunk = 512

// decodeCase decodes a stored case.
func decodeCase(data []byte) (*hecha.Case, error) {
	c := new(hecha.Case)
	if err := json.Unmarshal(data, c); err != nil {
		return nil, fmt.Errorf("decode case: %w", err)
	}
	return c, nil
}

// caseState is the county's bookkeeping of one case, from its row.
type caseState struct {
	county     hecha.Code
	status     hecha.Status
	contentRev int
	assignRev  int
	inForce    string
	importHash []byte
}

// ImportCases normalises and validates every case, then inserts or
// updates them by id, importBatch per transaction: one query finds which
// of the batch's cases are known (and their content hashes), the new ones
// go into the table with one COPY, and the known ones whose content
// changed are updated one by one (see hecha.CountyStore). A COPY straight
// into the table, rather than into a staging table and from there,
// writes each new row once.
//
// A case goes to the store's county or, on a store scoped to none, to the
// county of its household division.
//
// Errors: EINVALID as store's ImportCases.
func (s *Store) ImportCases(ctx context.Context, cases []hecha.Case) (hecha.ImportStats, error) {
	var stats hecha.ImportStats
	now := s.now()
	type prepared struct {
		c    hecha.Case
		hash []byte
		data []byte
	}
	in := make([]prepared, len(cases))
	errs := make([]error, len(cases))
	prepare := func(i int) error {
		p := &in[i]
		if err := hecha.CheckID("id", cases[i].ID); err != nil {
			return err
		}
		p.c = hecha.Case{ID: cases[i].ID, Rev: 1, UpdatedAt: now}
		p.c.SetContent(&cases[i])
		p.c.Person.Members = slices.Clone(p.c.Person.Members)
		for _, b := range []**hecha.Basic{&p.c.Resident, &p.c.Outflow} {
			if *b != nil {
				v := **b
				*b = &v
			}
		}
		p.c.Normalize()
		if err := p.c.Validate(s.rules); err != nil {
			return err
		}
		var err error
		if p.hash, err = p.c.ContentHash(); err != nil {
			return err
		}
		p.data, err = json.Marshal(&p.c)
		return err
	}
	// Prepared on every processor, in chunks taken in order.
	var next atomic.Int64
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				from := int(next.Add(prepareChunk)) - prepareChunk
				if from >= len(cases) {
					return
				}
				for i := from; i < min(from+prepareChunk, len(cases)); i++ {
					errs[i] = prepare(i)
				}
			}
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err == nil {
			continue
		}
		if hecha.ErrorCode(err) != hecha.EINVALID {
			return stats, err
		}
		list := hecha.Errors{hecha.Invalid("", "county.case_invalid", cases[i].ID)}
		list.Add(err)
		return stats, list
	}
	// The cases by county, each county's in the order given.
	byCounty := map[hecha.Code][]prepared{}
	for i := range in {
		c := s.rowCounty(in[i].c.Person.HouseholdDivision)
		byCounty[c] = append(byCounty[c], in[i])
	}
	for _, county := range sortedKeys(byCounty) {
		in := byCounty[county]
		for start := 0; start < len(in); {
			// A batch ends before a second case with the same id, so that
			// the batch holds each case once.
			seen := map[string]bool{}
			end := start
			for end < len(in) && end-start < importBatch && !seen[in[end].c.ID] {
				seen[in[end].c.ID] = true
				end++
			}
			batch := in[start:end]
			var s1 hecha.ImportStats
			ids := make([]string, len(batch))
			for i := range batch {
				ids[i] = batch[i].c.ID
			}
			err := s.txRetry(ctx, true, func(tx pgx.Tx) error {
				s1 = hecha.ImportStats{}
				// The cases already known, with the hash of their content.
				rows, err := tx.Query(ctx, `SELECT id, import_hash FROM hecha_cases WHERE county = $1 AND id = ANY($2::text[])`,
					string(county), ids)
				if err != nil {
					return err
				}
				known := map[string][]byte{}
				for rows.Next() {
					var id string
					var hash []byte
					if err := rows.Scan(&id, &hash); err != nil {
						rows.Close()
						return err
					}
					known[id] = hash
				}
				rows.Close()
				if err := rows.Err(); err != nil {
					return err
				}
				// The new ones go into the table with one COPY; another
				// process adding one of them first makes it fail with a
				// unique violation, and the transaction runs again.
				var fresh []*prepared
				var changed [][]byte
				var adoptIDs []string
				var adoptHashes [][]byte
				for i := range batch {
					p := &batch[i]
					hash, ok := known[p.c.ID]
					switch {
					case !ok:
						fresh = append(fresh, p)
					case len(hash) != len(p.hash):
						// A hash another store made (a copied county): this
						// import is taken as unchanged and its hash kept, so
						// that the next one compares.
						adoptIDs, adoptHashes = append(adoptIDs, p.c.ID), append(adoptHashes, p.hash)
					case !bytes.Equal(hash, p.hash):
						changed = append(changed, p.data)
					}
				}
				if len(adoptIDs) > 0 {
					_, err := tx.Exec(ctx, `UPDATE hecha_cases c SET import_hash = u.h FROM unnest($2::text[], $3::bytea[]) AS u(i, h)
						WHERE c.county = $1 AND c.id = u.i`, string(county), adoptIDs, adoptHashes)
					if err != nil {
						return err
					}
				}
				_, err = tx.CopyFrom(ctx, pgx.Identifier{"hecha_cases"},
					[]string{"county", "id", "kind", "household", "status", "content_rev", "import_hash", "data"},
					pgx.CopyFromSlice(len(fresh), func(i int) ([]any, error) {
						p := fresh[i]
						return []any{string(county), p.c.ID, string(p.c.Kind), string(p.c.Person.HouseholdDivision),
							string(hecha.StatusPending), 1, p.hash, p.data}, nil
					}))
				if err != nil {
					return err
				}
				s1.Added = len(fresh)
				l := &changeLog{county: county}
				for _, data := range changed {
					if err := s.importChanged(ctx, tx, l, county, data, now); err != nil {
						return err
					}
				}
				s1.Changed = len(changed)
				s1.Unchanged = len(batch) - s1.Added - s1.Changed
				return l.flush(ctx, tx)
			})
			if err != nil {
				return stats, err
			}
			stats.Added += s1.Added
			stats.Changed += s1.Changed
			stats.Unchanged += s1.Unchanged
			start = end
		}
	}
	return stats, nil
}

// importChanged gives a known case the new content of in (a prepared
// case's JSON): the next Rev, UpdatedAt and, when assigned, fresh
// candidates and a place in its township's changes.
func (s *Store) importChanged(ctx context.Context, tx pgx.Tx, l *changeLog, county hecha.Code, data []byte, now time.Time) error {
	in, err := decodeCase(data)
	if err != nil {
		return err
	}
	c, st, err := loadCase(ctx, tx, county, in.ID, true)
	if err != nil {
		return err
	}
	c.SetContent(in)
	c.Rev++
	c.UpdatedAt = now
	st.contentRev = c.Rev
	st.importHash, err = in.ContentHash()
	if err != nil {
		return err
	}
	if c.Unit != "" {
		town := c.Unit.At(hecha.LevelTownship)
		cands, err := compareCase(ctx, tx, county, c)
		if err != nil {
			return err
		}
		if err := setCandidates(ctx, tx, l, county, c, cands, town); err != nil {
			return err
		}
		l.touchCase(town, c.ID, "")
	}
	return saveCase(ctx, tx, c, st)
}

// loadCase reads a case and its state, locking the row when lock is set.
// A case id is unique within its county only: with no county (a store
// scoped to the province) the id must be in one county.
//
// Errors: ENOTFOUND; EINVALID (pgstore.case_ambiguous) for an id in
// several counties and no county.
func loadCase(ctx context.Context, tx pgx.Tx, county hecha.Code, id string, lock bool) (*hecha.Case, *caseState, error) {
	if county == "" {
		var err error
		if county, err = caseCounty(ctx, tx, id); err != nil {
			return nil, nil, err
		}
	}
	q := `SELECT county, status, content_rev, assign_rev, in_force, import_hash, data FROM hecha_cases
		WHERE county = $1 AND id = $2`
	if lock {
		q += ` FOR UPDATE`
	}
	st := new(caseState)
	var data []byte
	var c, status string
	err := tx.QueryRow(ctx, q, string(county), id).Scan(&c, &status, &st.contentRev, &st.assignRev, &st.inForce, &st.importHash, &data)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil, hecha.Errorf(hecha.ENOTFOUND, "", "store.case_not_found", id)
	}
	if err != nil {
		return nil, nil, err
	}
	st.county, st.status = hecha.Code(c), hecha.Status(status)
	cs, err := decodeCase(data)
	return cs, st, err
}

// saveCase writes a case and its state.
func saveCase(ctx context.Context, tx pgx.Tx, c *hecha.Case, st *caseState) error {
	data, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("encode case %s: %w", c.ID, err)
	}
	_, err = tx.Exec(ctx, `UPDATE hecha_cases SET kind = $3, unit = $4, township = $5, household = $6, status = $7,
		content_rev = $8, assign_rev = $9, in_force = $10, import_hash = $11, data = $12
		WHERE county = $1 AND id = $2`,
		string(st.county), c.ID, string(c.Kind), string(c.Unit), string(c.Unit.At(hecha.LevelTownship)),
		string(c.Person.HouseholdDivision), string(st.status), st.contentRev, st.assignRev, st.inForce, st.importHash, data)
	return err
}

// Case returns one case of the store's county.
//
// Errors: ENOTFOUND.
func (s *Store) Case(ctx context.Context, id string) (*hecha.Case, error) {
	var c *hecha.Case
	err := s.view(ctx, func(tx pgx.Tx) error {
		var err error
		c, _, err = loadCase(ctx, tx, s.county, id, false)
		return err
	})
	return c, err
}

// caseWhere returns the SQL condition (on table alias c) and arguments,
// from $2 on ($1 is the scope), that select f's cases.
func caseWhere(county hecha.Code, f hecha.CaseFilter) (string, []any) {
	where := countyCond("c.county", county)
	var args []any
	add := func(cond string, arg any) {
		args = append(args, arg)
		where += fmt.Sprintf(" AND "+cond, len(args)+1)
	}
	if f.Undistributed {
		where += ` AND c.unit = ''`
	}
	if f.Unit != "" {
		add(`substr(c.unit, 1, length($%[1]d)) = $%[1]d`, string(f.Unit))
	}
	if f.Status != "" {
		add(`c.status = $%d`, string(f.Status))
	}
	if f.Kind != "" {
		add(`c.kind = $%d`, string(f.Kind))
	}
	return where, args
}

// Cases returns the cases f selects, in id order (on a store scoped to no
// county, by county, then id).
func (s *Store) Cases(ctx context.Context, f hecha.CaseFilter) ([]hecha.Case, error) {
	where, args := caseWhere(s.county, f)
	q := `SELECT c.data FROM hecha_cases c WHERE ` + where + ` ORDER BY c.county, c.id`
	if f.Offset > 0 {
		q += fmt.Sprintf(" OFFSET %d", f.Offset)
	}
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	var out []hecha.Case
	err := s.view(ctx, func(tx pgx.Tx) error {
		out = nil
		rows, err := tx.Query(ctx, q, append([]any{s.scopeArg()}, args...)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var data []byte
			if err := rows.Scan(&data); err != nil {
				return err
			}
			c, err := decodeCase(data)
			if err != nil {
				return err
			}
			out = append(out, *c)
		}
		return rows.Err()
	})
	return out, err
}

// caseResultsPage is how many cases CaseResults reads per query.
const caseResultsPage = 500

// CaseResults calls fn with every case f selects and its result in force,
// in case id order (on a store scoped to no county, by county, then id),
// a page at a time, each page found from the primary key where the last
// ended; fn runs outside any transaction.
func (s *Store) CaseResults(ctx context.Context, f hecha.CaseFilter, fn func(c *hecha.Case, inForce *hecha.Result) error) error {
	where, args := caseWhere(s.county, f)
	afterArg := len(args) + 2
	q := fmt.Sprintf(`SELECT c.county, c.id, c.data, r.data FROM hecha_cases c
		LEFT JOIN hecha_results r ON c.in_force <> '' AND r.id = c.in_force
		WHERE %s AND (c.county, c.id) > ($%d, $%d) ORDER BY c.county, c.id LIMIT %d`,
		where, afterArg, afterArg+1, caseResultsPage)
	type pair struct {
		c *hecha.Case
		r *hecha.Result
	}
	afterID, afterCounty := "", ""
	for {
		var page []pair
		rows, err := s.pool.Query(ctx, q, append(append([]any{s.scopeArg()}, args...), afterCounty, afterID)...)
		if err != nil {
			return s.dbErr(err)
		}
		for rows.Next() {
			var county, id string
			var cdata, rdata []byte
			if err := rows.Scan(&county, &id, &cdata, &rdata); err != nil {
				rows.Close()
				return err
			}
			afterID, afterCounty = id, county
			c, err := decodeCase(cdata)
			if err != nil {
				rows.Close()
				return err
			}
			p := pair{c: c}
			if rdata != nil {
				p.r = new(hecha.Result)
				if err := json.Unmarshal(rdata, p.r); err != nil {
					rows.Close()
					return fmt.Errorf("decode result of case %s: %w", id, err)
				}
			}
			page = append(page, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return s.dbErr(err)
		}
		for _, p := range page {
			if err := fn(p.c, p.r); err != nil {
				return err
			}
		}
		if len(page) < caseResultsPage {
			return nil
		}
	}
}
