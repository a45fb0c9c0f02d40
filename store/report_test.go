package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"hecha"
)

func TestCaseResults(t *testing.T) {
	ctx := context.Background()
	db, _ := MustOpenCounty(t)
	cs := setupAssigned(t, db, testCase("C1", 1, townA), testCase("C2", 2, townA))
	mustImport(t, db, testCase("C3", 3, townB)) // undistributed
	first := notFoundResult(cs[0])
	apply(t, db, townA, first)
	second := notFoundResult(cs[0])
	second.ID, second.Replaces = hecha.NewResultID(Now), first.ID
	second.NotFound = &hecha.NotFound{Reason: hecha.NotFoundOther, Remark: "查无此人"}
	if st := apply(t, db, townA, second); st[0] != hecha.ResultAccepted {
		t.Fatalf("correction: %s", st[0])
	}

	type seen struct {
		id, result string
	}
	var got []seen
	err := db.CaseResults(ctx, hecha.CaseFilter{}, func(c *hecha.Case, r *hecha.Result) error {
		s := seen{id: c.ID}
		if r != nil {
			s.result = r.ID
		}
		got = append(got, s)
		return nil
	})
	want := []seen{{"C1", second.ID}, {"C2", ""}, {"C3", ""}}
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("CaseResults = %v, %v; want %v (the correction in force)", got, err, want)
	}

	// The filters apply; Offset and Limit do not.
	got = got[:0]
	err = db.CaseResults(ctx, hecha.CaseFilter{Undistributed: true, Limit: 1, Offset: 5}, func(c *hecha.Case, r *hecha.Result) error {
		got = append(got, seen{id: c.ID})
		return nil
	})
	if err != nil || !slices.Equal(got, []seen{{id: "C3"}}) {
		t.Errorf("undistributed: %v, %v", got, err)
	}

	// An error from fn stops the walk.
	stop := errors.New("stop")
	n := 0
	err = db.CaseResults(ctx, hecha.CaseFilter{}, func(*hecha.Case, *hecha.Result) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("stop: %v after %d", err, n)
	}
}

func TestCaseResultsPages(t *testing.T) {
	db, _ := MustOpenCounty(t)
	var cases []hecha.Case
	for i := range 1203 {
		cases = append(cases, testCase(fmt.Sprintf("P%05d", i), i, townA))
	}
	mustImport(t, db, cases...)
	var ids []string
	err := db.CaseResults(context.Background(), hecha.CaseFilter{}, func(c *hecha.Case, _ *hecha.Result) error {
		ids = append(ids, c.ID)
		return nil
	})
	if err != nil || len(ids) != len(cases) || !slices.IsSorted(ids) || ids[0] != "P00000" || ids[len(ids)-1] != "P01202" {
		t.Errorf("%d cases over several pages, %v", len(ids), err)
	}
}

// BenchmarkCaseResults walks 2,000 cases, half of them verified, as the
// reports read them: with CaseResults, and, in the same run, the obvious
// alternative with the existing methods — every case with Cases, every
// result in force with AllResults, joined by case id. It reports the time
// of each and their ratio.
func BenchmarkCaseResults(b *testing.B) {
	const n = 2000
	ctx := context.Background()
	db, _ := MustOpenCounty(b)
	results := benchResults(b, db, "B", n)
	if _, err := db.ApplyResults(ctx, townA, results[:n/2]); err != nil {
		b.Fatal(err)
	}
	walk := func() int {
		seen := 0
		err := db.CaseResults(ctx, hecha.CaseFilter{}, func(c *hecha.Case, r *hecha.Result) error {
			if r != nil {
				seen++
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		return seen
	}
	join := func() int {
		cases, err := db.Cases(ctx, hecha.CaseFilter{})
		if err != nil {
			b.Fatal(err)
		}
		inForce := map[string]hecha.Result{}
		err = db.AllResults(ctx, func(r hecha.Result, c *hecha.Case) error {
			inForce[c.ID] = r
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		seen := 0
		for _, c := range cases {
			if _, ok := inForce[c.ID]; ok {
				seen++
			}
		}
		return seen
	}
	var tWalk, tJoin time.Duration
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		a := walk()
		tWalk += time.Since(start)
		start = time.Now()
		j := join()
		tJoin += time.Since(start)
		if a != n/2 || j != n/2 {
			b.Fatalf("walk saw %d, join %d results, want %d", a, j, n/2)
		}
	}
	b.ReportMetric(float64(tWalk.Microseconds())/float64(b.N), "walk-µs/op")
	b.ReportMetric(float64(tJoin.Microseconds())/float64(b.N), "join-µs/op")
	b.ReportMetric(float64(tJoin)/float64(tWalk), "join/walk")
}
