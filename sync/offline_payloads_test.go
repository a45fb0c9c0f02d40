package sync_test

import (
	"context"
	"strings"
	"testing"

	"hecha"
	"hecha/store"
	hsync "hecha/sync"
)

// wantOutcomes checks that every outcome has the status want.
func wantOutcomes(tb testing.TB, outs []hecha.Outcome, n int, want hecha.ResultStatus) {
	tb.Helper()
	if len(outs) != n {
		tb.Fatalf("%d outcomes, want %d", len(outs), n)
	}
	for _, o := range outs {
		if o.Status != want {
			tb.Fatalf("outcome %+v, want %s", o, want)
		}
	}
}

func TestOfflineRoundTrip(t *testing.T) {
	o := newOffline(t, 12)
	ctx := context.Background()
	saved := saveResults(t, o.town, 8)

	data, n := o.exportBatch(t)
	if n != 8 {
		t.Fatalf("exported %d results, want 8", n)
	}
	// Exporting moves nothing to sending: the file may never arrive.
	if items, _ := o.town.Outbox(ctx, hecha.OutboxPending); len(items) != 8 {
		t.Fatalf("%d pending after export, want 8", len(items))
	}
	outs, receipt, err := o.importBatch(t, data)
	if err != nil {
		t.Fatal(err)
	}
	wantOutcomes(t, outs, 8, hecha.ResultAccepted)
	rep, err := o.importReceipt(t, receipt)
	if err != nil {
		t.Fatal(err)
	}
	if rep != (hsync.ReceiptReport{Accepted: 8}) {
		t.Errorf("receipt report %+v", rep)
	}
	assertSynced(t, o.county, o.town, townA, saved)
	counts, _ := o.town.Counts(ctx)
	if counts[hecha.StatusDone] != 8 {
		t.Errorf("counts %v, want 8 done", counts)
	}

	// A correction and a new result travel the same way; with nothing
	// left, the next batch is empty.
	fix, err := o.town.SaveResult(ctx, &hecha.Result{CaseID: saved[0].CaseID, Form: hecha.FormR1, Replaces: saved[0].ID,
		NotFound: &hecha.NotFound{Reason: hecha.NotFoundOther, Remark: "查无此人，邻居说已搬走"}})
	if err != nil {
		t.Fatal(err)
	}
	more := saveResults(t, o.town, 1)
	data, n = o.exportBatch(t)
	if n != 2 {
		t.Fatalf("exported %d, want 2", n)
	}
	outs, receipt, err = o.importBatch(t, data)
	if err != nil {
		t.Fatal(err)
	}
	wantOutcomes(t, outs, 2, hecha.ResultAccepted)
	if _, err := o.importReceipt(t, receipt); err != nil {
		t.Fatal(err)
	}
	if got, _ := o.county.ResultsOf(ctx, saved[0].CaseID); len(got) != 2 || got[1].ID != fix.ID {
		t.Errorf("county results of the corrected case: %+v", got)
	}
	if _, n = o.exportBatch(t); n != 0 {
		t.Errorf("%d results left to export", n)
	}
	if left, _ := o.town.Outbox(ctx, hecha.OutboxPending, hecha.OutboxSending, hecha.OutboxRejected, hecha.OutboxConflict); len(left) != 0 {
		t.Errorf("outbox not all acknowledged: %+v", left)
	}
	_ = more
}

func TestOfflineReplay(t *testing.T) {
	o := newOffline(t, 6)
	ctx := context.Background()
	saved := saveResults(t, o.town, 4)
	data, _ := o.exportBatch(t)
	_, first, err := o.importBatch(t, data)
	if err != nil {
		t.Fatal(err)
	}
	// The same file again: every result a duplicate, held once.
	outs, second, err := o.importBatch(t, data)
	if err != nil {
		t.Fatal(err)
	}
	wantOutcomes(t, outs, 4, hecha.ResultDuplicate)

	// Either receipt, any number of times, leaves the outbox acknowledged.
	for i, r := range [][]byte{second, first, second} {
		rep, err := o.importReceipt(t, r)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Accepted+rep.Duplicate != 4 || rep.Unknown+rep.Kept+rep.Rejected+rep.Conflict != 0 {
			t.Errorf("receipt %d: %+v", i, rep)
		}
	}
	assertSynced(t, o.county, o.town, townA, saved)

	// An older answer that set a result aside does not undo an acceptance.
	stale := hsync.ReceiptFile{Outcomes: []hecha.Outcome{
		{ResultID: saved[0].ID, Status: hecha.ResultConflict, Errors: hecha.Errors{hecha.Errorf(hecha.ECONFLICT, "", "county.case_changed", "x", 1, 2)}},
		{ResultID: "01ARZ3NDEKTSV4RRFFQ69G5FAV", Status: hecha.ResultAccepted},
		{ResultID: saved[1].ID, Status: "maybe"},
	}}
	k, err := countyKeys(o.county)(ctx, hsync.FileHeader{TokenID: o.key.TokenID})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := o.importReceipt(t, encode(t, k, hsync.FileReceipt, stale))
	if err != nil {
		t.Fatal(err)
	}
	if rep != (hsync.ReceiptReport{Kept: 1, Unknown: 2}) {
		t.Errorf("stale receipt: %+v", rep)
	}
	assertSynced(t, o.county, o.town, townA, saved)
}

func TestOfflineRejectedAndConflict(t *testing.T) {
	o := newOffline(t, 6)
	ctx := context.Background()
	saved := saveResults(t, o.town, 3)
	// The county changes the second case after the clerk verified it.
	c, err := o.county.Case(ctx, saved[1].CaseID)
	if err != nil {
		t.Fatal(err)
	}
	c.Person.CurrentAddress += "（更正）"
	if _, err := o.county.ImportCases(ctx, []hecha.Case{*c}); err != nil {
		t.Fatal(err)
	}
	data, _ := o.exportBatch(t)
	outs, receipt, err := o.importBatch(t, data)
	if err != nil {
		t.Fatal(err)
	}
	if outs[0].Status != hecha.ResultAccepted || outs[1].Status != hecha.ResultConflict || outs[2].Status != hecha.ResultAccepted {
		t.Fatalf("outcomes %+v", outs)
	}
	var r hsync.ReceiptFile
	if _, err := hsync.DecodeFile(ctx, "r", receipt, hsync.FileReceipt, fixedKey(o.key), &r); err != nil {
		t.Fatal(err)
	}
	spy := &ackSpy{TownshipDB: o.town}
	rep, err := hsync.ApplyReceipt(ctx, spy, r)
	if err != nil || rep != (hsync.ReceiptReport{Accepted: 2, Conflict: 1}) {
		t.Fatalf("receipt %+v, %v", rep, err)
	}
	// The county's message reaches Acknowledge as it was written.
	if len(spy.got) != 3 || len(spy.got[1].Errors) != 1 {
		t.Fatalf("acknowledged %+v", spy.got)
	}
	if msg := hecha.ErrorMessage(spy.got[1].Errors[0], hecha.English); strings.Contains(msg, "%!") || !strings.Contains(msg, c.ID) {
		t.Errorf("the county's message reads %q", msg)
	}
	items, _ := o.town.Outbox(ctx, hecha.OutboxConflict)
	if len(items) != 1 || items[0].ResultID != saved[1].ID || len(items[0].Outcome.Errors) == 0 ||
		items[0].Outcome.Errors[0].MsgID != "county.case_changed" {
		t.Fatalf("conflict items %+v", items)
	}
	if s, _ := o.town.Summary(ctx, saved[1].CaseID); s.Status != hecha.StatusConflict {
		t.Errorf("case status %s, want conflict", s.Status)
	}
	// A set-aside result is not exported again; the clerk saves a new one.
	if _, n := o.exportBatch(t); n != 0 {
		t.Errorf("%d exported after the receipt", n)
	}
}

// ackSpy records what reaches Acknowledge.
type ackSpy struct {
	*store.TownshipDB
	got []hecha.Outcome
}

func (a *ackSpy) Acknowledge(ctx context.Context, outs []hecha.Outcome) error {
	a.got = append(a.got, outs...)
	return a.TownshipDB.Acknowledge(ctx, outs)
}

// TestOfflineMixedWithNetwork sends the same results by file and over the
// network, in both orders: the county holds each once and the outbox ends
// acknowledged.
func TestOfflineMixedWithNetwork(t *testing.T) {
	for _, fileFirst := range []bool{true, false} {
		name := "network then file"
		if fileFirst {
			name = "file then network"
		}
		t.Run(name, func(t *testing.T) {
			o := newOffline(t, 10)
			srv := serveCounty(t, o.county)
			defer srv.Close()
			s := &hsync.Syncer{Store: o.town, Client: newClient(t, srv.URL, o.tokens[townA]), Now: fxClock}
			saved := saveResults(t, o.town, 6)
			data, _ := o.exportBatch(t)

			var receipt []byte
			if fileFirst {
				outs, r, err := o.importBatch(t, data)
				if err != nil {
					t.Fatal(err)
				}
				wantOutcomes(t, outs, 6, hecha.ResultAccepted)
				receipt = r
				rep := syncUntilDone(t, s, 3)
				if rep.Duplicate != 6 || rep.Accepted != 0 {
					t.Errorf("network after file: %+v", rep)
				}
			} else {
				rep := syncUntilDone(t, s, 3)
				if rep.Accepted != 6 {
					t.Errorf("network: %+v", rep)
				}
				outs, r, err := o.importBatch(t, data)
				if err != nil {
					t.Fatal(err)
				}
				wantOutcomes(t, outs, 6, hecha.ResultDuplicate)
				receipt = r
			}
			if _, err := o.importReceipt(t, receipt); err != nil {
				t.Fatal(err)
			}
			assertSynced(t, o.county, o.town, townA, saved)
			// And the network again after all of it.
			if rep := syncUntilDone(t, s, 2); rep.Pushed != 0 || rep.Requeued != 0 {
				t.Errorf("a last round pushed %+v", rep)
			}
		})
	}
}

func TestOfflineCasesFile(t *testing.T) {
	o := newOffline(t, 5)
	ctx := context.Background()
	if fl, rs, err := o.town.RegistryCount(ctx); err != nil || fl != 0 || rs != 5 {
		t.Fatalf("registry extract %d floating, %d resident, %v; want 0, 5", fl, rs, err)
	}
	st0, _ := o.town.Settings(ctx)
	if st0.Cursor == 0 || st0.RegistryCursor == 0 {
		t.Fatalf("cursors after the first file: %+v", st0)
	}
	// Nothing new: the file is empty and changes nothing.
	if rep := o.importCases(t, st0.Cursor, st0.RegistryCursor); rep.Cases+rep.Registry != 0 || rep.Gap {
		t.Errorf("empty file: %+v", rep)
	}

	sums, _ := o.town.Summaries(ctx)
	draft := &hecha.Draft{CaseID: sums[0].ID, Form: hecha.FormR1, Values: map[string]string{"remark": "走访中"}}
	if err := o.town.SaveDraft(ctx, draft); err != nil {
		t.Fatal(err)
	}
	pending := saveResults(t, o.town, 2)[1] // sums[1]
	change := func(ids ...string) {
		t.Helper()
		for _, id := range ids {
			c, err := o.county.Case(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			c.Person.CurrentAddress += "（更正）"
			if _, err := o.county.ImportCases(ctx, []hecha.Case{*c}); err != nil {
				t.Fatal(err)
			}
		}
	}
	change(sums[0].ID, sums[1].ID, sums[2].ID)
	rep := o.importCases(t, st0.Cursor, st0.RegistryCursor)
	if rep.Cases != 3 || rep.Gap || rep.Cursor <= st0.Cursor {
		t.Fatalf("changes: %+v", rep)
	}
	if d, err := o.town.Draft(ctx, sums[0].ID); err != nil || d.Values["remark"] != "走访中" {
		t.Errorf("draft after the file: %+v, %v", d, err)
	}
	if s, _ := o.town.Summary(ctx, pending.CaseID); s.Status != hecha.StatusConflict {
		t.Errorf("case changed under a pending result: %s, want conflict", s.Status)
	}
	want, _ := o.county.Case(ctx, sums[2].ID)
	if c, _ := o.town.Case(ctx, sums[2].ID); c.Rev != want.Rev || c.Person.CurrentAddress != want.Person.CurrentAddress {
		t.Errorf("changed case at rev %d (%s), want %d", c.Rev, c.Person.CurrentAddress, want.Rev)
	}
	st1, _ := o.town.Settings(ctx)

	// A file that starts past the township's cursor leaves a gap: its
	// cases are stored but the cursor stays, so the next file fills it.
	change(sums[3].ID)
	mid, _, err := o.county.CasesSince(ctx, townA, st1.Cursor, 0)
	if err != nil || len(mid) != 1 {
		t.Fatal(mid, err)
	}
	_, after, _ := o.county.CasesSince(ctx, townA, st1.Cursor, 0)
	change(sums[4].ID)
	rep = o.importCases(t, after, st1.RegistryCursor)
	if rep.Cases != 1 || !rep.Gap || rep.Cursor != st1.Cursor {
		t.Fatalf("gap: %+v (cursor was %d)", rep, st1.Cursor)
	}
	if st, _ := o.town.Settings(ctx); st.Cursor != st1.Cursor {
		t.Errorf("cursor moved over a gap: %d, want %d", st.Cursor, st1.Cursor)
	}
	rep = o.importCases(t, st1.Cursor, st1.RegistryCursor)
	if rep.Cases != 2 || rep.Gap || rep.Cursor <= after {
		t.Fatalf("after the gap: %+v", rep)
	}
	// An older file never moves the cursor back, except a full export.
	st2, _ := o.town.Settings(ctx)
	if rep = o.importCases(t, st0.Cursor, st0.RegistryCursor); rep.Cursor != st2.Cursor {
		t.Errorf("older file moved the cursor to %d from %d", rep.Cursor, st2.Cursor)
	}
	if rep = o.importCases(t, 0, 0); rep.Cases != 5 || rep.Cursor != st2.Cursor {
		t.Errorf("full export: %+v", rep)
	}
}

// chunkCounty answers each result accepted, leaving ResultID empty as a
// county may, and records the size of each request. The rest of
// hecha.CountyStore is the nil embedded interface: ApplyBatch calls
// nothing else.
type chunkCounty struct {
	hecha.CountyStore
	sizes []int
}

func (c *chunkCounty) ApplyResults(_ context.Context, _ hecha.Code, rs []hecha.Result) ([]hecha.Outcome, error) {
	c.sizes = append(c.sizes, len(rs))
	outs := make([]hecha.Outcome, len(rs))
	for i := range outs {
		outs[i].Status = hecha.ResultAccepted
	}
	if len(rs) == 1 {
		outs = outs[:0] // a county that loses an answer
	}
	return outs, nil
}

func TestApplyBatchSplitsAsTheServerLimits(t *testing.T) {
	rs := make([]hecha.Result, 2*hsync.MaxBatch+2)
	for i := range rs {
		rs[i].ID = hecha.NewResultID(fxNow)
	}
	c := &chunkCounty{}
	outs, err := hsync.ApplyBatch(context.Background(), c, townA, rs[:2*hsync.MaxBatch+2])
	if err != nil {
		t.Fatal(err)
	}
	if len(c.sizes) != 3 || c.sizes[0] != hsync.MaxBatch || c.sizes[2] != 2 || len(outs) != len(rs) {
		t.Fatalf("requests %v, %d outcomes", c.sizes, len(outs))
	}
	for i, o := range outs {
		if o.ResultID != rs[i].ID {
			t.Fatalf("outcome %d names %q, want %q", i, o.ResultID, rs[i].ID)
		}
	}
	if _, err := hsync.ApplyBatch(context.Background(), c, townA, rs[:1]); err == nil {
		t.Error("a missing outcome went unnoticed")
	}
}
