package sync_test

import (
	"context"
	"fmt"
	"testing"

	"hecha"
	"hecha/internal/peakmem"
	hsync "hecha/sync"
)

// TestPullCutResumes cuts a township's first pull at 80 % (the
// connection goes while the cases come) and syncs again: the second
// round pulls only the cases the first did not store, and the township
// ends with every case once.
func TestPullCutResumes(t *testing.T) {
	const n, page = 1000, 50
	ctx := context.Background()
	county := openCounty(t, false)
	defer county.Close()
	tokens := seedCases(t, county, n, townA)
	ts := serveCounty(t, county)
	defer ts.Close()
	town := openTownship(t, tempPath(t, "town.db"), townA)
	defer town.Close()

	cut, cancel := context.WithCancel(ctx)
	defer cancel()
	s := &hsync.Syncer{Store: town, Client: newClient(t, ts.URL, tokens[townA]), PageSize: page, Now: fxClock,
		Progress: func(p hsync.Progress) {
			if p.Phase == hsync.PhaseCases && p.Done >= n*8/10 {
				cancel()
			}
		}}
	if _, err := s.Round(cut); err == nil {
		t.Fatal("the cut round succeeded")
	}
	sums, err := town.Summaries(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(sums) != n*8/10 {
		t.Fatalf("the cut round stored %d cases, want %d", len(sums), n*8/10)
	}

	s.Progress = nil
	rep, err := s.Round(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.PulledCases != n-n*8/10 {
		t.Errorf("the second round pulled %d cases, want the %d left", rep.PulledCases, n-n*8/10)
	}
	if sums, _ = town.Summaries(ctx); len(sums) != n {
		t.Errorf("the township holds %d cases, want %d", len(sums), n)
	}
}

// BenchmarkPullFootprint measures the heap a township's first sync holds
// at its peak while it pulls N cases (a page per transaction), against,
// in the same run, holding the N cases it pulled, which a client that
// kept what it pulled would. The goal is memory flat in the case count.
// Sizes: 2,000 and 10,000 cases, or peakmem.EnvCases.
func BenchmarkPullFootprint(b *testing.B) {
	for _, n := range peakmem.Cases(2_000, 10_000) {
		b.Run(fmt.Sprintf("cases=%d", n), func(b *testing.B) {
			ctx := context.Background()
			county := openCounty(b, false)
			defer county.Close()
			tokens := seedCases(b, county, n, townA)
			ts := serveCounty(b, county)
			defer ts.Close()
			var pull, held uint64
			i := 0
			for b.Loop() {
				i++
				town := openTownship(b, tempPath(b, fmt.Sprintf("town%d.db", i)), townA)
				s := &hsync.Syncer{Store: town, Client: newClient(b, ts.URL, tokens[townA]), Now: fxClock}
				pull = max(pull, peakmem.Measure(func() {
					rep, err := s.Round(ctx)
					if err != nil || rep.PulledCases != n {
						b.Fatalf("pulled %d cases: %v", rep.PulledCases, err)
					}
				}))
				held = max(held, peakmem.Measure(func() {
					var all []*hecha.Case
					err := town.EachCase(ctx, func(*hecha.CaseSummary) bool { return true }, func(c *hecha.Case) error {
						all = append(all, c)
						return nil
					})
					if err != nil || len(all) != n {
						b.Fatalf("read back %d cases: %v", len(all), err)
					}
				}))
				town.Close()
			}
			b.ReportMetric(peakmem.MB(pull), "pull-MB")
			b.ReportMetric(peakmem.MB(held), "hold-all-MB")
			b.ReportMetric(float64(held)/float64(pull), "x_hold_all")
		})
	}
}
