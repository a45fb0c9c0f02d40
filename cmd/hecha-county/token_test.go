package main

import (
	"context"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"hecha/cmd/internal/cli"
	"hecha/internal/countytest"
)

func TestTokens(t *testing.T) {
	f := newFixture(t)
	db := countytest.New(t)
	wantCode(t, run(t, db, "import", "regions", f.regions), 0)

	r := run(t, db, "token", "create", "--township", "410102001")
	wantCode(t, r, 0)
	token := strings.TrimSpace(r.stdout)
	if token == "" || strings.Contains(token, "\n") || strings.Contains(token, " ") {
		t.Fatalf("stdout must hold the token alone: %q", r.stdout)
	}
	if !strings.Contains(r.stderr, "shown only this once") || strings.Contains(r.stderr, token) {
		t.Errorf("stderr: %q", r.stderr)
	}
	id := regexp.MustCompile(`Made token (\S+) `).FindStringSubmatch(r.stderr)
	if id == nil {
		t.Fatalf("no token id in %q", r.stderr)
	}

	r = run(t, db, "token", "list")
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, id[1]) || !strings.Contains(r.stdout, "林山寨街道") || strings.Contains(r.stdout, token) {
		t.Errorf("list:\n%s", r.stdout)
	}
	r = run(t, db, "token", "revoke", id[1])
	wantCode(t, r, 0)
	r = run(t, db, "token", "list")
	if !strings.Contains(r.stdout, "no tokens") {
		t.Errorf("list after revoke:\n%s", r.stdout)
	}
	r = run(t, db, "token", "list", "--all")
	if !strings.Contains(r.stdout, "revoked") {
		t.Errorf("list --all:\n%s", r.stdout)
	}

	wantCode(t, run(t, db, "token", "create"), cli.ExitUsage)
	wantCode(t, run(t, db, "token", "create", "--township", "310101001"), cli.ExitFailure)
	wantCode(t, run(t, db, "token", "revoke", "nope"), cli.ExitFailure)
}

func TestServeStopsOnCancel(t *testing.T) {
	f := newFixture(t)
	db := countytest.New(t)
	wantCode(t, run(t, db, "import", "regions", f.regions), 0)

	var out, errb syncBuffer
	m := newTestMain(db, &out, &errb)
	if err := m.ParseFlags([]string{"serve", "--addr", "127.0.0.1:0"}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()

	// Find the address in the log and ask the server for its health,
	// over TLS with the certificate it made beside the database.
	addr := regexp.MustCompile(`serving on (https://\S+) `)
	var base string
	for deadline := time.Now().Add(5 * time.Second); base == "" && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if s := addr.FindStringSubmatch(errb.String()); s != nil {
			base = s[1]
		}
	}
	if base == "" {
		cancel()
		t.Fatalf("no address in %q", errb.String())
	}
	hc := countyHTTPClient(t, db)
	resp, err := hc.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("healthz: %d", resp.StatusCode)
	}
	resp, err = hc.Get(base + "/api/v1/cases")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("cases without a token: %d", resp.StatusCode)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
	m.Close()
	log := errb.String()
	if !strings.Contains(log, "GET /healthz - 200") || !strings.Contains(log, "GET /api/v1/cases - 401") || !strings.Contains(log, "stopped") {
		t.Errorf("log:\n%s", log)
	}
}

func TestServeUsage(t *testing.T) {
	db := countytest.New(t)
	wantCode(t, run(t, db, "serve", "--tls-cert", "x.pem"), cli.ExitUsage)
	wantCode(t, run(t, db, "serve", "--tls-cert", "x.pem", "--tls-key", "x.key"), cli.ExitUsage)
	wantCode(t, run(t, db, "serve", "--tls-cert", "x.pem", "--tls-key", "x.key", "--insecure-http"), cli.ExitUsage)
	wantCode(t, run(t, db, "serve", "--rate", "-1"), cli.ExitUsage)
	if r := run(t, db, "serve", "--max-pushes", "-1"); r.code != cli.ExitUsage || !strings.Contains(r.stderr, "--max-pushes (pushed batches handled at once) cannot be negative") {
		t.Errorf("serve --max-pushes -1: %d\n%s", r.code, r.stderr)
	}
	if r := run(t, db, "serve", "--max-applies", "-1"); r.code != cli.ExitUsage || !strings.Contains(r.stderr, "--max-applies (pushed batches written to the database at once) cannot be negative") {
		t.Errorf("serve --max-applies -1: %d\n%s", r.code, r.stderr)
	}
	r := run(t, db, "serve", "--addr", "256.0.0.1:1")
	if r.code != cli.ExitUnreachable || !strings.Contains(r.stderr, "cannot listen") {
		t.Errorf("bad address: %d %q", r.code, r.stderr)
	}
}

func TestHelpNamesTheDatabase(t *testing.T) {
	db := countytest.New(t)
	for _, args := range [][]string{
		{"--help"}, {"gen", "--help"}, {"import", "regions", "--help"}, {"import", "cases", "--help"},
		{"import", "resident", "--help"}, {"import", "floating", "--help"}, {"assign", "--help"},
		{"cases", "list", "--help"}, {"cases", "show", "--help"}, {"token", "create", "--help"},
		{"token", "revoke", "--help"}, {"token", "list", "--help"}, {"serve", "--help"}, {"compact", "--help"},
	} {
		r := run(t, db, args...)
		if r.code != 0 || !strings.Contains(r.stdout, cli.CountyDBEnv) || !strings.Contains(r.stdout, filepath.Join("hecha", cli.CountyDBFile)) {
			t.Errorf("%q: exit %d\n%s", args, r.code, r.stdout)
		}
		if len(args) > 1 && !strings.Contains(r.stdout, "--db FILE") {
			t.Errorf("%q lacks --db:\n%s", args, r.stdout)
		}
	}
}

func TestCompact(t *testing.T) {
	countytest.Only(t, "bbolt", "compact rewrites the county's file")
	f := newFixture(t)
	db := loadedCounty(t, f)
	r := run(t, db, "compact")
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "compacted") {
		t.Errorf("compact: %s", r.stdout)
	}
	wantCode(t, run(t, db, "cases", "show", "C001"), 0)
	wantCode(t, run(t, filepath.Join(t.TempDir(), "none.db"), "compact"), cli.ExitFailure)
}
