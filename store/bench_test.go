package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"hecha"
	"hecha/store"
)

// The benchmarks run at small sizes by default (10,000 cases, 100,000
// registry persons) so that `go test -bench . ./store/` stays quick, and
// at the sizes the README quotes with HECHA_BENCH_FULL=1 (100,000 cases,
// 1,000,000 registry persons):
//
//	HECHA_BENCH_FULL=1 go test -run '^$' -bench . -benchtime 1x -timeout 30m ./store/
//
// Every figure is reported with b.ReportMetric; durable means fsync on
// every commit, as the program runs.

// benchSizes returns the number of cases, of registry persons (half
// floating, half resident) and the per-row import sample.
func benchSizes() (cases, persons, sample int) {
	if os.Getenv("HECHA_BENCH_FULL") == "1" {
		return 100_000, 1_000_000, 1000
	}
	return 10_000, 100_000, 200
}

// benchPerson returns the n-th of many distinct persons: ID numbers are
// unique up to 30 million, names repeat as real names do (2,400 names).
func benchPerson(n int) hecha.Person {
	seq := (n / 30000) % 1000
	sex := hecha.SexFemale
	if seq%2 == 1 {
		sex = hecha.SexMale
	}
	birth := hecha.DateOf(time.Date(1925, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n%30000))
	first17 := "410102" + birth.Compact() + fmt.Sprintf("%03d", seq)
	p := Person(0)
	p.Name = surnames[n%len(surnames)] + given[(n/len(surnames))%len(given)] + given[(n/120)%len(given)]
	if n%7 == 0 {
		p.Name = surnames[n%len(surnames)] + given[(n/len(surnames))%len(given)]
	}
	p.Sex, p.BirthDate, p.CitizenID = sex, birth, first17+string(hecha.IDCheckDigit(first17))
	return p
}

func benchCase(n int) hecha.Case {
	c := Case(n)
	c.Person = benchPerson(n)
	return c
}

func benchFloating(n int) hecha.FloatingRecord {
	r := Floating(0)
	p := benchPerson(n)
	r.ID, r.Name, r.Sex, r.BirthDate, r.CitizenID = fmt.Sprintf("F%09d", n), p.Name, p.Sex, p.BirthDate, p.CitizenID
	r.InflowDate = hecha.NewDate(2023, 1, 1) // after every birth date
	return r
}

func benchResident(n int) hecha.ResidentRecord {
	r := Resident(0)
	p := benchPerson(n)
	r.ID, r.Name, r.Sex, r.BirthDate, r.CitizenID = fmt.Sprintf("R%09d", n), p.Name, p.Sex, p.BirthDate, p.CitizenID
	return r
}

// benchDir holds the benchmark database built once per process; TestMain
// removes it.
var benchDir struct {
	once sync.Once
	path string
	err  error
}

// bigDB returns the path of a closed township database with the
// benchmark's cases and registry persons, building it on first use.
func bigDB(b *testing.B) string {
	b.Helper()
	benchDir.once.Do(func() {
		dir, err := os.MkdirTemp("", "hecha-store-bench-")
		if err != nil {
			benchDir.err = err
			return
		}
		benchDir.path = filepath.Join(dir, "big.db")
		benchDir.err = buildBigDB(b, benchDir.path)
	})
	if benchDir.err != nil {
		b.Fatal(benchDir.err)
	}
	return benchDir.path
}

func buildBigDB(b *testing.B, path string) error {
	ctx := context.Background()
	nCases, persons, _ := benchSizes()
	start := time.Now()
	db, err := store.OpenTownship(path, store.WithRules(Rules(b)), store.WithNow(func() time.Time { return Now }), store.WithNoSync())
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.SaveSettings(ctx, hecha.Settings{Township: Township, Clerk: "李娜"}); err != nil {
		return err
	}
	for from := 0; from < nCases; from += 1000 {
		page := make([]hecha.Case, 0, 1000)
		for i := from; i < min(from+1000, nCases); i++ {
			page = append(page, benchCase(i))
		}
		if err := db.ApplyCases(ctx, page, uint64(from)); err != nil {
			return err
		}
	}
	// Verify some cases, so the not-verified list is not the whole table.
	for i := 0; i < nCases; i += 10 {
		if _, err := db.SaveResult(ctx, NotFound(Case(i).ID)); err != nil {
			return err
		}
	}
	const chunk = 50_000
	for from := 0; from < persons/2; from += chunk {
		fl := make([]hecha.FloatingRecord, 0, chunk)
		rs := make([]hecha.ResidentRecord, 0, chunk)
		for i := from; i < min(from+chunk, persons/2); i++ {
			fl = append(fl, benchFloating(i))
			rs = append(rs, benchResident(i))
		}
		if err := db.PutFloating(ctx, fl); err != nil {
			return err
		}
		if err := db.PutResident(ctx, rs); err != nil {
			return err
		}
	}
	b.Logf("built %s: %d cases, %d registry persons in %v", path, nCases, persons, time.Since(start).Round(time.Millisecond))
	return nil
}

// removeBenchDir deletes the benchmark database, if one was built.
func removeBenchDir() {
	if benchDir.path != "" {
		_ = os.RemoveAll(filepath.Dir(benchDir.path))
	}
}

// percentile returns the p-th percentile (0–100) of sorted durations, in ms.
func percentile(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted)-1) * p / 100)
	return float64(sorted[i]) / float64(time.Millisecond)
}

// BenchmarkSaveResultDurable saves final results with fsync on and reports
// the latency's median and 99th percentile, the same for SaveDraft (the
// form's autosave) and, as the floor the disk sets, for the smallest
// durable commit (SaveSettings, one key of one bucket) measured beside
// them; save/commit_p99_x is the ratio of the two 99th percentiles.
func BenchmarkSaveResultDurable(b *testing.B) {
	ctx := context.Background()
	db, err := store.OpenTownship(filepath.Join(b.TempDir(), "durable.db"), store.WithRules(Rules(b)),
		store.WithNow(func() time.Time { return Now }))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	const n = 1000
	if err := db.ApplyCases(ctx, Cases(0, n), 1); err != nil {
		b.Fatal(err)
	}
	settings, err := db.Settings(ctx)
	if err != nil {
		b.Fatal(err)
	}
	var saves, drafts, commits []time.Duration
	i := 0
	for b.Loop() {
		id := Case(i % n).ID
		t0 := time.Now()
		if err := db.SaveDraft(ctx, &hecha.Draft{CaseID: id, Form: hecha.FormR1, Values: map[string]string{"reason": "3"}}); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if _, err := db.SaveResult(ctx, NotFound(id)); err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		settings.LastSync = Now.Add(time.Duration(i))
		if err := db.SaveSettings(ctx, settings); err != nil {
			b.Fatal(err)
		}
		drafts = append(drafts, t1.Sub(t0))
		saves = append(saves, t2.Sub(t1))
		commits = append(commits, time.Since(t2))
		i++
	}
	slices.Sort(saves)
	slices.Sort(drafts)
	slices.Sort(commits)
	b.ReportMetric(percentile(saves, 50), "save_p50_ms")
	b.ReportMetric(percentile(saves, 99), "save_p99_ms")
	b.ReportMetric(percentile(drafts, 50), "draft_p50_ms")
	b.ReportMetric(percentile(drafts, 99), "draft_p99_ms")
	b.ReportMetric(percentile(commits, 50), "commit_p50_ms")
	b.ReportMetric(percentile(commits, 99), "commit_p99_ms")
	b.ReportMetric(percentile(saves, 99)/percentile(commits, 99), "save/commit_p99_x")
}

// BenchmarkOpenFirstPage opens the big database (see benchSizes) and reads
// the first page of not-verified cases, warm (the file in the page cache,
// as on a second start); it also reports the program's start path, Open
// plus every summary, and the file's size.
func BenchmarkOpenFirstPage(b *testing.B) {
	path := bigDB(b)
	ctx := context.Background()
	open := func() *store.TownshipDB {
		db, err := store.OpenTownship(path, store.WithRules(Rules(b)), store.WithNow(Clock))
		if err != nil {
			b.Fatal(err)
		}
		return db
	}
	// Warm the page cache and time the start path once.
	db := open()
	t0 := time.Now()
	sums, err := db.Summaries(ctx)
	if err != nil {
		b.Fatal(err)
	}
	db.Close()
	summaries := time.Since(t0)
	db = open()
	start := time.Now()
	if _, err := db.Summaries(ctx); err != nil {
		b.Fatal(err)
	}
	summaries = min(summaries, time.Since(start))
	db.Close()

	var total time.Duration
	for b.Loop() {
		t0 := time.Now()
		db := open()
		page, err := db.CasesByStatus(ctx, hecha.StatusPending, 0, 50)
		if err != nil || len(page) != 50 {
			b.Fatalf("first page: %d, %v", len(page), err)
		}
		total += time.Since(t0)
		db.Close()
	}
	info, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(total)/float64(b.N)/float64(time.Millisecond), "open_first_page_ms")
	b.ReportMetric(float64(summaries)/float64(time.Millisecond), "summaries_all_ms")
	b.ReportMetric(float64(len(sums)), "cases")
	b.ReportMetric(float64(info.Size())/(1<<20), "file_MB")
}

// BenchmarkRegistryLookup looks people up in the big database's floating
// registry by ID number and by name, sex and birth year through the index
// buckets, and compares with the obvious alternative, a scan of the whole
// bucket decoding each record.
func BenchmarkRegistryLookup(b *testing.B) {
	path := bigDB(b)
	_, persons, _ := benchSizes()
	half := persons / 2

	// The scan, timed a few times on a read-only handle.
	bdb, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	want := benchPerson(half / 3).CitizenID
	var scan time.Duration
	const scans = 3
	for i := 0; i < scans; i++ {
		t0 := time.Now()
		found := 0
		err := bdb.View(func(tx *bbolt.Tx) error {
			return tx.Bucket([]byte("floating")).ForEach(func(_, v []byte) error {
				var r hecha.FloatingRecord
				if err := json.Unmarshal(v, &r); err != nil {
					return err
				}
				if r.CitizenID == want {
					found++
				}
				return nil
			})
		})
		if err != nil || found != 1 {
			b.Fatalf("scan found %d: %v", found, err)
		}
		scan += time.Since(t0)
	}
	bdb.Close()

	db, err := store.OpenTownship(path, store.WithRules(Rules(b)), store.WithNow(Clock))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	var byID, byName time.Duration
	i := 0
	for b.Loop() {
		p := benchPerson((i * 7919) % half)
		t0 := time.Now()
		recs, err := db.FloatingByCitizenID(p.CitizenID)
		if err != nil || len(recs) != 1 {
			b.Fatalf("by id: %d, %v", len(recs), err)
		}
		t1 := time.Now()
		recs, err = db.FloatingByNameSexBirth(p.Name, p.Sex, p.BirthDate, hecha.PrecisionYear)
		if err != nil || len(recs) == 0 {
			b.Fatalf("by name: %d, %v", len(recs), err)
		}
		byName += time.Since(t1)
		byID += t1.Sub(t0)
		i++
	}
	us := func(d time.Duration, n int) float64 { return float64(d) / float64(n) / float64(time.Microsecond) }
	b.ReportMetric(us(byID, b.N), "by_id_us")
	b.ReportMetric(us(byName, b.N), "by_name_year_us")
	b.ReportMetric(us(scan, scans), "full_scan_us")
	b.ReportMetric(float64(scan)/scans/(float64(byID)/float64(b.N)), "scan/by_id_x")
	b.ReportMetric(float64(half), "floating_records")
}

// BenchmarkImport stores cases (ApplyCases, 1,000 per transaction) and
// registry rows (PutFloating, 5,000 per transaction) durably, and the
// obvious alternative, one commit per row, on a smaller sample whose time
// is extrapolated to the full count (the metrics say so).
func BenchmarkImport(b *testing.B) {
	nCases, persons, sample := benchSizes()
	rows := min(nCases, persons)
	ctx := context.Background()
	cases := make([]hecha.Case, rows)
	recs := make([]hecha.FloatingRecord, rows)
	for i := range rows {
		cases[i], recs[i] = benchCase(i), benchFloating(i)
	}
	fresh := func() *store.TownshipDB {
		db, err := store.OpenTownship(filepath.Join(b.TempDir(), "import.db"), store.WithRules(Rules(b)),
			store.WithNow(func() time.Time { return Now }))
		if err != nil {
			b.Fatal(err)
		}
		return db
	}
	var caseBatched, caseRow, regBatched, regRow time.Duration
	for b.Loop() {
		db := fresh()
		t0 := time.Now()
		for from := 0; from < rows; from += 1000 {
			if err := db.ApplyCases(ctx, cases[from:min(from+1000, rows)], uint64(from)); err != nil {
				b.Fatal(err)
			}
		}
		t1 := time.Now()
		if err := db.PutFloating(ctx, recs); err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		db.Close()

		db = fresh()
		t3 := time.Now()
		for i := 0; i < sample; i++ {
			if err := db.ApplyCases(ctx, cases[i:i+1], uint64(i)); err != nil {
				b.Fatal(err)
			}
		}
		t4 := time.Now()
		for i := 0; i < sample; i++ {
			if err := db.PutFloating(ctx, recs[i:i+1]); err != nil {
				b.Fatal(err)
			}
		}
		t5 := time.Now()
		db.Close()
		caseBatched += t1.Sub(t0)
		regBatched += t2.Sub(t1)
		caseRow += t4.Sub(t3)
		regRow += t5.Sub(t4)
	}
	n := float64(b.N)
	extra := float64(rows) / float64(sample)
	sec := func(d time.Duration) float64 { return d.Seconds() / n }
	b.ReportMetric(float64(rows), "rows")
	b.ReportMetric(sec(caseBatched), "cases_batched_s")
	b.ReportMetric(sec(caseRow)*extra, "cases_per_row_extrapolated_s")
	b.ReportMetric(float64(caseRow)*extra/float64(caseBatched), "cases_per_row_extrapolated/batched_x")
	b.ReportMetric(sec(regBatched), "registry_batched_s")
	b.ReportMetric(sec(regRow)*extra, "registry_per_row_extrapolated_s")
	b.ReportMetric(float64(regRow)*extra/float64(regBatched), "registry_per_row_extrapolated/batched_x")
}
