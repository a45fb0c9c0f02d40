package sync_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	stdsync "sync"
	"sync/atomic"
	"testing"
	"time"

	"hecha"
	hsync "hecha/sync"
)

// tlsCounty is a county server speaking HTTPS with a certificate of its
// own making, as "hecha-county serve" runs it.
type tlsCounty struct {
	url      string
	fp       string // the certificate's fingerprint
	requests atomic.Int64
}

// serveCountyTLS serves db's sync API over TLS with a new self-signed
// certificate written to files, until the test ends.
func serveCountyTLS(t *testing.T, db hecha.CountyStore) *tlsCounty {
	t.Helper()
	certPEM, keyPEM, err := hsync.NewCertificate([]string{"127.0.0.1", "localhost"}, fxNow)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, certPEM, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, keyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	fp, err := hsync.PEMFingerprint(certPEM)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c := &tlsCounty{url: "https://" + ln.Addr().String(), fp: fp}
	srv := hsync.NewServer(db, hsync.WithClock(fxClock), hsync.WithRateLimit(0, 0),
		hsync.WithLog(func(hsync.LogEntry) { c.requests.Add(1) }))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln, certFile, keyFile) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return c
}

// pinnedClient is a client for url that accepts only the certificate fp.
func pinnedClient(t *testing.T, url, token, fp string) *hsync.Client {
	t.Helper()
	c, err := hsync.NewClient(url, token, hsync.WithPinnedCertificate(fp),
		hsync.WithRetry(2, time.Millisecond, 5*time.Millisecond), hsync.WithTimeout(10*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.CloseIdle)
	return c
}

// wantPinRefused fails unless err is the refusal of a certificate that
// is not the pinned one.
func wantPinRefused(t *testing.T, err error) {
	t.Helper()
	var e *hecha.Error
	if !errors.As(err, &e) || e.Code != hecha.EUNAUTHORIZED || e.Field != "fingerprint" || e.MsgID != "sync.err.pin" {
		t.Fatalf("err = %v, want EUNAUTHORIZED sync.err.pin on fingerprint", err)
	}
	for _, lang := range []hecha.Lang{hecha.Chinese, hecha.English} {
		if msg := hecha.ErrorMessage(err, lang); !strings.Contains(msg, "--fingerprint") {
			t.Errorf("the refusal does not say what to do: %s", msg)
		}
	}
}

func TestTLS_PinnedCertificateSyncs(t *testing.T) {
	ctx := context.Background()
	county := openCounty(t, false)
	defer county.Close()
	tokens := seedCounty(t, county, 6, townA)
	srv := serveCountyTLS(t, county)

	// What the clerk is shown is what the county printed.
	fp, err := hsync.ServerFingerprint(ctx, srv.url, hsync.WithTimeout(10*time.Second))
	if err != nil || fp != srv.fp {
		t.Fatalf("ServerFingerprint = %q, %v; the certificate's is %q", fp, err, srv.fp)
	}
	if n := srv.requests.Load(); n != 0 {
		t.Fatalf("reading the fingerprint sent %d requests", n)
	}

	town := openTownship(t, tempPath(t, "town.db"), townA)
	defer town.Close()
	s := &hsync.Syncer{Store: town, Client: pinnedClient(t, srv.url, tokens[townA], fp), Now: fxClock}
	rep, err := s.Round(ctx)
	if err != nil || rep.PulledCases != 6 {
		t.Fatalf("pinned round = %+v, %v", rep, err)
	}
	saved := saveResults(t, town, 3)
	if rep, err = s.Round(ctx); err != nil || rep.Accepted != 3 {
		t.Fatalf("pinned push = %+v, %v", rep, err)
	}
	assertSynced(t, county, town, townA, saved)

	// Without the pin the self-signed certificate is not trusted.
	plain, err := hsync.NewClient(srv.url, tokens[townA], hsync.WithRetry(1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	defer plain.CloseIdle()
	if err := plain.Health(ctx); hecha.ErrorCode(err) != hecha.EUNAVAILABLE {
		t.Fatalf("unpinned client: %v, want EUNAVAILABLE", err)
	}

	// Another pin is refused at once, before any request.
	before := srv.requests.Load()
	other := strings.Repeat("ab", 32)
	_, err = pinnedClient(t, srv.url, tokens[townA], other).WhoAmI(ctx)
	wantPinRefused(t, err)
	if n := srv.requests.Load() - before; n != 0 {
		t.Fatalf("the server answered %d requests of a client pinned to another certificate", n)
	}
	if msg := hecha.ErrorMessage(err, hecha.English); !strings.Contains(msg, hecha.FormatFingerprint(fp)) || !strings.Contains(msg, hecha.FormatFingerprint(other)) {
		t.Errorf("the refusal does not show both fingerprints: %s", msg)
	}
}

func TestTLS_PinWithCertificateAuthority(t *testing.T) {
	ctx := context.Background()
	county := openCounty(t, false)
	defer county.Close()
	tokens := seedCounty(t, county, 1, townA)
	srv := serveCountyTLS(t, county)
	pool := x509.NewCertPool()
	cert := peerCertificate(t, srv.url)
	pool.AddCert(cert)

	// The county's own authority (here the certificate itself) with the
	// right pin passes both checks; with another pin it is refused.
	for _, tc := range []struct {
		pin string
		ok  bool
	}{{srv.fp, true}, {strings.Repeat("0", 64), false}} {
		c, err := hsync.NewClient(srv.url, tokens[townA], hsync.WithTLSConfig(&tls.Config{RootCAs: pool}),
			hsync.WithPinnedCertificate(tc.pin), hsync.WithRetry(1, 0, 0))
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.WhoAmI(ctx)
		c.CloseIdle()
		if tc.ok && err != nil {
			t.Fatalf("right pin and authority: %v", err)
		}
		if !tc.ok {
			wantPinRefused(t, err)
		}
	}
}

// peerCertificate returns the certificate the server at url presents.
func peerCertificate(t *testing.T, url string) *x509.Certificate {
	t.Helper()
	conn, err := tls.Dial("tcp", strings.TrimPrefix(url, "https://"), &tls.Config{InsecureSkipVerify: true})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	return conn.ConnectionState().PeerCertificates[0]
}

// mitmProxy terminates TLS with a certificate of its own and passes what
// it decrypts on to the real server, keeping a copy of everything the
// client sent.
type mitmProxy struct {
	ln   net.Listener
	fp   string
	mu   stdsync.Mutex
	seen bytes.Buffer
	wg   stdsync.WaitGroup
}

func startMITM(t *testing.T, upstream string) *mitmProxy {
	t.Helper()
	certPEM, keyPEM, err := hsync.NewCertificate([]string{"127.0.0.1"}, fxNow)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	fp, _ := hsync.PEMFingerprint(certPEM)
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}})
	if err != nil {
		t.Fatal(err)
	}
	p := &mitmProxy{ln: ln, fp: fp}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			p.wg.Add(1)
			go func() {
				defer p.wg.Done()
				p.relay(conn, strings.TrimPrefix(upstream, "https://"))
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		p.wg.Wait()
	})
	return p
}

func (p *mitmProxy) url() string { return "https://" + p.ln.Addr().String() }

// relay passes one client connection on to the server.
func (p *mitmProxy) relay(client net.Conn, upstream string) {
	defer client.Close()
	client.SetDeadline(time.Now().Add(10 * time.Second))
	if err := client.(*tls.Conn).Handshake(); err != nil {
		return // the client refused our certificate
	}
	server, err := tls.Dial("tcp", upstream, &tls.Config{InsecureSkipVerify: true, NextProtos: []string{"http/1.1"}})
	if err != nil {
		return
	}
	defer server.Close()
	server.SetDeadline(time.Now().Add(10 * time.Second))
	go func() {
		_, _ = io.Copy(client, server)
		client.Close()
	}()
	buf := make([]byte, 4096)
	for {
		n, err := client.Read(buf)
		if n > 0 {
			p.mu.Lock()
			p.seen.Write(buf[:n])
			p.mu.Unlock()
			if _, werr := server.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// readFromClients returns what the proxy has read from clients.
func (p *mitmProxy) readFromClients() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.seen.String()
}

func TestTLS_ManInTheMiddleIsRefused(t *testing.T) {
	ctx := context.Background()
	county := openCounty(t, false)
	defer county.Close()
	tokens := seedCounty(t, county, 4, townA)
	srv := serveCountyTLS(t, county)

	// The township pinned the county's certificate and pulled its cases,
	// then saved results that wait to go up.
	town := openTownship(t, tempPath(t, "town.db"), townA)
	defer town.Close()
	direct := &hsync.Syncer{Store: town, Client: pinnedClient(t, srv.url, tokens[townA], srv.fp), Now: fxClock}
	if rep, err := direct.Round(ctx); err != nil || rep.PulledCases != 4 {
		t.Fatalf("direct round = %+v, %v", rep, err)
	}
	saved := saveResults(t, town, 2)
	ids := []string{saved[0].ID, saved[1].ID}

	// Someone in between answers with another self-signed certificate.
	proxy := startMITM(t, srv.url)
	before := srv.requests.Load()
	s := &hsync.Syncer{Store: town, Client: pinnedClient(t, proxy.url(), tokens[townA], srv.fp), Now: fxClock}
	_, err := s.Round(ctx)
	wantPinRefused(t, err)
	if got := proxy.readFromClients(); got != "" {
		t.Fatalf("the proxy read %d bytes from the township: %q", len(got), got)
	}
	if n := srv.requests.Load() - before; n != 0 {
		t.Fatalf("the county answered %d requests through the proxy", n)
	}
	if missing, err := county.HasResults(ctx, townA, ids); err != nil || len(missing) != 2 {
		t.Fatalf("the county holds results sent through the proxy: missing %v, %v", missing, err)
	}
	pending, err := town.Outbox(ctx, hecha.OutboxPending)
	if err != nil || len(pending) != 2 {
		t.Fatalf("outbox after the refused round: %d pending, %v", len(pending), err)
	}

	// The proxy does pass traffic on and would read the token: a client
	// that trusted the proxy's certificate gives it away.
	fooled := pinnedClient(t, proxy.url(), tokens[townA], proxy.fp)
	if _, err := fooled.WhoAmI(ctx); err != nil {
		t.Fatalf("through the proxy with its own pin: %v", err)
	}
	if got := proxy.readFromClients(); !strings.Contains(got, "Authorization: Bearer "+tokens[townA]) {
		t.Fatalf("the proxy did not see the fooled client's token: %q", got)
	}

	// Back on the real server, the round goes through.
	if rep, err := direct.Round(ctx); err != nil || rep.Accepted != 2 {
		t.Fatalf("direct round after = %+v, %v", rep, err)
	}
}

func TestNewClient_PlainHTTPNeedsConsent(t *testing.T) {
	_, err := hsync.NewClient("http://127.0.0.1:8080", "tok")
	var e *hecha.Error
	if !errors.As(err, &e) || e.Code != hecha.EINVALID || e.Field != "server_url" || e.MsgID != "sync.err.plain_http" {
		t.Fatalf("NewClient(http) = %v, want EINVALID sync.err.plain_http", err)
	}
	if _, err := hsync.NewClient("http://127.0.0.1:8080", "tok", hsync.WithInsecureHTTP()); err != nil {
		t.Fatalf("NewClient(http) with consent: %v", err)
	}
	if _, err := hsync.NewClient("https://127.0.0.1:8080", "tok"); err != nil {
		t.Fatalf("NewClient(https): %v", err)
	}
	_, err = hsync.ServerFingerprint(context.Background(), "http://127.0.0.1:8080", hsync.WithInsecureHTTP())
	if hecha.ErrorCode(err) != hecha.EINVALID {
		t.Fatalf("ServerFingerprint(http) = %v, want EINVALID", err)
	}
}

func TestNewCertificate(t *testing.T) {
	certPEM, keyPEM, err := hsync.NewCertificate([]string{"county.example", "192.0.2.7", "localhost", "127.0.0.1", "localhost", ""}, fxNow)
	if err != nil {
		t.Fatal(err)
	}
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatalf("the key does not fit the certificate: %v", err)
	}
	cert, err := x509.ParseCertificate(pair.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	if cert.PublicKeyAlgorithm != x509.ECDSA || !cert.NotBefore.Before(fxNow) || cert.NotAfter.Before(fxNow.AddDate(19, 0, 0)) {
		t.Errorf("certificate: %v, valid %v to %v", cert.PublicKeyAlgorithm, cert.NotBefore, cert.NotAfter)
	}
	if strings.Join(cert.DNSNames, ",") != "county.example,localhost" || len(cert.IPAddresses) != 2 {
		t.Errorf("names %v, addresses %v", cert.DNSNames, cert.IPAddresses)
	}
	if err := cert.VerifyHostname("192.0.2.7"); err != nil {
		t.Error(err)
	}
	sum := sha256.Sum256(cert.Raw)
	if fp, err := hsync.PEMFingerprint(certPEM); err != nil || fp != hex.EncodeToString(sum[:]) {
		t.Errorf("PEMFingerprint = %q, %v", fp, err)
	}
	// A second certificate is another one.
	again, _, err := hsync.NewCertificate([]string{"localhost"}, fxNow)
	if err != nil || bytes.Equal(again, certPEM) {
		t.Fatalf("second certificate: %v", err)
	}
	// A key or garbage is no certificate.
	for _, in := range [][]byte{nil, keyPEM, []byte("not pem"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte{1, 2}})} {
		if _, err := hsync.PEMFingerprint(in); hecha.ErrorCode(err) != hecha.EINVALID {
			t.Errorf("PEMFingerprint(%.20q) = %v, want EINVALID", in, err)
		}
	}
}

// FuzzPEMFingerprint: a certificate file of any content gives a
// fingerprint or EINVALID, never a panic.
func FuzzPEMFingerprint(f *testing.F) {
	certPEM, keyPEM, err := hsync.NewCertificate([]string{"localhost"}, fxNow)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(certPEM)
	f.Add(append(keyPEM, certPEM...))
	f.Add([]byte("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		fp, err := hsync.PEMFingerprint(in)
		if err != nil {
			if hecha.ErrorCode(err) != hecha.EINVALID {
				t.Fatalf("PEMFingerprint: %v", err)
			}
			return
		}
		if len(fp) != hecha.FingerprintDigits {
			t.Fatalf("fingerprint %q", fp)
		}
	})
}
