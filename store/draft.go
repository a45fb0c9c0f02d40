package store

import (
	"context"
	"slices"

	"go.etcd.io/bbolt"

	"hecha"
)

// SaveDraft stores d as its case's draft, replacing any earlier one, and
// sets SavedAt. A case that was pending becomes StatusDraft; a case with a
// final result keeps its status (the draft is a correction in progress).
// It is the form's autosave target, so it writes the draft and, only when
// the status or form changes, the summary.
//
// Errors: EINVALID about "case_id" or "form" (a form the case's kind cannot
// take); ENOTFOUND for an unknown case.
func (db *TownshipDB) SaveDraft(ctx context.Context, d *hecha.Draft) error {
	if err := hecha.CheckID("case_id", d.CaseID); err != nil {
		return err
	}
	return db.update(ctx, func(tx *bbolt.Tx) error {
		s, ok, err := getSummary(tx, d.CaseID)
		if err != nil {
			return err
		}
		if !ok {
			return notFound("store.case_not_found", d.CaseID)
		}
		if d.Form != "" && !slices.Contains(hecha.FormsFor(s.Kind), d.Form) {
			return hecha.Invalid("form", "store.form_kind", string(d.Form))
		}
		d.SavedAt = db.now()
		if err := putJSONValue(tx, bucketDrafts, []byte(d.CaseID), d); err != nil {
			return err
		}
		switch {
		case s.Status == hecha.StatusPending:
			return db.setStatus(tx, d.CaseID, hecha.StatusDraft, d.Form)
		case s.Status == hecha.StatusDraft && d.Form != "" && d.Form != s.Form:
			return db.setStatus(tx, d.CaseID, hecha.StatusDraft, d.Form)
		}
		return nil
	})
}

// Draft returns the case's draft. Errors: ENOTFOUND when the case has none.
func (db *TownshipDB) Draft(ctx context.Context, caseID string) (*hecha.Draft, error) {
	var d hecha.Draft
	err := db.view(ctx, func(tx *bbolt.Tx) error {
		ok, err := getJSONValue(tx, bucketDrafts, []byte(caseID), &d)
		if err == nil && !ok {
			err = notFound("store.draft_not_found", caseID)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &d, nil
}

// DeleteDraft removes the case's draft, if any; a case in StatusDraft goes
// back to StatusPending. Deleting a draft that does not exist is no error.
func (db *TownshipDB) DeleteDraft(ctx context.Context, caseID string) error {
	return db.update(ctx, func(tx *bbolt.Tx) error { return db.deleteDraft(tx, caseID) })
}

// deleteDraft removes the draft and undoes StatusDraft.
func (db *TownshipDB) deleteDraft(tx *bbolt.Tx, caseID string) error {
	b := tx.Bucket(bucketDrafts)
	if b.Get([]byte(caseID)) == nil {
		return nil
	}
	if err := b.Delete([]byte(caseID)); err != nil {
		return err
	}
	s, ok, err := getSummary(tx, caseID)
	if err != nil || !ok || s.Status != hecha.StatusDraft {
		return err
	}
	old := s.Status
	s.Status, s.Form, s.UpdatedAt = hecha.StatusPending, "", db.now()
	return putSummary(tx, s, old)
}
