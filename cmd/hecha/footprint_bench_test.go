package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"go.etcd.io/bbolt"

	"hecha"
	"hecha/internal/peakmem"
	"hecha/sheet"
	"hecha/store"
)

// BenchmarkTownshipFootprint builds a township database of N generated
// cases (as makeTownshipDB: candidates, registry extract, the real
// division table) and reports, per size:
//
//   - db-B/case: the file's bytes per case, with the bytes each bucket
//     takes logged (bbolt's page statistics), the breakdown issue 17
//     asks for before the encoding changes;
//   - export-csv-MB, export-xlsx-MB: the heap "hecha export pending"
//     holds at its peak (it streams the cases a page at a time), against
//     its anchor in the same run, read-all-MB: holding every pending case
//     at once, as the export did before (x_read_all is the ratio).
//
// Sizes: 2,000 and 10,000 cases, or peakmem.EnvCases, e.g.
//
//	HECHA_BENCH_CASES=10000,100000,300000 go test -run '^$' -bench TownshipFootprint -benchtime 1x -timeout 60m ./cmd/hecha/
func BenchmarkTownshipFootprint(b *testing.B) {
	for _, n := range peakmem.Cases(2_000, 10_000) {
		b.Run(fmt.Sprintf("cases=%d", n), func(b *testing.B) {
			ctx := context.Background()
			dir := b.TempDir()
			dbPath := filepath.Join(dir, "hecha.db")
			makeTownshipDB(b, dbPath, n)
			info, err := os.Stat(dbPath)
			if err != nil {
				b.Fatal(err)
			}
			logBuckets(b, dbPath, n)

			var out, errb syncBuffer
			m := newTestMain(dbPath, &out, &errb)
			defer m.Close()
			db, err := m.OpenDB(ctx)
			if err != nil {
				b.Fatal(err)
			}
			var csv, xlsx, all uint64
			for b.Loop() {
				all = max(all, peakmem.Measure(func() {
					sums, err := db.Summaries(ctx)
					if err != nil {
						b.Fatal(err)
					}
					var held []*hecha.Case
					for _, s := range sums {
						if s.Status == hecha.StatusPending {
							c, err := db.Case(ctx, s.ID)
							if err != nil {
								b.Fatal(err)
							}
							held = append(held, c)
						}
					}
					_ = held
				}))
				for _, f := range []struct {
					format sheet.Format
					peak   *uint64
				}{{sheet.CSV, &csv}, {sheet.XLSX, &xlsx}} {
					path := filepath.Join(dir, "w."+f.format.String())
					*f.peak = max(*f.peak, peakmem.Measure(func() {
						k, err := m.ExportPending(ctx, WorksheetOptions{Path: path, Format: f.format})
						if err != nil || k == 0 {
							b.Fatalf("export: %d rows, %v", k, err)
						}
					}))
				}
			}
			b.ReportMetric(float64(info.Size())/float64(n), "db-B/case")
			b.ReportMetric(peakmem.MB(csv), "export-csv-MB")
			b.ReportMetric(peakmem.MB(xlsx), "export-xlsx-MB")
			b.ReportMetric(peakmem.MB(all), "read-all-MB")
			b.ReportMetric(float64(all)/float64(max(csv, xlsx)), "x_read_all")
		})
		// The same township encrypted (values sealed, index keys hashed):
		// its size alone.
		b.Run(fmt.Sprintf("cases=%d/encrypted", n), func(b *testing.B) {
			dbPath := filepath.Join(b.TempDir(), "hecha.db")
			keys, _, err := store.NewKeys("口令 passphrase", testKDF)
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				_ = os.Remove(dbPath)
				makeTownshipDBKeys(b, dbPath, n, keys)
			}
			info, err := os.Stat(dbPath)
			if err != nil {
				b.Fatal(err)
			}
			logBuckets(b, dbPath, n)
			b.ReportMetric(float64(info.Size())/float64(n), "db-B/case")
		})
	}
}

// logBuckets logs the bytes each top-level bucket of the database at path
// takes in pages (leaf and branch pages in use, inline buckets included
// in their parent) and per case.
func logBuckets(b *testing.B, path string, n int) {
	b.Helper()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	type row struct {
		name       string
		keys       int
		alloc, use int
	}
	var rows []row
	total := 0
	err = db.View(func(tx *bbolt.Tx) error {
		return tx.ForEach(func(name []byte, bk *bbolt.Bucket) error {
			s := bk.Stats()
			alloc := s.BranchAlloc + s.LeafAlloc
			rows = append(rows, row{string(name), s.KeyN, alloc, s.BranchInuse + s.LeafInuse})
			total += alloc
			return nil
		})
	})
	if err != nil {
		b.Fatal(err)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].alloc > rows[j].alloc })
	var s strings.Builder
	fmt.Fprintf(&s, "%d cases: %-24s %10s %12s %9s %6s\n", n, "bucket", "keys", "pages B", "B/case", "fill")
	for _, r := range rows {
		if r.alloc == 0 {
			continue
		}
		fmt.Fprintf(&s, "%-36s %10d %12d %9.0f %5.0f%%\n", r.name, r.keys, r.alloc, float64(r.alloc)/float64(n), 100*float64(r.use)/float64(r.alloc))
	}
	fmt.Fprintf(&s, "%-36s %10s %12d %9.0f\n", "all buckets", "", total, float64(total)/float64(n))
	b.Log(s.String())
}
