package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.etcd.io/bbolt"

	"hecha"
)

// ApplyResults applies a batch of results from township in one
// transaction and returns each result's outcome, in order:
//
//   - rejected: a malformed result id, a result naming another township,
//     or one that fails Validate against its case (with the field errors);
//   - duplicate: the county already has this result with the same content
//     (it counts as accepted);
//   - conflict: the id arrived before with other content; the case is
//     unknown or not assigned to the township; the case was reassigned or
//     its content changed after the revision the result was made against;
//     a correction replaces a result that is not the newest in force, or a
//     new result does not name the one in force;
//   - accepted: the result is stored, becomes the case's result in force,
//     the case is done and comes to the township's changes again, and the
//     result is applied to the case and the registries (DESIGN §5).
//
// Results are taken in order, so a correction may follow the result it
// replaces in the same batch. Sending the same batch again has the effect
// of sending it once. The batch is logged (see Batches).
//
// Errors: EINVALID when township is not a township code; the database's
// errors, in which case nothing of the batch is applied.
func (db *CountyDB) ApplyResults(ctx context.Context, township hecha.Code, results []hecha.Result) ([]hecha.Outcome, error) {
	return db.ApplyResultsFrom(ctx, township, "", results)
}

// ApplyResultsFrom is ApplyResults for results that device (a fingerprint
// of the sending token, "" when not known) sent: the changes the accepted
// ones make to their cases are recorded as device's (see CasesSinceFor),
// and each accepted outcome carries its change's ChangeSeq.
func (db *CountyDB) ApplyResultsFrom(ctx context.Context, township hecha.Code, device string, results []hecha.Result) ([]hecha.Outcome, error) {
	if strings.IndexByte(device, 0) >= 0 {
		return nil, hecha.Invalid("device", "text.control")
	}
	if township.Level() != hecha.LevelTownship {
		return nil, hecha.Invalid("township", "county.token_level", string(township))
	}
	// What depends on the result alone is decided before the write
	// transaction, so concurrent batches do it in parallel.
	now := db.now()
	prep := make([]preparedResult, len(results))
	for i := range results {
		if err := prep[i].prepare(township, results[i], now); err != nil {
			return nil, err
		}
	}
	var out []hecha.Outcome
	err := db.update(ctx, func(tx *bbolt.Tx) error {
		out = make([]hecha.Outcome, len(results))
		counts := map[hecha.ResultStatus]int{}
		w := resultWriter{tx: tx, now: now, device: device}
		for i := range prep {
			o, err := db.applyResult(&w, &prep[i])
			if err != nil {
				return fmt.Errorf("apply result %s: %w", results[i].ID, err)
			}
			out[i] = o
			counts[o.Status]++
		}
		return logBatch(tx, township, results, counts, now)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// preparedResult is a result of a batch with what ApplyResults decides
// before its transaction: an outcome already (rejected), or the result
// with its township set and its canonical JSON.
type preparedResult struct {
	r       hecha.Result
	data    []byte
	decided bool
	outcome hecha.Outcome
}

// prepare rejects a malformed result id or a result of another township,
// and otherwise encodes the result as the county stores it.
func (p *preparedResult) prepare(township hecha.Code, r hecha.Result, now time.Time) error {
	p.r, p.outcome = r, hecha.Outcome{ResultID: r.ID, At: now}
	r, rejected := hecha.ReceivedResult(township, r)
	if rejected != nil {
		p.decided, p.outcome.Status, p.outcome.Errors = true, hecha.ResultRejected, hecha.Errors{rejected}
		return nil
	}
	p.r = r
	var err error
	p.data, err = hecha.CanonicalResult(p.r)
	return err
}

// resultWriter holds what applyResult uses from the batch's transaction.
type resultWriter struct {
	tx     *bbolt.Tx
	now    time.Time
	device string
}

// applyResult decides one result's outcome and, when accepted, stores and
// applies it. An error is a database failure that aborts the batch.
func (db *CountyDB) applyResult(w *resultWriter, p *preparedResult) (hecha.Outcome, error) {
	if p.decided {
		return p.outcome, nil
	}
	tx, r, o := w.tx, &p.r, p.outcome
	conflict := func(msgID string, args ...any) (hecha.Outcome, error) {
		o.Status = hecha.ResultConflict
		o.Errors = hecha.Errors{hecha.Errorf(hecha.ECONFLICT, "", msgID, args...)}
		return o, nil
	}

	// The same id again: identical content is a duplicate, other content a
	// clash. An id another township stored is answered as an unknown id
	// would be, by the checks of the case below: the answer must not tell
	// the sender that the id exists.
	old, err := getValue(tx, bucketCountyResults, []byte(r.ID))
	if err != nil {
		return o, err
	}
	if old != nil && resultTownship(old) == r.Township {
		if bytes.Equal(old, p.data) {
			o.Status = hecha.ResultDuplicate
			return o, nil
		}
		return conflict("county.result_clash", r.ID)
	}

	if r.CaseID == "" || hecha.CheckID("case_id", r.CaseID) != nil {
		return conflict("county.case_unknown", r.CaseID)
	}
	c, st, found, err := loadCase(tx, r.CaseID)
	if err != nil {
		return o, err
	}
	if !found {
		return conflict("county.case_unknown", r.CaseID)
	}
	township := r.Township
	if c.Unit.At(hecha.LevelTownship) != township {
		return conflict("county.case_not_assigned", c.ID, db.placeLabel(township))
	}
	if r.CaseRev < max(st.ContentRev, st.AssignRev) || r.CaseRev > c.Rev {
		return conflict("county.case_changed", c.ID, r.CaseRev, c.Rev)
	}
	if msgID, args := hecha.CheckReplaces(st.InForce, st.Results, *r); msgID != "" {
		return conflict(msgID, args...)
	}
	if err := r.Validate(c, db.rules); err != nil {
		o.Status, o.Errors = hecha.ResultRejected, hecha.AsErrors(err)
		return o, nil
	}
	if old != nil {
		// Another township's id on a result for this township's own case:
		// it cannot be stored under that id.
		return conflict("county.result_clash", r.ID)
	}

	// Accepted: store it, make it the case's result in force, apply it.
	if err := putValue(tx, bucketCountyResults, []byte(r.ID), p.data); err != nil {
		return o, err
	}
	if err := setStatus(tx, c.ID, st.Status, hecha.StatusDone); err != nil {
		return o, err
	}
	st.Status = hecha.StatusDone
	st.Results = append(st.Results, r.ID)
	st.InForce = r.ID
	if err := applyToRecords(tx, c, r); err != nil {
		return o, err
	}
	c.UpdatedAt = w.now
	if err := saveCase(tx, c, st); err != nil {
		return o, err
	}
	seq, err := touchCaseBy(tx, c.ID, township, w.device)
	if err != nil {
		return o, err
	}
	o.Status, o.ChangeSeq = hecha.ResultAccepted, seq
	return o, nil
}

// placeLabel names a division for a message: its name and code when the
// county's table knows it, else its code.
func (db *CountyDB) placeLabel(c hecha.Code) string {
	if db.rules != nil && db.rules.Divisions != nil {
		if d, ok := db.rules.Divisions.Lookup(c); ok {
			return d.Name + " (" + string(c) + ")"
		}
	}
	return string(c)
}

// logBatch records a batch, or counts one more send of a known one.
func logBatch(tx *bbolt.Tx, township hecha.Code, results []hecha.Result, counts map[hecha.ResultStatus]int, now time.Time) error {
	b := tx.Bucket(bucketCountyBatches)
	id := hecha.BatchID(township, results)
	var log hecha.Batch
	found, err := getJSON(b, []byte(id), &log)
	if err != nil {
		return err
	}
	if !found {
		log = hecha.Batch{ID: id, Township: township, Results: len(results), FirstAt: now, Counts: counts}
	}
	log.Sends++
	log.LastAt = now
	return putJSON(b, []byte(id), &log)
}

// resultTownship returns the township of a stored result, "" when it
// cannot be read.
func resultTownship(data []byte) hecha.Code {
	var r struct {
		Township hecha.Code `json:"township"`
	}
	if json.Unmarshal(data, &r) != nil {
		return ""
	}
	return r.Township
}

// The county's reads of received results and batches.

// Batches returns the logged batches, newest first.
func (db *CountyDB) Batches(ctx context.Context) ([]hecha.Batch, error) {
	var out []hecha.Batch
	err := db.view(ctx, func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketCountyBatches).ForEach(func(k, v []byte) error {
			var b hecha.Batch
			if err := json.Unmarshal(v, &b); err != nil {
				return fmt.Errorf("decode batch %s: %w", k, err)
			}
			out = append(out, b)
			return nil
		})
	})
	slices.SortFunc(out, func(a, b hecha.Batch) int {
		if c := b.LastAt.Compare(a.LastAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, err
}

// HasResults returns the ids among ids that the county does not hold as
// results of township, in the order given; a township uses it to find the
// results to send again after the county was restored from an older copy.
func (db *CountyDB) HasResults(ctx context.Context, township hecha.Code, ids []string) ([]string, error) {
	var missing []string
	err := db.view(ctx, func(tx *bbolt.Tx) error {
		for _, id := range ids {
			var r struct {
				Township hecha.Code `json:"township"`
			}
			found, err := getJSONValue(tx, bucketCountyResults, []byte(id), &r)
			if err != nil {
				return err
			}
			if !found || r.Township != township {
				missing = append(missing, id)
			}
		}
		return nil
	})
	return missing, err
}

// ResultsOf returns every result the county accepted for a case, oldest
// first; the last is in force unless the case was reassigned since.
//
// Errors: ENOTFOUND for an unknown case.
func (db *CountyDB) ResultsOf(ctx context.Context, caseID string) ([]hecha.Result, error) {
	var out []hecha.Result
	err := db.view(ctx, func(tx *bbolt.Tx) error {
		_, st, err := mustLoadCase(tx, caseID)
		if err != nil {
			return err
		}
		for _, id := range st.Results {
			var r hecha.Result
			if _, err := getJSONValue(tx, bucketCountyResults, []byte(id), &r); err != nil {
				return err
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}

// allResultsPage is how many cases AllResults reads per transaction.
const allResultsPage = 500

// AllResults calls fn with the result in force of every case that has one,
// and the case, in case id order; corrected results and those of a
// township the case was taken from are not included (ResultsOf has them).
// fn runs outside any transaction, so it may use db; an error from fn stops
// the walk and is returned.
func (db *CountyDB) AllResults(ctx context.Context, fn func(hecha.Result, *hecha.Case) error) error {
	type pair struct {
		r hecha.Result
		c *hecha.Case
	}
	var after []byte
	for {
		var page []pair
		err := db.view(ctx, func(tx *bbolt.Tx) error {
			cur := tx.Bucket(bucketCountyState).Cursor()
			k, v := cur.First()
			if after != nil {
				k, v = cur.Seek(after)
				if bytes.Equal(k, after) {
					k, v = cur.Next()
				}
			}
			for n := 0; k != nil && n < allResultsPage; k, v = cur.Next() {
				after = copyBytes(k)
				n++
				var st caseState
				if err := decodeState(v, &st); err != nil {
					return errDecode(tx, bucketCountyState, string(k), err)
				}
				if st.InForce == "" {
					continue
				}
				c, err := getCase(tx, string(k))
				if err != nil {
					return err
				}
				var r hecha.Result
				if _, err := getJSONValue(tx, bucketCountyResults, []byte(st.InForce), &r); err != nil {
					return err
				}
				page = append(page, pair{r, c})
			}
			if k == nil {
				after = nil
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, p := range page {
			if err := fn(p.r, p.c); err != nil {
				return err
			}
		}
		if after == nil {
			return nil
		}
	}
}
