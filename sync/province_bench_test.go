package sync_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	stdsync "sync"
	"testing"
	"time"

	"hecha"
	"hecha/internal/countytest"
	hsync "hecha/sync"
)

// provinceTownships is how many townships sync at once in
// BenchmarkProvinceSync, as the province load.
const provinceTownships = 200

// provinceTownshipResults is how many results each township pushes per
// run: HECHA_BENCH_TOWNSHIP_RESULTS, 100 by default (20,000 in all).
func provinceTownshipResults() int {
	if n, err := strconv.Atoi(os.Getenv("HECHA_BENCH_TOWNSHIP_RESULTS")); err == nil && n > 0 {
		return n
	}
	return 100
}

// provinceMaxPushes is the servers' push limit (serve --max-pushes):
// HECHA_BENCH_MAX_PUSHES, hsync.DefaultMaxPushes by default.
func provinceMaxPushes() int {
	if n, err := strconv.Atoi(os.Getenv("HECHA_BENCH_MAX_PUSHES")); err == nil && n >= 0 {
		return n
	}
	return hsync.DefaultMaxPushes
}

// pullPage is the page the pull probe asks for.
const pullPage = 500

// provinceRules are fxRules with 200 townships of 中原区 (the real codes
// stop at 010; the others only need to be in the table).
func provinceRules(tb testing.TB) (*hecha.Rules, []hecha.Code) {
	r := fxRules(tb)
	var towns []hecha.Code
	for i := 1; i <= provinceTownships; i++ {
		c := hecha.Code(fmt.Sprintf("410102%03d", i))
		towns = append(towns, c)
		if i > 10 {
			if err := r.Divisions.Add(hecha.Division{Code: c, Name: fmt.Sprintf("第%d街道", i)}); err != nil {
				tb.Fatal(err)
			}
		}
	}
	return r, towns
}

// provinceLoad is one backend's figures in BenchmarkProvinceSync.
type provinceLoad struct {
	rate     float64       // results ingested a second
	p99, p50 time.Duration // of a 500-case pull page during the ingest
	pulls    int
	heap     uint64 // peak heap in use seen during the run (this process)
	// cpu is the machine's busy CPU time (every process: servers,
	// clients and PostgreSQL) per 1,000 results, from /proc/stat; 0 where
	// that cannot be read. Steadier than the rate on a shared machine.
	cpu time.Duration
}

// BenchmarkProvinceSync: 200 townships push their results at once
// (batches of hsync.DefaultBatchSize, durable), while four pullers ask
// again and again for a 500-case page of cases; on PostgreSQL through a
// balancer over two servers with a store handle each on one database (two
// serve processes), on bbolt against its one server, side by side in the
// same run. The servers keep the audit trail, as serve does. It reports
// each one's results/s, the p50 and p99 of a pull page under that load,
// the machine's CPU time per 1,000 results (every process, PostgreSQL's
// included), and the ratios PostgreSQL/bbolt. The goals: 20,000 results/s,
// p99 100 ms.
func BenchmarkProvinceSync(b *testing.B) {
	perTown := provinceTownshipResults()
	rules, towns := provinceRules(b)
	var pg, bolt provinceLoad
	for i := 0; i < b.N; i++ {
		for _, be := range countytest.Backends {
			b.StopTimer()
			loc := be.New(b)
			open := func(durable bool) hecha.CountyStore {
				db, err := be.Open(loc, countytest.Options{Rules: rules, Now: fxClock, Durable: durable})
				if err != nil {
					b.Fatal(err)
				}
				b.Cleanup(func() { db.Close() })
				return db
			}
			// Seeded without fsync (bbolt), then served durable.
			seeder := open(false)
			probe := hecha.Code("410102001")
			tokens := seedProvince(b, seeder, towns, perTown, probe)
			if err := seeder.Close(); err != nil {
				b.Fatal(err)
			}
			first := open(true)
			var target string
			switch be.Name {
			case "postgres":
				second := open(true)
				mp := hsync.WithMaxPushes(provinceMaxPushes())
				ts1, ts2 := serveCounty(b, first, hsync.WithAudit(first.Audit()), mp), serveCounty(b, second, hsync.WithAudit(second.Audit()), mp)
				b.Cleanup(ts1.Close)
				b.Cleanup(ts2.Close)
				u1, _ := url.Parse(ts1.URL)
				u2, _ := url.Parse(ts2.URL)
				target = "http://" + newBalancer(b, u1.Host, u2.Host).ln.Addr().String()
			default:
				ts := serveCounty(b, first, hsync.WithAudit(first.Audit()), hsync.WithMaxPushes(provinceMaxPushes()))
				b.Cleanup(ts.Close)
				target = ts.URL
			}
			b.StartTimer()
			l := provinceRun(b, first, target, towns, tokens, probe, perTown)
			b.StopTimer()
			if be.Name == "postgres" {
				pg = l
			} else {
				bolt = l
			}
			b.StartTimer()
		}
	}
	b.StopTimer()
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(pg.rate, "pg-results/s")
	b.ReportMetric(bolt.rate, "bbolt-results/s")
	b.ReportMetric(pg.rate/bolt.rate, "pg/bbolt-rate")
	b.ReportMetric(ms(pg.p99), "pg-pull-p99-ms")
	b.ReportMetric(ms(bolt.p99), "bbolt-pull-p99-ms")
	b.ReportMetric(ms(pg.p50), "pg-pull-p50-ms")
	b.ReportMetric(ms(bolt.p50), "bbolt-pull-p50-ms")
	b.ReportMetric(float64(pg.pulls), "pg-pulls")
	b.ReportMetric(ms(pg.cpu), "pg-cpu-ms/1000-results")
	b.ReportMetric(ms(bolt.cpu), "bbolt-cpu-ms/1000-results")
	b.ReportMetric(float64(pg.heap)/(1<<20), "pg-peak-heap-MB")
	b.ReportMetric(float64(bolt.heap)/(1<<20), "bbolt-peak-heap-MB")
}

// seedProvince imports perTown cases for each township (pullPage for
// probe, so that it has a full pull page) in one import, assigns them and
// returns a token per township.
func seedProvince(tb testing.TB, db hecha.CountyStore, towns []hecha.Code, perTown int, probe hecha.Code) map[hecha.Code]string {
	ctx := context.Background()
	if err := db.SetCounty(ctx, fxCounty); err != nil {
		tb.Fatal(err)
	}
	var cases []hecha.Case
	ids := map[hecha.Code][]string{}
	for _, tw := range towns {
		n := perTown
		if tw == probe {
			n = max(n, pullPage)
		}
		for i := range n {
			cases = append(cases, fxCase(tw, i))
			ids[tw] = append(ids[tw], cases[len(cases)-1].ID)
		}
	}
	if _, err := db.ImportCases(ctx, cases); err != nil {
		tb.Fatal(err)
	}
	tokens := map[hecha.Code]string{}
	for _, tw := range towns {
		if err := db.Assign(ctx, ids[tw], tw, "bench"); err != nil {
			tb.Fatal(err)
		}
		tok, _, err := db.CreateToken(ctx, tw)
		if err != nil {
			tb.Fatal(err)
		}
		tokens[tw] = tok
	}
	return tokens
}

// provinceRun pushes perTown results for each township at once to target
// while pullers page the probe township's cases, and returns the figures.
func provinceRun(b *testing.B, county hecha.CountyStore, target string, towns []hecha.Code, tokens map[hecha.Code]string, probe hecha.Code, perTown int) provinceLoad {
	batches := make([][]hecha.Result, len(towns))
	clients := make([]*hsync.Client, len(towns))
	for i, tw := range towns {
		batches[i] = newResultChain(b, county, tw).next(perTown)
		// A minute per request: under this load on a shared machine a
		// batch can wait longer than the fixtures' 10 s, and a timeout
		// would send it again and measure the retry.
		c, err := hsync.NewClient(target, tokens[tw], hsync.WithInsecureHTTP(), hsync.WithRetry(3, time.Millisecond, 10*time.Millisecond), hsync.WithTimeout(time.Minute))
		if err != nil {
			b.Fatal(err)
		}
		clients[i] = c
	}
	var heapPeak uint64
	stopHeap := make(chan struct{})
	heapDone := make(chan struct{})
	go func() {
		defer close(heapDone)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			heapPeak = max(heapPeak, ms.HeapInuse)
			select {
			case <-stopHeap:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()

	stop := make(chan struct{})
	var mu stdsync.Mutex
	var lat []time.Duration
	var pullers stdsync.WaitGroup
	for range 4 {
		pullers.Add(1)
		go func() {
			defer pullers.Done()
			hc := &http.Client{Timeout: 30 * time.Second}
			for n := 0; ; n++ {
				select {
				case <-stop:
					if n >= 3 {
						return
					}
				default:
				}
				req, _ := http.NewRequest("GET", fmt.Sprintf("%s%s?since=0&limit=%d", target, hsync.PathCases, pullPage), nil)
				req.Header.Set("Authorization", "Bearer "+tokens[probe])
				start := time.Now()
				resp, err := hc.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				d := time.Since(start)
				if resp.StatusCode != http.StatusOK {
					b.Errorf("pull: %s", resp.Status)
					return
				}
				mu.Lock()
				lat = append(lat, d)
				mu.Unlock()
			}
		}()
	}

	busy0, cpuOK := machineBusy()
	start := time.Now()
	var wg stdsync.WaitGroup
	for i := range towns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pushAll(b, clients[i], batches[i], hsync.DefaultBatchSize)
		}()
	}
	wg.Wait()
	took := time.Since(start)
	busy1, cpuOK1 := machineBusy()
	var cpu time.Duration
	if cpuOK && cpuOK1 {
		cpu = (busy1 - busy0) * 1000 / time.Duration(perTown*len(towns))
	}
	close(stop)
	pullers.Wait()
	close(stopHeap)
	<-heapDone
	for _, c := range clients {
		c.CloseIdle()
	}
	slices.Sort(lat)
	q := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(float64(len(lat))*p))]
	}
	return provinceLoad{
		rate: float64(perTown*len(towns)) / took.Seconds(),
		p99:  q(0.99), p50: q(0.50), pulls: len(lat), heap: heapPeak, cpu: cpu,
	}
}

// machineBusy returns the CPU time all processes of the machine have
// spent so far (user, nice, system, irq and softirq of /proc/stat's first
// line, in its clock ticks of 1/100 s), or false where there is no
// /proc/stat.
func machineBusy() (time.Duration, bool) {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, false
	}
	line, _, _ := strings.Cut(string(data), "\n")
	f := strings.Fields(line)
	if len(f) < 8 || f[0] != "cpu" {
		return 0, false
	}
	var ticks int64
	for _, i := range []int{1, 2, 3, 6, 7} {
		n, err := strconv.ParseInt(f[i], 10, 64)
		if err != nil {
			return 0, false
		}
		ticks += n
	}
	return time.Duration(ticks) * 10 * time.Millisecond, true
}
