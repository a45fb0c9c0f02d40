package sync_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	stdsync "sync"
	"testing"
	"time"

	"hecha"
	"hecha/internal/countytest"
	"hecha/internal/testenv"
	"hecha/pgstore"
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
func provinceMaxPushes() int { return envCount("HECHA_BENCH_MAX_PUSHES", hsync.DefaultMaxPushes) }

// provinceMaxApplies is how many of a server's pushed batches apply at
// once (serve --max-applies): HECHA_BENCH_MAX_APPLIES,
// hsync.DefaultMaxApplies by default.
func provinceMaxApplies() int { return envCount("HECHA_BENCH_MAX_APPLIES", hsync.DefaultMaxApplies) }

// envCount returns the environment variable name as a count (0 or
// more), or def when it is unset or not one.
func envCount(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n >= 0 {
		return n
	}
	return def
}

// provinceForm is the form of the results pushed: HECHA_BENCH_FORM, R1
// by default (查无此人, which touches no registry record); R4 (or another
// confirming form) makes each result update its person's resident
// record, as most results of a real round do.
func provinceForm(tb testing.TB) hecha.Form {
	f := hecha.Form(os.Getenv("HECHA_BENCH_FORM"))
	switch {
	case f == "":
		return hecha.FormR1
	case f != hecha.FormR1 && !f.Confirms():
		tb.Fatalf("HECHA_BENCH_FORM=%s: R1 or a confirming form (R2–R6, P1)", f)
	}
	return f
}

// provincePushRate is the load the townships push at: HECHA_BENCH_PUSH_RATE
// results a second in all, each township sending a batch on a fixed
// schedule (the townships' schedules spread evenly over one interval), so
// that the pulls are timed under that load, as the pull goal
// states it ("under that load": 20,000 results/s). 0, the default, pushes
// as fast as the servers answer, which measures the most they ingest,
// with the machine's cores full.
func provincePushRate() float64 {
	if r, err := strconv.ParseFloat(os.Getenv("HECHA_BENCH_PUSH_RATE"), 64); err == nil && r > 0 {
		return r
	}
	return 0
}

// pullPage is the page the pull probe asks for.
const pullPage = 500

// pullers is how many pull a page at once in BenchmarkProvinceSync.
const pullers = 4

// provincePullEvery is how often each puller starts a page:
// HECHA_BENCH_PULL_EVERY (a duration), 250 ms by default, so the four ask
// for 16 pages (8,000 cases) a second. Pages start on that schedule
// whatever the answers' times, so that the pulls are the same load
// however fast they are answered (pullers asking again as soon as
// answered made more pulls, and took the pushes' CPU, the faster the
// servers were) and a page that waited for the one before counts its
// wait.
func provincePullEvery() time.Duration {
	if d, err := time.ParseDuration(os.Getenv("HECHA_BENCH_PULL_EVERY")); err == nil && d > 0 {
		return d
	}
	return 250 * time.Millisecond
}

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
	// rss is the largest peak resident memory (VmHWM) of a server
	// process; 0 where /proc cannot tell.
	rss uint64
	// cpu is the machine's busy CPU time (every process: servers,
	// clients and PostgreSQL) per 1,000 results, from /proc/stat; 0 where
	// that cannot be read. Steadier than the rate on a shared machine.
	cpu time.Duration
}

// BenchmarkProvinceSync: 200 townships push their results (of the form
// provinceForm says) at once, as fast as they are answered or at the rate
// provincePushRate sets
// (batches of hsync.DefaultBatchSize, durable), while four pullers ask
// for a 500-case page of cases on a fixed schedule (provincePullEvery);
// on PostgreSQL against two servers on one database, on bbolt against its
// one server, side by side in the same run. As in a deployment, each server is a process of its
// own (this test binary run as one, provinceChild), keeping the audit
// trail as serve does, and the pullers are a process of their own: the
// 200 townships' clients are not in the servers' process, and a pull's
// wait is not the Go scheduler's queue of 200 clients. Each township
// talks to one server (half to each, as a round-robin name or a sticky
// balancer gives); the pullers take turns. It reports each backend's
// results/s, the p50 and p99 of a pull page under that load, the
// machine's CPU time per 1,000 results (every process, PostgreSQL's
// included), the servers' peak resident memory, and the ratios
// PostgreSQL/bbolt. The goals: 20,000 results/s, p99 100 ms.
func BenchmarkProvinceSync(b *testing.B) {
	if os.Getenv(provinceChildEnv) != "" {
		b.Skip("in a child of the benchmark")
	}
	perTown := provinceTownshipResults()
	form := provinceForm(b)
	rules, towns := provinceRules(b)
	var pg, bolt provinceLoad
	for i := 0; i < b.N; i++ {
		for _, be := range countytest.Backends {
			b.StopTimer()
			loc := be.New(b)
			// Seeded without fsync (bbolt), then served durable by the
			// children; the results are made before, from the cases'
			// revisions.
			seeder, err := be.Open(loc, countytest.Options{Rules: rules, Now: fxClock})
			if err != nil {
				b.Fatal(err)
			}
			probe := hecha.Code("410102001")
			tokens := seedProvince(b, seeder, towns, perTown, probe)
			batches := make([][]hecha.Result, len(towns))
			for i, tw := range towns {
				chain := newResultChain(b, seeder, tw)
				chain.form = form
				batches[i] = chain.next(perTown)
			}
			if err := seeder.Close(); err != nil {
				b.Fatal(err)
			}
			servers := 1
			if be.Name == "postgres" {
				servers = 2
			}
			var children []*provinceChildProc
			var addrs []string
			for range servers {
				c := startProvinceChild(b, "serve", provinceChildBackend+"="+be.Name, provinceChildLoc+"="+loc)
				children = append(children, c)
				addrs = append(addrs, c.addr)
			}
			b.StartTimer()
			l := provinceRun(b, addrs, towns, tokens, batches, probe, perTown)
			b.StopTimer()
			for _, c := range children {
				l.rss = max(l.rss, c.stop(b))
			}
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
	b.ReportMetric(float64(bolt.pulls), "bbolt-pulls")
	b.ReportMetric(ms(pg.cpu), "pg-cpu-ms/1000-results")
	b.ReportMetric(ms(bolt.cpu), "bbolt-cpu-ms/1000-results")
	b.ReportMetric(float64(pg.rss)/(1<<20), "pg-server-rss-MB")
	b.ReportMetric(float64(bolt.rss)/(1<<20), "bbolt-server-rss-MB")
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
	for t, tw := range towns {
		n := perTown
		if tw == probe {
			n = max(n, pullPage)
		}
		for i := range n {
			// fxCase(tw, i) is the same person in every township; here
			// each township's are its own people, as in a province, so
			// that confirmations update records of their own.
			c := fxCase(tw, i)
			c.Person.CitizenID = fxCitizenID(string(fxCounty), c.Person.BirthDate, c.Person.Sex, t)
			cases = append(cases, c)
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

// provinceRun pushes each township's batches at once to one of the
// servers at addrs while the pullers' process pages the probe
// township's cases, and returns the figures.
func provinceRun(b *testing.B, addrs []string, towns []hecha.Code, tokens map[hecha.Code]string, batches [][]hecha.Result, probe hecha.Code, perTown int) provinceLoad {
	clients := make([]*hsync.Client, len(towns))
	for i, tw := range towns {
		// A minute per request: under this load on a shared machine a
		// batch can wait longer than the fixtures' 10 s, and a timeout
		// would send it again and measure the retry.
		c, err := hsync.NewClient("http://"+addrs[i%len(addrs)], tokens[tw], hsync.WithInsecureHTTP(), hsync.WithRetry(3, time.Millisecond, 10*time.Millisecond), hsync.WithTimeout(time.Minute))
		if err != nil {
			b.Fatal(err)
		}
		clients[i] = c
	}
	pullers := startProvinceChild(b, "pull", provinceChildTargets+"="+strings.Join(addrs, ","), provinceChildToken+"="+tokens[probe])

	// With a push rate, each township sends a batch every interval, the
	// townships' first batches spread over the first interval.
	var every time.Duration
	if rate := provincePushRate(); rate > 0 {
		every = time.Duration(float64(hsync.DefaultBatchSize*len(towns)) / rate * float64(time.Second))
	}
	busy0, cpuOK := machineBusy()
	start := time.Now()
	var wg stdsync.WaitGroup
	for i := range towns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			first := start.Add(every * time.Duration(i) / time.Duration(len(towns)))
			pushPaced(b, clients[i], batches[i], hsync.DefaultBatchSize, first, every)
		}()
	}
	wg.Wait()
	took := time.Since(start)
	busy1, cpuOK1 := machineBusy()
	var cpu time.Duration
	if cpuOK && cpuOK1 {
		cpu = (busy1 - busy0) * 1000 / time.Duration(perTown*len(towns))
	}
	lat := pullers.latencies(b)
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
		p99:  q(0.99), p50: q(0.50), pulls: len(lat), cpu: cpu,
	}
}

// The children of BenchmarkProvinceSync: this test binary run with
// provinceChildEnv set to "serve" (a county server, as serve runs one) or
// "pull" (the four pullers), and the other variables below.
const (
	provinceChildEnv     = "HECHA_BENCH_PROVINCE_CHILD"
	provinceChildBackend = "HECHA_BENCH_PROVINCE_BACKEND" // countytest backend
	provinceChildLoc     = "HECHA_BENCH_PROVINCE_LOC"     // its store
	provinceChildTargets = "HECHA_BENCH_PROVINCE_TARGETS" // servers' addresses, comma-separated
	provinceChildToken   = "HECHA_BENCH_PROVINCE_TOKEN"   // the probe township's
	// provinceChildReady is how many connections a server child makes
	// before it listens (pgstore.ServerReadyConns when unset).
	provinceChildReady = "HECHA_BENCH_PROVINCE_READY"
)

// TestProvinceChild is a child process of BenchmarkProvinceSync; run
// directly it skips. It runs until its standard input closes, then
// reports on standard output: a server its peak resident memory
// ("RSS n", bytes), the pullers each page's time ("LAT n", ns).
func TestProvinceChild(t *testing.T) {
	role := os.Getenv(provinceChildEnv)
	if role == "" {
		t.Skip("a child process of BenchmarkProvinceSync")
	}
	ctx, stop := context.WithCancel(context.Background())
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		stop()
	}()
	switch role {
	case "serve":
		rules, _ := provinceRules(t)
		i := slices.IndexFunc(countytest.Backends, func(be countytest.Backend) bool { return be.Name == os.Getenv(provinceChildBackend) })
		if i < 0 {
			t.Fatalf("%s=%q: no such backend", provinceChildBackend, os.Getenv(provinceChildBackend))
		}
		// Opened as serve opens it: durable, its connections made.
		ready := envCount(provinceChildReady, pgstore.ServerReadyConns)
		db, err := countytest.Backends[i].Open(os.Getenv(provinceChildLoc), countytest.Options{Rules: rules, Now: fxClock, Durable: true, ReadyConns: ready})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("LISTENING %s\n", ln.Addr())
		srv := hsync.NewServer(db, hsync.WithClock(fxClock), hsync.WithRateLimit(0, 0),
			hsync.WithAudit(db.Audit()), hsync.WithMaxPushes(provinceMaxPushes()),
			hsync.WithMaxApplies(provinceMaxApplies()))
		if err := srv.Serve(ctx, ln, "", ""); err != nil {
			t.Fatal(err)
		}
		rss, _ := testenv.PeakRSS(os.Getpid()) // 0 where /proc cannot tell
		fmt.Printf("RSS %d\n", rss)
	case "pull":
		targets := strings.Split(os.Getenv(provinceChildTargets), ",")
		token := os.Getenv(provinceChildToken)
		var mu stdsync.Mutex
		var lat []time.Duration
		var wg stdsync.WaitGroup
		every := provincePullEvery()
		begin := time.Now()
		for p := range pullers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				hc := &http.Client{Timeout: 30 * time.Second}
				for n := 0; n < 3 || ctx.Err() == nil; n++ {
					// The page's time counts from when it was due: one
					// that waited for the one before is not measured short.
					start := begin.Add(time.Duration(n)*every + time.Duration(p)*every/pullers)
					time.Sleep(time.Until(start))
					err := pullFirstPage(hc, targets[(p+n)%len(targets)], token)
					d := time.Since(start)
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					lat = append(lat, d)
					mu.Unlock()
				}
			}()
		}
		fmt.Println("LISTENING pullers")
		wg.Wait()
		for _, d := range lat {
			fmt.Printf("LAT %d\n", d)
		}
	default:
		t.Fatalf("%s=%q: no such role", provinceChildEnv, role)
	}
}

// pullFirstPage asks the server at addr with hc for the token's first
// page of pullPage cases and reads the answer.
func pullFirstPage(hc *http.Client, addr, token string) error {
	req, err := http.NewRequest("GET", fmt.Sprintf("http://%s%s?since=0&limit=%d", addr, hsync.PathCases, pullPage), nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("pull: %s", resp.Status)
	}
	return nil
}

// provinceChildProc is a running child of BenchmarkProvinceSync.
type provinceChildProc struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	addr  string
	lines chan string // its output after LISTENING
}

// startProvinceChild runs TestProvinceChild in role with env and waits
// until it is ready (a server listening at addr).
func startProvinceChild(tb testing.TB, role string, env ...string) *provinceChildProc {
	tb.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestProvinceChild$", "-test.timeout=30m")
	cmd.Env = append(append(os.Environ(), provinceChildEnv+"="+role), env...)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		tb.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	c := &provinceChildProc{cmd: cmd, stdin: stdin, lines: make(chan string, 1<<16)}
	tb.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	ready := make(chan string, 1)
	go func() {
		defer close(c.lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if a, ok := strings.CutPrefix(sc.Text(), "LISTENING "); ok {
				ready <- a
				continue
			}
			c.lines <- sc.Text()
		}
	}()
	select {
	case c.addr = <-ready:
	case <-time.After(time.Minute):
		tb.Fatalf("the %s child is not ready", role)
	}
	return c
}

// finish closes the child's standard input, waits for it to exit and
// returns the values of its output lines that begin with prefix.
func (c *provinceChildProc) finish(tb testing.TB, prefix string) []uint64 {
	tb.Helper()
	_ = c.stdin.Close()
	var vals []uint64
	for line := range c.lines {
		if v, ok := strings.CutPrefix(line, prefix+" "); ok {
			n, err := strconv.ParseUint(v, 10, 64)
			if err != nil {
				tb.Fatalf("child: %q", line)
			}
			vals = append(vals, n)
		}
	}
	if err := c.cmd.Wait(); err != nil {
		tb.Fatalf("child: %v", err)
	}
	return vals
}

// stop ends a server child and returns its peak resident memory.
func (c *provinceChildProc) stop(tb testing.TB) uint64 {
	v := c.finish(tb, "RSS")
	if len(v) != 1 {
		tb.Fatal("the server child reported no RSS")
	}
	return v[0]
}

// latencies ends the pullers' child and returns each page's time.
func (c *provinceChildProc) latencies(tb testing.TB) []time.Duration {
	var out []time.Duration
	for _, v := range c.finish(tb, "LAT") {
		out = append(out, time.Duration(v))
	}
	return out
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
