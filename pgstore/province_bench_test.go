package pgstore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"hecha"
	"hecha/pgstore"
)

// provinceDivisions is a province of 10 counties (4101 02–11) with 20
// townships each, and the far county the people live in.
func provinceDivisions(tb testing.TB) (*hecha.DivisionTable, []hecha.Code) {
	t := hecha.NewDivisionTable()
	add := func(c hecha.Code, name string) {
		if err := t.Add(hecha.Division{Code: c, Name: name}); err != nil {
			tb.Fatal(err)
		}
	}
	add("41", "河南省")
	add("4101", "郑州市")
	add("44", "广东省")
	add("4403", "深圳市")
	add(farCounty, "南山区")
	var towns []hecha.Code
	for k := 2; k <= 11; k++ {
		county := hecha.Code(fmt.Sprintf("4101%02d", k))
		add(county, fmt.Sprintf("第%d县", k))
		for j := 1; j <= 20; j++ {
			tw := county + hecha.Code(fmt.Sprintf("%03d", j))
			add(tw, fmt.Sprintf("第%d乡", j))
			towns = append(towns, tw)
		}
	}
	return t, towns
}

// BenchmarkImportProvince imports N cases (HECHA_BENCH_CASES) over 10
// counties and 200 townships into one PostgreSQL database with a store
// that serves the whole province (no --county: each case goes to its
// household's county), beside a raw COPY of the same rows, pre-encoded
// and unchecked, into a plain table of the same shape. bbolt has no
// province: a county file holds one county. It reports the seconds of
// each and the ratio (the bounds: 60 s at 1,000,000, within 3x),
// and the CPU seconds this process spent in the import (pg-cpu-s): the
// Go side's share, which a loaded machine and nice stretch the most.
func BenchmarkImportProvince(b *testing.B) {
	n := benchCases()
	ctx := context.Background()
	divs, towns := provinceDivisions(b)
	cases := make([]hecha.Case, n)
	for i := range cases {
		cases[i] = hecha.Case{ID: fmt.Sprintf("P%08d", i), Kind: hecha.KindCrossProvince,
			Person: person(name(i), i, towns[i%len(towns)])}
	}
	var pgT, pgCPU, copyT time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dsn := MustMigrated(b)
		c := &clock{t: Now}
		s, err := pgstore.Open(ctx, dsn, pgstore.WithNow(c.now), pgstore.WithRules(&hecha.Rules{Divisions: divs}))
		if err != nil {
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
			hd := cases[k].Person.HouseholdDivision
			rows[k] = []any{string(hd.At(hecha.LevelCounty)), cases[k].ID, string(cases[k].Kind), string(hd), data}
		}
		b.StartTimer()

		start, cpu0 := time.Now(), processCPU(b)
		if st, err := s.ImportCases(ctx, cases); err != nil || st.Added != n {
			b.Fatalf("pg import: %+v, %v", st, err)
		}
		pgT += time.Since(start)
		pgCPU += processCPU(b) - cpu0

		start = time.Now()
		if _, err := conn.CopyFrom(ctx, pgx.Identifier{"raw_cases"}, []string{"county", "id", "kind", "household", "data"}, pgx.CopyFromRows(rows)); err != nil {
			b.Fatal(err)
		}
		copyT += time.Since(start)

		b.StopTimer()
		var counties int
		if err := conn.QueryRow(ctx, `SELECT count(DISTINCT county) FROM hecha_cases`).Scan(&counties); err != nil || counties != min(10, n) {
			b.Fatalf("the cases are in %d counties (%v), want 10", counties, err)
		}
		conn.Close(ctx)
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(pgT.Seconds()/float64(b.N), "pg-s")
	b.ReportMetric(pgCPU.Seconds()/float64(b.N), "pg-cpu-s")
	b.ReportMetric(copyT.Seconds()/float64(b.N), "copy-s")
	b.ReportMetric(float64(pgT)/float64(copyT), "pg/copy")
}
