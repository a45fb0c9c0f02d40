package sync_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	stdsync "sync"
	"testing"
	"time"

	"hecha"
	"hecha/store"
	hsync "hecha/sync"
)

// TestAudit_Requests: a township's sync rounds leave one audit entry per
// request for personal data, with the token's township, the cases read
// or sent, the server's clock and the client's address; the other
// requests leave none.
func TestAudit_Requests(t *testing.T) {
	ctx := context.Background()
	county := openCounty(t, false)
	defer county.Close()
	tokens := seedCounty(t, county, 6, townA, townB)
	log := county.Audit()
	ts := serveCounty(t, county, hsync.WithAudit(log))
	defer ts.Close()
	town := openTownship(t, tempPath(t, "town.db"), townA)
	defer town.Close()
	s := &hsync.Syncer{Store: town, Client: newClient(t, ts.URL, tokens[townA]), BatchSize: 4, PageSize: 50, Now: fxClock}
	if _, err := s.Round(ctx); err != nil {
		t.Fatal(err)
	}
	saved := saveResults(t, town, 6)
	if _, err := s.Round(ctx); err != nil {
		t.Fatal(err)
	}

	var entries []hecha.AuditEntry
	if err := log.Entries(ctx, hecha.AuditFilter{}, func(e hecha.AuditEntry) error { entries = append(entries, e); return nil }); err != nil {
		t.Fatal(err)
	}
	var pulled, pushed []string
	actions := map[string]int{}
	tokenID, _, _ := store.TokenSecretHash(tokens[townA])
	for _, e := range entries {
		actions[e.Action]++
		if e.Township != townA || e.TokenID != tokenID || e.Device == "" || !e.Time.Equal(fxNow) ||
			!strings.HasPrefix(e.Remote, "127.0.0.1:") || e.Outcome != hecha.AuditOK {
			t.Errorf("entry %+v", e)
		}
		switch e.Action {
		case "GET /api/v1/cases":
			pulled = append(pulled, e.Cases...)
		case "POST /api/v1/results":
			pushed = append(pushed, e.Cases...)
			if e.Clerk != "李明" || e.Count != len(e.Cases) {
				t.Errorf("results entry %+v", e)
			}
		case "GET /api/v1/registry":
			if !strings.Contains(e.Detail, "since=") {
				t.Errorf("registry entry %+v", e)
			}
		default:
			t.Errorf("recorded %s", e.Action)
		}
	}
	if actions["GET /api/v1/registry"] == 0 || actions["POST /api/v1/results"] != 2 {
		t.Errorf("actions %v", actions)
	}
	cases, err := county.Cases(ctx, hecha.CaseFilter{Unit: townA})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, c := range cases {
		want = append(want, c.ID)
	}
	slices.Sort(pulled)
	if got := slices.Compact(pulled); !slices.Equal(got, want) {
		t.Errorf("pulled cases recorded %v, want %v", got, want)
	}
	var sent []string
	for _, r := range saved {
		sent = append(sent, r.CaseID)
	}
	slices.Sort(sent)
	slices.Sort(pushed)
	if !slices.Equal(pushed, sent) {
		t.Errorf("pushed cases recorded %v, want %v", pushed, sent)
	}
	if _, err := hecha.VerifyAuditLog(ctx, log); err != nil {
		t.Fatal(err)
	}

	// Township B reads its own cases: recorded under B.
	get(t, ts.URL+hsync.PathCases, tokens[townB], http.StatusOK)
	// A request without a valid token reads nothing and is not recorded.
	get(t, ts.URL+hsync.PathCases, "hc_nothing_here", http.StatusUnauthorized)
	// A bad parameter is recorded with its outcome.
	get(t, ts.URL+hsync.PathCases+"?since=x", tokens[townB], http.StatusBadRequest)
	var bEntries []hecha.AuditEntry
	_ = log.Entries(ctx, hecha.AuditFilter{Township: townB}, func(e hecha.AuditEntry) error { bEntries = append(bEntries, e); return nil })
	if len(bEntries) != 2 || len(bEntries[0].Cases) != 6 || bEntries[1].Outcome != hecha.EINVALID || len(bEntries[1].Cases) != 0 {
		t.Fatalf("township B's entries: %+v", bEntries)
	}
	if n := len(entries) + 2; n != int(mustHead(t, log).Seq) {
		t.Fatalf("head %d, want %d", mustHead(t, log).Seq, n)
	}
}

// TestAudit_Unrecorded: a request whose audit entry cannot be written
// gets no data, but a 503.
func TestAudit_Unrecorded(t *testing.T) {
	county := openCounty(t, false)
	defer county.Close()
	tokens := seedCounty(t, county, 3, townA)
	ts := serveCounty(t, county, hsync.WithAudit(failingLog{}))
	defer ts.Close()
	body := get(t, ts.URL+hsync.PathCases, tokens[townA], http.StatusServiceUnavailable)
	if strings.Contains(body, "\"cases\"") || !strings.Contains(body, "audit") {
		t.Fatalf("answer %s", body)
	}
	// whoami reads no personal data: not recorded, answered.
	get(t, ts.URL+hsync.PathWhoAmI, tokens[townA], http.StatusOK)
}

// failingLog is an audit log whose disk is gone.
type failingLog struct{}

func (failingLog) Append(context.Context, ...hecha.AuditEntry) error {
	return hecha.Errorf(hecha.EUNAVAILABLE, "", "")
}
func (failingLog) Entries(context.Context, hecha.AuditFilter, func(hecha.AuditEntry) error) error {
	return errors.New("no log")
}
func (failingLog) Head(context.Context) (hecha.AuditHead, error) { return hecha.AuditHead{}, nil }

// get asks url with token and checks the status; it returns the body.
func get(t *testing.T, url, token string, status int) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != status {
		t.Fatalf("GET %s: %d %s, want %d", url, resp.StatusCode, b, status)
	}
	return string(b)
}

func mustHead(t *testing.T, log hecha.AuditLog) hecha.AuditHead {
	t.Helper()
	h, err := log.Head(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// BenchmarkAuditRequests: ten townships at once pull a page of 20 cases
// again and again from a durable county database (fsync on), through a
// server that records each request in the audit log and through one that
// does not; the metrics give the time per request of each and the ratio.
// The requests are reads, so without the audit they take no write
// transaction at all: the ratio is the cost of the group-committed
// append. The obvious alternative, one commit per request (the same log
// behind a lock, so no two appends share a commit), is measured beside.
func BenchmarkAuditRequests(b *testing.B) {
	for _, clients := range []int{1, 10} {
		b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) { benchAudit(b, clients) })
	}
}

func benchAudit(b *testing.B, clients int) {
	const perClient = 20
	county := openCounty(b, true)
	defer county.Close()
	tokens := seedCases(b, county, 20, benchTownships...)
	plain := serveCounty(b, county)
	defer plain.Close()
	audited := serveCounty(b, county, hsync.WithAudit(county.Audit()))
	defer audited.Close()
	each := serveCounty(b, county, hsync.WithAudit(&lockedLog{AuditLog: county.Audit()}))
	defer each.Close()
	run := func(url string) time.Duration {
		start := time.Now()
		var wg stdsync.WaitGroup
		for i := range clients {
			tw := benchTownships[i%len(benchTownships)]
			c := newClient(b, url, tokens[tw])
			wg.Go(func() {
				for range perClient {
					if _, err := c.PullCases(context.Background(), 0, 20); err != nil {
						b.Error(err)
						return
					}
				}
			})
		}
		wg.Wait()
		return time.Since(start)
	}
	run(plain.URL) // warm up both
	run(audited.URL)
	b.ResetTimer()
	var without, with, single time.Duration
	for i := 0; i < b.N; i++ {
		without += run(plain.URL)
		with += run(audited.URL)
		single += run(each.URL)
	}
	b.StopTimer()
	n := float64(b.N * clients * perClient)
	b.ReportMetric(float64(without.Microseconds())/n, "µs/request-plain")
	b.ReportMetric(float64(with.Microseconds())/n, "µs/request-audited")
	b.ReportMetric(float64(with)/float64(without), "x-audited-vs-plain")
	b.ReportMetric(float64(single)/float64(without), "x-commit-each-vs-plain")
}

// lockedLog appends one caller at a time: one commit per request.
type lockedLog struct {
	mu stdsync.Mutex
	hecha.AuditLog
}

func (l *lockedLog) Append(ctx context.Context, entries ...hecha.AuditEntry) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.AuditLog.Append(ctx, entries...)
}
