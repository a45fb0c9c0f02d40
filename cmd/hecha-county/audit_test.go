package main

import (
	"context"
	"encoding/csv"
	"net"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"hecha/cmd/internal/cli"
	"hecha/internal/countytest"
	hsync "hecha/sync"
)

// TestAudit: the county's commands are recorded, "audit list" shows and
// filters them, "audit verify" passes on the intact log and names the
// first bad entry of a tampered one.
func TestAudit(t *testing.T) {
	countytest.Only(t, "bbolt", "it tampers with the bbolt file; pgstore.TestAudit covers the PostgreSQL log")
	f := newFixture(t)
	db := loadedCounty(t, f)
	wantCode(t, run(t, db, "assign", "--to", "410102001", "C001", "C003"), 0)
	wantCode(t, run(t, db, "cases", "show", "C001"), 0)
	r := run(t, db, "token", "create", "--township", "410102002")
	wantCode(t, r, 0)
	wantCode(t, run(t, db, "token", "revoke", "nope"), cli.ExitFailure)
	// Usage errors change nothing and open nothing: not recorded.
	wantCode(t, run(t, db, "assign"), cli.ExitUsage)

	r = runWide(t, db, "audit", "list")
	wantCode(t, r, 0)
	for _, want := range []string{"import regions", "import cases", "assign --to=410102001 C001 C003", "cases show C001",
		"token create --township=410102002", "token revoke nope", "not_found", "exit 1", "tester", "2024-06-01 09:30 "} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("audit list lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "audit") || strings.Count(r.stdout, "\n") != 2+8 {
		t.Errorf("audit list shows %d lines, want a header and 8 entries:\n%s", strings.Count(r.stdout, "\n"), r.stdout)
	}

	r = runWide(t, db, "audit", "list", "--case", "C001")
	wantCode(t, r, 0)
	if lines := strings.Split(strings.TrimSpace(r.stdout), "\n"); len(lines) != 4 || !strings.Contains(lines[2], "assign") || !strings.Contains(lines[3], "cases show") {
		t.Errorf("--case C001:\n%s", r.stdout)
	}
	r = run(t, db, "audit", "list", "--township", "410102002", "--format", "csv")
	wantCode(t, r, 0)
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.stdout, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0][0] != "seq" || rows[1][2] != "410102002" || rows[1][8] != "token create" ||
		rows[1][3] == "" || rows[1][6] != "tester" || rows[1][12] != "ok" || len(rows[1][13]) != 64 {
		t.Errorf("csv: %q", rows)
	}
	r = run(t, db, "audit", "list", "--since", "2024-06-02")
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "no audit entries") {
		t.Errorf("--since tomorrow:\n%s", r.stdout)
	}
	wantCode(t, run(t, db, "audit", "list", "--since", "yesterday"), cli.ExitUsage)
	wantCode(t, run(t, db, "audit", "list", "--format", "xlsx"), cli.ExitUsage)

	r = run(t, db, "audit", "verify")
	wantCode(t, r, 0)
	if !regexp.MustCompile(`intact: 8 entries, head 8:[0-9a-f]{64}`).MatchString(r.stdout) {
		t.Errorf("verify: %s", r.stdout)
	}
	// Reading and verifying the log are not recorded.
	if r := run(t, db, "audit", "verify"); !strings.Contains(r.stdout, "8 entries") {
		t.Errorf("verify again: %s", r.stdout)
	}

	// Someone with the file removes the assignment's entry (the fifth).
	raw, err := bbolt.Open(db, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = raw.Update(func(tx *bbolt.Tx) error {
		return tx.Bucket([]byte("county_audit")).Delete([]byte{0, 0, 0, 0, 0, 0, 0, 5})
	})
	raw.Close()
	if err != nil {
		t.Fatal(err)
	}
	r = run(t, db, "audit", "verify")
	wantCode(t, r, cli.ExitFailure)
	if !strings.Contains(r.stdout, "intact up to entry 4") || !strings.Contains(r.stderr, "audit entry 6 comes where entry 5 should be: that entry was removed or moved") {
		t.Errorf("verify after a removal:\nstdout: %s\nstderr: %s", r.stdout, r.stderr)
	}
	r = run(t, db, "--lang", "zh", "audit", "verify")
	if !strings.Contains(r.stderr, "第 6 条审计记录之前缺少第 5 条：该记录被删除或挪动过") {
		t.Errorf("verify in Chinese: %s", r.stderr)
	}
}

// TestAuditWhileServing: a command run on a serving county through the
// admin endpoint is recorded once, with the operator who ran it, and the
// audit commands themselves work while the server runs.
func TestAuditWhileServing(t *testing.T) {
	countytest.Only(t, "bbolt", "commands reach a serving bbolt file through the admin endpoint")
	f := newFixture(t)
	db := loadedCounty(t, f)
	stop := startServe(t, db)
	wantCode(t, run(t, db, "cases", "show", "C003"), 0)
	r := runWide(t, db, "audit", "list", "--case", "C003")
	wantCode(t, r, 0)
	if strings.Count(r.stdout, "cases show C003") != 1 || !strings.Contains(r.stdout, "tester") {
		t.Errorf("while serving:\n%s", r.stdout)
	}
	wantCode(t, run(t, db, "audit", "verify"), 0)
	// A file the server read from its own folder is recorded by the
	// operator's name for it.
	wantCode(t, run(t, db, "import", "resident", f.resident), 0)
	if row := auditCSV(t, db)["import resident"]; row == nil || row[9] != f.resident || row[6] != "tester" {
		t.Errorf("import while serving: %q", row)
	}
	wantCode(t, stop(), 0)
	if r := runWide(t, db, "audit", "list", "--case", "C003"); strings.Count(r.stdout, "cases show C003") != 1 {
		t.Errorf("after serving:\n%s", r.stdout)
	}
}

// runWide is run with tables laid out in 200 columns.
func runWide(t testing.TB, db string, args ...string) result {
	t.Helper()
	var out, errb syncBuffer
	m := newTestMain(db, &out, &errb)
	m.Width = 200
	code := cli.Execute(context.Background(), m, args)
	return result{out.String(), errb.String(), code}
}

// auditCSV returns the rows of "audit list --format csv" with args, by
// action, without the header.
func auditCSV(t *testing.T, db string, args ...string) map[string][]string {
	t.Helper()
	r := run(t, db, append([]string{"audit", "list", "--format", "csv"}, args...)...)
	wantCode(t, r, 0)
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.stdout, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, row := range rows[1:] {
		out[row[8]] = row
	}
	return out
}

// TestAuditOffline: a case file exported and a batch imported on a USB
// stick are recorded with the township, the token and the cases.
func TestAuditOffline(t *testing.T) {
	f := newFixture(t)
	db := loadedCounty(t, f)
	dir := t.TempDir()
	wantCode(t, run(t, db, "assign", "--to", "410102001", "C001", "C003"), 0)
	r := run(t, db, "token", "create", "--township", "410102001")
	wantCode(t, r, 0)
	tw := newTownship(t, strings.TrimSpace(r.stdout), "410102001")
	cases := filepath.Join(dir, "cases.hecha")
	wantCode(t, run(t, db, "export", "cases", "--township", "410102001", "-o", cases), 0)
	tw.importCases(t, cases)
	batch := filepath.Join(dir, "batch.hecha")
	tw.exportBatch(t, batch, "C001")
	wantCode(t, run(t, db, "import", "batch", batch), 0)

	rows := auditCSV(t, db, "--township", "410102001")
	// seq,time,township,token_id,device,clerk,user,remote,action,detail,cases,count,outcome,hash
	exp, imp := rows["export cases"], rows["import batch"]
	if exp == nil || exp[3] != tw.key.TokenID || exp[10] != "C001 C003" || exp[11] != "4" || exp[12] != "ok" {
		t.Errorf("export cases: %q", exp)
	}
	if imp == nil || imp[2] != "410102001" || imp[3] != tw.key.TokenID || imp[10] != "C001" || imp[11] != "1" || imp[12] != "ok" {
		t.Errorf("import batch: %q", imp)
	}
	if tok := rows["token create"]; tok == nil || tok[3] != tw.key.TokenID {
		t.Errorf("token create: %q", tok)
	}
}

// TestAuditServe: the server that "serve" runs records the API's
// requests for personal data in the database's audit trail.
func TestAuditServe(t *testing.T) {
	f := newFixture(t)
	db := loadedCounty(t, f)
	wantCode(t, run(t, db, "assign", "--to", "410102001", "C001", "C003"), 0)
	r := run(t, db, "token", "create", "--township", "410102001")
	wantCode(t, r, 0)
	token := strings.TrimSpace(r.stdout)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan result, 1)
	go func() { done <- runCtx(ctx, t, db, "serve", "--addr", addr, "--quiet", "--insecure-http") }()
	defer func() {
		cancel()
		wantCode(t, <-done, 0)
	}()
	var resp *http.Response
	for deadline := time.Now().Add(10 * time.Second); ; {
		req, _ := http.NewRequest(http.MethodGet, "http://"+addr+hsync.PathCases, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		if resp, err = http.DefaultClient.Do(req); err == nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET cases: %s", resp.Status)
	}
	get := auditCSV(t, db, "--case", "C003")["GET "+hsync.PathCases]
	if get == nil || get[2] != "410102001" || get[10] != "C001 C003" || !strings.HasPrefix(get[7], "127.0.0.1:") || get[1] != testNow.Format(time.RFC3339Nano) {
		t.Errorf("the request's entry: %q", get)
	}
}
