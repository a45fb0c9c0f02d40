package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"hecha"
	"hecha/cmd/internal/cli"
	hsync "hecha/sync"
)

// countyHTTPClient is an HTTP client that trusts the certificate serve
// made beside the database db (it names 127.0.0.1).
func countyHTTPClient(t *testing.T, db string) *http.Client {
	t.Helper()
	pem, err := os.ReadFile(filepath.Join(tlsDir(db), certFileName))
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatal("no certificate beside the database")
	}
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 10 * time.Second}
}

// serveOnce runs serve with args on db until it has said where it
// listens, then stops it, and returns its log and the address.
func serveOnce(t *testing.T, db string, args ...string) (log, url string) {
	t.Helper()
	var out, errb syncBuffer
	m := newTestMain(db, &out, &errb)
	if err := m.ParseFlags(append([]string{"serve", "--addr", "127.0.0.1:0", "--quiet"}, args...)); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	re := regexp.MustCompile(`serving on (\S+) `)
	for deadline := time.Now().Add(10 * time.Second); url == "" && time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if s := re.FindStringSubmatch(errb.String()); s != nil {
			url = s[1]
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve %q: %v\n%s", args, err, errb.String())
	}
	m.Close()
	if url == "" {
		t.Fatalf("serve said no address:\n%s", errb.String())
	}
	return errb.String(), url
}

// fingerprintRe finds the fingerprint serve prints.
var fingerprintRe = regexp.MustCompile(`certificate fingerprint \(SHA-256, for townships to compare at setup\): ((?:[0-9A-F]{4} ){15}[0-9A-F]{4})\n`)

func TestServeMakesAndKeepsItsCertificate(t *testing.T) {
	f := newFixture(t)
	db := filepath.Join(t.TempDir(), "county.db")
	wantCode(t, run(t, db, "import", "regions", f.regions), 0)

	// The first start makes the certificate and says so.
	log, url := serveOnce(t, db)
	if !strings.HasPrefix(url, "https://") || !strings.Contains(log, "made a self-signed certificate") {
		t.Fatalf("first start:\n%s", log)
	}
	m := fingerprintRe.FindStringSubmatch(log)
	if m == nil {
		t.Fatalf("no fingerprint in the log:\n%s", log)
	}
	printed := m[1]
	dir := tlsDir(db)
	certPEM, err := os.ReadFile(filepath.Join(dir, certFileName))
	if err != nil {
		t.Fatal(err)
	}
	if fp, err := hsync.PEMFingerprint(certPEM); err != nil || hecha.FormatFingerprint(fp) != printed {
		t.Fatalf("printed %s, the certificate's is %s (%v)", printed, hecha.FormatFingerprint(fp), err)
	}
	for name, want := range map[string]os.FileMode{dir: 0o700 | os.ModeDir, filepath.Join(dir, keyFileName): 0o600} {
		if runtime.GOOS == "windows" {
			break // no Unix modes
		}
		st, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode() != want {
			t.Errorf("%s: mode %v, want %v", name, st.Mode(), want)
		}
	}
	pair, err := tls.LoadX509KeyPair(filepath.Join(dir, certFileName), filepath.Join(dir, keyFileName))
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(pair.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := leaf.VerifyHostname("127.0.0.1"); err != nil || !leaf.NotBefore.Before(testNow) || leaf.NotAfter.Year() < 2044 {
		t.Errorf("certificate: %v, valid %v to %v", err, leaf.NotBefore, leaf.NotAfter)
	}

	// The second start uses it again, and so does tls fingerprint.
	log, _ = serveOnce(t, db)
	if strings.Contains(log, "made a self-signed certificate") || !strings.Contains(log, printed) {
		t.Fatalf("second start did not reuse the certificate:\n%s", log)
	}
	again, err := os.ReadFile(filepath.Join(dir, certFileName))
	if err != nil || string(again) != string(certPEM) {
		t.Fatalf("the certificate file changed: %v", err)
	}
	r := run(t, db, "tls", "fingerprint")
	wantCode(t, r, 0)
	if strings.TrimSpace(r.stdout) != printed {
		t.Fatalf("tls fingerprint = %q, serve printed %q", r.stdout, printed)
	}
	r = run(t, db, "tls", "fingerprint", "--tls-cert", filepath.Join(dir, certFileName))
	if r.code != 0 || strings.TrimSpace(r.stdout) != printed {
		t.Fatalf("tls fingerprint --tls-cert = %+v", r)
	}

	// A damaged folder is reported, not replaced behind the townships' backs.
	if err := os.WriteFile(filepath.Join(dir, keyFileName), []byte("not a key"), 0o600); err != nil {
		t.Fatal(err)
	}
	r = run(t, db, "serve", "--addr", "127.0.0.1:0")
	if r.code == 0 || !strings.Contains(r.stderr, "is damaged") {
		t.Fatalf("serve with a damaged key: %+v", r)
	}
}

func TestServeCertificateGivenOrNone(t *testing.T) {
	f := newFixture(t)
	db := filepath.Join(t.TempDir(), "county.db")
	wantCode(t, run(t, db, "import", "regions", f.regions), 0)

	// A certificate from elsewhere is used as it is; nothing is made.
	certPEM, keyPEM, err := hsync.NewCertificate([]string{"127.0.0.1"}, testNow)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "c.pem"), filepath.Join(dir, "k.pem")
	if err := os.WriteFile(certFile, certPEM, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, keyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	fp, _ := hsync.PEMFingerprint(certPEM)
	log, url := serveOnce(t, db, "--tls-cert", certFile, "--tls-key", keyFile)
	if !strings.HasPrefix(url, "https://") || !strings.Contains(log, hecha.FormatFingerprint(fp)) {
		t.Fatalf("serve with --tls-cert:\n%s", log)
	}
	if _, err := os.Stat(tlsDir(db)); !os.IsNotExist(err) {
		t.Fatalf("serve with --tls-cert made a certificate: %v", err)
	}
	// A key that does not fit is refused before serving.
	_, otherKey, _ := hsync.NewCertificate(nil, testNow)
	if err := os.WriteFile(keyFile, otherKey, 0o600); err != nil {
		t.Fatal(err)
	}
	wantCode(t, run(t, db, "serve", "--addr", "127.0.0.1:0", "--tls-cert", certFile, "--tls-key", keyFile), cli.ExitUsage)

	// Plain HTTP only when asked, and said.
	log, url = serveOnce(t, db, "--insecure-http")
	if !strings.HasPrefix(url, "http://") || !strings.Contains(log, "plain HTTP") || strings.Contains(log, "fingerprint") {
		t.Fatalf("serve --insecure-http:\n%s", log)
	}
	if _, err := os.Stat(tlsDir(db)); !os.IsNotExist(err) {
		t.Fatalf("serve --insecure-http made a certificate: %v", err)
	}
	wantCode(t, run(t, db, "tls", "fingerprint", "--tls-cert", keyFile), cli.ExitUsage)
}
