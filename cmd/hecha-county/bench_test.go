package main

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"hecha"
	"hecha/cmd/internal/gen"
	"hecha/internal/countytest"
)

// BenchmarkImportCases measures "import cases" (rows handed to the store
// in chunks, written in batched transactions) against the obvious
// alternative of one store call, and so one durable commit, per row, on
// the same generated file, and reports the ratio.
func BenchmarkImportCases(b *testing.B) {
	const n = 300
	dir := b.TempDir()
	d, err := gen.Generate(gen.Config{Cases: n, Seed: 5, DefectRate: -1, Now: testNow})
	if err != nil {
		b.Fatal(err)
	}
	if err := d.WriteDir(dir); err != nil {
		b.Fatal(err)
	}
	cases := filepath.Join(dir, "cases.csv")
	fresh := func(b *testing.B) string {
		db := countytest.New(b)
		if r := runB(b, db, "import", "regions", filepath.Join(dir, "regions.csv"), "--county", string(gen.DefaultCounty)); r.code != 0 {
			b.Fatalf("regions: %+v", r)
		}
		return db
	}

	var chunked, perRow time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db := fresh(b)
		b.StartTimer()
		start := time.Now()
		if r := runB(b, db, "import", "cases", cases); r.code != 0 {
			b.Fatalf("import: %+v", r)
		}
		chunked += time.Since(start)

		// The alternative: the same parsed cases, one ImportCases each.
		b.StopTimer()
		db = fresh(b)
		s := countytest.OpenAt(b, db, countytest.Options{Rules: rulesOf(b, db), Now: testClock})
		b.StartTimer()
		start = time.Now()
		for _, c := range d.Cases {
			if _, err := s.ImportCases(context.Background(), []hecha.Case{c}); err != nil {
				b.Fatal(err)
			}
		}
		perRow += time.Since(start)
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(n*b.N)/chunked.Seconds(), "rows/s")
	b.ReportMetric(perRow.Seconds()/chunked.Seconds(), "x-faster-than-per-row")
}

// rulesOf returns the rules of the county database at db: its division
// table, as the program loads it.
func rulesOf(b *testing.B, db string) *hecha.Rules {
	m := NewMain()
	m.DBFlag = db
	if _, err := m.openDB(); err != nil {
		b.Fatal(err)
	}
	m.Close()
	return m.Rules
}

// runB runs hecha-county with args on db, for benchmarks.
func runB(b *testing.B, db string, args ...string) result {
	var out, errb syncBuffer
	m := newTestMain(db, &out, &errb)
	err := m.ParseFlags(args)
	if err == nil {
		err = m.Run(context.Background())
	}
	m.Close()
	if err != nil {
		return result{out.String(), errb.String() + err.Error(), 1}
	}
	return result{out.String(), errb.String(), 0}
}
