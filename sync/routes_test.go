package sync

import (
	"strings"
	stdsync "sync"
	"testing"

	"hecha"
)

// TestServer_RoutingEdges pins what the router answers around its
// endpoints: every miss in the protocol's error shape, the order of the
// checks (protocol version, then the path, then the method, then the
// token), HEAD on a GET endpoint, and paths that are not written cleanly
// (never redirected: a client that sends one has a bug).
func TestServer_RoutingEdges(t *testing.T) {
	_, ts := startFake(t)
	rows := []struct {
		name, method, path, token string
		hdr                       []string
		status                    int
		code, msgID, allow        string
	}{
		{"root", "GET", "/", "tokA", nil, 404, hecha.ENOTFOUND, "sync.err.route", ""},
		{"trailing slash", "GET", PathCases + "/", "tokA", nil, 404, hecha.ENOTFOUND, "sync.err.route", ""},
		{"double slash", "GET", "/api/v1//cases", "tokA", nil, 404, hecha.ENOTFOUND, "sync.err.route", ""},
		{"dot dot", "GET", "/api/v1/x/../whoami", "tokA", nil, 404, hecha.ENOTFOUND, "sync.err.route", ""},
		{"below an endpoint", "GET", PathCases + "/x", "tokA", nil, 404, hecha.ENOTFOUND, "sync.err.route", ""},
		{"unknown path without token", "GET", "/api/v1/nothing", "", nil, 404, hecha.ENOTFOUND, "sync.err.route", ""},
		{"wrong method without token", "DELETE", PathResults, "", nil, 405, hecha.EINVALID, "sync.err.method", "POST"},
		{"POST on health", "POST", PathHealth, "", nil, 405, hecha.EINVALID, "sync.err.method", "GET"},
		{"PUT on check", "PUT", PathCheck, "tokA", nil, 405, hecha.EINVALID, "sync.err.method", "POST"},
		{"HEAD on results", "HEAD", PathResults, "tokA", nil, 405, "", "", "POST"},
		{"protocol before path", "GET", "/api/v1/nothing", "tokA", []string{ProtocolHeader, "9"}, 400, hecha.EINVALID, "sync.err.protocol", ""},
		{"protocol before method", "POST", PathCases, "", []string{ProtocolHeader, "9"}, 400, hecha.EINVALID, "sync.err.protocol", ""},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			a := rawDo(t, r.method, ts.URL+r.path, r.token, nil, r.hdr...)
			if r.code != "" {
				wantError(t, a, r.status, r.code, r.msgID, "")
			} else if a.status != r.status {
				t.Fatalf("status = %d, want %d", a.status, r.status)
			}
			if got := a.header.Get("Allow"); got != r.allow {
				t.Errorf("Allow = %q, want %q", got, r.allow)
			}
			if a.header.Get("Location") != "" {
				t.Errorf("redirected to %q", a.header.Get("Location"))
			}
		})
	}

	// HEAD is answered on every GET endpoint, with the headers of GET and
	// no body.
	a := rawDo(t, "HEAD", ts.URL+PathWhoAmI, "tokA", nil)
	if a.status != 200 || len(a.body) != 0 || a.header.Get(ProtocolHeader) != ProtocolVersion ||
		!strings.HasPrefix(a.header.Get("Content-Type"), "application/json") {
		t.Fatalf("HEAD whoami: %d %v %q", a.status, a.header, a.body)
	}
	if a := rawDo(t, "HEAD", ts.URL+PathWhoAmI, "", nil); a.status != 401 {
		t.Fatalf("HEAD whoami without token: %d", a.status)
	}
}

// TestServer_LogEveryAnswer: the log hook sees every request once, misses
// and panics included, with the status answered and the township once the
// token is known.
func TestServer_LogEveryAnswer(t *testing.T) {
	f, ts := startFake(t)
	var logs []LogEntry
	var mu stdsync.Mutex
	srv := NewServer(f, WithClock(testClock), WithRateLimit(0, 0), WithLog(func(e LogEntry) { mu.Lock(); logs = append(logs, e); mu.Unlock() }))
	ts.Config.Handler = srv.Handler()

	f.panicOn = "CasesSince"
	rawDo(t, "GET", ts.URL+"/nowhere", "tokA", nil)
	rawDo(t, "POST", ts.URL+PathCases, "tokA", nil)
	rawDo(t, "GET", ts.URL+PathCases, "tokB", nil)
	rawDo(t, "GET", ts.URL+PathWhoAmI, "tokA", nil)
	mu.Lock()
	got := append([]LogEntry(nil), logs...)
	mu.Unlock()
	want := []struct {
		method, path string
		status       int
		township     hecha.Code
		err          string
	}{
		{"GET", "/nowhere", 404, "", "sync.err.route"},
		{"POST", PathCases, 405, "", "sync.err.method"},
		{"GET", PathCases, 500, townB, "panic: fake county: CasesSince"},
		{"GET", PathWhoAmI, 200, townA, ""},
	}
	if len(got) != len(want) {
		t.Fatalf("%d log entries, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		e := got[i]
		msg := ""
		if e.Err != nil {
			msg = e.Err.Error()
			if he, ok := e.Err.(*hecha.Error); ok {
				msg = he.MsgID
			}
		}
		if e.Method != w.method || e.Path != w.path || e.Status != w.status || e.Township != w.township || msg != w.err {
			t.Errorf("log %d = %+v (err %q), want %+v", i, e, msg, w)
		}
		if e.Time != testNow || e.Remote == "" {
			t.Errorf("log %d: time %v remote %q", i, e.Time, e.Remote)
		}
	}
	if a := rawDo(t, "GET", ts.URL+PathHealth, "", nil); a.status != 200 || a.header.Get("Allow") != "" {
		t.Fatalf("health: %d %v", a.status, a.header)
	}
}
