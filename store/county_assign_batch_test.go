package store_test

import (
	"context"
	"fmt"
	"testing"

	"hecha"
	"hecha/internal/peakmem"
)

// importSpread imports n cases whose household divisions cycle through
// a village, two townships and (every fourth) another county, which
// AutoAssign leaves undistributed, and returns how many it can assign.
func importSpread(tb testing.TB, db hecha.CountyStore, n int) int {
	tb.Helper()
	units := []hecha.Code{villageA, townA, townB, otherTown}
	cases := make([]hecha.Case, 0, 5000)
	assignable := 0
	for i := range n {
		u := units[i%len(units)]
		if u != otherTown {
			assignable++
		}
		cases = append(cases, testCase(fmt.Sprintf("S%07d", i), i, u))
		if len(cases) == cap(cases) || i == n-1 {
			mustImport(tb, db, cases...)
			cases = cases[:0]
		}
	}
	return assignable
}

// TestAutoAssign_ManyBatches assigns more cases than one transaction
// takes, with cases that stay undistributed in every batch: each
// assignable case is assigned once, the others stay, and a second run
// has nothing left to do.
func TestAutoAssign_ManyBatches(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 12,003 cases")
	}
	ctx := context.Background()
	db, _ := MustOpenCounty(t)
	const n = 12_003
	want := importSpread(t, db, n)
	got, err := db.AutoAssign(ctx, "auto")
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("AutoAssign assigned %d, want %d", got, want)
	}
	left, err := db.Cases(ctx, hecha.CaseFilter{Undistributed: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != n-want {
		t.Errorf("%d cases undistributed, want %d", len(left), n-want)
	}
	for _, c := range left {
		if c.Person.HouseholdDivision != otherTown {
			t.Fatalf("case %s of %s left undistributed", c.ID, c.Person.HouseholdDivision)
		}
	}
	for _, id := range []string{"S0000000", "S0005001", "S0012002"} {
		c := mustCase(t, db, id)
		if hd := c.Person.HouseholdDivision; c.Unit != hd {
			t.Errorf("%s of %s assigned to %q", id, hd, c.Unit)
		}
	}
	if again, err := db.AutoAssign(ctx, "auto"); err != nil || again != 0 {
		t.Errorf("second AutoAssign = %d, %v", again, err)
	}
}

// TestUnitCounts checks the store's own count of cases per unit, which
// the assign command reports from, against counting the cases read:
// before any assignment, after assigning to a village, a township and
// back, and after AutoAssign.
func TestUnitCounts(t *testing.T) {
	ctx := context.Background()
	db, _ := MustOpenCounty(t)
	uc, ok := db.(interface {
		UnitCounts(context.Context) (map[hecha.Code]int, error)
	})
	if !ok {
		t.Fatalf("%T has no UnitCounts", db)
	}
	check := func(step string, want map[hecha.Code]int) {
		t.Helper()
		read := map[hecha.Code]int{}
		err := db.CaseResults(ctx, hecha.CaseFilter{}, func(c *hecha.Case, _ *hecha.Result) error {
			read[c.Unit]++
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := uc.UnitCounts(ctx)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		if fmt.Sprint(got) != fmt.Sprint(read) || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: UnitCounts = %v; read from the cases %v; want %v", step, got, read, want)
		}
	}
	check("empty", map[hecha.Code]int{})
	importSpread(t, db, 10)
	check("imported", map[hecha.Code]int{"": 10})
	mustAssign(t, db, villageA, "S0000001", "S0000002")
	mustAssign(t, db, townB, "S0000003")
	check("assigned", map[hecha.Code]int{"": 7, villageA: 2, townB: 1})
	mustAssign(t, db, townB, "S0000001")
	check("moved", map[hecha.Code]int{"": 7, villageA: 1, townB: 2})
	if _, err := db.AutoAssign(ctx, "auto"); err != nil {
		t.Fatal(err)
	}
	// S0000000, 4, 8 live in villageA; 5, 9 in townA; 6 in townB; 7 in
	// another county.
	check("auto", map[hecha.Code]int{"": 1, villageA: 4, townA: 2, townB: 3})
}

// BenchmarkAssignFootprint measures the heap AutoAssign holds at its peak
// (it walks the undistributed cases a transaction's batch at a time)
// against, in the same run, reading every undistributed case at once,
// which "assign --auto" did before to report where the cases went. The
// goal is memory flat in the case count. Sizes: 10,000 and 30,000 cases,
// or peakmem.EnvCases.
func BenchmarkAssignFootprint(b *testing.B) {
	ctx := context.Background()
	for _, n := range peakmem.Cases(10_000, 30_000) {
		b.Run(fmt.Sprintf("cases=%d", n), func(b *testing.B) {
			var assign, readAll uint64
			for b.Loop() {
				b.StopTimer()
				db, _ := MustOpenCounty(b)
				importSpread(b, db, n)
				b.StartTimer()
				readAll = max(readAll, peakmem.Measure(func() {
					if _, err := db.Cases(ctx, hecha.CaseFilter{Undistributed: true}); err != nil {
						b.Fatal(err)
					}
				}))
				assign = max(assign, peakmem.Measure(func() {
					if _, err := db.AutoAssign(ctx, "auto"); err != nil {
						b.Fatal(err)
					}
				}))
			}
			b.ReportMetric(peakmem.MB(assign), "assign-MB")
			b.ReportMetric(peakmem.MB(readAll), "read-all-MB")
			b.ReportMetric(float64(readAll)/float64(assign), "x_read_all")
		})
	}
}
