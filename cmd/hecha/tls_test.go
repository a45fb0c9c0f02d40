package main

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hecha"
	"hecha/cmd/internal/cli"
	hsync "hecha/sync"
)

// runIn is run with the clerk's answers on standard input.
func runIn(t *testing.T, db, stdin string, args ...string) result {
	t.Helper()
	var out, errb syncBuffer
	m := newTestMain(db, &out, &errb)
	m.Stdin = strings.NewReader(stdin)
	code := cli.Execute(context.Background(), m, args)
	return result{out.String(), errb.String(), code}
}

func TestSetupShowsAndPinsTheFingerprint(t *testing.T) {
	c := newCounty(t)
	db := filepath.Join(t.TempDir(), "township.db")
	grouped := hecha.FormatFingerprint(c.fp)

	// The clerk does not confirm (or there is nobody to ask): nothing is saved.
	for _, answer := range []string{"", "n\n", "no\n"} {
		r := runIn(t, db, answer, "setup", "--server", c.srv.URL, "--token", c.token, "--regions", c.region)
		if r.code != cli.ExitFailure || !strings.Contains(r.stdout, grouped) || !strings.Contains(r.stderr, "--fingerprint") {
			t.Fatalf("setup answered %q: %+v", answer, r)
		}
	}
	tdb := openTownship(t, db)
	if st, _ := tdb.Settings(context.Background()); st.Token != "" || st.TLSFingerprint != "" {
		t.Fatalf("settings saved without confirmation: %+v", st)
	}
	tdb.Close()

	// The clerk compares what is shown with what the county reads out.
	r := runIn(t, db, "y\n", "setup", "--server", c.srv.URL, "--token", c.token, "--regions", c.region)
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "  "+grouped+"\n") || !strings.Contains(r.stdout, "pinned the county server's certificate: "+grouped) {
		t.Fatalf("setup did not show and pin %s:\n%s", grouped, r.stdout)
	}
	tdb = openTownship(t, db)
	st, err := tdb.Settings(context.Background())
	tdb.Close()
	if err != nil || st.TLSFingerprint != c.fp || st.InsecureHTTP {
		t.Fatalf("settings %+v, %v; want the pin %s", st, err, c.fp)
	}
	r = run(t, db, "sync")
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "pulled 2 cases") {
		t.Fatalf("sync over the pinned connection:\n%s", r.stdout)
	}

	// Setting up again with another certificate says it is not the one
	// pinned before.
	moved := newCounty(t)
	r = runIn(t, db, "y\n", "setup", "--server", moved.srv.URL, "--token", moved.token)
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "not the fingerprint pinned before ("+grouped+")") {
		t.Fatalf("setup with a new certificate does not say the old one:\n%s", r.stdout)
	}
}

func TestSetupFingerprintGiven(t *testing.T) {
	c := newCounty(t)
	db := filepath.Join(t.TempDir(), "township.db")
	// Grouped and in lower case, as typed from the phone: no question asked.
	typed := strings.ToLower(hecha.FormatFingerprint(c.fp))
	r := run(t, db, "setup", "--server", c.srv.URL, "--token", c.token, "--fingerprint", typed, "--regions", c.region)
	wantCode(t, r, 0)
	if strings.Contains(r.stdout, "Type y") {
		t.Errorf("setup asked although --fingerprint was given:\n%s", r.stdout)
	}

	// Another fingerprint: refused, saying what to do, nothing sent.
	other := filepath.Join(t.TempDir(), "other.db")
	r = run(t, other, "setup", "--server", c.srv.URL, "--token", c.token, "--fingerprint", strings.Repeat("0", 64))
	if r.code != cli.ExitUnauthorized || !strings.Contains(r.stderr, "not the one pinned") || !strings.Contains(r.stderr, hecha.FormatFingerprint(c.fp)) {
		t.Fatalf("setup with a wrong fingerprint: %+v", r)
	}
	for _, bad := range []string{"3F2A", "not hex"} {
		wantCode(t, run(t, other, "setup", "--server", c.srv.URL, "--token", c.token, "--fingerprint", bad), cli.ExitUsage)
	}
}

func TestSetupPlainHTTPNeedsConsent(t *testing.T) {
	c := newCounty(t)
	plain := httptest.NewServer(c.handler())
	defer plain.Close()
	db := filepath.Join(t.TempDir(), "township.db")

	r := run(t, db, "setup", "--server", plain.URL, "--token", c.token)
	if r.code != cli.ExitUsage || !strings.Contains(r.stderr, "plain http://") || !strings.Contains(r.stderr, "--insecure-http") {
		t.Fatalf("setup on http:// without --insecure-http: %+v", r)
	}
	wantCode(t, run(t, db, "setup", "--server", plain.URL, "--token", c.token, "--insecure-http", "--fingerprint", c.fp), cli.ExitUsage)
	r = run(t, db, "setup", "--server", plain.URL, "--token", c.token, "--insecure-http", "--regions", c.region)
	wantCode(t, r, 0)
	if !strings.Contains(r.stderr, "not encrypted") {
		t.Errorf("setup --insecure-http gives no warning:\n%s", r.stderr)
	}
	wantCode(t, run(t, db, "sync"), 0)

	// A terminal set up for http:// before TLS was the rule stops using it.
	tdb := openTownship(t, db)
	st, _ := tdb.Settings(context.Background())
	st.InsecureHTTP = false
	if err := tdb.SaveSettings(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	tdb.Close()
	r = run(t, db, "sync")
	if r.code == 0 || !strings.Contains(r.stderr, "--fingerprint") || !strings.Contains(r.stderr, "plain http://") {
		t.Fatalf("sync with an old http:// setting: %+v", r)
	}
}

func TestSyncRefusesAReplacedCertificate(t *testing.T) {
	c := newCounty(t)
	db := filepath.Join(t.TempDir(), "township.db")
	wantCode(t, run(t, db, "setup", "--server", c.srv.URL, "--fingerprint", c.fp, "--token", c.token, "--regions", c.region), 0)
	wantCode(t, run(t, db, "sync"), 0)

	// Someone else answers at the county's address with another certificate.
	addr := c.srv.Listener.Addr().String()
	c.srv.Close()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("cannot listen on %s again: %v", addr, err)
	}
	certPEM, keyPEM, err := hsync.NewCertificate([]string{"127.0.0.1"}, testNow)
	if err != nil {
		t.Fatal(err)
	}
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	fake := &httptest.Server{Listener: ln, Config: &http.Server{Handler: c.handler()}, TLS: &tls.Config{Certificates: []tls.Certificate{pair}}}
	fake.StartTLS()
	defer fake.Close()
	fakeFP, _ := hsync.PEMFingerprint(certPEM)

	r := run(t, db, "sync")
	if r.code != cli.ExitUnauthorized {
		t.Fatalf("sync against another certificate: exit %d\n%s", r.code, r.stderr)
	}
	for _, want := range []string{"not the one pinned", hecha.FormatFingerprint(c.fp), hecha.FormatFingerprint(fakeFP), "hecha setup", "--fingerprint"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("the refusal lacks %q:\n%s", want, r.stderr)
		}
	}
	// Nothing moved: the clerk reads the refusal, not a round's zero counts.
	if r.stdout != "" {
		t.Errorf("a refused round printed counts:\n%s", r.stdout)
	}
}

func TestSetupWithCertificateAuthority(t *testing.T) {
	c := newCounty(t)
	dir := t.TempDir()
	db, ca := filepath.Join(dir, "township.db"), filepath.Join(dir, "county-ca.pem")
	if err := os.WriteFile(ca, c.cert, 0o644); err != nil {
		t.Fatal(err)
	}
	// The county's authority is trusted: no question, no pin.
	r := run(t, db, "setup", "--server", c.srv.URL, "--token", c.token, "--ca", ca, "--regions", c.region)
	wantCode(t, r, 0)
	if strings.Contains(r.stdout, "Type y") || strings.Contains(r.stdout, "pinned") {
		t.Errorf("setup --ca asked or pinned:\n%s", r.stdout)
	}
	wantCode(t, run(t, db, "sync"), 0)
	// With both, both are checked.
	r = run(t, db, "setup", "--server", c.srv.URL, "--token", c.token, "--ca", ca, "--fingerprint", strings.Repeat("1", 64))
	wantCode(t, r, cli.ExitUnauthorized)
	r = run(t, db, "setup", "--server", c.srv.URL, "--token", c.token, "--ca", ca, "--fingerprint", c.fp)
	wantCode(t, r, 0)
	wantCode(t, run(t, db, "sync"), 0)
}
