package store_test

import (
	"context"
	"testing"

	"hecha"
)

func TestSaveResult_StoresEverythingInOneGo(t *testing.T) {
	ctx := context.Background()
	db := MustOpenTownship(t)
	MustApplyCases(t, db, Cases(0, 2)...)
	if err := db.SaveDraft(ctx, &hecha.Draft{CaseID: "C0000000", Form: hecha.FormR1}); err != nil {
		t.Fatal(err)
	}
	r := MustSaveResult(t, db, NotFound("C0000000"))
	if !hecha.ValidResultID(r.ID) || !r.SavedAt.Equal(Now) || r.Township != Township || r.Clerk != "李娜" || r.CaseRev != 1 {
		t.Errorf("stored result = %+v", r)
	}
	hist, err := db.History(ctx, "C0000000")
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 1 || hist[0].Seq != 1 || hist[0].Result.ID != r.ID {
		t.Fatalf("history = %+v", hist)
	}
	rv, err := db.Result(ctx, r.ID)
	if err != nil || rv.Result.CaseID != "C0000000" {
		t.Fatalf("Result = %+v, %v", rv, err)
	}
	if _, err := db.Draft(ctx, "C0000000"); hecha.ErrorCode(err) != hecha.ENOTFOUND {
		t.Errorf("draft still there: %v", err)
	}
	s, _ := db.Summary(ctx, "C0000000")
	if s.Status != hecha.StatusUpload || s.Form != hecha.FormR1 {
		t.Errorf("status, form = %s, %s", s.Status, s.Form)
	}
	items, err := db.Outbox(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 || items[0].ResultID != r.ID || items[0].State != hecha.OutboxPending ||
		items[0].CaseID != "C0000000" || !items[0].QueuedAt.Equal(Now) {
		t.Errorf("outbox = %+v", items)
	}
	// The case without a result has an empty history.
	if hist, err := db.History(ctx, "C0000001"); err != nil || len(hist) != 0 {
		t.Errorf("history of C0000001 = %v, %v", hist, err)
	}
}

func TestSaveResult_Errors(t *testing.T) {
	ctx := context.Background()
	db := MustOpenTownship(t)
	MustApplyCases(t, db, Cases(0, 2)...)
	first := MustSaveResult(t, db, NotFound("C0000001"))
	second := MustSaveResult(t, db, &hecha.Result{CaseID: "C0000001", Form: hecha.FormR1,
		Replaces: first.ID, NotFound: &hecha.NotFound{Reason: hecha.NotFoundDied}})

	for _, tc := range []struct {
		name  string
		res   *hecha.Result
		code  string
		field string
	}{
		{"no case id", &hecha.Result{Form: hecha.FormR1}, hecha.EINVALID, "case_id"},
		{"unknown case", NotFound("C9999999"), hecha.ENOTFOUND, ""},
		{"form of another kind", &hecha.Result{CaseID: "C0000000", Form: hecha.FormP2,
			NotFound: &hecha.NotFound{Reason: hecha.NotFoundDied}}, hecha.EINVALID, "form"},
		{"missing body", &hecha.Result{CaseID: "C0000000", Form: hecha.FormR1}, hecha.EINVALID, "not_found"},
		{"bad reason", &hecha.Result{CaseID: "C0000000", Form: hecha.FormR1,
			NotFound: &hecha.NotFound{Reason: "7"}}, hecha.EINVALID, "not_found.reason"},
		{"bad id", &hecha.Result{ID: "x", CaseID: "C0000000", Form: hecha.FormR1,
			NotFound: &hecha.NotFound{Reason: hecha.NotFoundDied}}, hecha.EINVALID, "id"},
		{"id in use", &hecha.Result{ID: first.ID, CaseID: "C0000000", Form: hecha.FormR1,
			NotFound: &hecha.NotFound{Reason: hecha.NotFoundDied}}, hecha.ECONFLICT, "id"},
		{"replaces a result of no case", &hecha.Result{CaseID: "C0000000", Form: hecha.FormR1, Replaces: first.ID,
			NotFound: &hecha.NotFound{Reason: hecha.NotFoundDied}}, hecha.ECONFLICT, "replaces"},
		{"replaces an older result", &hecha.Result{CaseID: "C0000001", Form: hecha.FormR1, Replaces: first.ID,
			NotFound: &hecha.NotFound{Reason: hecha.NotFoundDied}}, hecha.ECONFLICT, "replaces"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := db.SaveResult(ctx, tc.res)
			MustCode(t, err, tc.code)
			if tc.field != "" {
				MustField(t, err, tc.code, tc.field)
			}
		})
	}
	// Nothing of the failed saves was stored.
	items, _ := db.Outbox(ctx)
	if len(items) != 2 {
		t.Errorf("outbox has %d items, want 2", len(items))
	}
	hist, _ := db.History(ctx, "C0000001")
	if len(hist) != 2 || hist[1].Result.ID != second.ID || hist[1].Seq != 2 {
		t.Errorf("history = %+v", hist)
	}
	_, err := db.History(ctx, "C9999999")
	MustCode(t, err, hecha.ENOTFOUND)
	_, err = db.Result(ctx, "01HZZZZZZZZZZZZZZZZZZZZZZZ")
	MustCode(t, err, hecha.ENOTFOUND)
}

func TestSaveResult_CorrectionKeepsBoth(t *testing.T) {
	ctx := context.Background()
	db := MustOpenTownship(t)
	MustApplyCases(t, db, Cases(0, 1)...)
	first := MustSaveResult(t, db, NotFound("C0000000"))
	// Without Replaces the newest result is named.
	second := MustSaveResult(t, db, NotFound("C0000000"))
	if second.Replaces != first.ID {
		t.Errorf("Replaces = %q, want %q", second.Replaces, first.ID)
	}
	third := MustSaveResult(t, db, &hecha.Result{CaseID: "C0000000", Form: hecha.FormR1, Replaces: second.ID,
		NotFound: &hecha.NotFound{Reason: hecha.NotFoundOther, Remark: "查无此人"}})
	hist, err := db.History(ctx, "C0000000")
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 3 || hist[0].Result.ID != first.ID || hist[2].Result.ID != third.ID {
		t.Fatalf("history = %+v", hist)
	}
	items, _ := db.Outbox(ctx, hecha.OutboxPending)
	if len(items) != 3 || items[0].ResultID != first.ID || items[2].ResultID != third.ID {
		t.Errorf("outbox = %+v", items)
	}
}

func TestOutbox_FiltersByStateInOrder(t *testing.T) {
	ctx := context.Background()
	db := MustOpenTownship(t)
	MustApplyCases(t, db, Cases(0, 4)...)
	var ids []string
	for i := 0; i < 4; i++ {
		ids = append(ids, MustSaveResult(t, db, NotFound(Case(i).ID)).ID)
	}
	if _, err := db.NextBatch(ctx, 2); err != nil {
		t.Fatal(err)
	}
	if err := db.Acknowledge(ctx, []hecha.Outcome{{ResultID: ids[1], Status: hecha.ResultAccepted}}); err != nil {
		t.Fatal(err)
	}
	// ids[0] went back to pending (no answer), ids[1] is accepted.
	got, err := db.Outbox(ctx, hecha.OutboxAccepted, hecha.OutboxPending, hecha.OutboxAccepted)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 {
		t.Fatalf("got %d items", len(got))
	}
	for i, it := range got {
		if it.ResultID != ids[i] {
			t.Errorf("item %d = %s, want %s (oldest first)", i, it.ResultID, ids[i])
		}
	}
	acc, _ := db.Outbox(ctx, hecha.OutboxAccepted)
	if len(acc) != 1 || acc[0].ResultID != ids[1] || acc[0].Tries != 1 {
		t.Errorf("accepted = %+v", acc)
	}
}

// TestSaveResult_RemembersResidentClerk checks that the resident clerk who
// signed a saved result is remembered in the settings, in the same
// transaction, for the next form; a result without a sign-off leaves it.
func TestSaveResult_RemembersResidentClerk(t *testing.T) {
	ctx := context.Background()
	db := MustOpenTownship(t)
	MustApplyCases(t, db, Cases(0, 3)...)
	c := Case(0)
	v := hecha.Prefill(&c)
	v.Education, v.HukouType, v.Marital, v.Reason = "20", "10", "20", "1"
	MustSaveResult(t, db, &hecha.Result{CaseID: c.ID, Form: hecha.FormR2, Verified: &v,
		SignOff: &hecha.SignOff{Confirmed: true, Name: " 周会计 "}})
	s, err := db.Settings(ctx)
	if err != nil || s.ResidentClerk != "周会计" || s.Clerk != "李娜" {
		t.Fatalf("settings = %+v, %v", s, err)
	}
	MustSaveResult(t, db, NotFound("C0000001"))
	if s, _ := db.Settings(ctx); s.ResidentClerk != "周会计" {
		t.Fatalf("a result without sign-off changed it: %+v", s)
	}
}
