package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"hecha"
	"hecha/cmd/internal/gen"
	"hecha/internal/testenv"
	"hecha/sheet"
	"hecha/store"
)

// rssCases is the size of the township the memory benchmark runs on
// (issue 5: start-up to the first frame ≤ 300 ms and ≤ 100 MB resident
// with 100,000 cases).
const rssCases = 100_000

// makeTownshipDB writes a township database at path holding n generated
// cases of one township, each with the candidates the county's comparison
// finds, the township's registry extract and the division table, as a
// sync would leave it. The table is the real one (the whole country to
// county level, Henan to village), as a terminal holds it, so it needs
// ../shared/data. It returns the township.
func makeTownshipDB(tb testing.TB, path string, n int) hecha.Code {
	tb.Helper()
	return makeTownshipDBKeys(tb, path, n, nil)
}

// makeTownshipDBKeys is makeTownshipDB, with the database encrypted under
// keys (when not nil) before anything is written to it.
func makeTownshipDBKeys(tb testing.TB, path string, n int, keys *store.Keys) hecha.Code {
	tb.Helper()
	ctx := context.Background()
	now := time.Date(2024, 3, 15, 12, 0, 0, 0, time.Local)
	table, err := sheet.LoadDivisionDir(testenv.SharedData(tb, "regions"))
	if err != nil {
		tb.Fatal(err)
	}
	ds, err := gen.Generate(gen.Config{Townships: 1, Cases: n, Seed: 5, Now: now, DefectRate: -1, Divisions: table})
	if err != nil {
		tb.Fatal(err)
	}
	rules := &hecha.Rules{Divisions: ds.Divisions, Now: func() time.Time { return now }}
	reg := hecha.NewMemRegistry()
	reg.Grow(len(ds.Floating), len(ds.Resident))
	for _, r := range ds.Floating {
		reg.AddFloating(r)
	}
	for _, r := range ds.Resident {
		reg.AddResident(r)
	}
	// The one township people live in: that of any case whose household
	// reaches township level (a national case may name only the county).
	var township hecha.Code
	for i := 0; township == "" && i < len(ds.Cases); i++ {
		township = ds.Cases[i].Person.HouseholdDivision.At(hecha.LevelTownship)
	}
	if township == "" {
		tb.Fatal("no generated case names a township")
	}
	db, err := store.OpenTownship(path, store.WithRules(rules),
		store.WithNow(func() time.Time { return now }), store.WithNoSync())
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	if keys != nil {
		if err := db.Encrypt(ctx, keys); err != nil {
			tb.Fatal(err)
		}
	}
	if err := db.SaveSettings(ctx, hecha.Settings{Township: township, Clerk: "王芳"}); err != nil {
		tb.Fatal(err)
	}
	const page = 2000
	for start := 0; start < len(ds.Cases); start += page {
		batch := ds.Cases[start:min(start+page, len(ds.Cases))]
		for i := range batch {
			c := &batch[i]
			c.Unit = township
			cm, err := hecha.Compare(c, reg, reg, hecha.PrecisionDay)
			if err != nil {
				tb.Fatal(err)
			}
			c.Candidates = cm.Candidates
		}
		if err := db.ApplyCases(ctx, batch, uint64(start+len(batch))); err != nil {
			tb.Fatal(err)
		}
	}
	for start := 0; start < max(len(ds.Floating), len(ds.Resident)); start += page {
		fl := ds.Floating[min(start, len(ds.Floating)):min(start+page, len(ds.Floating))]
		rs := ds.Resident[min(start, len(ds.Resident)):min(start+page, len(ds.Resident))]
		if err := db.ApplyRegistry(ctx, fl, rs, uint64(start+page)); err != nil {
			tb.Fatal(err)
		}
	}
	if err := db.SaveDivisions(ctx, ds.Divisions); err != nil {
		tb.Fatal(err)
	}
	return township
}

// procMemory reads a process's resident memory from /proc (Linux): the
// whole (VmRSS), its anonymous part (the Go heap and stacks) and the part
// that maps files (the bbolt database, the binary), in MB.
func procMemory(pid int) (rss, anon, file float64, ok bool) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, 0, false
	}
	read := func(name string) float64 {
		m := regexp.MustCompile(`(?m)^` + name + `:\s+(\d+) kB`).FindSubmatch(data)
		if m == nil {
			return 0
		}
		kb, _ := strconv.ParseFloat(string(m[1]), 64)
		return kb / 1024
	}
	return read("VmRSS"), read("RssAnon"), read("RssFile"), true
}

// mappedRSS returns how much of the files whose path ends in suffix is
// resident in the process, in MB, from /proc/PID/smaps (Linux).
func mappedRSS(pid int, suffix string) float64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps", pid))
	if err != nil {
		return 0
	}
	var kb float64
	in := false
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) >= 5 && strings.Contains(f[0], "-") && !strings.HasSuffix(f[0], ":"):
			// A mapping's header: address range, perms, offset, device, inode[, path].
			in = len(f) >= 6 && strings.HasSuffix(f[len(f)-1], suffix)
		case in && len(f) == 3 && f[0] == "Rss:":
			n, _ := strconv.ParseFloat(f[1], 64)
			kb += n
		}
	}
	return kb / 1024
}

// BenchmarkBinaryStartup runs the real binary in tmux at 80x24 on a
// township of 100,000 cases and reports the time from launch to the first
// frame with the counts (as the clerk sees it: process start, database
// open, status read, first frame drawn), from Enter there to the case
// list's first frame, their sum (launch to list), and the resident memory at the
// home screen and once the case list is loaded. It reports; it asserts no
// figure. The database is built once per run (some ten seconds).
//
// HECHA_BENCH_BASELINE=path names another build of hecha (the main
// branch's, say) to run as the anchor: each iteration runs it too, in
// turn with this build on the same database, and the benchmark reports
// its launch-to-list time and this build's as a ratio of it.
func BenchmarkBinaryStartup(b *testing.B) {
	testenv.Command(b, "tmux")
	if _, err := os.Stat("/proc/self/status"); err != nil {
		b.Skip("no /proc to read the memory from")
	}
	dir := b.TempDir()
	dbPath := filepath.Join(dir, "hecha.db")
	makeTownshipDB(b, dbPath, rssCases)
	bin := filepath.Join(dir, "hecha")
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	if out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	baseline := os.Getenv("HECHA_BENCH_BASELINE")
	var baseFirst, baseToList float64
	// launch runs bin to the home screen and on to the list, and returns
	// the two times in ms.
	launch := func(bin string) (first, toList float64) {
		t0 := time.Now()
		tm := startTmux(b, 80, 24, []string{"LANG=zh_CN.UTF-8", "TERM=xterm-256color", "HOME=" + dir}, bin, "--db", dbPath)
		defer tm.close()
		tm.wait(`未核查\s+\d+`)
		first = time.Since(t0).Seconds() * 1000
		time.Sleep(500 * time.Millisecond)
		t1 := time.Now()
		tm.send("Enter")
		tm.wait(`\[未核查 \d+\]`)
		toList = time.Since(t1).Seconds() * 1000
		tm.send("C-c")
		return first, toList
	}
	var first, toList, homeRSS, homeFile, homeDB, listRSS, listFile, listAnon, listDB float64
	runs := 0
	for b.Loop() {
		if baseline != "" {
			f, l := launch(baseline)
			baseFirst, baseToList = baseFirst+f, baseToList+l
		}
		t0 := time.Now()
		tm := startTmux(b, 80, 24, []string{"LANG=zh_CN.UTF-8", "TERM=xterm-256color", "HOME=" + dir}, bin, "--db", dbPath)
		tm.wait(`未核查\s+\d+`)
		first += time.Since(t0).Seconds() * 1000
		pid := tm.pid()
		time.Sleep(500 * time.Millisecond) // let the background work settle
		if rss, _, file, ok := procMemory(pid); ok {
			homeRSS, homeFile = homeRSS+rss, homeFile+file
		}
		homeDB += mappedRSS(pid, dbPath)
		t1 := time.Now()
		tm.send("Enter")
		tm.wait(`\[未核查 \d+\]`)
		toList += time.Since(t1).Seconds() * 1000
		time.Sleep(500 * time.Millisecond)
		if rss, anon, file, ok := procMemory(pid); ok {
			listRSS, listFile, listAnon = listRSS+rss, listFile+file, listAnon+anon
		}
		listDB += mappedRSS(pid, dbPath)
		tm.send("C-c")
		tm.close()
		runs++
	}
	n := float64(runs)
	if info, err := os.Stat(dbPath); err == nil {
		b.ReportMetric(float64(info.Size())/(1<<20), "db-file-MB")
	}
	b.ReportMetric(first/n, "first-frame-ms")
	// Launch to list: the first frame, then Enter to the list's first
	// frame (the pause between them left out).
	b.ReportMetric(toList/n, "home-to-list-ms")
	b.ReportMetric((first+toList)/n, "launch-to-list-ms")
	if baseline != "" {
		b.ReportMetric(baseFirst/n, "base-first-frame-ms")
		b.ReportMetric(baseToList/n, "base-home-to-list-ms")
		b.ReportMetric((baseFirst+baseToList)/n, "base-launch-to-list-ms")
		b.ReportMetric((first+toList)/(baseFirst+baseToList), "launch-to-list-x-base")
	}
	b.ReportMetric(homeRSS/n, "home-rss-MB")
	b.ReportMetric(homeFile/n, "home-rss-file-MB")
	b.ReportMetric(homeDB/n, "home-rss-db-MB")
	b.ReportMetric(listRSS/n, "list-rss-MB")
	b.ReportMetric(listAnon/n, "list-rss-anon-MB")
	b.ReportMetric(listFile/n, "list-rss-file-MB")
	b.ReportMetric(listDB/n, "list-rss-db-MB")
}

// benchTmux is a tmux session for a benchmark (newTmux needs a *testing.T).
type benchTmux struct {
	tb     testing.TB
	socket string
}

func startTmux(tb testing.TB, width, height int, env []string, argv ...string) *benchTmux {
	tb.Helper()
	tm := &benchTmux{tb: tb, socket: fmt.Sprintf("hecha-bench-%d-%d", os.Getpid(), time.Now().UnixNano())}
	args := []string{"-L", tm.socket, "-f", "/dev/null", "new-session", "-d", "-s", "t",
		"-x", strconv.Itoa(width), "-y", strconv.Itoa(height)}
	for _, e := range env {
		args = append(args, "-e", e)
	}
	if out, err := exec.Command("tmux", append(args, argv...)...).CombinedOutput(); err != nil {
		tb.Fatalf("tmux new-session: %v\n%s", err, out)
	}
	return tm
}

func (tm *benchTmux) run(args ...string) string {
	out, err := exec.Command("tmux", append([]string{"-L", tm.socket}, args...)...).CombinedOutput()
	if err != nil {
		tm.tb.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

func (tm *benchTmux) send(k string) { tm.run("send-keys", "-t", "t", k) }

// pid is the process the pane runs: the binary itself.
func (tm *benchTmux) pid() int {
	n, err := strconv.Atoi(strings.TrimSpace(tm.run("list-panes", "-t", "t", "-F", "#{pane_pid}")))
	if err != nil {
		tm.tb.Fatal(err)
	}
	return n
}

// wait polls the pane every 5 ms until it matches re.
func (tm *benchTmux) wait(re string) {
	rx := regexp.MustCompile(re)
	deadline := time.Now().Add(30 * time.Second)
	for {
		s := tm.run("capture-pane", "-p", "-t", "t")
		if rx.MatchString(s) {
			return
		}
		if time.Now().After(deadline) {
			tm.tb.Fatalf("the screen never matched %s:\n%s", re, s)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// close waits a moment for the program to quit and ends the session.
func (tm *benchTmux) close() {
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		out, err := exec.Command("tmux", "-L", tm.socket, "list-panes", "-t", "t", "-F", "#{pane_dead}").Output()
		if err != nil || strings.TrimSpace(string(out)) != "0" {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	exec.Command("tmux", "-L", tm.socket, "kill-server").Run()
}
