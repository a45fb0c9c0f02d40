package sync_test

import (
	"context"
	"strings"
	"testing"

	"hecha"
	hsync "hecha/sync"
)

// isolationFixture is a county with townships A and B, B having synced and
// pushed results, and a client for A's token.
type isolationFixture struct {
	county  hecha.CountyStore
	a       *hsync.Client
	bCases  []string
	bResult []hecha.Result
}

func newIsolationFixture(t *testing.T) *isolationFixture {
	t.Helper()
	county := openCounty(t, false)
	t.Cleanup(func() { county.Close() })
	tokens := seedCounty(t, county, 6, townA, townB)
	ts := serveCounty(t, county)
	t.Cleanup(ts.Close)

	townBDB := openTownship(t, tempPath(t, "b.db"), townB)
	t.Cleanup(func() { townBDB.Close() })
	sb := &hsync.Syncer{Store: townBDB, Client: newClient(t, ts.URL, tokens[townB]), Now: fxClock}
	syncUntilDone(t, sb, 1)
	saved := saveResults(t, townBDB, 3)
	syncUntilDone(t, sb, 1)

	f := &isolationFixture{county: county, a: newClient(t, ts.URL, tokens[townA]), bResult: saved}
	for i := 0; i < 6; i++ {
		f.bCases = append(f.bCases, fxCase(townB, i).ID)
	}
	return f
}

func TestIsolation_WhoAmI(t *testing.T) {
	f := newIsolationFixture(t)
	got, err := f.a.WhoAmI(context.Background())
	if err != nil || got != townA {
		t.Fatalf("WhoAmI = %q, %v; want %s", got, err, townA)
	}
}

func TestIsolation_Cases(t *testing.T) {
	f := newIsolationFixture(t)
	page, err := f.a.PullCases(context.Background(), 0, hsync.MaxPageLimit)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Cases) != 6 {
		t.Fatalf("A pulled %d cases, want its 6", len(page.Cases))
	}
	for _, c := range page.Cases {
		if c.Unit != townA || strings.HasPrefix(c.ID, string(townB)) {
			t.Fatalf("A pulled case %s of unit %s", c.ID, c.Unit)
		}
	}
}

func TestIsolation_Registry(t *testing.T) {
	f := newIsolationFixture(t)
	var fl []hecha.FloatingRecord
	var rs []hecha.ResidentRecord
	for since := uint64(0); ; {
		page, err := f.a.PullRegistry(context.Background(), since, 0)
		if err != nil {
			t.Fatal(err)
		}
		fl, rs = append(fl, page.Floating...), append(rs, page.Resident...)
		if !page.More {
			break
		}
		since = page.Next
	}
	if len(rs) == 0 {
		t.Fatal("A's registry extract is empty; the test would prove nothing")
	}
	for _, r := range rs {
		if r.HouseholdDivision == townB || strings.Contains(r.ID, string(townB)) {
			t.Fatalf("A pulled B's resident record %s", r.ID)
		}
	}
	for _, r := range fl {
		if r.HouseholdDivision == townB {
			t.Fatalf("A pulled B's floating record %s", r.ID)
		}
	}
}

func TestIsolation_PushForAnotherTownshipsCase(t *testing.T) {
	f := newIsolationFixture(t)
	ctx := context.Background()
	caseB := f.bCases[5] // B has not verified it
	res := hecha.Result{
		ID: hecha.NewResultID(fxNow), CaseID: caseB, Form: hecha.FormR1, CaseRev: 1,
		NotFound: &hecha.NotFound{Reason: hecha.NotFoundDied}, SavedAt: fxNow,
	}
	outs, err := f.a.PushResults(ctx, []hecha.Result{res})
	if err != nil {
		t.Fatal(err)
	}
	if len(outs) != 1 || outs[0].Status != hecha.ResultConflict {
		t.Fatalf("A's result for B's case: %+v, want conflict", outs)
	}
	// Claiming to be B does not help.
	res.ID, res.Township = hecha.NewResultID(fxNow), townB
	outs, err = f.a.PushResults(ctx, []hecha.Result{res})
	if err != nil {
		t.Fatal(err)
	}
	if outs[0].Status == hecha.ResultAccepted || outs[0].Status == hecha.ResultDuplicate {
		t.Fatalf("A's result claiming B: %+v", outs[0])
	}
	// Resending B's own result with A's token does not touch it.
	outs, err = f.a.PushResults(ctx, f.bResult[:1])
	if err != nil {
		t.Fatal(err)
	}
	if outs[0].Status == hecha.ResultAccepted || outs[0].Status == hecha.ResultDuplicate {
		t.Fatalf("B's result sent with A's token: %+v", outs[0])
	}
	got, err := f.county.ResultsOf(ctx, caseB)
	if err != nil || len(got) != 0 {
		t.Fatalf("B's case holds %d results (%v), want none", len(got), err)
	}
}

func TestIsolation_Check(t *testing.T) {
	f := newIsolationFixture(t)
	ids := []string{f.bResult[0].ID, f.bResult[1].ID}
	missing, err := f.a.Check(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	// To A, B's results do not exist: A learns nothing of them.
	if len(missing) != 2 {
		t.Fatalf("A's check of B's results: missing %v, want both", missing)
	}
}
