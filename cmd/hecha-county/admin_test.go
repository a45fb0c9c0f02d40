package main

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"hecha"
	"hecha/cmd/internal/cli"
	"hecha/internal/countytest"
	"hecha/store"
)

// startServe runs "serve" on db in the background, on a free port of
// 127.0.0.1, until the returned function stops it and returns its result.
func startServe(t testing.TB, db string) (stop func() result) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan result, 1)
	go func() { done <- runCtx(ctx, t, db, "serve", "--addr", "127.0.0.1:0", "--quiet") }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, ok := readAdminFile(db); ok {
			break
		}
		select {
		case r := <-done:
			cancel()
			t.Fatalf("serve ended: %+v", r)
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatal("serve wrote no admin file")
		}
		time.Sleep(5 * time.Millisecond)
	}
	var once *result
	stop = func() result {
		if once == nil {
			cancel()
			r := <-done
			once = &r
		}
		return *once
	}
	t.Cleanup(func() { stop() })
	return stop
}

// copyDB copies the closed database at path to a new folder.
func copyDB(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), filepath.Base(path))
	if err := os.WriteFile(dst, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return dst
}

// tokenText matches what differs between two runs of token create: the
// token and its id (also in the list of tokens).
var tokenText = regexp.MustCompile(`hc_[A-Za-z0-9_-]+|token [A-Za-z0-9]+ for|(?m)^[a-z0-9]{8}  `)

// TestAdminWhileServing runs county commands on a database a server holds
// and the same commands on a copy nobody holds: the output, the exit
// status and the files written are the same.
func TestAdminWhileServing(t *testing.T) {
	countytest.Only(t, "bbolt", "the admin endpoint serves commands while serve holds the bbolt file")
	f := newFixture(t)
	served := loadedCounty(t, f)
	plain := copyDB(t, served)
	stop := startServe(t, served)
	// The server holds the file: only its admin endpoint can run them.
	if _, err := store.OpenCounty(served, store.WithTimeout(10*time.Millisecond), store.WithNow(testClock)); hecha.ErrorCode(err) != hecha.ELOCKED {
		t.Fatalf("open while serving: %v", err)
	}
	more := f.write(t, "more cases.csv", strings.Join([]string{
		"个案编号,个案类型,姓名,性别,现居住地地址,现居住地行政区划,户籍所在地地址,户籍地行政区划,公民身份证号,出生日期,流出日期",
		"C101,跨省流出,孙十,男,上海市黄浦区1号,310101,林山寨街道9号,410102001," + citizenID("410102", "1988-08-08", 11, "1") + ",1988-08-08,2019-01-01",
		"C102,跨省流出,坏,男,上海市黄浦区2号,310101,林山寨街道9号,410102001,123,1988-08-08,2019-01-01",
	}, "\n")+"\n")
	outA, outB := t.TempDir(), t.TempDir()

	steps := []struct {
		args []string // {OUT} is the folder the run writes into
		code int
	}{
		{[]string{"assign", "--to", "410102001", "C001", "C003"}, 0},
		{[]string{"token", "create", "--township", "410102001"}, 0},
		{[]string{"import", "cases", more}, cli.ExitFailure},
		{[]string{"import", "cases", filepath.Join(f.dir, "missing.csv")}, cli.ExitUsage},
		{[]string{"assign", "--auto"}, 0},
		{[]string{"report", "progress"}, 0},
		{[]string{"cases", "list", "--lang", "zh"}, 0},
		// The common flags may come before the command.
		{[]string{"--lang", "zh", "report", "progress"}, 0},
		{[]string{"export", "results", "-o", "{OUT}/results.csv"}, 0},
		{[]string{"report", "progress", "--format", "csv", "--encoding", "gb18030"}, 0},
		{[]string{"token", "list"}, 0},
	}
	for _, st := range steps {
		argsFor := func(dir string) []string {
			out := make([]string, len(st.args))
			for i, a := range st.args {
				out[i] = strings.ReplaceAll(a, "{OUT}", dir)
			}
			return out
		}
		got := run(t, served, argsFor(outA)...)
		want := run(t, plain, argsFor(outB)...)
		name := strings.Join(st.args, " ")
		if got.code != st.code || want.code != st.code {
			t.Fatalf("%s: exit %d with the server, %d without, want %d\nwith:\n%s%s\nwithout:\n%s%s", name, got.code, want.code, st.code, got.stdout, got.stderr, want.stdout, want.stderr)
		}
		norm := func(s, dir string) string {
			return tokenText.ReplaceAllString(strings.ReplaceAll(s, dir, "{OUT}"), "TOKEN")
		}
		if norm(got.stdout, outA) != norm(want.stdout, outB) || norm(got.stderr, outA) != norm(want.stderr, outB) {
			t.Errorf("%s: with the server\n%s%s\nwithout\n%s%s", name, got.stdout, got.stderr, want.stdout, want.stderr)
		}
	}
	a, errA := os.ReadFile(filepath.Join(outA, "results.csv"))
	b, errB := os.ReadFile(filepath.Join(outB, "results.csv"))
	if errA != nil || errB != nil || len(a) == 0 || !bytes.Equal(a, b) {
		t.Errorf("exported files differ: %d bytes (%v) and %d bytes (%v)", len(a), errA, len(b), errB)
	}
	if fi, err := os.Stat(filepath.Join(outA, "results.csv")); err == nil && fi.Mode().Perm() != 0o600 {
		t.Errorf("the exported file has mode %v", fi.Mode().Perm())
	}

	// The server stops cleanly and takes its admin file away; what the
	// commands did is in the database.
	if r := stop(); r.code != 0 {
		t.Fatalf("serve: %+v", r)
	}
	if _, err := os.Stat(adminPath(served)); !os.IsNotExist(err) {
		t.Errorf("the admin file is still there: %v", err)
	}
	got, want := run(t, served, "cases", "list"), run(t, plain, "cases", "list")
	if got.code != 0 || got.stdout != want.stdout {
		t.Errorf("after the server stopped:\n%s\nwant\n%s", got.stdout, want.stdout)
	}
}

// BenchmarkAdminHandOff measures a county command run on a database a
// server holds (handed to the server's admin endpoint) against the same
// command on a copy nobody holds, and reports how many times longer the
// hand-off takes ("x-direct").
func BenchmarkAdminHandOff(b *testing.B) {
	countytest.Only(b, "bbolt", "the admin endpoint serves commands while serve holds the bbolt file")
	f := newFixture(b)
	served := loadedCounty(b, f)
	plain := copyDB(b, served)
	startServe(b, served)
	args := []string{"report", "progress"}
	var viaServer, direct time.Duration
	for b.Loop() {
		start := time.Now()
		if r := run(b, served, args...); r.code != 0 {
			b.Fatalf("with the server: %+v", r)
		}
		viaServer += time.Since(start)
		start = time.Now()
		if r := run(b, plain, args...); r.code != 0 {
			b.Fatalf("without: %+v", r)
		}
		direct += time.Since(start)
	}
	b.ReportMetric(float64(viaServer)/float64(direct), "x-direct")
}

// TestAdminBatchReceipt: import batch through the server writes the
// receipt beside the batch file, as it does without a server.
func TestAdminBatchReceipt(t *testing.T) {
	countytest.Only(t, "bbolt", "the admin endpoint serves commands while serve holds the bbolt file")
	f := newFixture(t)
	db := loadedCounty(t, f)
	wantCode(t, run(t, db, "assign", "--to", "410102001", "C001", "C003"), 0)
	tok := strings.TrimSpace(run(t, db, "token", "create", "--township", "410102001").stdout)
	tw := newTownship(t, tok, "410102001")
	dir := t.TempDir()
	cases := filepath.Join(dir, "cases.hecha")
	wantCode(t, run(t, db, "export", "cases", "--township", "410102001", "-o", cases), 0)
	tw.importCases(t, cases)
	batch := filepath.Join(dir, "batch.hecha")
	tw.exportBatch(t, batch, "C001")

	startServe(t, db)
	r := run(t, db, "import", "batch", batch)
	wantCode(t, r, 0)
	wantOut(t, r, "accepted 1", batch+".receipt")
	if strings.Contains(r.stdout+r.stderr, "hecha-county-admin-") {
		t.Errorf("the server's folder shows:\n%s%s", r.stdout, r.stderr)
	}
	rec := tw.receipt(t, batch+".receipt")
	if len(rec.Outcomes) != 1 || rec.Outcomes[0].Status != hecha.ResultAccepted {
		t.Errorf("receipt %+v", rec)
	}
}

// TestAdminRefuses: a wrong secret, another method or path, a command the
// server does not run and a body too large are refused.
func TestAdminRefuses(t *testing.T) {
	countytest.Only(t, "bbolt", "the admin endpoint serves commands while serve holds the bbolt file")
	f := newFixture(t)
	db := loadedCounty(t, f)
	startServe(t, db)
	a, ok := readAdminFile(db)
	if !ok {
		t.Fatal("no admin file")
	}
	if fi, err := os.Stat(adminPath(db)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("admin file mode: %v, %v", fi, err)
	}
	post := func(secret string, args []string, extra []byte) int {
		t.Helper()
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		pw, _ := mw.CreateFormField("request")
		ar := adminRequest{Args: args}
		if extra != nil {
			ar.Inputs = []bool{true}
		}
		json.NewEncoder(pw).Encode(ar)
		if extra != nil {
			fw, _ := mw.CreateFormFile("input", "input")
			fw.Write(extra)
		}
		mw.Close()
		req, _ := http.NewRequest(http.MethodPost, a.URL+adminPathRun, &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Authorization", "Bearer "+secret)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := post(a.Secret, []string{"token", "list"}, nil); code != http.StatusOK {
		t.Fatalf("the right secret: %d", code)
	}
	for _, secret := range []string{"", "wrong", a.Secret[:len(a.Secret)-1] + "0", a.Secret + "0"} {
		if secret == a.Secret {
			continue
		}
		if code := post(secret, []string{"token", "list"}, nil); code != http.StatusUnauthorized {
			t.Errorf("secret %q: %d", secret, code)
		}
	}
	for _, args := range [][]string{{"serve"}, {"compact"}, {"gen", "--out", t.TempDir()}, {"nonsense"}, {"import"}} {
		if code := post(a.Secret, args, nil); code != http.StatusForbidden {
			t.Errorf("%q: %d, want 403", args, code)
		}
	}
	old := adminMaxBody
	adminMaxBody = 1 << 10
	defer func() { adminMaxBody = old }()
	if code := post(a.Secret, []string{"import", "cases", "x.csv"}, bytes.Repeat([]byte("x"), 4<<10)); code != http.StatusRequestEntityTooLarge {
		t.Errorf("a body too large: %d", code)
	}
	for _, m := range []string{http.MethodGet, http.MethodPut} {
		req, _ := http.NewRequest(m, a.URL+adminPathRun, nil)
		req.Header.Set("Authorization", "Bearer "+a.Secret)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("%s: %d", m, resp.StatusCode)
		}
	}

	// A command whose admin file holds a wrong secret says so and fails
	// as a locked database does.
	bad := a
	bad.Secret = strings.Repeat("0", 64)
	writeAdmin(t, db, bad)
	r := run(t, db, "token", "list")
	wantCode(t, r, cli.ExitFailure)
	if !strings.Contains(r.stderr, "refuses the secret in "+adminPath(db)) {
		t.Errorf("wrong secret: %s", r.stderr)
	}
}

// writeAdmin writes an admin file for db.
func writeAdmin(t *testing.T, db string, a adminFile) {
	t.Helper()
	b, _ := json.Marshal(a)
	if err := os.WriteFile(adminPath(db), b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// deadAddress returns an address of 127.0.0.1 where nothing listens.
func deadAddress(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr
}

// TestAdminStaleFile: an admin file left by a server that is gone changes
// nothing: the database opens (and the file goes), or, held by another
// program, the command fails as before.
func TestAdminStaleFile(t *testing.T) {
	countytest.Only(t, "bbolt", "the admin endpoint serves commands while serve holds the bbolt file")
	f := newFixture(t)
	db := loadedCounty(t, f)
	stale := adminFile{URL: deadAddress(t), Secret: strings.Repeat("ab", 32), PID: 1}

	writeAdmin(t, db, stale)
	r := run(t, db, "token", "list")
	wantCode(t, r, 0)
	if _, err := os.Stat(adminPath(db)); !os.IsNotExist(err) {
		t.Errorf("the stale admin file is still there: %v", err)
	}

	// Held by another program, with the stale file beside it.
	holder, err := store.OpenCounty(db, store.WithNow(testClock))
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	writeAdmin(t, db, stale)
	r = run(t, db, "token", "list")
	wantCode(t, r, cli.ExitFailure)
	if !strings.Contains(r.stderr, "another hecha is using "+db) {
		t.Errorf("locked with a stale admin file: %s", r.stderr)
	}
	// An admin file pointing off this machine is not followed.
	writeAdmin(t, db, adminFile{URL: "http://192.0.2.1:80", Secret: stale.Secret})
	if _, ok := readAdminFile(db); ok {
		t.Error("an admin file off this machine was taken")
	}
	r = run(t, db, "token", "list")
	if r.code != cli.ExitFailure || !strings.Contains(r.stderr, "another hecha is using") {
		t.Errorf("off-machine admin file: %+v", r)
	}
}

// TestCommandLine: command lines are taken apart and written back with
// their files and output in place.
func TestCommandLine(t *testing.T) {
	cl, ok := parseCommandLine([]string{"import", "cases", "a b.csv", "--db", "x.db", "--lang", "zh"})
	if !ok || !cl.adminAllowed() || strings.Join(cl.inputs(), "|") != "a b.csv" || cl.output() != "" {
		t.Fatalf("import cases: %+v, %v", cl, ok)
	}
	got := strings.Join(cl.args([]string{"/tmp/in0/a b.csv"}, ""), " ")
	if got != "import cases --lang=zh -- /tmp/in0/a b.csv" {
		t.Errorf("args = %q", got)
	}
	// The flags every command takes may come before the command.
	cl, ok = parseCommandLine([]string{"--db", "x.db", "--lang=en", "import", "cases", "a.csv"})
	if !ok || strings.Join(cl.args(nil, ""), " ") != "import cases --lang=en -- a.csv" {
		t.Fatalf("leading common flags: %+v, %v", cl, ok)
	}
	cl, ok = parseCommandLine([]string{"report", "progress", "-o", "p.xlsx", "--unit=410102"})
	if !ok || cl.output() != "p.xlsx" || cl.inputs() != nil {
		t.Fatalf("report: %+v", cl)
	}
	cl.set("lang", "en")
	if got := strings.Join(cl.args(nil, "/tmp/out/p.xlsx"), " "); got != "report progress --o=/tmp/out/p.xlsx --unit=410102 --lang=en --" {
		t.Errorf("args = %q", got)
	}
	cl, ok = parseCommandLine([]string{"token", "revoke", "--", "-odd"})
	if !ok || strings.Join(cl.args(nil, ""), " ") != "token revoke -- -odd" {
		t.Errorf("token revoke: %+v", cl)
	}
	for _, bad := range [][]string{nil, {"import"}, {"nonsense"}, {"report", "progress", "--nonsense"}, {"--db", "x.db"}, {"help", "import"}, {"token", "list", "-h"}} {
		if _, ok := parseCommandLine(bad); ok {
			t.Errorf("%q parsed", bad)
		}
	}
	for in, want := range map[string]string{"a/b.csv": "b.csv", "..": "file", "/": "file", "": "file", "x/..": "file"} {
		if got := safeBase(in); got != want {
			t.Errorf("safeBase(%q) = %q, want %q", in, got, want)
		}
	}
}
