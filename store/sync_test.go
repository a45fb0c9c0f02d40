package store_test

import (
	"context"
	"path/filepath"
	"testing"

	"hecha"
	"hecha/store"
)

// status returns a case's status.
func status(tb testing.TB, db *store.TownshipDB, id string) hecha.Status {
	tb.Helper()
	s, err := db.Summary(context.Background(), id)
	if err != nil {
		tb.Fatalf("summary %s: %v", id, err)
	}
	return s.Status
}

func TestNextBatch_MovesPendingToSending(t *testing.T) {
	ctx := context.Background()
	db := MustOpenTownship(t)
	MustApplyCases(t, db, Cases(0, 3)...)
	var ids []string
	for i := 0; i < 3; i++ {
		ids = append(ids, MustSaveResult(t, db, NotFound(Case(i).ID)).ID)
	}
	batch, err := db.NextBatch(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(batch) != 2 || batch[0].ID != ids[0] || batch[1].ID != ids[1] || batch[0].Form != hecha.FormR1 {
		t.Fatalf("batch = %+v", batch)
	}
	sending, _ := db.Outbox(ctx, hecha.OutboxSending)
	if len(sending) != 2 || sending[0].Tries != 1 {
		t.Errorf("sending = %+v", sending)
	}
	// The next batch takes what is left; limit 0 means the default.
	batch, err = db.NextBatch(ctx, 0)
	if err != nil || len(batch) != 1 || batch[0].ID != ids[2] {
		t.Fatalf("second batch = %+v, %v", batch, err)
	}
	if batch, _ := db.NextBatch(ctx, 10); len(batch) != 0 {
		t.Errorf("third batch = %+v, want none", batch)
	}
}

func TestOpen_ResetsSendingToPending(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "t.db")
	db := MustOpenDBAt(t, path, store.WithRules(Rules(t)))
	MustApplyCases(t, db, Cases(0, 2)...)
	MustSaveResult(t, db, NotFound("C0000000"))
	MustSaveResult(t, db, NotFound("C0000001"))
	if _, err := db.NextBatch(ctx, 10); err != nil {
		t.Fatal(err)
	}
	MustCloseDB(t, db)

	db = MustOpenDBAt(t, path, store.WithRules(Rules(t)))
	if items, _ := db.Outbox(ctx, hecha.OutboxSending); len(items) != 0 {
		t.Errorf("still sending after reopen: %+v", items)
	}
	items, _ := db.Outbox(ctx, hecha.OutboxPending)
	if len(items) != 2 || items[0].Tries != 1 {
		t.Errorf("pending after reopen = %+v", items)
	}
}

func TestAcknowledge(t *testing.T) {
	ctx := context.Background()
	db := MustOpenTownship(t)
	MustApplyCases(t, db, Cases(0, 6)...)
	var ids []string
	for i := 0; i < 5; i++ {
		ids = append(ids, MustSaveResult(t, db, NotFound(Case(i).ID)).ID)
	}
	if _, err := db.NextBatch(ctx, 10); err != nil {
		t.Fatal(err)
	}
	rejection := hecha.Errors{hecha.Invalid("not_found.reason", "form.required")}
	err := db.Acknowledge(ctx, []hecha.Outcome{
		{ResultID: ids[0], Status: hecha.ResultAccepted},
		{ResultID: ids[1], Status: hecha.ResultDuplicate},
		{ResultID: ids[2], Status: hecha.ResultRejected, Errors: rejection},
		{ResultID: ids[3], Status: hecha.ResultConflict},
		{ResultID: "01HUNKNOWNUNKNOWNUNKNOWN00", Status: hecha.ResultAccepted},
		// ids[4] gets no answer and goes back to pending.
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []hecha.Status{hecha.StatusDone, hecha.StatusDone, hecha.StatusRejected,
		hecha.StatusConflict, hecha.StatusUpload, hecha.StatusPending} {
		if got := status(t, db, Case(i).ID); got != want {
			t.Errorf("case %d status = %s, want %s", i, got, want)
		}
	}
	rej, _ := db.Outbox(ctx, hecha.OutboxRejected)
	if len(rej) != 1 || rej[0].ResultID != ids[2] || len(rej[0].Outcome.Errors) != 1 ||
		rej[0].Outcome.Errors[0].Field != "not_found.reason" || !rej[0].Outcome.At.Equal(Now) {
		t.Errorf("rejected = %+v", rej)
	}
	hist, _ := db.History(ctx, Case(2).ID)
	if hist[0].Upload.Status != hecha.ResultRejected || len(hist[0].Upload.Errors) != 1 {
		t.Errorf("history upload = %+v", hist[0].Upload)
	}
	if p, _ := db.Outbox(ctx, hecha.OutboxPending); len(p) != 1 || p[0].ResultID != ids[4] {
		t.Errorf("pending = %+v", p)
	}
	if a, _ := db.Outbox(ctx, hecha.OutboxAccepted); len(a) != 2 {
		t.Errorf("accepted = %+v", a)
	}
	if c, _ := db.Outbox(ctx, hecha.OutboxConflict); len(c) != 1 || c[0].ResultID != ids[3] {
		t.Errorf("conflict = %+v", c)
	}
}

func TestAcknowledge_OlderResultLeavesStatus(t *testing.T) {
	ctx := context.Background()
	db := MustOpenTownship(t)
	MustApplyCases(t, db, Cases(0, 1)...)
	first := MustSaveResult(t, db, NotFound("C0000000"))
	if _, err := db.NextBatch(ctx, 10); err != nil {
		t.Fatal(err)
	}
	// Corrected while the first was on its way: the newer one is pending.
	MustSaveResult(t, db, NotFound("C0000000"))
	if err := db.Acknowledge(ctx, []hecha.Outcome{{ResultID: first.ID, Status: hecha.ResultAccepted}}); err != nil {
		t.Fatal(err)
	}
	if got := status(t, db, "C0000000"); got != hecha.StatusUpload {
		t.Errorf("status = %s, want upload (a newer result is pending)", got)
	}
}

func TestRequeue(t *testing.T) {
	ctx := context.Background()
	db := MustOpenTownship(t)
	MustApplyCases(t, db, Cases(0, 1)...)
	r := MustSaveResult(t, db, NotFound("C0000000"))
	if _, err := db.NextBatch(ctx, 10); err != nil {
		t.Fatal(err)
	}
	if err := db.Acknowledge(ctx, []hecha.Outcome{{ResultID: r.ID, Status: hecha.ResultAccepted}}); err != nil {
		t.Fatal(err)
	}
	if err := db.Requeue(ctx, []string{r.ID}); err != nil {
		t.Fatal(err)
	}
	items, _ := db.Outbox(ctx, hecha.OutboxPending)
	if len(items) != 1 || items[0].Outcome.Status != "" {
		t.Errorf("pending = %+v", items)
	}
	if got := status(t, db, "C0000000"); got != hecha.StatusUpload {
		t.Errorf("status = %s, want upload", got)
	}
	err := db.Requeue(ctx, []string{r.ID, "01HUNKNOWNUNKNOWNUNKNOWN00"})
	MustCode(t, err, hecha.ENOTFOUND)
}

func TestApplyCases_Rules(t *testing.T) {
	ctx := context.Background()
	db := MustOpenTownship(t)
	MustApplyCases(t, db, Cases(0, 6)...)
	// 1: a draft; 2: a pending result; 3: an accepted result; 4: a pending
	// result made against revision 1; 5: nothing.
	if err := db.SaveDraft(ctx, &hecha.Draft{CaseID: Case(1).ID, Form: hecha.FormR1}); err != nil {
		t.Fatal(err)
	}
	MustSaveResult(t, db, NotFound(Case(2).ID))
	r3 := MustSaveResult(t, db, NotFound(Case(3).ID))
	if _, err := db.NextBatch(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if err := db.Acknowledge(ctx, []hecha.Outcome{{ResultID: r3.ID, Status: hecha.ResultAccepted}}); err != nil {
		t.Fatal(err)
	}
	r4 := MustSaveResult(t, db, NotFound(Case(4).ID))

	away := func(n int) hecha.Case { c := Case(n); c.Unit = "410102002"; c.Rev = 2; return c }
	bumped := func(n int) hecha.Case {
		c := Case(n)
		c.Rev = 2
		c.Person.CurrentAddress = "深圳市南山区新地址"
		return c
	}
	older := Case(0)
	older.Rev = 0
	older.Person.CurrentAddress = "旧地址"
	err := db.ApplyCases(ctx, []hecha.Case{
		older,     // an older revision: ignored
		away(1),   // reassigned with a draft: conflict
		away(2),   // reassigned with a pending result: conflict
		bumped(3), // changed after its result was accepted: stays done
		bumped(4), // changed under a pending result: conflict
		away(5),   // reassigned without local work: removed
		Case(6),   // new: pending
	}, 42)
	if err != nil {
		t.Fatal(err)
	}
	for n, want := range map[int]hecha.Status{
		0: hecha.StatusPending, 1: hecha.StatusConflict, 2: hecha.StatusConflict,
		3: hecha.StatusDone, 4: hecha.StatusConflict, 6: hecha.StatusPending,
	} {
		if got := status(t, db, Case(n).ID); got != want {
			t.Errorf("case %d: status %s, want %s", n, got, want)
		}
	}
	if c, _ := db.Case(ctx, Case(0).ID); c.Person.CurrentAddress == "旧地址" {
		t.Error("an older revision overwrote the case")
	}
	if c, _ := db.Case(ctx, Case(4).ID); c.Rev != 2 {
		t.Errorf("case 4 rev = %d, want 2", c.Rev)
	}
	_, err = db.Case(ctx, Case(5).ID)
	MustCode(t, err, hecha.ENOTFOUND)
	if _, err := db.Draft(ctx, Case(1).ID); err != nil {
		t.Errorf("draft of a reassigned case lost: %v", err)
	}
	if h, _ := db.History(ctx, Case(4).ID); len(h) != 1 || h[0].Result.ID != r4.ID {
		t.Errorf("history of case 4 = %+v", h)
	}
	if p, _ := db.Outbox(ctx, hecha.OutboxPending); len(p) != 2 {
		t.Errorf("pending results = %d, want 2 (never dropped)", len(p))
	}
	if s, _ := db.Settings(ctx); s.Cursor != 42 {
		t.Errorf("cursor = %d, want 42", s.Cursor)
	}
	counts, _ := db.Counts(ctx)
	if counts.Total() != 6 {
		t.Errorf("counts = %v, want 6 cases", counts)
	}
}

func TestApplyCases_BumpWithDraftOnlyKeepsDraft(t *testing.T) {
	ctx := context.Background()
	db := MustOpenTownship(t)
	MustApplyCases(t, db, Case(0))
	if err := db.SaveDraft(ctx, &hecha.Draft{CaseID: Case(0).ID, Form: hecha.FormR2}); err != nil {
		t.Fatal(err)
	}
	c := Case(0)
	c.Rev = 3
	MustApplyCases(t, db, c)
	if got := status(t, db, c.ID); got != hecha.StatusDraft {
		t.Errorf("status = %s, want draft", got)
	}
	if d, err := db.Draft(ctx, c.ID); err != nil || d.Form != hecha.FormR2 {
		t.Errorf("draft = %+v, %v", d, err)
	}
}

func TestApplyCases_Invalid(t *testing.T) {
	ctx := context.Background()
	db := MustOpenTownship(t)
	bad := Case(1)
	bad.Person.Name = ""
	err := db.ApplyCases(ctx, []hecha.Case{Case(0), bad}, 5)
	MustField(t, err, hecha.EINVALID, "cases[1].person.name")
	noID := Case(2)
	noID.ID = ""
	err = db.ApplyCases(ctx, []hecha.Case{noID}, 5)
	MustField(t, err, hecha.EINVALID, "cases[0].id")
	if sums, _ := db.Summaries(ctx); len(sums) != 0 {
		t.Errorf("stored %d cases of an invalid page", len(sums))
	}
	if s, _ := db.Settings(ctx); s.Cursor != 0 {
		t.Errorf("cursor moved to %d", s.Cursor)
	}
}
