package pgstore

import (
	"bytes"
	"context"
	"crypto/sha256"
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
	"hecha/internal/codec"
)

// importBatch is how many cases one transaction of ImportCases writes.
const importBatch = 10000

// prepareChunk is how many cases one goroutine of ImportCases prepares at
// a time.
const prepareChunk = 512

// importAhead is how many batches ImportCases encodes ahead of the one it
// is writing.
const importAhead = 2

// decodeCase decodes a stored case: the binary layout of package codec,
// as cases are written since schema version 4, or JSON, as they were
// written before (a '{', which no layout version is). A case written as
// JSON is written in binary the next time it changes. A row that decodes
// neither way is EINTERNAL.
func decodeCase(data []byte) (*hecha.Case, error) {
	c := new(hecha.Case)
	var err error
	if storedAsJSON(data) {
		err = json.Unmarshal(data, c)
	} else {
		err = codec.DecodeCase(data, c)
	}
	if err != nil {
		// A damaged row, not a lost connection (see dbErr).
		return nil, &hecha.Error{Code: hecha.EINTERNAL, Detail: "decode stored case: " + err.Error()}
	}
	return c, nil
}

// storedAsJSON reports whether a stored case is JSON, as schema versions
// before 4 wrote every case, rather than the codec's binary layout.
func storedAsJSON(data []byte) bool { return len(data) > 0 && data[0] == '{' }

// encodeCase returns the stored form of a case (see decodeCase).
func encodeCase(c *hecha.Case) ([]byte, error) {
	data, err := codec.EncodeCase(c)
	if err != nil {
		return nil, fmt.Errorf("encode case %s: %w", c.ID, err)
	}
	return data, nil
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

// onEveryProc calls fn(i) for every i below n, on every processor, in
// chunks of prepareChunk taken in order.
func onEveryProc(n int, fn func(i int)) { onProcs(runtime.GOMAXPROCS(0), n, fn) }

// onProcs calls fn(i) for every i below n, on procs goroutines, in chunks
// of prepareChunk taken in order.
func onProcs(procs, n int, fn func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range procs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				from := int(next.Add(prepareChunk)) - prepareChunk
				if from >= n {
					return
				}
				for i := from; i < min(from+prepareChunk, n); i++ {
					fn(i)
				}
			}
		}()
	}
	wg.Wait()
}

// importBatchOf is one transaction of ImportCases: the positions of its
// cases in the import, all of one county, and once ready is closed, their
// content hashes and JSON (or the error encoding them).
type importBatchOf struct {
	county hecha.Code
	idx    []int
	fresh  bool // the county had no cases when the import began
	hash   [][]byte
	data   [][]byte
	err    error
	ready  chan struct{}
}

// ImportCases normalises and validates every case, then inserts or
// updates them by id, importBatch per transaction: one query finds which
// of the batch's cases are known (and their content hashes), the new ones
// go into the table with one COPY, and the known ones whose content
// changed are updated one by one (see hecha.CountyStore). A COPY straight
// into the table, rather than into a staging table and from there,
// writes each new row once.
//
// Every case is validated before anything is written. The content hashes
// and JSON, the larger part of the work in Go, are computed a few batches
// ahead of the one being written, so that they overlap the database's
// work instead of adding to it; only the batches ahead are held encoded. A county that had no cases when the import
// began skips the query for known cases: the COPY then meets a case
// already there only when another process added it meanwhile or the
// import names it twice, and that fails the transaction with a unique
// violation, which runs it again with the query.
//
// A case goes to the store's county or, on a store scoped to none, to the
// county of its household division.
//
// Errors: EINVALID as store's ImportCases.
func (s *Store) ImportCases(ctx context.Context, cases []hecha.Case) (hecha.ImportStats, error) {
	var stats hecha.ImportStats
	now := s.now()
	in := make([]hecha.Case, len(cases))
	errs := make([]error, len(cases))
	onEveryProc(len(cases), func(i int) {
		p := &in[i]
		if err := hecha.CheckID("id", cases[i].ID); err != nil {
			errs[i] = err
			return
		}
		*p = hecha.Case{ID: cases[i].ID, Rev: 1, UpdatedAt: now}
		p.SetContent(&cases[i])
		p.Person.Members = slices.Clone(p.Person.Members)
		for _, b := range []**hecha.Basic{&p.Resident, &p.Outflow} {
			if *b != nil {
				v := **b
				*b = &v
			}
		}
		p.Normalize()
		errs[i] = p.Validate(s.rules)
	})
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
	// The cases by county, each county's in the order given, cut into
	// batches.
	byCounty := map[hecha.Code][]int{}
	for i := range in {
		c := s.rowCounty(in[i].Person.HouseholdDivision)
		byCounty[c] = append(byCounty[c], i)
	}
	var batches []*importBatchOf
	for _, county := range sortedKeys(byCounty) {
		var fresh bool
		err := s.view(ctx, func(tx pgx.Tx) error {
			var known bool
			err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM hecha_cases WHERE county = $1)`, string(county)).Scan(&known)
			fresh = !known
			return err
		})
		if err != nil {
			return stats, err
		}
		idx := byCounty[county]
		for start := 0; start < len(idx); {
			// A batch ends before a second case with the same id, so that
			// the batch holds each case once.
			seen := map[string]bool{}
			end := start
			for end < len(idx) && end-start < importBatch && !seen[in[idx[end]].ID] {
				seen[in[idx[end]].ID] = true
				end++
			}
			batches = append(batches, &importBatchOf{county: county, idx: idx[start:end], fresh: fresh, ready: make(chan struct{})})
			start = end
		}
	}
	// The batches encoded in order, importAhead ahead of the writer, by
	// one goroutine fewer than the processors: the writer needs one too,
	// to send the rows and take the answers as they come.
	encoders := max(1, runtime.GOMAXPROCS(0)-1)
	stop := make(chan struct{})
	defer close(stop)
	ahead := make(chan struct{}, importAhead)
	go func() {
		for _, b := range batches {
			select {
			case ahead <- struct{}{}:
			case <-stop:
				return
			}
			select {
			case <-stop:
				return
			default:
			}
			b.hash, b.data = make([][]byte, len(b.idx)), make([][]byte, len(b.idx))
			errs := make([]error, len(b.idx))
			onProcs(encoders, len(b.idx), func(i int) {
				b.hash[i], b.data[i], errs[i] = newCaseRow(&in[b.idx[i]])
			})
			b.err = errors.Join(errs...)
			close(b.ready)
		}
	}()
	for _, b := range batches {
		select {
		case <-b.ready:
		case <-ctx.Done():
			return stats, ctx.Err()
		}
		if b.err != nil {
			return stats, b.err
		}
		s1, err := s.importBatch(ctx, in, b, now)
		if err != nil {
			return stats, err
		}
		b.hash, b.data = nil, nil
		<-ahead
		stats.Added += s1.Added
		stats.Changed += s1.Changed
		stats.Unchanged += s1.Unchanged
	}
	return stats, nil
}

// newCaseRow returns the content hash and the stored form of a case that
// ImportCases adds. The hash is that of its content JSON
// (hecha.Case.ContentJSON), as it has been since the first schema, so a
// case imported again unchanged stays unchanged.
func newCaseRow(c *hecha.Case) (hash, data []byte, err error) {
	content, err := c.ContentJSON()
	if err != nil {
		return nil, nil, err
	}
	h := sha256.Sum256(content)
	data, err = encodeCase(c)
	return h[:], data, err
}

// importBatch writes one batch of ImportCases in a transaction of its own
// and returns what it did.
func (s *Store) importBatch(ctx context.Context, in []hecha.Case, b *importBatchOf, now time.Time) (hecha.ImportStats, error) {
	var s1 hecha.ImportStats
	ids := make([]string, len(b.idx))
	for i, k := range b.idx {
		ids[i] = in[k].ID
	}
	lookup := !b.fresh
	err := s.txRetry(ctx, true, func(tx pgx.Tx) error {
		s1 = hecha.ImportStats{}
		// The cases already known, with the hash of their content; after
		// a failed first try, in a county that had none too.
		known := map[string][]byte{}
		if lookup {
			rows, err := tx.Query(ctx, `SELECT id, import_hash FROM hecha_cases WHERE county = $1 AND id = ANY($2::text[])`,
				string(b.county), ids)
			if err != nil {
				return err
			}
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
		}
		lookup = true
		// The new ones go into the table with one COPY; another
		// process adding one of them first makes it fail with a
		// unique violation, and the transaction runs again.
		var fresh []int
		var changed [][]byte
		var adoptIDs []string
		var adoptHashes [][]byte
		for i, id := range ids {
			hash, ok := known[id]
			switch {
			case !ok:
				fresh = append(fresh, i)
			case len(hash) != len(b.hash[i]):
				// A hash another store made (a copied county): this
				// import is taken as unchanged and its hash kept, so
				// that the next one compares.
				adoptIDs, adoptHashes = append(adoptIDs, id), append(adoptHashes, b.hash[i])
			case !bytes.Equal(hash, b.hash[i]):
				changed = append(changed, b.data[i])
			}
		}
		if len(adoptIDs) > 0 {
			_, err := tx.Exec(ctx, `UPDATE hecha_cases c SET import_hash = u.h FROM unnest($2::text[], $3::bytea[]) AS u(i, h)
				WHERE c.county = $1 AND c.id = u.i`, string(b.county), adoptIDs, adoptHashes)
			if err != nil {
				return err
			}
		}
		_, err := tx.CopyFrom(ctx, pgx.Identifier{"hecha_cases"},
			[]string{"county", "id", "kind", "household", "status", "content_rev", "import_hash", "data"},
			pgx.CopyFromSlice(len(fresh), func(i int) ([]any, error) {
				k := fresh[i]
				c := &in[b.idx[k]]
				return []any{string(b.county), c.ID, string(c.Kind), string(c.Person.HouseholdDivision),
					string(hecha.StatusPending), 1, b.hash[k], b.data[k]}, nil
			}))
		if err != nil {
			return err
		}
		s1.Added = len(fresh)
		l := &changeLog{county: b.county}
		for _, data := range changed {
			if err := s.importChanged(ctx, tx, l, b.county, data, now); err != nil {
				return err
			}
		}
		s1.Changed = len(changed)
		s1.Unchanged = len(ids) - s1.Added - s1.Changed
		return l.flush(ctx, tx)
	})
	return s1, err
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
	data, err := encodeCase(c)
	if err != nil {
		return err
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
		// The range lets the planner use the unit index (codes are
		// digits, all below '~' in the C collation); the substr keeps the
		// match exact.
		add(`c.unit >= $%[1]d AND c.unit < ($%[1]d || '~') AND substr(c.unit, 1, length($%[1]d)) = $%[1]d`, string(f.Unit))
	}
	if f.Status != "" {
		add(`c.status = $%d`, string(f.Status))
	}
	if f.Kind != "" {
		add(`c.kind = $%d`, string(f.Kind))
	}
	return where, args
}

// casesQuery returns the statement and arguments of Cases(f).
func (s *Store) casesQuery(f hecha.CaseFilter) (string, []any) {
	where, args := caseWhere(s.county, f)
	q := `SELECT c.data FROM hecha_cases c WHERE ` + where + ` ORDER BY c.county, c.id`
	if f.Offset > 0 {
		q += fmt.Sprintf(" OFFSET %d", f.Offset)
	}
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	return q, append([]any{s.scopeArg()}, args...)
}

// Cases returns the cases f selects, in id order (on a store scoped to no
// county, by county, then id).
func (s *Store) Cases(ctx context.Context, f hecha.CaseFilter) ([]hecha.Case, error) {
	q, args := s.casesQuery(f)
	var out []hecha.Case
	err := s.view(ctx, func(tx pgx.Tx) error {
		out = nil
		rows, err := tx.Query(ctx, q, args...)
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
