package pgstore

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"hecha"
)

// ApplyResults applies a batch of results from township in one
// transaction (see hecha.CountyStore).
func (s *Store) ApplyResults(ctx context.Context, township hecha.Code, results []hecha.Result) ([]hecha.Outcome, error) {
	return s.ApplyResultsFrom(ctx, township, "", results)
}

// ApplyResultsFrom is ApplyResults for results that device sent.
//
// The transaction first locks the township's row of hecha_case_seq, so the
// batches of one township, from any process, are applied one after the
// other: a batch sent to two processes at once is applied by the first,
// and the second, which waited, finds its results stored and answers
// duplicates.
func (s *Store) ApplyResultsFrom(ctx context.Context, township hecha.Code, device string, results []hecha.Result) ([]hecha.Outcome, error) {
	if strings.IndexFunc(device, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0 {
		return nil, hecha.Invalid("device", "text.control")
	}
	if township.Level() != hecha.LevelTownship {
		return nil, hecha.Invalid("township", "county.token_level", string(township))
	}
	if s.county != "" && !township.Within(s.county) {
		return nil, hecha.Invalid("township", "county.outside", string(township), string(s.county))
	}
	county := township.At(hecha.LevelCounty)
	now := s.now()
	type prepared struct {
		r       hecha.Result
		data    []byte
		decided bool
		outcome hecha.Outcome
	}
	prep := make([]prepared, len(results))
	for i := range results {
		p := &prep[i]
		p.outcome = hecha.Outcome{ResultID: results[i].ID, At: now}
		r, rejected := hecha.ReceivedResult(township, results[i])
		if rejected != nil {
			p.decided, p.outcome.Status, p.outcome.Errors = true, hecha.ResultRejected, hecha.Errors{rejected}
			continue
		}
		p.r = r
		var err error
		if p.data, err = hecha.CanonicalResult(r); err != nil {
			return nil, err
		}
	}
	var ids, caseIDs, replacing []string
	var undecided []*hecha.Result
	for i := range prep {
		if !prep[i].decided {
			ids, caseIDs = append(ids, prep[i].r.ID), append(caseIDs, prep[i].r.CaseID)
			undecided = append(undecided, &prep[i].r)
			if prep[i].r.Replaces != "" {
				replacing = append(replacing, prep[i].r.CaseID)
			}
		}
	}
	var out []hecha.Outcome
	err := s.tx(ctx, func(tx pgx.Tx) error {
		out = make([]hecha.Outcome, len(results))
		l := &changeLog{county: county}
		w := &resultWriter{s: s, ctx: ctx, tx: tx, log: l, county: county, township: township, device: device, now: now,
			recs: newBatchRecords(ctx, tx, county, l)}
		if err := w.load(ids, caseIDs, replacing, undecided); err != nil {
			return err
		}
		touched := map[int]caseTouch{}
		counts := map[hecha.ResultStatus]int{}
		for i := range prep {
			p := &prep[i]
			if p.decided {
				out[i] = p.outcome
			} else {
				o, err := w.apply(&p.r, p.data, p.outcome)
				if err != nil {
					return fmt.Errorf("apply result %s: %w", p.r.ID, err)
				}
				out[i] = o
				if o.Status == hecha.ResultAccepted {
					touched[i] = caseTouch{township, p.r.CaseID, device}
				}
			}
			counts[out[i].Status]++
		}
		if err := w.store(results, counts); err != nil {
			return err
		}
		for i, t := range touched {
			out[i].ChangeSeq = l.caseSeq[t]
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// resultWriter applies the results of one batch in its transaction: it
// reads what the batch needs in one round trip (load), decides each result
// in memory, and writes the accepted results and their cases in two
// statements (store).
type resultWriter struct {
	s        *Store
	ctx      context.Context
	tx       pgx.Tx
	log      *changeLog
	county   hecha.Code
	township hecha.Code
	device   string
	now      time.Time

	// stored: result id → its township and stored bytes, for the ids of
	// the batch (and the results the batch adds).
	stored map[string]storedResult
	// cases: case id → the case and its state, locked; accepted: case id
	// → the ids of its accepted results, oldest first.
	cases    map[string]*loadedCase
	accepted map[string][]string
	// added are the results accepted, in order; dirty the cases changed.
	added []addedResult
	dirty []string
	// recs are the registry records the batch reads and writes.
	recs *batchRecords
}

type storedResult struct {
	township hecha.Code
	data     []byte
}

type loadedCase struct {
	c  *hecha.Case
	st *caseState
}

type addedResult struct {
	id, caseID string
	data       []byte
}

// load takes the county's copy lock shared for the transaction (see
// serving.go: while a copy of the county runs no result is applied beside
// it, whether or not the server still holds its own lock), locks the
// township's row of hecha_case_seq, so that the batches
// of one township are applied one after the other, reads the stored
// results with the batch's ids, and locks and reads the batch's cases (in
// id order, as every writer locks cases): four statements in one round
// trip. A second round trip, when needed, reads the rest: the ids of a
// case's accepted results, which matter only to a result that names one
// to replace while none is in force (hecha.CheckReplaces), for those
// cases of replacing (the cases of the results that name one) that have
// none in force, which is rare (reading them for every case cost an index
// search per result); and the registry records that applying the
// results may look up (batchRecords), once their cases are known.
func (w *resultWriter) load(ids, caseIDs, replacing []string, results []*hecha.Result) error {
	w.stored, w.cases, w.accepted = map[string]storedResult{}, map[string]*loadedCase{}, map[string][]string{}
	b := &pgx.Batch{}
	free := true
	b.Queue(`SELECT pg_try_advisory_xact_lock_shared($1, $2)`, lockSpace, lockKey(w.county)).QueryRow(func(row pgx.Row) error {
		return row.Scan(&free)
	})
	b.Queue(`INSERT INTO hecha_case_seq AS t (township, seq) VALUES ($1, 0)
		ON CONFLICT (township) DO UPDATE SET seq = t.seq`, string(w.township))
	if len(ids) > 0 {
		b.Queue(`SELECT id, township, data FROM hecha_results WHERE id = ANY($1::text[])`, ids).Query(func(rows pgx.Rows) error {
			for rows.Next() {
				var id, town string
				var data []byte
				if err := rows.Scan(&id, &town, &data); err != nil {
					return err
				}
				w.stored[id] = storedResult{hecha.Code(town), data}
			}
			return rows.Err()
		})
		b.Queue(`SELECT id, county, status, content_rev, assign_rev, in_force, import_hash, data FROM hecha_cases
			WHERE county = $1 AND id = ANY($2::text[]) ORDER BY id FOR UPDATE`, string(w.county), caseIDs).Query(func(rows pgx.Rows) error {
			for rows.Next() {
				st := new(caseState)
				var id, county, status string
				var data []byte
				if err := rows.Scan(&id, &county, &status, &st.contentRev, &st.assignRev, &st.inForce, &st.importHash, &data); err != nil {
					return err
				}
				st.county, st.status = hecha.Code(county), hecha.Status(status)
				c, err := decodeCase(data)
				if err != nil {
					return err
				}
				w.cases[id] = &loadedCase{c, st}
			}
			return rows.Err()
		})
	}
	if err := w.tx.SendBatch(w.ctx, b).Close(); err != nil {
		return err
	}
	if !free {
		return hecha.Errorf(hecha.ELOCKED, "", "pgstore.copying", w.s.name)
	}
	b = &pgx.Batch{}
	var need []string
	for _, id := range replacing {
		if lc, ok := w.cases[id]; ok && lc.st.inForce == "" && !slices.Contains(need, id) {
			need = append(need, id)
		}
	}
	if len(need) > 0 {
		b.Queue(`SELECT case_id, id FROM hecha_results WHERE county = $1 AND case_id = ANY($2::text[]) ORDER BY seq`,
			string(w.county), need).Query(func(rows pgx.Rows) error {
			for rows.Next() {
				var caseID, id string
				if err := rows.Scan(&caseID, &id); err != nil {
					return err
				}
				w.accepted[caseID] = append(w.accepted[caseID], id)
			}
			return rows.Err()
		})
	}
	var keys recordKeys
	for _, r := range results {
		var c *hecha.Case
		if lc, ok := w.cases[r.CaseID]; ok {
			c = lc.c
		}
		keys.want(r, c)
	}
	w.recs.queue(b, keys)
	if b.Len() == 0 {
		return nil
	}
	return w.tx.SendBatch(w.ctx, b).Close()
}

// apply decides one result's outcome and, when accepted, applies it, as
// store's applyResult does. An error is a database failure that aborts
// the batch.
func (w *resultWriter) apply(r *hecha.Result, data []byte, o hecha.Outcome) (hecha.Outcome, error) {
	conflict := func(msgID string, args ...any) (hecha.Outcome, error) {
		o.Status = hecha.ResultConflict
		o.Errors = hecha.Errors{hecha.Errorf(hecha.ECONFLICT, "", msgID, args...)}
		return o, nil
	}

	// The same id again: identical content is a duplicate, other content a
	// clash. An id another township stored is answered as an unknown id
	// would be, by the checks of the case below.
	old, haveOld := w.stored[r.ID]
	if haveOld && old.township == r.Township {
		if bytes.Equal(old.data, data) {
			o.Status = hecha.ResultDuplicate
			return o, nil
		}
		return conflict("county.result_clash", r.ID)
	}

	if r.CaseID == "" || hecha.CheckID("case_id", r.CaseID) != nil {
		return conflict("county.case_unknown", r.CaseID)
	}
	lc, found := w.cases[r.CaseID]
	if !found {
		return conflict("county.case_unknown", r.CaseID)
	}
	c, st := lc.c, lc.st
	if c.Unit.At(hecha.LevelTownship) != w.township {
		return conflict("county.case_not_assigned", c.ID, w.s.placeLabel(w.township))
	}
	if r.CaseRev < max(st.contentRev, st.assignRev) || r.CaseRev > c.Rev {
		return conflict("county.case_changed", c.ID, r.CaseRev, c.Rev)
	}
	if msgID, args := hecha.CheckReplaces(st.inForce, w.accepted[c.ID], *r); msgID != "" {
		return conflict(msgID, args...)
	}
	if err := r.Validate(c, w.s.rules); err != nil {
		o.Status, o.Errors = hecha.ResultRejected, hecha.AsErrors(err)
		return o, nil
	}
	if haveOld {
		return conflict("county.result_clash", r.ID)
	}

	// Accepted: keep it, make it the case's result in force, apply it.
	w.stored[r.ID] = storedResult{w.township, data}
	w.added = append(w.added, addedResult{r.ID, c.ID, data})
	w.accepted[c.ID] = append(w.accepted[c.ID], r.ID)
	st.status, st.inForce = hecha.StatusDone, r.ID
	if err := hecha.ApplyToRecords(c, r, w.recs); err != nil {
		return o, err
	}
	c.UpdatedAt = w.now
	if !slices.Contains(w.dirty, c.ID) {
		w.dirty = append(w.dirty, c.ID)
	}
	w.log.touchCase(w.township, c.ID, w.device)
	o.Status = hecha.ResultAccepted
	return o, nil
}

// store writes the registry records the results changed (batchRecords),
// then, in one round trip, the accepted results in order, the
// changed cases, the change rows (numbered on the server, see
// changeLog.queue) and the batch's log entry, and commits (sendLast): the
// transaction's last statements.
func (w *resultWriter) store(results []hecha.Result, counts map[hecha.ResultStatus]int) error {
	// The registry records first: writing them notes their changes.
	if err := w.recs.flush(); err != nil {
		return err
	}
	b := &pgx.Batch{}
	if len(w.added) > 0 {
		ids, caseIDs, datas := make([]string, len(w.added)), make([]string, len(w.added)), make([][]byte, len(w.added))
		for i, a := range w.added {
			ids[i], caseIDs[i], datas[i] = a.id, a.caseID, a.data
		}
		b.Queue(`INSERT INTO hecha_results (id, county, township, case_id, data)
			SELECT i, $1, $2, c, d FROM unnest($3::text[], $4::text[], $5::bytea[]) WITH ORDINALITY AS u(i, c, d, n) ORDER BY n`,
			string(w.county), string(w.township), ids, caseIDs, datas)
		n := len(w.dirty)
		cids, statuses, inForce, homes, cdatas := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([][]byte, n)
		for i, id := range w.dirty {
			lc := w.cases[id]
			data, err := encodeCase(lc.c)
			if err != nil {
				return err
			}
			cids[i], statuses[i], inForce[i], cdatas[i] = id, string(lc.st.status), lc.st.inForce, data
			homes[i] = string(lc.c.Person.HouseholdDivision)
		}
		b.Queue(`UPDATE hecha_cases c SET status = u.s, in_force = u.f, household = u.h, data = u.d
			FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::bytea[]) AS u(i, s, f, h, d)
			WHERE c.county = $1 AND c.id = u.i`, string(w.county), cids, statuses, inForce, homes, cdatas)
	}
	w.log.queue(b)
	if err := queueBatchLog(b, w.county, w.township, results, counts, w.now); err != nil {
		return err
	}
	send := sendLast
	if testHookFlushed != nil {
		// The hook's window lies between the numbers and the commit.
		send = func(ctx context.Context, tx pgx.Tx, b *pgx.Batch) error { return tx.SendBatch(ctx, b).Close() }
	}
	if err := send(w.ctx, w.tx, b); err != nil {
		return err
	}
	w.log.flushed()
	return nil
}

// placeLabel names a division for a message: its name and code when the
// table knows it, else its code.
func (s *Store) placeLabel(c hecha.Code) string {
	if s.rules != nil && s.rules.Divisions != nil {
		if d, ok := s.rules.Divisions.Lookup(c); ok {
			return d.Name + " (" + string(c) + ")"
		}
	}
	return string(c)
}

// queueBatchLog adds to b the statement that records a batch, or counts
// one more send of a known one.
func queueBatchLog(b *pgx.Batch, county, township hecha.Code, results []hecha.Result, counts map[hecha.ResultStatus]int, now time.Time) error {
	data, err := json.Marshal(counts)
	if err != nil {
		return err
	}
	b.Queue(`INSERT INTO hecha_batches AS b (id, county, township, results, first_at, last_at, sends, counts)
		VALUES ($1, $2, $3, $4, $5, $5, 1, $6)
		ON CONFLICT (id) DO UPDATE SET sends = b.sends + 1, last_at = EXCLUDED.last_at`,
		hecha.BatchID(township, results), string(county), string(township), len(results), now, data)
	return nil
}

// Batches returns the logged batches of the store's county, newest first.
func (s *Store) Batches(ctx context.Context) ([]hecha.Batch, error) {
	var out []hecha.Batch
	err := s.view(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT id, township, results, first_at, last_at, sends, counts FROM hecha_batches
			WHERE $1 = '' OR county = $1 ORDER BY last_at DESC, id`, s.scopeArg())
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (hecha.Batch, error) {
			var b hecha.Batch
			var town string
			var counts []byte
			if err := r.Scan(&b.ID, &town, &b.Results, &b.FirstAt, &b.LastAt, &b.Sends, &counts); err != nil {
				return b, err
			}
			loc := s.now().Location()
			b.Township, b.FirstAt, b.LastAt = hecha.Code(town), b.FirstAt.In(loc), b.LastAt.In(loc)
			return b, json.Unmarshal(counts, &b.Counts)
		})
		return err
	})
	return out, err
}

// HasResults returns the ids among ids that the store does not hold as
// results of township, in the order given.
func (s *Store) HasResults(ctx context.Context, township hecha.Code, ids []string) ([]string, error) {
	var missing []string
	err := s.view(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT u.i FROM unnest($1::text[]) WITH ORDINALITY AS u(i, n)
			LEFT JOIN hecha_results r ON r.id = u.i AND r.township = $2 WHERE r.id IS NULL ORDER BY u.n`,
			ids, string(township))
		if err != nil {
			return err
		}
		missing, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	return missing, err
}

// ResultsOf returns every result accepted for a case, oldest first.
//
// Errors: ENOTFOUND for an unknown case.
func (s *Store) ResultsOf(ctx context.Context, caseID string) ([]hecha.Result, error) {
	var out []hecha.Result
	err := s.view(ctx, func(tx pgx.Tx) error {
		_, st, err := loadCase(ctx, tx, s.county, caseID, false)
		if err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT data FROM hecha_results WHERE county = $1 AND case_id = $2 ORDER BY seq`,
			string(st.county), caseID)
		if err != nil {
			return err
		}
		datas, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
		if err != nil {
			return err
		}
		out = nil
		for _, d := range datas {
			var r hecha.Result
			if err := json.Unmarshal(d, &r); err != nil {
				return fmt.Errorf("decode result of case %s: %w", caseID, err)
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}

// AllResults calls fn with the result in force of every case that has
// one, and the case, in case id order; fn runs outside any transaction.
func (s *Store) AllResults(ctx context.Context, fn func(hecha.Result, *hecha.Case) error) error {
	return s.CaseResults(ctx, hecha.CaseFilter{}, func(c *hecha.Case, r *hecha.Result) error {
		if r == nil {
			return nil
		}
		return fn(*r, c)
	})
}
