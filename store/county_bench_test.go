package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"hecha"
	"hecha/internal/countytest"
	"hecha/store"
)

// openDurable opens a county store of the backend under test
// (countytest) that makes every commit durable, as the county server runs.
func openDurable(b *testing.B) hecha.CountyStore {
	b.Helper()
	c := newClock()
	db := countytest.Open(b, countytest.Options{Now: c.now, Rules: &hecha.Rules{Divisions: testDivisions(b)}, Durable: true})
	if err := db.SetCounty(context.Background(), testCounty); err != nil {
		b.Fatal(err)
	}
	return db
}

// benchResults imports and assigns n new cases named by prefix and returns
// an R1 result for each.
func benchResults(b *testing.B, db hecha.CountyStore, prefix string, n int) []hecha.Result {
	b.Helper()
	ctx := context.Background()
	cases := make([]hecha.Case, n)
	ids := make([]string, n)
	for i := range cases {
		cases[i] = testCase(fmt.Sprintf("%s-%05d", prefix, i), i, townA)
		ids[i] = cases[i].ID
	}
	if _, err := db.ImportCases(ctx, cases); err != nil {
		b.Fatal(err)
	}
	if err := db.Assign(ctx, ids, townA, ""); err != nil {
		b.Fatal(err)
	}
	out := make([]hecha.Result, n)
	for i := range cases {
		cases[i].Rev = 2
		out[i] = notFoundResult(&cases[i])
	}
	return out
}

// BenchmarkApplyResults applies 1,000 results as one batch (one
// transaction) and, in the same run, one result per call (one transaction
// each), both durable; it reports the time of each and their ratio.
func BenchmarkApplyResults(b *testing.B) {
	const n = 1000
	ctx := context.Background()
	db := openDurable(b)
	var batched, single time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		rb := benchResults(b, db, fmt.Sprintf("B%d", i), n)
		rs := benchResults(b, db, fmt.Sprintf("S%d", i), n)
		b.StartTimer()

		start := time.Now()
		out, err := db.ApplyResults(ctx, townA, rb)
		if err != nil || out[n-1].Status != hecha.ResultAccepted {
			b.Fatalf("batch: %v %+v", err, out[n-1])
		}
		batched += time.Since(start)

		start = time.Now()
		for _, r := range rs {
			out, err := db.ApplyResults(ctx, townA, []hecha.Result{r})
			if err != nil || out[0].Status != hecha.ResultAccepted {
				b.Fatalf("single: %v %+v", err, out)
			}
		}
		single += time.Since(start)
	}
	b.ReportMetric(float64(batched.Milliseconds())/float64(b.N), "batch-ms/1000")
	b.ReportMetric(float64(single.Milliseconds())/float64(b.N), "single-ms/1000")
	b.ReportMetric(float64(single)/float64(batched), "single/batch")
}

// BenchmarkImportCases imports 100,000 cases in batched transactions,
// durable, and reports rows per second; in the same run it imports a
// sample of 1,000 cases one transaction each, the obvious alternative, and
// reports the ratio of the two rates.
func BenchmarkImportCases(b *testing.B) {
	const n, sample = 100_000, 1000
	ctx := context.Background()
	cases := make([]hecha.Case, n)
	for i := range cases {
		cases[i] = testCase(fmt.Sprintf("I%06d", i), i, townA)
	}
	var batched, single time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db := openDurable(b)
		b.StartTimer()

		start := time.Now()
		s, err := db.ImportCases(ctx, cases)
		if err != nil || s.Added != n {
			b.Fatalf("import: %+v %v", s, err)
		}
		batched += time.Since(start)

		b.StopTimer()
		db2 := openDurable(b)
		b.StartTimer()
		start = time.Now()
		for j := range sample {
			if _, err := db2.ImportCases(ctx, cases[j:j+1]); err != nil {
				b.Fatal(err)
			}
		}
		single += time.Since(start)
	}
	batchRate := float64(n*b.N) / batched.Seconds()
	singleRate := float64(sample*b.N) / single.Seconds()
	b.ReportMetric(batchRate, "rows/s")
	b.ReportMetric(singleRate, "rows/s-one-tx-each")
	b.ReportMetric(batchRate/singleRate, "batch/single")
}

// BenchmarkCountyPutRegistry writes 100,000 floating records to a county
// database, durable, where each write also takes its place in the
// townships' registry changes; beside it, in the same run, the same write
// on a township database, which keeps no change sequence, and a second
// write of the unchanged records on the county, which is read only. It
// reports the three times and the ratios to the county's first write.
func BenchmarkCountyPutRegistry(b *testing.B) {
	const n = 100_000
	ctx := context.Background()
	recs := make([]hecha.FloatingRecord, n)
	for i := range recs {
		town := townA
		if i%2 == 1 {
			town = townB
		}
		recs[i] = floatingOf(testPerson(testName(i), i, town), fmt.Sprintf("F%06d", i), farCounty)
	}
	var county, township, again time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db := openDurable(b)
		tdb, err := store.OpenTownship(filepath.Join(b.TempDir(), "town.db"),
			store.WithRules(&hecha.Rules{Divisions: testDivisions(b)}), store.WithNow(newClock().now))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		if err := db.PutFloating(ctx, recs); err != nil {
			b.Fatal(err)
		}
		county += time.Since(start)
		start = time.Now()
		if err := db.PutFloating(ctx, recs); err != nil {
			b.Fatal(err)
		}
		again += time.Since(start)
		start = time.Now()
		if err := tdb.PutFloating(ctx, recs); err != nil {
			b.Fatal(err)
		}
		township += time.Since(start)
		b.StopTimer()
		if err := tdb.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	ms := func(d time.Duration) float64 { return float64(d.Milliseconds()) / float64(b.N) }
	b.ReportMetric(ms(county), "county-ms")
	b.ReportMetric(ms(township), "township-ms")
	b.ReportMetric(ms(again), "unchanged-ms")
	b.ReportMetric(float64(county)/float64(township), "county/township")
	b.ReportMetric(float64(county)/float64(again), "first/unchanged")
}
