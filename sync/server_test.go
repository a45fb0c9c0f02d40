package sync

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	stdsync "sync"
	"testing"
	"time"

	"hecha"
)

const (
	townA = hecha.Code("410102001")
	townB = hecha.Code("410102002")
)

// testNow is the fixed clock of the package's own tests.
var testNow = time.Date(2024, 6, 15, 10, 0, 0, 0, time.UTC)

// testClock always reads testNow.
func testClock() time.Time { return testNow }

// startFake serves a fake county with tokens "tokA" and "tokB" for the two
// townships, without rate limits and on testClock unless opts set them.
func startFake(t *testing.T, opts ...Option) (*fakeCounty, *httptest.Server) {
	t.Helper()
	f := newFakeCounty()
	f.tokens["tokA"] = townA
	f.tokens["tokB"] = townB
	srv := NewServer(f, append([]Option{WithClock(testClock), WithRateLimit(0, 0)}, opts...)...)
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return f, ts
}

// rawAnswer is an answer read by rawDo.
type rawAnswer struct {
	status int
	header http.Header
	body   []byte
	err    *hecha.Error // the decoded error body of a non-2xx answer
}

// rawDo sends a request with plain net/http and reads the whole answer.
func rawDo(t *testing.T, method, url, token string, body []byte, hdr ...string) rawAnswer {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	a := rawAnswer{status: resp.StatusCode, header: resp.Header, body: b}
	if resp.StatusCode >= 300 {
		a.err = decodeError(resp.StatusCode, bytes.NewReader(b))
	}
	return a
}

// wantError fails unless a is an error answer with status, code and msgID
// (and field, when given).
func wantError(t *testing.T, a rawAnswer, status int, code, msgID, field string) {
	t.Helper()
	if a.status != status {
		t.Fatalf("status = %d, want %d (body %s)", a.status, status, a.body)
	}
	if a.err == nil || a.err.Code != code || a.err.MsgID != msgID || a.err.Field != field {
		t.Fatalf("error = %+v, want code %q msg %q field %q (body %s)", a.err, code, msgID, field, a.body)
	}
	if a.header.Get(ProtocolHeader) != ProtocolVersion {
		t.Errorf("answer lacks %s header", ProtocolHeader)
	}
}

func TestServer_Routing(t *testing.T) {
	_, ts := startFake(t)
	rows := []struct {
		name, method, path, token string
		status                    int
		code, msgID               string
	}{
		{"health without token", "GET", PathHealth, "", 200, "", ""},
		{"unknown path", "GET", "/api/v1/nothing", "tokA", 404, hecha.ENOTFOUND, "sync.err.route"},
		{"wrong method", "POST", PathCases, "tokA", 405, hecha.EINVALID, "sync.err.method"},
		{"GET on results", "GET", PathResults, "tokA", 405, hecha.EINVALID, "sync.err.method"},
		{"no token", "GET", PathWhoAmI, "", 401, hecha.EUNAUTHORIZED, "sync.err.token_missing"},
		{"unknown token", "GET", PathCases, "tokZ", 401, hecha.EUNAUTHORIZED, ""},
		{"whoami", "GET", PathWhoAmI, "tokB", 200, "", ""},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			a := rawDo(t, r.method, ts.URL+r.path, r.token, nil)
			if r.code == "" {
				if a.status != r.status {
					t.Fatalf("status = %d, want %d: %s", a.status, r.status, a.body)
				}
				return
			}
			wantError(t, a, r.status, r.code, r.msgID, "")
		})
	}
	a := rawDo(t, "POST", ts.URL+PathCases, "tokA", nil)
	if a.header.Get("Allow") != "GET" {
		t.Errorf("405 Allow = %q", a.header.Get("Allow"))
	}
	a = rawDo(t, "GET", ts.URL+PathWhoAmI, "", nil)
	if !strings.HasPrefix(a.header.Get("WWW-Authenticate"), "Bearer") {
		t.Errorf("401 WWW-Authenticate = %q", a.header.Get("WWW-Authenticate"))
	}
	a = rawDo(t, "GET", ts.URL+PathWhoAmI, "tokB", nil)
	var who WhoAmIResponse
	if err := json.Unmarshal(a.body, &who); err != nil || who.Township != townB {
		t.Fatalf("whoami = %s (%v), want %s", a.body, err, townB)
	}
}

func TestServer_ProtocolVersion(t *testing.T) {
	_, ts := startFake(t)
	a := rawDo(t, "GET", ts.URL+PathWhoAmI, "tokA", nil, ProtocolHeader, "99")
	wantError(t, a, 400, hecha.EINVALID, "sync.err.protocol", "")
	if a.err.Args[0] != ProtocolVersion || a.err.Args[1] != "99" {
		t.Errorf("args = %v", a.err.Args)
	}
	a = rawDo(t, "GET", ts.URL+PathWhoAmI, "tokA", nil, ProtocolHeader, ProtocolVersion)
	if a.status != 200 {
		t.Fatalf("status = %d", a.status)
	}
}

func TestServer_PageParams(t *testing.T) {
	f, ts := startFake(t)
	for i := 0; i < 5; i++ {
		f.addCase(townA, fmt.Sprintf("A%d", i))
	}
	rows := []struct {
		query     string
		status    int
		field     string
		wantLimit int
	}{
		{"", 200, "", DefaultPageLimit},
		{"?since=0&limit=0", 200, "", DefaultPageLimit},
		{"?since=2&limit=2", 200, "", 2},
		{"?limit=999999", 200, "", MaxPageLimit},
		{"?since=-1", 400, "since", 0},
		{"?since=x", 400, "since", 0},
		{"?since=18446744073709551616", 400, "since", 0},
		{"?limit=-5", 400, "limit", 0},
		{"?limit=1e3", 400, "limit", 0},
	}
	for _, r := range rows {
		for _, path := range []string{PathCases, PathRegistry} {
			a := rawDo(t, "GET", ts.URL+path+r.query, "tokA", nil)
			if r.status != 200 {
				wantError(t, a, r.status, hecha.EINVALID, "sync.err.bad_param", r.field)
				continue
			}
			if a.status != 200 {
				t.Fatalf("%s%s: status %d: %s", path, r.query, a.status, a.body)
			}
			f.mu.Lock()
			got := f.lastLimit
			f.mu.Unlock()
			if got != r.wantLimit {
				t.Errorf("%s%s: limit passed = %d, want %d", path, r.query, got, r.wantLimit)
			}
		}
	}
}

func TestServer_CasesPaging(t *testing.T) {
	f, ts := startFake(t)
	for i := 0; i < 5; i++ {
		f.addCase(townA, fmt.Sprintf("A%d", i))
		f.addCase(townB, fmt.Sprintf("B%d", i))
	}
	var got []string
	since := uint64(0)
	for pages := 0; ; pages++ {
		if pages > 10 {
			t.Fatal("paging does not end")
		}
		a := rawDo(t, "GET", fmt.Sprintf("%s%s?since=%d&limit=2", ts.URL, PathCases, since), "tokA", nil)
		var page CasesResponse
		if err := json.Unmarshal(a.body, &page); err != nil {
			t.Fatalf("page: %v: %s", err, a.body)
		}
		if page.Cases == nil {
			t.Fatalf("cases is null, want []: %s", a.body)
		}
		for _, c := range page.Cases {
			got = append(got, c.ID)
		}
		since = page.Next
		if !page.More {
			break
		}
	}
	if strings.Join(got, ",") != "A0,A1,A2,A3,A4" {
		t.Fatalf("pulled %v", got)
	}
}

func TestServer_BodyLimits(t *testing.T) {
	const max = 64 << 10
	_, ts := startFake(t, WithMaxBody(max))
	valid, _ := json.Marshal(ResultsRequest{Results: []hecha.Result{}})

	// A body of zeros that gzips to a few hundred bytes but inflates past
	// the limit: a gzip bomb.
	bomb := gzipBytes(bytes.Repeat([]byte{' '}, 64*max))
	big := append([]byte(`{"results":[],"pad":"`), bytes.Repeat([]byte{'x'}, 2*max)...)
	big = append(big, `"}`...)
	rows := []struct {
		name   string
		body   []byte
		hdr    []string
		status int
		msgID  string
	}{
		{"oversized", big, nil, 413, "sync.err.too_large"},
		{"gzip bomb", bomb, []string{"Content-Encoding", "gzip"}, 413, "sync.err.too_large"},
		{"not gzip", []byte("{}"), []string{"Content-Encoding", "gzip"}, 400, "sync.err.bad_json"},
		{"truncated gzip", gzipBytes(valid)[:10], []string{"Content-Encoding", "gzip"}, 400, "sync.err.bad_json"},
		{"unknown encoding", valid, []string{"Content-Encoding", "br"}, 415, "sync.err.encoding"},
		{"not JSON", []byte("results=1"), nil, 400, "sync.err.body_object"},
		{"bad JSON", []byte("{results=1"), nil, 400, "sync.err.bad_json"},
		{"trailing data", append(append([]byte{}, valid...), "{}"...), nil, 400, "sync.err.bad_json"},
		{"empty", nil, nil, 400, "sync.err.bad_json"},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			a := rawDo(t, "POST", ts.URL+PathResults, "tokA", r.body, r.hdr...)
			wantError(t, a, r.status, hecha.EINVALID, r.msgID, "")
		})
	}
	// At the limit exactly, gzipped or not, the body is read.
	exact := append(append([]byte{}, valid...), bytes.Repeat([]byte{' '}, max-len(valid))...)
	for _, hdr := range [][]string{nil, {"Content-Encoding", "gzip"}} {
		body := exact
		if hdr != nil {
			body = gzipBytes(exact)
		}
		if a := rawDo(t, "POST", ts.URL+PathResults, "tokA", body, hdr...); a.status != 200 {
			t.Fatalf("body of exactly the limit (%v): status %d: %s", hdr, a.status, a.body)
		}
	}
	// The server still answers.
	if a := rawDo(t, "GET", ts.URL+PathHealth, "", nil); a.status != 200 {
		t.Fatalf("health after the bomb: %d", a.status)
	}
}

func TestServer_BatchAndCheckCaps(t *testing.T) {
	_, ts := startFake(t)
	ids := make([]string, MaxCheckIDs+1)
	for i := range ids {
		ids[i] = hecha.NewResultID(time.Now())
	}
	body, _ := json.Marshal(CheckRequest{IDs: ids})
	a := rawDo(t, "POST", ts.URL+PathCheck, "tokA", gzipBytes(body), "Content-Encoding", "gzip")
	wantError(t, a, 413, hecha.EINVALID, "sync.err.check_size", "ids")

	body, _ = json.Marshal(CheckRequest{IDs: []string{ids[0], "not-an-id"}})
	a = rawDo(t, "POST", ts.URL+PathCheck, "tokA", body)
	wantError(t, a, 400, hecha.EINVALID, "sync.err.result_id", "ids[1]")

	res := make([]hecha.Result, MaxBatch+1)
	body, _ = json.Marshal(ResultsRequest{Results: res})
	a = rawDo(t, "POST", ts.URL+PathResults, "tokA", gzipBytes(body), "Content-Encoding", "gzip")
	wantError(t, a, 413, hecha.EINVALID, "sync.err.batch_size", "results")

	body, _ = json.Marshal(CheckRequest{IDs: nil})
	a = rawDo(t, "POST", ts.URL+PathCheck, "tokA", body)
	if a.status != 200 || !strings.Contains(string(a.body), `"missing":[]`) {
		t.Fatalf("empty check: %d %s", a.status, a.body)
	}
}

func TestServer_CountyErrors(t *testing.T) {
	f, ts := startFake(t)
	var logs []LogEntry
	var mu stdsync.Mutex
	srv := NewServer(f, WithClock(testClock), WithRateLimit(0, 0), WithLog(func(e LogEntry) { mu.Lock(); logs = append(logs, e); mu.Unlock() }))
	ts.Config.Handler = srv.Handler()

	f.fail["CasesSince"] = errors.New("disk on fire")
	a := rawDo(t, "GET", ts.URL+PathCases, "tokA", nil)
	wantError(t, a, 500, hecha.EINTERNAL, "sync.err.internal", "")
	if bytes.Contains(a.body, []byte("fire")) {
		t.Errorf("internal detail leaked: %s", a.body)
	}
	mu.Lock()
	last := logs[len(logs)-1]
	mu.Unlock()
	if last.Status != 500 || last.Err == nil || !strings.Contains(last.Err.Error(), "fire") || last.Township != townA {
		t.Errorf("log entry = %+v", last)
	}

	f.fail["CasesSince"] = hecha.Errorf(hecha.ELOCKED, "", "")
	a = rawDo(t, "GET", ts.URL+PathCases, "tokA", nil)
	wantError(t, a, 503, hecha.EUNAVAILABLE, "", "")

	f.fail["ApplyResults"] = hecha.Errors{hecha.Invalid("township", "county.token_level", "4101")}
	body, _ := json.Marshal(ResultsRequest{Results: []hecha.Result{{ID: hecha.NewResultID(time.Now())}}})
	a = rawDo(t, "POST", ts.URL+PathResults, "tokA", body)
	wantError(t, a, 400, hecha.EINVALID, "county.token_level", "township")

	f.panicOn = "HasResults"
	body, _ = json.Marshal(CheckRequest{IDs: []string{hecha.NewResultID(time.Now())}})
	a = rawDo(t, "POST", ts.URL+PathCheck, "tokA", body)
	wantError(t, a, 500, hecha.EINTERNAL, "sync.err.internal", "")
	if a := rawDo(t, "GET", ts.URL+PathHealth, "", nil); a.status != 200 {
		t.Fatalf("health after a panic: %d", a.status)
	}
}

func TestServer_GzipAnswer(t *testing.T) {
	f, ts := startFake(t)
	for i := 0; i < 50; i++ {
		f.addCase(townA, fmt.Sprintf("CASE%04d", i))
	}
	a := rawDo(t, "GET", ts.URL+PathCases, "tokA", nil, "Accept-Encoding", "gzip")
	if a.header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("large answer not gzipped: %v", a.header)
	}
	zr, err := gzip.NewReader(bytes.NewReader(a.body))
	if err != nil {
		t.Fatal(err)
	}
	var page CasesResponse
	if err := json.NewDecoder(zr).Decode(&page); err != nil || len(page.Cases) != 50 {
		t.Fatalf("gunzipped page: %v, %d cases", err, len(page.Cases))
	}
	a = rawDo(t, "GET", ts.URL+PathCases, "tokA", nil, "Accept-Encoding", "gzip;q=0")
	if a.header.Get("Content-Encoding") != "" {
		t.Fatalf("gzip refused by q=0 but sent")
	}
	a = rawDo(t, "GET", ts.URL+PathHealth, "", nil, "Accept-Encoding", "gzip")
	if a.header.Get("Content-Encoding") != "" {
		t.Fatalf("tiny answer gzipped")
	}
}

// TestNoClockPanics: the package never falls back to the real clock; a
// server or a syncer without one is a programming error, caught at once.
func TestNoClockPanics(t *testing.T) {
	mustPanic := func(name string, fn func()) {
		t.Helper()
		defer func() {
			if recover() == nil {
				t.Errorf("%s without a clock did not panic", name)
			}
		}()
		fn()
	}
	mustPanic("NewServer", func() { NewServer(newFakeCounty()) })
	mustPanic("Syncer.Round", func() { _, _ = (&Syncer{}).Round(context.Background()) })
	mustPanic("Syncer.Loop", func() { (&Syncer{}).Loop(context.Background(), time.Second, nil) })
}

// TestServer_MalformedBodies: a body that is JSON but not the request
// is refused with 400 and the field, and the answer names no Go type.
func TestServer_MalformedBodies(t *testing.T) {
	f, ts := startFake(t)
	rows := []struct {
		name, path, body string
		msgID, field     string
	}{
		{"null", PathResults, `null`, "sync.err.body_object", ""},
		{"array", PathResults, `[]`, "sync.err.body_object", ""},
		{"results null", PathResults, `{"results":null}`, "sync.err.field_required", "results"},
		{"results missing", PathResults, `{"batch_id":"b1"}`, "sync.err.field_required", "results"},
		{"results a string", PathResults, `{"results":"x"}`, "sync.err.field_type", "results"},
		{"result a number", PathResults, `{"results":[1]}`, "sync.err.field_type", "results"},
		{"form a number", PathResults, `{"results":[{"form":7}]}`, "sync.err.field_type", "results.form"},
		{"check null", PathCheck, `null`, "sync.err.body_object", ""},
		{"ids a number", PathCheck, `{"ids":5}`, "sync.err.field_type", "ids"},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			a := rawDo(t, "POST", ts.URL+r.path, "tokA", []byte(r.body))
			wantError(t, a, 400, hecha.EINVALID, r.msgID, r.field)
			for _, lang := range []hecha.Lang{hecha.Chinese, hecha.English} {
				m := a.err.Message(lang)
				if strings.Contains(m, "sync.") || strings.Contains(m, "hecha.") || strings.Contains(m, "Go ") || strings.Contains(m, "%!") {
					t.Errorf("%s message %q", lang, m)
				}
			}
		})
	}
	if n := f.count("ApplyResults"); n != 0 {
		t.Errorf("ApplyResults called %d times", n)
	}
}

// A request whose client went away while the store worked for it is
// logged as 499, not as a server error: operators watch 5xx in the log.
func TestServer_ClientGoneIsNotAServerError(t *testing.T) {
	f, _ := startFake(t)
	var logs []LogEntry
	srv := NewServer(f, WithClock(testClock), WithRateLimit(0, 0), WithLog(func(e LogEntry) { logs = append(logs, e) }))
	do := func(ctx context.Context) LogEntry {
		t.Helper()
		req := httptest.NewRequest("GET", PathCases, nil).WithContext(ctx)
		req.Header.Set("Authorization", "Bearer tokA")
		srv.Handler().ServeHTTP(httptest.NewRecorder(), req)
		return logs[len(logs)-1]
	}

	f.fail["CasesSince"] = context.Canceled
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if e := do(ctx); e.Status != StatusClientClosed || !errors.Is(e.Err, context.Canceled) {
		t.Errorf("client gone: log entry = %+v, want status %d", e, StatusClientClosed)
	}
	// The same error while the client still waits is the server's.
	if e := do(context.Background()); e.Status != 500 {
		t.Errorf("client waiting: log entry = %+v, want status 500", e)
	}
}

// TestServer_MaxApplies: with two batches handled at once but one applying
// at a time, a second batch has its token checked and then waits while
// the first applies, a pull goes through, and a third whose client leaves
// while it waits is never applied. One at a time is also the default.
func TestServer_MaxApplies(t *testing.T) {
	t.Run("WithMaxApplies(1)", func(t *testing.T) { testMaxApplies(t, WithMaxApplies(1)) })
	t.Run("default", func(t *testing.T) { testMaxApplies(t) })
}

func testMaxApplies(t *testing.T, opts ...Option) {
	// left is sent the log entry of a push answered to a client gone.
	left := make(chan LogEntry, 1)
	f, ts := startFake(t, append([]Option{WithMaxPushes(3), WithLog(func(e LogEntry) {
		if e.Path == PathResults && e.Status == StatusClientClosed {
			left <- e
		}
	})}, opts...)...)
	f.addCase(townA, "C1")
	f.gateOn, f.entered, f.gate = "ApplyResults", make(chan struct{}), make(chan struct{})
	// Whatever the test's end, the gate opens and every batch still
	// coming finishes before the server closes (cleanups run last first).
	var open stdsync.Once
	openGate := func() {
		open.Do(func() {
			go func() {
				for range f.entered {
				}
			}()
			close(f.gate)
		})
	}
	t.Cleanup(openGate)
	c := mustClient(t, ts.URL, "tokA", WithRetry(1, 0, 0))
	push := func(ctx context.Context, errs chan<- error) {
		_, err := c.PushResults(ctx, []hecha.Result{{ID: hecha.NewResultID(testClock()), CaseID: "C1", Form: hecha.FormR1}})
		errs <- err
	}
	// authenticated waits until n token checks have been made.
	authenticated := func(n int) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); f.count("Authenticate") < n; time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%d token checks, want %d", f.count("Authenticate"), n)
			}
		}
	}
	errs, leftErr := make(chan error, 2), make(chan error, 1)
	go push(context.Background(), errs)
	<-f.entered
	go push(context.Background(), errs)
	authenticated(2)
	leaving, leave := context.WithCancel(context.Background())
	go push(leaving, leftErr)
	authenticated(3)
	select {
	case <-f.entered:
		t.Fatal("a second batch applying while the first holds the only turn")
	case <-time.After(200 * time.Millisecond):
	}
	leave()
	if err := <-leftErr; !errors.Is(err, context.Canceled) {
		t.Errorf("the push whose client left: %v, want context.Canceled", err)
	}
	// The server answers it as soon as it sees the client gone, while the
	// first batch still holds the turn.
	select {
	case <-left:
	case <-time.After(10 * time.Second):
		t.Fatal("the push whose client left is still waiting for its turn")
	}
	if _, err := c.PullCases(context.Background(), 0, 0); err != nil {
		t.Errorf("a pull while a batch applies: %v", err)
	}
	openGate()
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if n := f.count("ApplyResults"); n != 2 {
		t.Errorf("%d batches applied, want 2 (the one whose client left is not)", n)
	}
}

// TestServer_MaxPushes: with one push slot, a second batch waits for the
// first before its token is even checked (so it holds none of the
// county's connections), while a pull goes through; then both are
// answered.
func TestServer_MaxPushes(t *testing.T) {
	f, ts := startFake(t, WithMaxPushes(1))
	f.addCase(townA, "C1")
	f.gateOn, f.entered, f.gate = "ApplyResults", make(chan struct{}), make(chan struct{})
	c := mustClient(t, ts.URL, "tokA", WithRetry(1, 0, 0))
	push := func(errs chan<- error) {
		_, err := c.PushResults(context.Background(), []hecha.Result{{ID: hecha.NewResultID(testClock()), CaseID: "C1", Form: hecha.FormR1}})
		errs <- err
	}
	errs := make(chan error, 2)
	go push(errs)
	<-f.entered
	go push(errs)
	time.Sleep(200 * time.Millisecond)
	f.mu.Lock()
	auths := f.calls["Authenticate"]
	f.mu.Unlock()
	if auths != 1 {
		t.Errorf("%d token checks while the only push slot is held, want 1", auths)
	}
	if _, err := c.PullCases(context.Background(), 0, 0); err != nil {
		t.Errorf("a pull while the push slot is held: %v", err)
	}
	go func() {
		for range f.entered {
		}
	}()
	close(f.gate)
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	close(f.entered)
}
