package pgstore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"hecha"
	"hecha/store"
)

// benchCases is how many cases BenchmarkImport imports per store:
// HECHA_BENCH_CASES, 20,000 by default (the province figure in the README
// is 1,000,000).
func benchCases() int {
	if n, err := strconv.Atoi(os.Getenv("HECHA_BENCH_CASES")); err == nil && n > 0 {
		return n
	}
	return 20000
}

// BenchmarkImport imports the same cases into PostgreSQL (ImportCases:
// one COPY per batch into the cases table), into a bbolt county file
// (durable, as the county runs) and, as the floor, copies the same rows
// into a plain table with a raw COPY: the table and rows of
// BenchmarkImportProvince's floor (county, id, kind, household, data,
// keyed on county and id), so that the two ratios compare. It reports
// each one's time per case, the CPU this process spent per case in the
// PostgreSQL import, and the ratios pg/copy (the bound: within
// 3x) and pg/bbolt.
func BenchmarkImport(b *testing.B) {
	n := benchCases()
	ctx := context.Background()
	cases := make([]hecha.Case, n)
	for i := range cases {
		cases[i] = scenarioCase(i)
		cases[i].ID = fmt.Sprintf("C%08d", i)
	}
	var pgT, pgCPU, boltT, copyT time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dsn := MustMigrated(b)
		c := &clock{t: Now}
		s := MustOpen(b, dsn, "", c)
		if err := s.SetCounty(ctx, testCounty); err != nil {
			b.Fatal(err)
		}
		bdb, err := store.OpenCounty(filepath.Join(b.TempDir(), fmt.Sprintf("county%d.db", i)),
			store.WithNow(c.now), store.WithRules(&hecha.Rules{Divisions: testDivisions(b)}))
		if err != nil {
			b.Fatal(err)
		}
		if err := bdb.SetCounty(ctx, testCounty); err != nil {
			b.Fatal(err)
		}
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := conn.Exec(ctx, `CREATE TABLE raw_cases (county text, id text, kind text, household text, data bytea, PRIMARY KEY (county, id))`); err != nil {
			b.Fatal(err)
		}
		rows := make([][]any, n)
		for k := range cases {
			data, err := json.Marshal(&cases[k])
			if err != nil {
				b.Fatal(err)
			}
			rows[k] = []any{string(testCounty), cases[k].ID, string(cases[k].Kind), string(cases[k].Person.HouseholdDivision), data}
		}
		b.StartTimer()

		start, cpu0 := time.Now(), processCPU(b)
		if st, err := s.ImportCases(ctx, cases); err != nil || st.Added != n {
			b.Fatalf("pg import: %+v, %v", st, err)
		}
		pgT += time.Since(start)
		pgCPU += processCPU(b) - cpu0

		start = time.Now()
		if st, err := bdb.ImportCases(ctx, cases); err != nil || st.Added != n {
			b.Fatalf("bbolt import: %+v, %v", st, err)
		}
		boltT += time.Since(start)

		start = time.Now()
		// The floor: the rows already encoded, one COPY, nothing checked.
		if _, err := conn.CopyFrom(ctx, pgx.Identifier{"raw_cases"}, []string{"county", "id", "kind", "household", "data"}, pgx.CopyFromRows(rows)); err != nil {
			b.Fatal(err)
		}
		copyT += time.Since(start)

		b.StopTimer()
		conn.Close(ctx)
		bdb.Close()
		s.Close()
		b.StartTimer()
	}
	per := func(d time.Duration) float64 { return float64(d.Microseconds()) / float64(b.N*n) }
	b.ReportMetric(per(pgT), "pg-µs/case")
	b.ReportMetric(per(pgCPU), "pg-cpu-µs/case")
	b.ReportMetric(per(boltT), "bbolt-µs/case")
	b.ReportMetric(per(copyT), "copy-µs/case")
	b.ReportMetric(float64(pgT)/float64(copyT), "pg/copy")
	b.ReportMetric(float64(pgT)/float64(boltT), "pg/bbolt")
}
