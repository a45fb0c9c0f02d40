package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"slices"
	"sort"
	"strings"
	"time"

	"go.etcd.io/bbolt"

	"hecha"
)

// SaveResult validates res against its stored case and the rules and
// stores it as final, all in one transaction: it fills ID (a new result id
// when empty), SavedAt, Township and Clerk (from the settings, when empty)
// and CaseRev; appends a version to the case's history; sets the case to
// StatusUpload; removes the draft; and adds a pending outbox item.
//
// A case that already has results takes a new one only as a correction of
// the newest: Replaces must name it (an empty Replaces is filled with it).
//
// Errors: EINVALID (hecha.Errors with fields) when res fails validation;
// ENOTFOUND for an unknown case; ECONFLICT when Replaces names a result
// that is not the case's newest, or the id is already used.
func (db *TownshipDB) SaveResult(ctx context.Context, res *hecha.Result) (*hecha.Result, error) {
	if err := hecha.CheckID("case_id", res.CaseID); err != nil {
		return nil, err
	}
	r := *res
	err := db.update(ctx, func(tx *bbolt.Tx) error {
		c, err := getCase(tx, r.CaseID)
		if err != nil {
			return err
		}
		settings, err := getSettings(tx)
		if err != nil {
			return err
		}
		newest, _, err := lastVersion(tx, r.CaseID)
		if err != nil {
			return err
		}

		now := db.now()
		if r.ID == "" {
			r.ID = hecha.NewResultID(now)
		}
		if newest != nil && r.Replaces == "" {
			r.Replaces = newest.Result.ID
		}
		r.SavedAt = now
		r.CaseRev = c.Rev
		if r.Township == "" {
			r.Township = settings.Township
		}
		if r.Clerk == "" {
			r.Clerk = settings.Clerk
		}
		if err := hecha.CheckID("id", r.ID); err != nil {
			return err
		}
		if err := r.Validate(c, db.rules); err != nil {
			return err
		}
		switch {
		case tx.Bucket(bucketResultIndex).Get([]byte(r.ID)) != nil:
			return hecha.Errorf(hecha.ECONFLICT, "id", "store.result_exists", r.ID)
		case newest == nil && r.Replaces != "":
			return hecha.Errorf(hecha.ECONFLICT, "replaces", "store.replaces_unknown", r.Replaces)
		case newest != nil && r.Replaces != newest.Result.ID:
			return hecha.Errorf(hecha.ECONFLICT, "replaces", "store.replaces_not_newest", r.Replaces, newest.Result.ID)
		}

		hk, err := appendVersion(tx, &r, newest)
		if err != nil {
			return err
		}
		seq, err := addOutboxItem(tx, &r, now)
		if err != nil {
			return err
		}
		if err := tx.Bucket(bucketResultIndex).Put([]byte(r.ID), append(seq, hk...)); err != nil {
			return err
		}
		if err := db.deleteDraft(tx, r.CaseID); err != nil {
			return err
		}
		// The resident clerk who signed is remembered for the next form.
		if r.SignOff != nil {
			if name := strings.TrimSpace(r.SignOff.Name); name != "" && name != settings.ResidentClerk {
				settings.ResidentClerk = name
				if err := putSettings(tx, &settings); err != nil {
					return err
				}
			}
		}
		return db.setStatus(tx, r.CaseID, hecha.StatusUpload, r.Form)
	})
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// History returns every result version of a case, oldest first.
// Errors: ENOTFOUND for an unknown case.
func (db *TownshipDB) History(ctx context.Context, caseID string) ([]hecha.ResultVersion, error) {
	var out []hecha.ResultVersion
	err := db.view(ctx, func(tx *bbolt.Tx) error {
		if tx.Bucket(bucketSummaries).Get([]byte(caseID)) == nil {
			return notFound("store.case_not_found", caseID)
		}
		p := prefix([]byte(caseID))
		c := tx.Bucket(bucketHistory).Cursor()
		for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
			var rv hecha.ResultVersion
			if err := decodeJSONValue(tx, bucketHistory, k, v, &rv); err != nil {
				return err
			}
			out = append(out, rv)
		}
		return nil
	})
	return out, err
}

// Result returns one stored result version by result id.
// Errors: ENOTFOUND.
func (db *TownshipDB) Result(ctx context.Context, id string) (*hecha.ResultVersion, error) {
	var rv *hecha.ResultVersion
	err := db.view(ctx, func(tx *bbolt.Tx) error {
		var err error
		rv, _, err = getVersion(tx, id)
		return err
	})
	return rv, err
}

// Outbox returns the outbox items in the given states (all when none),
// oldest first.
func (db *TownshipDB) Outbox(ctx context.Context, states ...hecha.OutboxState) ([]hecha.OutboxItem, error) {
	var out []hecha.OutboxItem
	err := db.view(ctx, func(tx *bbolt.Tx) error {
		ob := tx.Bucket(bucketOutbox)
		if len(states) == 0 {
			return ob.ForEach(func(k, v []byte) error {
				var it hecha.OutboxItem
				err := decodeJSONValue(tx, bucketOutbox, k, v, &it)
				out = append(out, it)
				return err
			})
		}
		// Collect the sequence numbers of each state, then read in order.
		var seqs []uint64
		idx := tx.Bucket(bucketOutboxState).Cursor()
		for i, st := range states {
			if slices.Contains(states[:i], st) {
				continue
			}
			p := prefix([]byte(st))
			for k, _ := idx.Seek(p); k != nil && bytes.HasPrefix(k, p); k, _ = idx.Next() {
				if len(k) == len(p)+8 {
					seqs = append(seqs, binary.BigEndian.Uint64(k[len(p):]))
				}
			}
		}
		sort.Slice(seqs, func(i, j int) bool { return seqs[i] < seqs[j] })
		for _, seq := range seqs {
			var it hecha.OutboxItem
			if ok, err := getJSONValue(tx, bucketOutbox, u64(seq), &it); err != nil {
				return err
			} else if ok {
				out = append(out, it)
			}
		}
		return nil
	})
	return out, err
}

// lastVersion returns the newest version of a case's history and its key,
// or nil when the case has no result yet.
func lastVersion(tx *bbolt.Tx, caseID string) (*hecha.ResultVersion, []byte, error) {
	p := prefix([]byte(caseID))
	c := tx.Bucket(bucketHistory).Cursor()
	// Seek past the case's keys (caseID + 0x01 sorts after caseID + 0x00 + seq)
	// and step back.
	k, v := c.Seek(append([]byte(caseID), sep+1))
	if k == nil {
		k, v = c.Last()
	} else {
		k, v = c.Prev()
	}
	if k == nil || !bytes.HasPrefix(k, p) {
		return nil, nil, nil
	}
	var rv hecha.ResultVersion
	if err := decodeJSONValue(tx, bucketHistory, k, v, &rv); err != nil {
		return nil, nil, err
	}
	return &rv, copyBytes(k), nil
}

// getVersion returns a stored result version by result id, and its
// history key. Errors: ENOTFOUND.
func getVersion(tx *bbolt.Tx, resultID string) (*hecha.ResultVersion, []byte, error) {
	hk, _ := resultRef(tx, resultID)
	if hk == nil {
		return nil, nil, notFound("store.result_not_found", resultID)
	}
	var rv hecha.ResultVersion
	ok, err := getJSONValue(tx, bucketHistory, hk, &rv)
	if err != nil {
		return nil, nil, err
	}
	if !ok {
		return nil, nil, errDamaged(tx.DB().Path(), errMissing("history entry of result "+resultID))
	}
	return &rv, hk, nil
}

// resultRef returns, copied, the history key of a result and the seq of
// its outbox item (nil when it has none); both nil for an unknown result.
func resultRef(tx *bbolt.Tx, resultID string) (hk, seq []byte) {
	v := tx.Bucket(bucketResultIndex).Get([]byte(resultID))
	if len(v) <= 8 {
		return nil, nil
	}
	v = copyBytes(v)
	if binary.BigEndian.Uint64(v) != 0 {
		seq = v[:8:8]
	}
	return v[8:], seq
}

// appendVersion adds r to its case's history after newest (nil for the
// first) and returns its history key.
func appendVersion(tx *bbolt.Tx, r *hecha.Result, newest *hecha.ResultVersion) ([]byte, error) {
	seq := uint64(1)
	if newest != nil {
		seq = newest.Seq + 1
	}
	hk := key([]byte(r.CaseID), u64(seq))
	return hk, putJSONValue(tx, bucketHistory, hk, &hecha.ResultVersion{Seq: seq, Result: *r})
}

// addOutboxItem queues r for upload and returns the item's seq.
func addOutboxItem(tx *bbolt.Tx, r *hecha.Result, now time.Time) ([]byte, error) {
	ob := tx.Bucket(bucketOutbox)
	n, err := ob.NextSequence()
	if err != nil {
		return nil, err
	}
	seq := u64(n)
	it := hecha.OutboxItem{ResultID: r.ID, CaseID: r.CaseID, State: hecha.OutboxPending, QueuedAt: now}
	if err := putJSONValue(tx, bucketOutbox, seq, &it); err != nil {
		return nil, err
	}
	return seq, tx.Bucket(bucketOutboxState).Put(key([]byte(it.State), seq), nil)
}

// resetSending puts outbox items left in sending (a crash or a dropped
// connection mid upload) back to pending. Called on Open.
func resetSending(tx *bbolt.Tx) error {
	for _, seq := range outboxSeqs(tx, hecha.OutboxSending, 0) {
		if err := setOutboxState(tx, seq, func(it *hecha.OutboxItem) { it.State = hecha.OutboxPending }); err != nil {
			return err
		}
	}
	return nil
}

// outboxSeqs returns the keys of up to limit (0: all) outbox items in
// state, oldest first, copied out so the caller may change the index.
func outboxSeqs(tx *bbolt.Tx, state hecha.OutboxState, limit int) [][]byte {
	p := prefix([]byte(state))
	var seqs [][]byte
	c := tx.Bucket(bucketOutboxState).Cursor()
	for k, _ := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, _ = c.Next() {
		if limit > 0 && len(seqs) == limit {
			break
		}
		seqs = append(seqs, copyBytes(k[len(p):]))
	}
	return seqs
}

// setOutboxState loads the outbox item at seq, applies fn and stores it,
// moving its state index entry when the state changed.
func setOutboxState(tx *bbolt.Tx, seq []byte, fn func(*hecha.OutboxItem)) error {
	var it hecha.OutboxItem
	ok, err := getJSONValue(tx, bucketOutbox, seq, &it)
	if err != nil {
		return err
	}
	if !ok {
		return errDamaged(tx.DB().Path(), errMissing("outbox item"))
	}
	old := it.State
	fn(&it)
	if err := putJSONValue(tx, bucketOutbox, seq, &it); err != nil {
		return err
	}
	if old == it.State {
		return nil
	}
	idx := tx.Bucket(bucketOutboxState)
	if err := idx.Delete(key([]byte(old), seq)); err != nil {
		return err
	}
	return idx.Put(key([]byte(it.State), seq), nil)
}
