package sync_test

import (
	"context"
	"testing"

	"hecha"
	hsync "hecha/sync"
)

func TestRound_EndToEnd(t *testing.T) {
	ctx := context.Background()
	county := openCounty(t, false)
	defer county.Close()
	tokens := seedCounty(t, county, 12, townA, townB)
	ts := serveCounty(t, county)
	defer ts.Close()
	town := openTownship(t, tempPath(t, "town.db"), townA)
	defer town.Close()

	var phases []hsync.Phase
	s := &hsync.Syncer{
		Store: town, Client: newClient(t, ts.URL, tokens[townA]), BatchSize: 5, PageSize: 5, Now: fxClock,
		Progress: func(p hsync.Progress) {
			if len(phases) == 0 || phases[len(phases)-1] != p.Phase {
				phases = append(phases, p.Phase)
			}
		},
	}
	rep, err := s.Round(ctx)
	if err != nil {
		t.Fatalf("first round: %v", err)
	}
	if rep.PulledCases != 12 || rep.PulledRegistry == 0 || rep.Pushed != 0 || rep.Bytes == 0 {
		t.Fatalf("first round = %+v", rep)
	}
	sums, err := town.Summaries(ctx)
	if err != nil || len(sums) != 12 {
		t.Fatalf("township holds %d cases (%v), want 12", len(sums), err)
	}
	for _, s := range sums {
		if s.Unit != townA {
			t.Fatalf("case %s of unit %s reached township A", s.ID, s.Unit)
		}
	}
	st, _ := town.Settings(ctx)
	if st.Cursor == 0 || st.RegistryCursor == 0 || !st.LastSync.Equal(fxNow) {
		t.Fatalf("settings after a round: %+v", st)
	}

	saved := saveResults(t, town, 12)
	phases = nil
	rep, err = s.Round(ctx)
	if err != nil {
		t.Fatalf("push round: %v", err)
	}
	if rep.Pushed != 12 || rep.Accepted != 12 || rep.Rejected+rep.Conflict+rep.Duplicate+rep.Requeued != 0 {
		t.Fatalf("push round = %+v", rep)
	}
	want := []hsync.Phase{hsync.PhaseConnect, hsync.PhasePush, hsync.PhaseCheck, hsync.PhaseDivisions, hsync.PhaseCases, hsync.PhaseRegistry}
	if len(phases) != len(want) {
		t.Fatalf("phases = %v, want %v", phases, want)
	}
	for i := range want {
		if phases[i] != want[i] {
			t.Fatalf("phases = %v, want %v", phases, want)
		}
	}
	assertSynced(t, county, town, townA, saved)
	counts, _ := town.Counts(ctx)
	if counts[hecha.StatusDone] != 12 {
		t.Fatalf("counts = %v, want 12 done", counts)
	}

	// Nothing left: the next round sends nothing.
	rep, err = s.Round(ctx)
	if err != nil || rep.Pushed != 0 || rep.Requeued != 0 {
		t.Fatalf("idle round = %+v, %v", rep, err)
	}
}

func TestRound_WrongTownship(t *testing.T) {
	county := openCounty(t, false)
	defer county.Close()
	tokens := seedCounty(t, county, 2, townA, townB)
	ts := serveCounty(t, county)
	defer ts.Close()
	town := openTownship(t, tempPath(t, "town.db"), townA)
	defer town.Close()
	s := &hsync.Syncer{Store: town, Client: newClient(t, ts.URL, tokens[townB]), Now: fxClock}
	_, err := s.Round(context.Background())
	if hecha.ErrorCode(err) != hecha.EUNAUTHORIZED || hecha.ErrorField(err) != "token" {
		t.Fatalf("round with another township's token: %v", err)
	}
	sums, _ := town.Summaries(context.Background())
	if len(sums) != 0 {
		t.Fatalf("pulled %d cases with another township's token", len(sums))
	}
}

// TestRound_OwnResultsDoNotComeBack: after a push, the round's pull leaves
// out the cases whose only change is what the township's own results did;
// another terminal of the township (another token) gets them, and a
// client that does not ask (an older one) gets them all as before.
func TestRound_OwnResultsDoNotComeBack(t *testing.T) {
	ctx := context.Background()
	county := openCounty(t, false)
	defer county.Close()
	tokens := seedCounty(t, county, 12, townA)
	second, _, err := county.CreateToken(ctx, townA)
	if err != nil {
		t.Fatal(err)
	}
	ts := serveCounty(t, county)
	defer ts.Close()
	town := openTownship(t, tempPath(t, "town.db"), townA)
	defer town.Close()
	other := openTownship(t, tempPath(t, "other.db"), townA)
	defer other.Close()
	s := &hsync.Syncer{Store: town, Client: newClient(t, ts.URL, tokens[townA]), BatchSize: 5, PageSize: 5, Now: fxClock}
	s2 := &hsync.Syncer{Store: other, Client: newClient(t, ts.URL, second), PageSize: 5, Now: fxClock}
	for _, sy := range []*hsync.Syncer{s, s2} {
		if rep, err := sy.Round(ctx); err != nil || rep.PulledCases != 12 {
			t.Fatalf("first round: %+v, %v", rep, err)
		}
	}
	before, _ := town.Settings(ctx)

	saved := saveResults(t, town, 10)
	rep, err := s.Round(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Accepted != 10 || rep.PulledCases != 0 {
		t.Errorf("push round %+v: want 10 accepted and no case pulled back", rep)
	}
	after, _ := town.Settings(ctx)
	if after.Cursor <= before.Cursor {
		t.Errorf("cursor %d → %d: it must move past the changes left out", before.Cursor, after.Cursor)
	}
	assertSynced(t, county, town, townA, saved)

	// The other terminal learns of the results.
	if rep, err := s2.Round(ctx); err != nil || rep.PulledCases != 10 {
		t.Errorf("other terminal: %+v, %v; want the 10 cases", rep, err)
	}
	// An older client asks without the own range and gets them all.
	page, err := s.Client.PullCases(ctx, before.Cursor, hsync.MaxPageLimit)
	if err != nil || len(page.Cases) != 10 {
		t.Errorf("pull without the own range: %v cases, %v", len(page.Cases), err)
	}
	// A malformed range is refused.
	if _, err := s.Client.PullCasesExcept(ctx, 0, 0, 9, 3); hecha.ErrorCode(err) != hecha.EINVALID {
		t.Errorf("range 9-3: %v", err)
	}
}

// TestReport_Moved: a report says the round moved something when any of
// what it counts is not zero, and nothing for a round that moved nothing
// (the clerk's sync then prints only why it stopped).
func TestReport_Moved(t *testing.T) {
	if (hsync.Report{}).Moved() {
		t.Error("an empty report moved something")
	}
	for name, r := range map[string]hsync.Report{
		"pushed":     {Pushed: 1},
		"unanswered": {Unanswered: 1},
		"requeued":   {Requeued: 1},
		"cases":      {PulledCases: 1},
		"registry":   {PulledRegistry: 1},
		"skipped":    {Skipped: []hsync.Skipped{{}}},
		"divisions":  {Divisions: &hecha.DivisionTable{}},
	} {
		if !r.Moved() {
			t.Errorf("%s: a report of %+v moved nothing", name, r)
		}
	}
}
