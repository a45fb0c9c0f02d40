package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	stdsync "sync"
	"testing"
	"time"

	"hecha"
	"hecha/cmd/internal/cli"
	"hecha/cmd/internal/gen"
	"hecha/internal/countytest"
	"hecha/internal/testenv"
	hsync "hecha/sync"
)

// benchCountyCases is how many cases BenchmarkProvinceCounty generates:
// HECHA_BENCH_CASES, 5,000 by default.
func benchCountyCases() int {
	if n, err := strconv.Atoi(os.Getenv("HECHA_BENCH_CASES")); err == nil && n > 0 {
		return n
	}
	return 5000
}

// boltAssignLimit is the largest size BenchmarkProvinceCounty runs on
// bbolt, which holds one county per file: a million-case run is for
// PostgreSQL. (bbolt's assign --auto no longer holds the cases: 35 MB of
// heap at 1,000,000 with the command; the README gives that figure.)
const boltAssignLimit = 200000

// heapPeak samples the heap in use every 10 ms until stop is called,
// which returns the highest sample.
func heapPeak() (stop func() uint64) {
	var peak uint64
	done, quit := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			select {
			case <-quit:
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
	}()
	return func() uint64 { close(quit); <-done; return peak }
}

// BenchmarkProvinceCounty runs one county of N generated cases
// (HECHA_BENCH_CASES) through the program on each backend, side by side:
// "import cases" (time), "assign --auto" (time and the peak heap of this
// process above what it held before: flat in N when the cases are not
// held in memory), then a built "serve" binary as a child process while
// 20 townships pull all their cases at once: its peak resident memory is
// the VmHWM of /proc/<pid>/status. bbolt runs up to boltAssignLimit cases.
func BenchmarkProvinceCounty(b *testing.B) {
	if runtime.GOOS != "linux" {
		b.Skip("reads /proc/<pid>/status")
	}
	n := benchCountyCases()
	dir := b.TempDir()
	d, err := gen.Generate(gen.Config{Cases: n, Seed: 5, DefectRate: -1, Now: testNow})
	if err != nil {
		b.Fatal(err)
	}
	if err := d.WriteDir(dir); err != nil {
		b.Fatal(err)
	}
	var towns []hecha.Code
	seen := map[hecha.Code]bool{}
	for _, c := range d.Cases {
		for _, dv := range []hecha.Code{c.Person.HouseholdDivision, c.Person.CurrentDivision} {
			tw := dv.At(hecha.LevelTownship)
			if tw != "" && tw.Within(gen.DefaultCounty) && !seen[tw] && len(towns) < 20 {
				seen[tw] = true
				towns = append(towns, tw)
			}
		}
	}
	d = nil
	bin := filepath.Join(b.TempDir(), "hecha-county")
	cmd := exec.Command("go", "build", "-o", bin, "hecha/cmd/hecha-county")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}

	type figures struct {
		ran                    bool
		importT, assignT       time.Duration
		assignHeap, serveVmHWM uint64
	}
	got := map[string]*figures{}
	for i := 0; i < b.N; i++ {
		for _, be := range countytest.Backends {
			if be.Name == "bbolt" && n > boltAssignLimit {
				continue
			}
			f := got[be.Name]
			if f == nil {
				f = &figures{}
				got[be.Name] = f
			}
			f.ran = true
			db := be.New(b)
			if r := runB(b, db, "import", "regions", filepath.Join(dir, "regions.csv"), "--county", string(gen.DefaultCounty)); r.code != 0 {
				b.Fatalf("regions: %+v", r)
			}
			start := time.Now()
			if r := runB(b, db, "import", "cases", filepath.Join(dir, "cases.csv")); r.code != 0 {
				b.Fatalf("import: %+v", r)
			}
			f.importT += time.Since(start)

			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			base := ms.HeapInuse
			stop := heapPeak()
			start = time.Now()
			if r := runB(b, db, "assign", "--auto"); r.code != 0 {
				b.Fatalf("assign: %+v", r)
			}
			f.assignT += time.Since(start)
			if p := stop(); p > base {
				f.assignHeap = max(f.assignHeap, p-base)
			}

			tokens := map[hecha.Code]string{}
			for _, tw := range towns {
				r := runB(b, db, "token", "create", "--township", string(tw))
				if r.code != 0 {
					b.Fatalf("token: %+v", r)
				}
				tokens[tw] = strings.TrimSpace(r.stdout)
			}
			f.serveVmHWM = max(f.serveVmHWM, serveAndPull(b, bin, db, tokens))
		}
	}
	b.StopTimer()
	mb := func(v uint64) float64 { return float64(v) / (1 << 20) }
	for _, name := range []string{"bbolt", "postgres"} {
		f := got[name]
		if f == nil || !f.ran {
			continue
		}
		short := map[string]string{"bbolt": "bbolt", "postgres": "pg"}[name]
		b.ReportMetric(f.importT.Seconds()/float64(b.N), short+"-import-s")
		b.ReportMetric(f.assignT.Seconds()/float64(b.N), short+"-assign-s")
		b.ReportMetric(mb(f.assignHeap), short+"-assign-heap-MB")
		b.ReportMetric(mb(f.serveVmHWM), short+"-serve-VmHWM-MB")
	}
	if pg, bolt := got["postgres"], got["bbolt"]; pg != nil && bolt != nil && bolt.assignHeap > 0 {
		b.ReportMetric(float64(pg.assignHeap)/float64(bolt.assignHeap), "pg/bbolt-assign-heap")
	}
}

// serveAndPull runs bin's "serve" on db as a child process, lets every
// township of tokens pull all its cases at once in 500-case pages, and
// returns the child's peak resident memory (VmHWM).
func serveAndPull(b *testing.B, bin, db string, tokens map[hecha.Code]string) uint64 {
	work := b.TempDir()
	srv := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--insecure-http", "--quiet")
	srv.Env = append(os.Environ(), "LANG=en_US.UTF-8", "LC_ALL=", "LC_MESSAGES=",
		cli.CountyDBEnv+"="+db, "XDG_CONFIG_HOME="+work, "HOME="+work, "HECHA_COUNTY_TLS_DIR="+work)
	logs, err := srv.StderrPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() { _ = srv.Process.Kill(); _ = srv.Wait() }()
	urls := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`serving on (http://\S+) `)
		sc := bufio.NewScanner(logs)
		for sc.Scan() {
			if s := re.FindStringSubmatch(sc.Text()); s != nil {
				urls <- s[1]
			}
		}
	}()
	var base string
	select {
	case base = <-urls:
	case <-time.After(60 * time.Second):
		b.Fatal("serve did not start")
	}
	var wg stdsync.WaitGroup
	for _, tok := range tokens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			hc := &http.Client{Timeout: 60 * time.Second}
			for since, more := uint64(0), true; more; {
				req, _ := http.NewRequest("GET", fmt.Sprintf("%s%s?since=%d&limit=500", base, hsync.PathCases, since), nil)
				req.Header.Set("Authorization", "Bearer "+tok)
				resp, err := hc.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				var page hsync.CasesResponse
				err = json.NewDecoder(resp.Body).Decode(&page)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK || err != nil {
					b.Errorf("pull: %s, %v", resp.Status, err)
					return
				}
				since, more = page.Next, page.More
			}
		}()
	}
	wg.Wait()
	return vmHWM(b, srv.Process.Pid)
}

// vmHWM reads the peak resident set size of process pid.
func vmHWM(b *testing.B, pid int) uint64 {
	n, err := testenv.PeakRSS(pid)
	if err != nil {
		b.Fatal(err)
	}
	return n
}
