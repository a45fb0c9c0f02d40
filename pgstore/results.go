package pgstore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
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
	var out []hecha.Outcome
	err := s.tx(ctx, func(tx pgx.Tx) error {
		out = make([]hecha.Outcome, len(results))
		if _, err := reserve(ctx, tx, "hecha_case_seq", township, 0); err != nil {
			return err
		}
		l := &changeLog{county: county}
		w := &resultWriter{s: s, tx: tx, log: l, county: county, township: township, device: device, now: now}
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
		if err := l.flush(ctx, tx); err != nil {
			return err
		}
		for i, t := range touched {
			out[i].ChangeSeq = l.caseSeq[t]
		}
		return logBatch(ctx, tx, county, township, results, counts, now)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// resultWriter applies the results of one batch in its transaction.
type resultWriter struct {
	s        *Store
	tx       pgx.Tx
	log      *changeLog
	county   hecha.Code
	township hecha.Code
	device   string
	now      time.Time
}

// apply decides one result's outcome and, when accepted, stores and
// applies it, as store's applyResult does. An error is a database failure
// that aborts the batch.
func (w *resultWriter) apply(r *hecha.Result, data []byte, o hecha.Outcome) (hecha.Outcome, error) {
	ctx, tx := context.Background(), w.tx
	conflict := func(msgID string, args ...any) (hecha.Outcome, error) {
		o.Status = hecha.ResultConflict
		o.Errors = hecha.Errors{hecha.Errorf(hecha.ECONFLICT, "", msgID, args...)}
		return o, nil
	}

	// The same id again: identical content is a duplicate, other content a
	// clash. An id another township stored is answered as an unknown id
	// would be, by the checks of the case below.
	var oldTown string
	var old []byte
	err := tx.QueryRow(ctx, `SELECT township, data FROM hecha_results WHERE id = $1`, r.ID).Scan(&oldTown, &old)
	if errors.Is(err, pgx.ErrNoRows) {
		old, err = nil, nil
	}
	if err != nil {
		return o, err
	}
	if old != nil && hecha.Code(oldTown) == r.Township {
		if bytes.Equal(old, data) {
			o.Status = hecha.ResultDuplicate
			return o, nil
		}
		return conflict("county.result_clash", r.ID)
	}

	if r.CaseID == "" || hecha.CheckID("case_id", r.CaseID) != nil {
		return conflict("county.case_unknown", r.CaseID)
	}
	c, st, err := loadCase(ctx, tx, w.county, r.CaseID, true)
	if hecha.ErrorCode(err) == hecha.ENOTFOUND {
		return conflict("county.case_unknown", r.CaseID)
	}
	if err != nil {
		return o, err
	}
	if c.Unit.At(hecha.LevelTownship) != w.township {
		return conflict("county.case_not_assigned", c.ID, w.s.placeLabel(w.township))
	}
	if r.CaseRev < max(st.contentRev, st.assignRev) || r.CaseRev > c.Rev {
		return conflict("county.case_changed", c.ID, r.CaseRev, c.Rev)
	}
	accepted, err := acceptedResults(ctx, tx, w.county, c.ID)
	if err != nil {
		return o, err
	}
	if msgID, args := hecha.CheckReplaces(st.inForce, accepted, *r); msgID != "" {
		return conflict(msgID, args...)
	}
	if err := r.Validate(c, w.s.rules); err != nil {
		o.Status, o.Errors = hecha.ResultRejected, hecha.AsErrors(err)
		return o, nil
	}
	if old != nil {
		return conflict("county.result_clash", r.ID)
	}

	// Accepted: store it, make it the case's result in force, apply it.
	_, err = tx.Exec(ctx, `INSERT INTO hecha_results (id, county, township, case_id, data) VALUES ($1, $2, $3, $4, $5)`,
		r.ID, string(w.county), string(w.township), c.ID, data)
	if err != nil {
		return o, err
	}
	st.status, st.inForce = hecha.StatusDone, r.ID
	rs := lookup{ctx: ctx, q: tx, county: w.county, tx: tx, log: w.log}
	if err := hecha.ApplyToRecords(c, r, rs); err != nil {
		return o, err
	}
	c.UpdatedAt = w.now
	if err := saveCase(ctx, tx, c, st); err != nil {
		return o, err
	}
	w.log.touchCase(w.township, c.ID, w.device)
	o.Status = hecha.ResultAccepted
	return o, nil
}

// acceptedResults returns the ids of a case's accepted results, oldest
// first.
func acceptedResults(ctx context.Context, q querier, county hecha.Code, caseID string) ([]string, error) {
	rows, err := q.Query(ctx, `SELECT id FROM hecha_results WHERE county = $1 AND case_id = $2 ORDER BY seq`,
		string(county), caseID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
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

// logBatch records a batch, or counts one more send of a known one.
func logBatch(ctx context.Context, tx pgx.Tx, county, township hecha.Code, results []hecha.Result, counts map[hecha.ResultStatus]int, now time.Time) error {
	data, err := json.Marshal(counts)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO hecha_batches AS b (id, county, township, results, first_at, last_at, sends, counts)
		VALUES ($1, $2, $3, $4, $5, $5, 1, $6)
		ON CONFLICT (id) DO UPDATE SET sends = b.sends + 1, last_at = EXCLUDED.last_at`,
		hecha.BatchID(township, results), string(county), string(township), len(results), now, data)
	return err
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
