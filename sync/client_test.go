package sync

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	stdsync "sync"
	"sync/atomic"
	"testing"
	"time"

	"hecha"
)

// fastRetry keeps the backoff of tests short.
var fastRetry = WithRetry(4, time.Millisecond, 5*time.Millisecond)

// mustClient returns a client for url; it may use plain HTTP.
func mustClient(t testing.TB, url, token string, opts ...ClientOption) *Client {
	t.Helper()
	c, err := NewClient(url, token, append([]ClientOption{WithInsecureHTTP()}, opts...)...)
	if err != nil {
		t.Fatalf("NewClient(%q): %v", url, err)
	}
	t.Cleanup(c.CloseIdle)
	return c
}

// wantCode fails unless err carries code and msgID.
func wantCode(t *testing.T, err error, code, msgID string) {
	t.Helper()
	if hecha.ErrorCode(err) != code {
		t.Fatalf("err = %v (code %q), want code %q", err, hecha.ErrorCode(err), code)
	}
	if msgID != "" {
		if e := asDomainError(err); e.MsgID != msgID {
			t.Fatalf("err msg = %q, want %q (%v)", e.MsgID, msgID, err)
		}
	}
}

func TestNewClient_URL(t *testing.T) {
	for _, u := range []string{"", "county:8443", "ftp://county", "http://", "https://user:pw@county", "http://county/?x=1", "http://county/#frag", "http://[::1"} {
		_, err := NewClient(u, "tok")
		if hecha.ErrorCode(err) != hecha.EINVALID || hecha.ErrorField(err) != "server_url" {
			t.Errorf("NewClient(%q) = %v, want EINVALID on server_url", u, err)
		}
	}
	c := mustClient(t, " https://county.example:8443/hecha/ ", "tok")
	if got := c.base.String(); got != "https://county.example:8443/hecha" {
		t.Errorf("base = %q", got)
	}
}

// counted is a handler that answers with the given function and counts
// its calls.
func counted(fn func(n int, w http.ResponseWriter, r *http.Request)) (http.Handler, *atomic.Int32) {
	var calls atomic.Int32
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(calls.Add(1))
		w.Header().Set(ProtocolHeader, ProtocolVersion)
		fn(n, w, r)
	}), &calls
}

func TestClient_RetriesTransientFailures(t *testing.T) {
	h, calls := counted(func(n int, w http.ResponseWriter, r *http.Request) {
		if n <= 2 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		_ = json.NewEncoder(w).Encode(WhoAmIResponse{Township: townA})
	})
	ts := httptest.NewServer(h)
	defer ts.Close()
	got, err := mustClient(t, ts.URL, "tok", fastRetry).WhoAmI(context.Background())
	if err != nil || got != townA || calls.Load() != 3 {
		t.Fatalf("WhoAmI = %q, %v after %d calls", got, err, calls.Load())
	}

	// Retries are bounded.
	h, calls = counted(func(n int, w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusBadGateway) })
	ts2 := httptest.NewServer(h)
	defer ts2.Close()
	_, err = mustClient(t, ts2.URL, "tok", fastRetry).WhoAmI(context.Background())
	wantCode(t, err, hecha.EUNAVAILABLE, "")
	if calls.Load() != 4 {
		t.Fatalf("%d calls, want 4", calls.Load())
	}
}

func TestClient_NoRetryOnPermanentErrors(t *testing.T) {
	for _, status := range []int{400, 401, 404, 409, 500} {
		h, calls := counted(func(n int, w http.ResponseWriter, r *http.Request) { w.WriteHeader(status) })
		ts := httptest.NewServer(h)
		_, err := mustClient(t, ts.URL, "tok", fastRetry).WhoAmI(context.Background())
		ts.Close()
		wantCode(t, err, CodeOf(status), "")
		if calls.Load() != 1 {
			t.Errorf("status %d: %d calls, want 1", status, calls.Load())
		}
	}
}

func TestClient_HonoursRetryAfter(t *testing.T) {
	var mu stdsync.Mutex
	var times []time.Time
	h, _ := counted(func(n int, w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		times = append(times, time.Now())
		mu.Unlock()
		if n == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		_ = json.NewEncoder(w).Encode(WhoAmIResponse{Township: townA})
	})
	ts := httptest.NewServer(h)
	defer ts.Close()
	if _, err := mustClient(t, ts.URL, "tok", fastRetry).WhoAmI(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(times) != 2 || times[1].Sub(times[0]) < 900*time.Millisecond {
		t.Fatalf("retried after %v, want the 1 s asked for", times[1].Sub(times[0]))
	}

	// A wait longer than the client accepts ends in ETOOMANY at once.
	h, calls := counted(func(n int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	ts2 := httptest.NewServer(h)
	defer ts2.Close()
	_, err := mustClient(t, ts2.URL, "tok", fastRetry, WithMaxRetryAfter(time.Second)).WhoAmI(context.Background())
	wantCode(t, err, hecha.ETOOMANY, "")
	if calls.Load() != 1 {
		t.Fatalf("%d calls, want 1", calls.Load())
	}
}

// TestClient_RetryAfterDateByAnswerDate: a Retry-After date is measured
// from the answer's Date header, not from the township computer's clock
// (the test's real clock is years past both): an hour's wait is longer
// than the client accepts, so it ends in ETOOMANY without retrying.
func TestClient_RetryAfterDateByAnswerDate(t *testing.T) {
	h, calls := counted(func(n int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", "Mon, 01 Jan 2024 00:00:00 GMT")
		w.Header().Set("Retry-After", "Mon, 01 Jan 2024 01:00:00 GMT")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	ts := httptest.NewServer(h)
	defer ts.Close()
	_, err := mustClient(t, ts.URL, "tok", fastRetry, WithMaxRetryAfter(time.Minute)).WhoAmI(context.Background())
	wantCode(t, err, hecha.ETOOMANY, "")
	if calls.Load() != 1 {
		t.Fatalf("%d calls, want 1", calls.Load())
	}
	date := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for h, want := range map[string]time.Duration{
		"Mon, 01 Jan 2024 00:00:10 GMT": 10 * time.Second,
		"Sun, 31 Dec 2023 23:59:00 GMT": 0,
		"7":                             7 * time.Second,
	} {
		if got := retryAfter(h, date); got != want {
			t.Errorf("retryAfter(%q) = %v, want %v", h, got, want)
		}
	}
	// Without a Date header a date cannot be measured.
	if got := retryAfter("Mon, 01 Jan 2024 00:00:10 GMT", time.Time{}); got != 0 {
		t.Errorf("retryAfter without a date = %v, want 0", got)
	}
}

func TestClient_Unreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	c := mustClient(t, "http://"+addr, "tok", fastRetry)
	wantCode(t, c.Health(context.Background()), hecha.EUNAVAILABLE, "sync.err.unreachable")
	_, err = c.PushResults(context.Background(), []hecha.Result{{ID: hecha.NewResultID(time.Now())}})
	wantCode(t, err, hecha.EUNAVAILABLE, "sync.err.unreachable")

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.WhoAmI(ctx); err != context.Canceled {
		t.Fatalf("cancelled: %v", err)
	}
}

func TestClient_ForeignAnswers(t *testing.T) {
	rows := []struct {
		name    string
		handler http.HandlerFunc
		code    string
		msgID   string
	}{
		{"login page", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte("<html>please log in</html>"))
		}, hecha.EUNAVAILABLE, "sync.err.answer"},
		{"newer protocol", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set(ProtocolHeader, "2")
			w.Write([]byte(`{}`))
		}, hecha.EINVALID, "sync.err.protocol"},
		{"redirect", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "http://127.0.0.1:1/elsewhere", http.StatusFound)
		}, hecha.EINTERNAL, ""},
		{"bad gzip", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set(ProtocolHeader, ProtocolVersion)
			w.Header().Set("Content-Encoding", "gzip")
			w.Write([]byte("not gzip"))
		}, hecha.EUNAVAILABLE, "sync.err.answer"},
		{"truncated JSON", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set(ProtocolHeader, ProtocolVersion)
			w.Write([]byte(`{"township":"4101`))
		}, hecha.EUNAVAILABLE, "sync.err.answer"},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			ts := httptest.NewServer(r.handler)
			defer ts.Close()
			_, err := mustClient(t, ts.URL, "tok", fastRetry).WhoAmI(context.Background())
			wantCode(t, err, r.code, r.msgID)
		})
	}
}

// TestClient_CutAnswerIsRetried cuts the first answer halfway; the client
// sends the request again.
func TestClient_CutAnswerIsRetried(t *testing.T) {
	h, calls := counted(func(n int, w http.ResponseWriter, r *http.Request) {
		body := `{"township":"410102001"}`
		if n == 1 {
			conn, buf, err := w.(http.Hijacker).Hijack()
			if err != nil {
				t.Error(err)
				return
			}
			buf.WriteString("HTTP/1.1 200 OK\r\n" + ProtocolHeader + ": 1\r\nContent-Length: 25\r\n\r\n" + body[:10])
			buf.Flush()
			conn.Close()
			return
		}
		w.Write([]byte(body))
	})
	ts := httptest.NewServer(h)
	defer ts.Close()
	got, err := mustClient(t, ts.URL, "tok", fastRetry).WhoAmI(context.Background())
	if err != nil || got != townA || calls.Load() != 2 {
		t.Fatalf("WhoAmI = %q, %v after %d calls", got, err, calls.Load())
	}
}

func TestClient_GzipAndTraffic(t *testing.T) {
	f, _ := startFake(t)
	srv := NewServer(f, WithClock(testClock), WithRateLimit(0, 0))
	var encodings []string
	var mu stdsync.Mutex
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		encodings = append(encodings, r.Header.Get("Content-Encoding"))
		mu.Unlock()
		srv.Handler().ServeHTTP(w, r)
	}))
	defer ts.Close()
	c := mustClient(t, ts.URL, "tokA", fastRetry)
	ids := make([]string, 100)
	for i := range ids {
		ids[i] = hecha.NewResultID(time.Now())
	}
	missing, err := c.Check(context.Background(), ids)
	if err != nil || len(missing) != 100 {
		t.Fatalf("Check = %d missing, %v", len(missing), err)
	}
	if _, err := c.Check(context.Background(), ids[:1]); err != nil {
		t.Fatal(err)
	}
	if encodings[0] != "gzip" || encodings[1] != "" {
		t.Fatalf("encodings = %q, want gzip for the large body only", encodings)
	}
	sent, recvd := c.Traffic()
	if sent < 1000 || recvd < 100 {
		t.Fatalf("traffic = %d sent, %d received", sent, recvd)
	}
}

func TestClient_TLS(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, pool := selfSigned(t, dir)
	f, _ := startFake(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- NewServer(f, WithClock(testClock)).Serve(ctx, ln, certFile, keyFile) }()
	url := "https://" + ln.Addr().String()

	c := mustClient(t, url, "tokA", fastRetry, WithTLSConfig(&tls.Config{RootCAs: pool}))
	if got, err := c.WhoAmI(context.Background()); err != nil || got != townA {
		t.Fatalf("WhoAmI over TLS = %q, %v", got, err)
	}
	// Without the county's certificate authority the client refuses.
	wantCode(t, mustClient(t, url, "tokA", WithRetry(1, 0, 0)).Health(context.Background()), hecha.EUNAVAILABLE, "")
	c.CloseIdle()
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Serve after cancel: %v", err)
	}
}

func TestServer_GracefulShutdown(t *testing.T) {
	f, _ := startFake(t)
	f.gateOn, f.entered, f.gate = "CasesSince", make(chan struct{}), make(chan struct{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- NewServer(f, WithClock(testClock)).Serve(ctx, ln, "", "") }()
	c := mustClient(t, "http://"+ln.Addr().String(), "tokA", WithRetry(1, 0, 0))
	pulled := make(chan error, 1)
	go func() {
		_, err := c.PullCases(context.Background(), 0, 0)
		pulled <- err
	}()
	<-f.entered
	cancel()
	select {
	case err := <-done:
		t.Fatalf("Serve returned %v with a request in flight", err)
	case <-time.After(50 * time.Millisecond):
	}
	close(f.gate)
	if err := <-pulled; err != nil {
		t.Fatalf("request in flight during shutdown: %v", err)
	}
	if err := <-done; err != nil {
		t.Fatalf("Serve: %v", err)
	}
	if _, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second); err == nil {
		t.Fatal("still listening after shutdown")
	}
}

// selfSigned writes a self-signed certificate for 127.0.0.1 and returns
// its files and a pool holding it.
func selfSigned(t *testing.T, dir string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "hecha test county"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:         true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	writePEM(t, certFile, "CERTIFICATE", der)
	writePEM(t, keyFile, "EC PRIVATE KEY", kder)
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

func writePEM(t *testing.T, path, typ string, der []byte) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	if err := pem.Encode(w, &pem.Block{Type: typ, Bytes: der}); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
}
