package main

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"hecha"
	"hecha/cmd/internal/gen"
	"hecha/internal/peakmem"
	"hecha/internal/testenv"
	"hecha/sheet"
	"hecha/store"
	hsync "hecha/sync"
)

// BenchmarkFirstSync measures a township's first sync in process: a
// county of N generated cases (as issue 17 builds it: one township, the
// real division table, the registries, every case assigned) served by
// httptest, and a new township database with durable commits pulling its
// cases, its registry extract and the division table. Each size runs
// plain and encrypted, and reports beside the sync, in the same run, its
// anchor: the same round against a store that writes the registry indexes
// page by page, as the first sync did before (eager-s; x_eager is the
// ratio). sync-heap-MB is the heap held at the peak, the county's answers
// included (they run in the same process).
//
// Sizes: 2,000 and 10,000 cases, or peakmem.EnvCases, e.g.
//
//	HECHA_BENCH_CASES=10000,100000 go test -run '^$' -bench FirstSync -benchtime 1x -timeout 60m ./cmd/hecha/
func BenchmarkFirstSync(b *testing.B) {
	table, err := sheet.LoadDivisionDir(testenv.SharedData(b, "regions"))
	if err != nil {
		b.Fatal(err)
	}
	now := time.Date(2024, 6, 1, 12, 0, 0, 0, time.Local)
	clock := func() time.Time { return now }
	for _, n := range peakmem.Cases(2_000, 10_000) {
		b.Run(fmt.Sprintf("cases=%d", n), func(b *testing.B) {
			ctx := context.Background()
			dir := b.TempDir()
			county, township, token, cases, records, probe := firstSyncCounty(b, filepath.Join(dir, "county.db"), table, n, clock)
			defer county.Close()
			b.Logf("%d cases, %d registry records for township %s", cases, records, township)
			srv := hsync.NewServer(county, hsync.WithClock(clock), hsync.WithRateLimit(0, 0), hsync.WithLog(func(hsync.LogEntry) {}))
			ts := httptest.NewServer(srv.Handler())
			defer ts.Close()

			for _, encrypted := range []bool{false, true} {
				b.Run(fmt.Sprintf("encrypted=%v", encrypted), func(b *testing.B) {
					// round syncs a new township; eager hides the store's
					// deferred registry indexes from the syncer.
					i := 0
					round := func(eager bool) (time.Duration, uint64) {
						i++
						path := filepath.Join(dir, fmt.Sprintf("town%d.db", i))
						defer os.Remove(path)
						town, err := store.OpenTownship(path, store.WithRules(&hecha.Rules{Divisions: table, Now: clock}), store.WithNow(clock))
						if err != nil {
							b.Fatal(err)
						}
						defer town.Close()
						if encrypted {
							k, _, err := store.NewKeys("口令 passphrase", store.KDFParams{Time: 1, MemoryKiB: 64, Threads: 1})
							if err != nil {
								b.Fatal(err)
							}
							if err := town.Encrypt(ctx, k); err != nil {
								b.Fatal(err)
							}
						}
						if err := town.SaveSettings(ctx, hecha.Settings{Township: township, Clerk: "王芳"}); err != nil {
							b.Fatal(err)
						}
						client, err := hsync.NewClient(ts.URL, token, hsync.WithInsecureHTTP())
						if err != nil {
							b.Fatal(err)
						}
						defer client.CloseIdle()
						var st hsync.Store = town
						if eager {
							st = eagerStore{town}
						}
						s := &hsync.Syncer{Store: st, Client: client, Now: clock}
						var took time.Duration
						heap := peakmem.Measure(func() {
							start := time.Now()
							rep, err := s.Round(ctx)
							took = time.Since(start)
							if err != nil || rep.PulledCases != cases || rep.PulledRegistry != records {
								b.Fatalf("pulled %d cases and %d records, want %d and %d: %v", rep.PulledCases, rep.PulledRegistry, cases, records, err)
							}
						})
						if got, err := town.ResidentByCitizenID(probe.CitizenID); err != nil || len(got) == 0 {
							b.Fatalf("the township does not find resident %s after the sync: %v", probe.ID, err)
						}
						return took, heap
					}
					// A round first, so that neither side pays for the
					// county's first answers (its division table's gzip).
					round(false)
					var syncT, eagerT time.Duration
					var syncHeap, eagerHeap uint64
					for b.Loop() {
						t, h := round(true)
						eagerT, eagerHeap = eagerT+t, max(eagerHeap, h)
						t, h = round(false)
						syncT, syncHeap = syncT+t, max(syncHeap, h)
					}
					b.ReportMetric(syncT.Seconds()/float64(b.N), "first-sync-s")
					b.ReportMetric(eagerT.Seconds()/float64(b.N), "eager-s")
					b.ReportMetric(eagerT.Seconds()/syncT.Seconds(), "x_eager")
					b.ReportMetric(peakmem.MB(syncHeap), "sync-heap-MB")
					b.ReportMetric(peakmem.MB(eagerHeap), "eager-heap-MB")
				})
			}
		})
	}
}

// eagerStore is a township store without its deferred registry indexes:
// the syncer writes them page by page, as the first sync did before. It
// takes the county's division table as the store does.
type eagerStore struct{ *store.TownshipDB }

// DeferRegistryIndexes hides the store's: nothing is deferred.
func (eagerStore) DeferRegistryIndexes(context.Context) (bool, error) { return false, nil }

// firstSyncCounty builds a county database at path as issue 17 does with
// the real programs (gen --county 410102 --townships 1 --cases n --seed 1,
// import, assign --auto) and returns it with the township, a token for it,
// the number of cases and registry records the township will pull, and
// one of those records, to look up after a sync.
func firstSyncCounty(b *testing.B, path string, table *hecha.DivisionTable, n int, clock func() time.Time) (*store.CountyDB, hecha.Code, string, int, int, hecha.ResidentRecord) {
	b.Helper()
	ctx := context.Background()
	ds, err := gen.Generate(gen.Config{County: "410102", Townships: 1, Cases: n, Seed: 1, Now: clock(), DefectRate: -1, Divisions: table})
	if err != nil {
		b.Fatal(err)
	}
	county, err := store.OpenCounty(path, store.WithRules(&hecha.Rules{Divisions: table, Now: clock}), store.WithNow(clock), store.WithNoSync())
	if err != nil {
		b.Fatal(err)
	}
	if err := county.SetCounty(ctx, "410102"); err != nil {
		b.Fatal(err)
	}
	if err := county.SaveDivisions(ctx, table); err != nil {
		b.Fatal(err)
	}
	if err := county.PutFloating(ctx, ds.Floating); err != nil {
		b.Fatal(err)
	}
	if err := county.PutResident(ctx, ds.Resident); err != nil {
		b.Fatal(err)
	}
	if _, err := county.ImportCases(ctx, ds.Cases); err != nil {
		b.Fatal(err)
	}
	if _, err := county.AutoAssign(ctx, "bench"); err != nil {
		b.Fatal(err)
	}
	var township hecha.Code
	for i := 0; township == "" && i < len(ds.Cases); i++ {
		township = ds.Cases[i].Person.HouseholdDivision.At(hecha.LevelTownship)
	}
	token, _, err := county.CreateToken(ctx, township)
	if err != nil {
		b.Fatal(err)
	}
	// What the township will pull: its cases and its registry extract.
	cases, next, records := 0, uint64(0), 0
	var probe hecha.ResidentRecord
	for {
		page, nx, err := county.CasesSince(ctx, township, next, 2000)
		if err != nil {
			b.Fatal(err)
		}
		if cases += len(page); len(page) == 0 || nx == next {
			break
		}
		next = nx
	}
	next = 0
	for {
		fl, rs, nx, err := county.RegistrySince(ctx, township, next, 2000)
		if err != nil {
			b.Fatal(err)
		}
		if records += len(fl) + len(rs); len(fl)+len(rs) == 0 || nx == next {
			break
		}
		if probe.ID == "" && len(rs) > 0 {
			probe = rs[len(rs)/2]
		}
		next = nx
	}
	if probe.ID == "" {
		b.Fatal("the township's extract holds no resident record")
	}
	return county, township, token, cases, records, probe
}
