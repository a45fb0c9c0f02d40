package main

import (
	"bufio"
	"bytes"
	"context"
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
	"hecha/cmd/internal/cli"
	"hecha/internal/countytest"
	"hecha/store"
)

// TestEndToEnd builds both programs and runs the README's path: generate a
// county, import it, distribute, make a token, serve, set a township up and
// sync it, then check the township's database holds its cases.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds both programs")
	}
	if runtime.GOOS == "windows" {
		t.Skip("stops the server with SIGINT")
	}
	bin := t.TempDir()
	county, township := filepath.Join(bin, "hecha-county"), filepath.Join(bin, "hecha")
	build(t, county, "hecha/cmd/hecha-county")
	build(t, township, "hecha/cmd/hecha")

	work := t.TempDir()
	countyDB := countytest.New(t)
	env := append(os.Environ(),
		"LANG=en_US.UTF-8", "LC_ALL=", "LC_MESSAGES=",
		cli.CountyDBEnv+"="+countyDB,
		cli.TownshipDBEnv+"="+filepath.Join(work, "township.db"),
		"XDG_CONFIG_HOME="+work, "HOME="+work)
	sh := func(wantCode int, name string, args ...string) string {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Env = env
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatalf("%s %q: %v", filepath.Base(name), args, err)
		}
		if code != wantCode {
			t.Fatalf("%s %q: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", filepath.Base(name), args, code, wantCode, out.String(), errb.String())
		}
		return out.String()
	}

	// The county: gen → import ×4 → assign --auto → token.
	data := filepath.Join(work, "data")
	sh(0, county, "gen", "--out", data, "--cases", "120", "--seed", "11", "--defects", "0", "--now", e2eNow)
	sh(0, county, "import", "regions", filepath.Join(data, "regions.csv"), "--county", "410122")
	for _, kind := range []string{"floating", "resident", "cases"} {
		sh(0, county, "import", kind, filepath.Join(data, kind+".csv"))
	}
	again := sh(0, county, "import", "cases", filepath.Join(data, "cases.csv"))
	if !strings.Contains(again, "added 0, changed 0, unchanged 120, rejected 0") {
		t.Errorf("second import: %s", again)
	}
	assigned := sh(0, county, "assign", "--auto")
	// The township with the most cases, whichever it is at e2eNow; the
	// assign table says the same.
	code, n := pickTownship(t, countyDB, 1, func(*hecha.Case) bool { return true })
	want := strconv.Itoa(n)
	if !regexp.MustCompile(`(?m)^` + code + `\s.*\s` + want + `$`).MatchString(assigned) {
		t.Errorf("assign --auto does not list %s with %s cases:\n%s", code, want, assigned)
	}
	token := strings.TrimSpace(sh(0, county, "token", "create", "--township", code))

	// Serve on a free port; the address is in the log.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	srv := exec.CommandContext(ctx, county, "serve", "--addr", "127.0.0.1:0")
	srv.Env = env
	logs, err := srv.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	urls, fps := make(chan string, 1), make(chan string, 1)
	var logText bytes.Buffer
	logDone := make(chan struct{})
	go func() {
		defer close(logDone)
		sc := bufio.NewScanner(logs)
		re := regexp.MustCompile(`serving on (https://\S+) `)
		for sc.Scan() {
			logText.WriteString(sc.Text() + "\n")
			if s := re.FindStringSubmatch(sc.Text()); s != nil {
				urls <- s[1]
			}
			if s := fingerprintRe.FindStringSubmatch(sc.Text() + "\n"); s != nil {
				fps <- s[1]
			}
		}
	}()
	var url string
	select {
	case url = <-urls:
	case <-time.After(30 * time.Second):
		srv.Process.Kill()
		t.Fatal("the server did not say where it listens")
	}

	var fp string
	select {
	case fp = <-fps:
	case <-time.After(30 * time.Second):
		srv.Process.Kill()
		t.Fatal("the server did not show its certificate's fingerprint")
	}
	if shown := strings.TrimSpace(sh(0, county, "tls", "fingerprint")); shown != fp {
		t.Errorf("tls fingerprint shows %q, serve %q", shown, fp)
	}

	// The township: setup with the fingerprint the county read out → sync.
	// The division table comes from the county: no --regions.
	out := sh(0, township, "setup", "--server", url, "--token", token, "--clerk", "王芳", "--fingerprint", fp)
	if !strings.Contains(out, code) || !strings.Contains(out, "took the county's division table") || !strings.Contains(out, "pinned the county server's certificate: "+fp) {
		t.Errorf("setup: %s", out)
	}
	out = sh(0, township, "sync")
	if !strings.Contains(out, "pulled "+want+" cases") || strings.Contains(out, "division table") {
		t.Errorf("sync pulled other than the %s cases assigned, or the table again:\n%s", want, out)
	}
	sh(0, township, "sync")

	// Stop the server with SIGINT: it exits 0, and sync then exits 3.
	if err := srv.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	if err := srv.Wait(); err != nil {
		t.Fatalf("serve after SIGINT: %v\n%s", err, logText.String())
	}
	<-logDone
	if !strings.Contains(logText.String(), "GET /api/v1/cases "+code+" 200") {
		t.Errorf("the log lacks the pull:\n%s", logText.String())
	}
	sh(cli.ExitUnreachable, township, "sync")

	// The township's database holds exactly its cases.
	db, err := store.OpenTownship(filepath.Join(work, "township.db"), store.WithNow(testClock))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	counts, err := db.Counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if counts.Total() != n {
		t.Errorf("township holds %d cases, want %s", counts.Total(), want)
	}
	sums, err := db.Summaries(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sums {
		if !s.Unit.Within(hecha.Code(code)) {
			t.Errorf("case %s of unit %s reached township %s", s.ID, s.Unit, code)
		}
	}
}

// build compiles a program into path.
func build(t *testing.T, path, pkg string) {
	t.Helper()
	cmd := exec.Command("go", "build", "-o", path, pkg)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, err, out)
	}
}
