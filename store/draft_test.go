package store_test

import (
	"context"
	"testing"

	"hecha"
)

func TestSaveDraft_RoundTripAndStatus(t *testing.T) {
	ctx := context.Background()
	db := MustOpenTownship(t)
	MustApplyCases(t, db, Cases(0, 2)...)

	d := &hecha.Draft{CaseID: "C0000000", Form: hecha.FormR2, Values: map[string]string{"name": "张"}, Focus: "name"}
	if err := db.SaveDraft(ctx, d); err != nil {
		t.Fatal(err)
	}
	got, err := db.Draft(ctx, "C0000000")
	if err != nil {
		t.Fatal(err)
	}
	if got.Values["name"] != "张" || got.Focus != "name" || got.Form != hecha.FormR2 || !got.SavedAt.Equal(Now) {
		t.Errorf("draft = %+v", got)
	}
	s, err := db.Summary(ctx, "C0000000")
	if err != nil {
		t.Fatal(err)
	}
	if s.Status != hecha.StatusDraft || s.Form != hecha.FormR2 {
		t.Errorf("status, form = %s, %s; want draft, R2", s.Status, s.Form)
	}

	// A new draft replaces the old; the form change reaches the summary.
	if err := db.SaveDraft(ctx, &hecha.Draft{CaseID: "C0000000", Form: hecha.FormR1}); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.Draft(ctx, "C0000000"); got.Form != hecha.FormR1 || got.Values != nil {
		t.Errorf("draft after replace = %+v", got)
	}
	if s, _ := db.Summary(ctx, "C0000000"); s.Form != hecha.FormR1 {
		t.Errorf("summary form = %s, want R1", s.Form)
	}

	// Deleting goes back to pending; deleting again is no error.
	for i := 0; i < 2; i++ {
		if err := db.DeleteDraft(ctx, "C0000000"); err != nil {
			t.Fatal(err)
		}
	}
	_, err = db.Draft(ctx, "C0000000")
	MustCode(t, err, hecha.ENOTFOUND)
	if s, _ := db.Summary(ctx, "C0000000"); s.Status != hecha.StatusPending || s.Form != "" {
		t.Errorf("after delete: status %s form %s", s.Status, s.Form)
	}
}

func TestSaveDraft_Errors(t *testing.T) {
	ctx := context.Background()
	db := MustOpenTownship(t)
	MustApplyCases(t, db, Cases(0, 1)...)
	for _, tc := range []struct {
		name  string
		d     hecha.Draft
		code  string
		field string
	}{
		{"no case id", hecha.Draft{Form: hecha.FormR1}, hecha.EINVALID, "case_id"},
		{"separator in id", hecha.Draft{CaseID: "C\x00"}, hecha.EINVALID, "case_id"},
		{"unknown case", hecha.Draft{CaseID: "C9999999"}, hecha.ENOTFOUND, ""},
		{"form of another kind", hecha.Draft{CaseID: "C0000000", Form: hecha.FormP1}, hecha.EINVALID, "form"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := db.SaveDraft(ctx, &tc.d)
			MustCode(t, err, tc.code)
			if hecha.ErrorField(err) != tc.field {
				t.Errorf("field = %q, want %q", hecha.ErrorField(err), tc.field)
			}
		})
	}
}

func TestSaveDraft_KeepsFinalStatus(t *testing.T) {
	ctx := context.Background()
	db := MustOpenTownship(t)
	MustApplyCases(t, db, Cases(0, 1)...)
	MustSaveResult(t, db, NotFound("C0000000"))
	if err := db.SaveDraft(ctx, &hecha.Draft{CaseID: "C0000000", Form: hecha.FormR2}); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteDraft(ctx, "C0000000"); err != nil {
		t.Fatal(err)
	}
	s, _ := db.Summary(ctx, "C0000000")
	if s.Status != hecha.StatusUpload || s.Form != hecha.FormR1 {
		t.Errorf("status, form = %s, %s; want upload, R1", s.Status, s.Form)
	}
}
