package sync_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"hecha"
	hsync "hecha/sync"
)

// startListening serves county's API on a real listener with the server's
// own http.Server (its timeouts apply) and returns the address.
func startListening(t *testing.T, county hecha.CountyStore, opts ...hsync.Option) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- hsync.NewServer(county, append([]hsync.Option{hsync.WithClock(fxClock), hsync.WithRateLimit(0, 0)}, opts...)...).Serve(ctx, ln, "", "")
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return ln.Addr().String()
}

// TestHostileClients sends a gzip bomb, an oversized body and slowloris
// connections to a county with the real store; each is refused, and a
// township syncs normally meanwhile.
func TestHostileClients(t *testing.T) {
	county := openCounty(t, false)
	defer county.Close()
	tokens := seedCounty(t, county, 5, townA)
	addr := startListening(t, county,
		hsync.WithMaxBody(1<<20),
		hsync.WithTimeouts(hsync.Timeouts{ReadHeader: 300 * time.Millisecond, Read: 2 * time.Second}))
	url := "http://" + addr

	// Slowloris: many connections that dribble their headers.
	const slow = 30
	closed := make(chan time.Duration, slow)
	for i := 0; i < slow; i++ {
		go func() {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				closed <- -1
				return
			}
			defer c.Close()
			start := time.Now()
			header := "GET " + hsync.PathCases + " HTTP/1.1\r\nHost: county\r\nX-Slow: "
			for j := 0; ; j++ {
				b := []byte{'a'}
				if j < len(header) {
					b = []byte{header[j]}
				}
				if _, err := c.Write(b); err != nil {
					closed <- time.Since(start)
					return
				}
				time.Sleep(50 * time.Millisecond)
				if time.Since(start) > 20*time.Second {
					closed <- -1
					return
				}
			}
		}()
	}

	// Meanwhile a township syncs.
	town := openTownship(t, tempPath(t, "town.db"), townA)
	defer town.Close()
	s := &hsync.Syncer{Store: town, Client: newClient(t, url, tokens[townA]), Now: fxClock}
	syncUntilDone(t, s, 1)
	saved := saveResults(t, town, 5)

	post := func(body []byte, gz bool) int {
		req, _ := http.NewRequest("POST", url+hsync.PathResults, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tokens[townA])
		if gz {
			req.Header.Set("Content-Encoding", "gzip")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			// The server may close the connection once the limit is hit.
			return 0
		}
		defer resp.Body.Close()
		_, _ = io.Copy(io.Discard, resp.Body)
		return resp.StatusCode
	}
	// The bodies are well-formed JSON as far as they go, so the server
	// must read on until its limit stops it.
	var bomb bytes.Buffer
	zw := gzip.NewWriter(&bomb)
	zw.Write([]byte(`{"results":[`))
	blank := bytes.Repeat([]byte{' '}, 1<<20)
	for i := 0; i < 64; i++ { // 64 MiB of blanks in ~64 KiB
		zw.Write(blank)
	}
	zw.Close()
	if st := post(bomb.Bytes(), true); st != http.StatusRequestEntityTooLarge {
		t.Errorf("gzip bomb: status %d, want 413", st)
	}
	big := append([]byte(`{"results":[],"pad":"`), bytes.Repeat([]byte("x"), 3<<20)...)
	if st := post(big, false); st != http.StatusRequestEntityTooLarge && st != 0 {
		t.Errorf("oversized body: status %d, want 413", st)
	}
	// Garbage is refused at its first byte.
	if st := post(bytes.Repeat([]byte{0}, 3<<20), false); st != http.StatusBadRequest && st != 0 {
		t.Errorf("garbage body: status %d, want 400", st)
	}

	syncUntilDone(t, s, 1)
	assertSynced(t, county, town, townA, saved)

	for i := 0; i < slow; i++ {
		d := <-closed
		if d < 0 {
			t.Fatalf("a slowloris connection was never closed")
		}
	}
	if _, err := s.Client.WhoAmI(context.Background()); err != nil {
		t.Fatalf("after the attack: %v", hecha.ErrorMessage(err, hecha.English))
	}
}

// TestPartialBodies: a body that stops arriving is given up after the
// body idle time, not the whole-request timeout, and a body cut short is
// logged as the client's failure, not as an internal error.
func TestPartialBodies(t *testing.T) {
	county := openCounty(t, false)
	defer county.Close()
	tokens := seedCounty(t, county, 1, townA)
	logs := make(chan hsync.LogEntry, 10)
	addr := startListening(t, county,
		hsync.WithLog(func(e hsync.LogEntry) { logs <- e }),
		// The whole-request timeout is far longer than the test may take.
		hsync.WithTimeouts(hsync.Timeouts{ReadHeader: time.Minute, Read: 10 * time.Minute, BodyIdle: 200 * time.Millisecond}))
	head := "POST " + hsync.PathResults + " HTTP/1.1\r\nHost: county\r\nAuthorization: Bearer " + tokens[townA] +
		"\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n" + `{"results":[`

	// Stalled: headers and a start, then nothing.
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Write([]byte(head)); err != nil {
		t.Fatal(err)
	}
	// The server answers and closes long before its 10-minute read timeout
	// (the deadline here only keeps a broken server from hanging the test).
	c.SetReadDeadline(time.Now().Add(time.Minute))
	answer, err := io.ReadAll(c)
	if err != nil {
		t.Fatalf("stalled body: no answer before the test's deadline: %v", err)
	}
	if !bytes.HasPrefix(answer, []byte("HTTP/1.1 400")) {
		t.Errorf("stalled body answered %q", answer)
	}
	e := <-logs
	if e.Status != 400 || hecha.ErrorCode(e.Err) != hecha.EINVALID || !strings.Contains(hecha.ErrorMessage(e.Err, hecha.English), "stopped arriving") {
		t.Errorf("stalled body logged %d %v", e.Status, e.Err)
	}

	// Cut: the client goes away mid-body.
	c2, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c2.Write([]byte(head)); err != nil {
		t.Fatal(err)
	}
	c2.(*net.TCPConn).CloseWrite()
	io.Copy(io.Discard, c2)
	c2.Close()
	e = <-logs
	msg := hecha.ErrorMessage(e.Err, hecha.English)
	if hecha.ErrorCode(e.Err) != hecha.EINVALID || strings.Contains(msg, "internal") || !strings.Contains(msg, "ended early") {
		t.Errorf("cut body logged %d %q", e.Status, msg)
	}
}
