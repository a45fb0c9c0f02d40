package store

import (
	"bytes"
	"context"
	"fmt"

	"go.etcd.io/bbolt"

	"hecha"
)

// TownshipDB implements the township's services.
var (
	_ hecha.TownshipService = (*TownshipDB)(nil)
	_ hecha.SyncStore       = (*TownshipDB)(nil)
)

// DefaultBatch is the number of results NextBatch returns when asked for
// none or a negative number.
const DefaultBatch = 100

// NextBatch moves up to limit pending outbox items to sending (counting a
// try) and returns their results, oldest first.
func (db *TownshipDB) NextBatch(ctx context.Context, limit int) ([]hecha.Result, error) {
	if limit <= 0 {
		limit = DefaultBatch
	}
	var out []hecha.Result
	err := db.update(ctx, func(tx *bbolt.Tx) error {
		for _, seq := range outboxSeqs(tx, hecha.OutboxPending, limit) {
			var id string
			err := setOutboxState(tx, seq, func(it *hecha.OutboxItem) {
				it.State = hecha.OutboxSending
				it.Tries++
				id = it.ResultID
			})
			if err != nil {
				return err
			}
			rv, _, err := getVersion(tx, id)
			if err != nil {
				return err
			}
			out = append(out, rv.Result)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Acknowledge records the county's outcomes in one transaction.
//
//   - accepted, duplicate: the item is accepted; its case becomes
//     StatusDone if the result is the case's newest.
//   - rejected, conflict: the item is set aside with the county's errors;
//     its case becomes StatusRejected or StatusConflict if the result is
//     the case's newest (an answer about a result since corrected changes
//     only that result's record).
//   - any other status: the item goes back to pending.
//
// The outcome is also recorded on the result's history version (At is set
// when the county left it empty). Outcomes for results this database does
// not know are ignored. Items still in sending afterwards (the county did
// not answer for them) go back to pending.
func (db *TownshipDB) Acknowledge(ctx context.Context, outcomes []hecha.Outcome) error {
	return db.update(ctx, func(tx *bbolt.Tx) error {
		now := db.now()
		for _, o := range outcomes {
			_, seq := resultRef(tx, o.ResultID)
			if seq == nil {
				continue
			}
			if o.At.IsZero() {
				o.At = now
			}
			state, status := outcomeState(o.Status)
			err := setOutboxState(tx, seq, func(it *hecha.OutboxItem) {
				it.State = state
				if state != hecha.OutboxPending {
					it.Outcome = o
				}
			})
			if err != nil {
				return err
			}
			if state == hecha.OutboxPending {
				continue
			}
			if err := db.recordOutcome(tx, o, status); err != nil {
				return err
			}
		}
		for _, seq := range outboxSeqs(tx, hecha.OutboxSending, 0) {
			if err := setOutboxState(tx, seq, func(it *hecha.OutboxItem) { it.State = hecha.OutboxPending }); err != nil {
				return err
			}
		}
		return nil
	})
}

// outcomeState maps a county answer to the outbox state and the case
// status it leads to ("" for none).
func outcomeState(s hecha.ResultStatus) (hecha.OutboxState, hecha.Status) {
	switch s {
	case hecha.ResultAccepted, hecha.ResultDuplicate:
		return hecha.OutboxAccepted, hecha.StatusDone
	case hecha.ResultRejected:
		return hecha.OutboxRejected, hecha.StatusRejected
	case hecha.ResultConflict:
		return hecha.OutboxConflict, hecha.StatusConflict
	}
	return hecha.OutboxPending, ""
}

// recordOutcome writes o on the result's history version and, when the
// result is its case's newest, sets the case's status.
func (db *TownshipDB) recordOutcome(tx *bbolt.Tx, o hecha.Outcome, status hecha.Status) error {
	rv, hk, err := getVersion(tx, o.ResultID)
	if err != nil {
		return err
	}
	rv.Upload = o
	if err := putJSONValue(tx, bucketHistory, hk, rv); err != nil {
		return err
	}
	return db.statusIfNewest(tx, rv.Result, status)
}

// statusIfNewest sets the case of r to status when r is the newest result
// of its case and the case is still listed.
func (db *TownshipDB) statusIfNewest(tx *bbolt.Tx, r hecha.Result, status hecha.Status) error {
	newest, _, err := lastVersion(tx, r.CaseID)
	if err != nil || newest == nil || newest.Result.ID != r.ID {
		return err
	}
	if tx.Bucket(bucketSummaries).Get([]byte(r.CaseID)) == nil {
		return nil
	}
	return db.setStatus(tx, r.CaseID, status, "")
}

// Requeue moves the given results' outbox items back to pending, whatever
// their state, and clears the county's earlier answer; a case whose newest
// result is requeued goes back to StatusUpload. Errors: ENOTFOUND for an
// unknown result id (and nothing is changed).
func (db *TownshipDB) Requeue(ctx context.Context, resultIDs []string) error {
	return db.update(ctx, func(tx *bbolt.Tx) error {
		for _, id := range resultIDs {
			_, seq := resultRef(tx, id)
			if seq == nil {
				return notFound("store.result_not_found", id)
			}
			err := setOutboxState(tx, seq, func(it *hecha.OutboxItem) {
				it.State, it.Outcome = hecha.OutboxPending, hecha.Outcome{}
			})
			if err != nil {
				return err
			}
			rv, hk, err := getVersion(tx, id)
			if err != nil {
				return err
			}
			rv.Upload = hecha.Outcome{}
			if err := putJSONValue(tx, bucketHistory, hk, rv); err != nil {
				return err
			}
			if err := db.statusIfNewest(tx, rv.Result, hecha.StatusUpload); err != nil {
				return err
			}
		}
		return nil
	})
}

// ApplyCases validates a page of cases pulled from the county, then stores
// it and the new cursor (Settings.Cursor) in one transaction. Per case:
//
//   - A case assigned outside this township (its Unit not within
//     Settings.Township; any unit when no township is set): with local
//     work (a draft or any result) it is kept, updated and marked
//     StatusConflict; its history is never removed. Without local work it
//     is removed from the list.
//   - A new case is added as StatusPending.
//   - A case whose Rev is older than the stored one is ignored.
//   - Otherwise the case is updated and keeps its status and its draft,
//     except that when its Rev grew and a result made against an older
//     revision still awaits upload (pending or sending), it becomes
//     StatusConflict. Drafts and results are never touched.
//
// Errors: EINVALID about "cases[i].<field>" (nothing is stored).
func (db *TownshipDB) ApplyCases(ctx context.Context, cases []hecha.Case, cursor uint64) error {
	var errs hecha.Errors
	for i := 0; i < len(cases) && len(errs) < maxErrors; i++ {
		field := fmt.Sprintf("cases[%d]", i)
		if err := hecha.CheckID("id", cases[i].ID); err != nil {
			errs.AddField(field, err)
			continue
		}
		errs.AddField(field, cases[i].Validate(db.rules))
	}
	if err := errs.Err(); err != nil {
		return err
	}
	err := db.update(ctx, func(tx *bbolt.Tx) error {
		fillPages(tx, bucketCases, bucketSummaries, bucketStatusIndex)
		settings, err := getSettings(tx)
		if err != nil {
			return err
		}
		for i := range cases {
			if err := db.applyCase(tx, settings.Township, &cases[i]); err != nil {
				return err
			}
		}
		settings.Cursor = cursor
		return putSettings(tx, &settings)
	})
	// A first sync writes every page of the file: give the pages read
	// back, or they stay resident for the whole pull (issue 17).
	db.releaseMapped()
	return err
}

// applyCase stores one pulled case by ApplyCases' rules.
func (db *TownshipDB) applyCase(tx *bbolt.Tx, township hecha.Code, c *hecha.Case) error {
	s, listed, err := getSummary(tx, c.ID)
	if err != nil {
		return err
	}
	newest, _, err := lastVersion(tx, c.ID)
	if err != nil {
		return err
	}
	localWork := newest != nil || tx.Bucket(bucketDrafts).Get([]byte(c.ID)) != nil
	assigned := township == "" || c.Unit.Within(township)

	switch {
	case !assigned && localWork:
		form := hecha.Form("")
		if listed {
			form = s.Form
		}
		return db.putCase(tx, c, hecha.StatusConflict, form)
	case !assigned:
		return removeCase(tx, c.ID)
	case !listed:
		status := hecha.StatusPending
		if localWork {
			// A case that comes back with local work kept from before.
			status = hecha.StatusConflict
		}
		return db.putCase(tx, c, status, "")
	}

	old, err := getCase(tx, c.ID)
	if err != nil {
		return err
	}
	if c.Rev < old.Rev {
		return nil
	}
	status := s.Status
	if c.Rev > old.Rev {
		stale, err := staleUpload(tx, c.ID, c.Rev)
		if err != nil {
			return err
		}
		if stale {
			status = hecha.StatusConflict
		}
	}
	return db.putCase(tx, c, status, s.Form)
}

// staleUpload reports whether a result of the case awaiting upload
// (pending or sending) was made against a revision older than rev. It
// walks the case's history, which is short.
func staleUpload(tx *bbolt.Tx, caseID string, rev int) (bool, error) {
	p := prefix([]byte(caseID))
	c := tx.Bucket(bucketHistory).Cursor()
	for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
		var rv hecha.ResultVersion
		if err := decodeJSONValue(tx, bucketHistory, k, v, &rv); err != nil {
			return false, err
		}
		if rv.Result.CaseRev >= rev {
			continue
		}
		_, seq := resultRef(tx, rv.Result.ID)
		if seq == nil {
			continue
		}
		var it hecha.OutboxItem
		if _, err := getJSONValue(tx, bucketOutbox, seq, &it); err != nil {
			return false, err
		}
		if it.State == hecha.OutboxPending || it.State == hecha.OutboxSending {
			return true, nil
		}
	}
	return false, nil
}

// ApplyRegistry validates a page of the registry extract, then stores it
// and the new cursor (Settings.RegistryCursor) in one transaction.
// Errors: EINVALID about "floating[i].<field>" or "resident[i].<field>".
func (db *TownshipDB) ApplyRegistry(ctx context.Context, fl []hecha.FloatingRecord, rs []hecha.ResidentRecord, cursor uint64) error {
	var errs hecha.Errors
	for i := 0; i < len(fl) && len(errs) < maxErrors; i++ {
		errs.AddField(fmt.Sprintf("floating[%d]", i), validateFloating(&fl[i], db.rules))
	}
	for i := 0; i < len(rs) && len(errs) < maxErrors; i++ {
		errs.AddField(fmt.Sprintf("resident[%d]", i), validateResident(&rs[i], db.rules))
	}
	if err := errs.Err(); err != nil {
		return err
	}
	err := db.update(ctx, func(tx *bbolt.Tx) error {
		fillPages(tx, bucketFloating, bucketResident)
		if err := putFloatingTx(tx, fl); err != nil {
			return err
		}
		if err := putResidentTx(tx, rs); err != nil {
			return err
		}
		settings, err := getSettings(tx)
		if err != nil {
			return err
		}
		settings.RegistryCursor = cursor
		return putSettings(tx, &settings)
	})
	db.releaseMapped() // as ApplyCases
	return err
}

// pulledFill is the share of a page the buckets that pulls write in key
// order fill before they split it. bbolt's default (a half) leaves each
// page half empty when keys come in order, as a first sync's do: the
// township's file was 45 % empty pages (issue 17; a compaction took 93k
// cases from 361 to 195 MiB). Keys out of order split pages as before.
const pulledFill = 0.95

// fillPages sets pulledFill on the named buckets for the rest of tx (a
// writable transaction hands out one Bucket per name).
func fillPages(tx *bbolt.Tx, names ...[]byte) {
	for _, name := range names {
		if b := tx.Bucket(name); b != nil {
			b.FillPercent = pulledFill
		}
	}
}
