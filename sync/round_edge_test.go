package sync_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	stdsync "sync"
	"testing"
	"time"

	"hecha"
	"hecha/store"
	hsync "hecha/sync"
)

// TestRound_SplitsBatchesTooLarge: the county's body limit is below the
// batch size; the syncer halves its batches until they fit.
func TestRound_SplitsBatchesTooLarge(t *testing.T) {
	county := openCounty(t, false)
	defer county.Close()
	tokens := seedCounty(t, county, 40, townA)
	ts := serveCounty(t, county, hsync.WithMaxBody(3<<10))
	defer ts.Close()
	town := openTownship(t, tempPath(t, "town.db"), townA)
	defer town.Close()
	s := &hsync.Syncer{Store: town, Client: newClient(t, ts.URL, tokens[townA]), BatchSize: 40, PageSize: 5, Now: fxClock}
	syncUntilDone(t, s, 1)
	saved := saveResults(t, town, 40)
	rep := syncUntilDone(t, s, 1)
	// Results in a batch refused for its size are not counted as pushed.
	if rep.Accepted != 40 || rep.Pushed != 40 || rep.Unanswered != 0 {
		t.Fatalf("report = %+v, want 40 pushed and accepted after refused batches", rep)
	}
	assertSynced(t, county, town, townA, saved)
}

// TestRound_ResultTooLargeIsSetAside: a result that alone exceeds the
// county's limit is set aside as rejected, with the server's reason.
func TestRound_ResultTooLargeIsSetAside(t *testing.T) {
	county := openCounty(t, false)
	defer county.Close()
	tokens := seedCounty(t, county, 3, townA)
	ts := serveCounty(t, county, hsync.WithMaxBody(64))
	defer ts.Close()
	town := openTownship(t, tempPath(t, "town.db"), townA)
	defer town.Close()
	s := &hsync.Syncer{Store: town, Client: newClient(t, ts.URL, tokens[townA]), Now: fxClock}
	syncUntilDone(t, s, 1)
	saveResults(t, town, 3)
	rep := syncUntilDone(t, s, 1)
	if rep.Rejected != 3 || rep.Accepted != 0 {
		t.Fatalf("report = %+v, want 3 rejected", rep)
	}
	items, _ := town.Outbox(context.Background(), hecha.OutboxRejected)
	if len(items) != 3 {
		t.Fatalf("%d rejected outbox items, want 3", len(items))
	}
	for _, it := range items {
		if len(it.Outcome.Errors) == 0 || it.Outcome.Errors[0].MsgID != "sync.err.too_large" {
			t.Fatalf("outcome = %+v, want sync.err.too_large", it.Outcome)
		}
	}
}

// TestRound_RejectedAndConflictDoNotBlock: one result the county rejects
// and one whose case was reassigned do not hold up the others.
func TestRound_RejectedAndConflictDoNotBlock(t *testing.T) {
	ctx := context.Background()
	county := openCounty(t, false)
	defer county.Close()
	tokens := seedCounty(t, county, 6, townA, townB)
	ts := serveCounty(t, county)
	defer ts.Close()

	// The township's table knows a village the county's does not.
	rules := fxRules(t)
	if err := rules.Divisions.Add(hecha.Division{Code: "410102001003", Name: "新村"}); err != nil {
		t.Fatal(err)
	}
	town, err := store.OpenTownship(tempPath(t, "town.db"), store.WithRules(rules), store.WithNow(fxClock), store.WithNoSync())
	if err != nil {
		t.Fatal(err)
	}
	defer town.Close()
	if err := town.SaveSettings(ctx, hecha.Settings{Township: townA}); err != nil {
		t.Fatal(err)
	}
	s := &hsync.Syncer{Store: town, Client: newClient(t, ts.URL, tokens[townA]), BatchSize: 2, Now: fxClock}
	syncUntilDone(t, s, 1)

	saved := saveResults(t, town, 4)
	bad, err := town.SaveResult(ctx, &hecha.Result{
		CaseID: fxCase(townA, 4).ID, Form: hecha.FormR1,
		NotFound: &hecha.NotFound{Reason: hecha.NotFoundMarriedOut, Destination: "410102001003", DestAddress: "新村1号"},
	})
	if err != nil {
		t.Fatal(err)
	}
	moved, err := town.SaveResult(ctx, &hecha.Result{
		CaseID: fxCase(townA, 5).ID, Form: hecha.FormR1, NotFound: &hecha.NotFound{Reason: hecha.NotFoundDied},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := county.Assign(ctx, []string{moved.CaseID}, townB, "test"); err != nil {
		t.Fatal(err)
	}

	rep, err := s.Round(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Accepted != 4 || rep.Rejected != 1 || rep.Conflict != 1 {
		t.Fatalf("report = %+v, want 4 accepted, 1 rejected, 1 conflict", rep)
	}
	for id, want := range map[string]hecha.OutboxState{bad.ID: hecha.OutboxRejected, moved.ID: hecha.OutboxConflict, saved[0].ID: hecha.OutboxAccepted} {
		items, _ := town.Outbox(ctx, want)
		found := false
		for _, it := range items {
			found = found || it.ResultID == id
		}
		if !found {
			t.Errorf("result %s is not %s", id, want)
		}
	}
	rejected, _ := town.Outbox(ctx, hecha.OutboxRejected)
	if f := rejected[0].Outcome.Errors; len(f) == 0 || f[0].Field != "not_found.destination" {
		t.Errorf("rejection errors = %+v, want one about not_found.destination", f)
	}
	// Another round sends nothing again.
	rep, err = s.Round(ctx)
	if err != nil || rep.Pushed != 0 {
		t.Fatalf("next round = %+v, %v", rep, err)
	}
}

// TestLoop_OfflineIsNormal: the loop reports offline while the county is
// away, syncs when it comes, and stops with its context.
func TestLoop_OfflineIsNormal(t *testing.T) {
	county := openCounty(t, false)
	defer county.Close()
	tokens := seedCounty(t, county, 3, townA)
	ts := serveCounty(t, county)
	defer ts.Close()
	dead, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	deadAddr := dead.Addr().String()
	dead.Close()
	proxy := newFaultProxy(t, deadAddr, func(int) fault { return fault{Kind: faultPass} })
	defer proxy.Close()

	town := openTownship(t, tempPath(t, "town.db"), townA)
	defer town.Close()
	s := &hsync.Syncer{Store: town, Client: newClientTries(t, proxy.URL(), tokens[townA], 1), Now: fxClock}

	type note struct {
		rep hsync.Report
		err error
	}
	notes := make(chan note, 100)
	ctx, cancel := context.WithCancel(context.Background())
	var wg stdsync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s.Loop(ctx, 20*time.Millisecond, func(r hsync.Report, err error) { notes <- note{r, err} })
	}()
	first := <-notes
	if !first.rep.Offline || first.err != nil {
		t.Fatalf("first note = %+v, want offline and no error", first)
	}
	u, _ := url.Parse(ts.URL)
	proxy.SetUpstream(u.Host)
	deadline := time.After(10 * time.Second)
	for synced := false; !synced; {
		select {
		case n := <-notes:
			if n.err != nil {
				t.Fatalf("loop error: %v", n.err)
			}
			synced = !n.rep.Offline && n.rep.PulledCases == 3
		case <-deadline:
			t.Fatal("the loop never synced")
		}
	}
	cancel()
	wg.Wait()
}

// TestLoop_PassesOnRealErrors: a token of another township is an error,
// not "offline".
func TestLoop_PassesOnRealErrors(t *testing.T) {
	county := openCounty(t, false)
	defer county.Close()
	tokens := seedCounty(t, county, 1, townA, townB)
	ts := serveCounty(t, county)
	defer ts.Close()
	town := openTownship(t, tempPath(t, "town.db"), townA)
	defer town.Close()
	s := &hsync.Syncer{Store: town, Client: newClient(t, ts.URL, tokens[townB]), Now: fxClock}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	got := make(chan error, 1)
	go s.Loop(ctx, time.Hour, func(r hsync.Report, err error) {
		select {
		case got <- err:
		default:
		}
		cancel()
	})
	if err := <-got; hecha.ErrorCode(err) != hecha.EUNAUTHORIZED {
		t.Fatalf("loop reported %v, want %s", err, hecha.EUNAUTHORIZED)
	}
}

// TestRound_SkipsRecordsTheTownshipRefuses: a case whose division the
// township's table lacks is reported as skipped; the rest of the page is
// stored and the round succeeds.
func TestRound_SkipsRecordsTheTownshipRefuses(t *testing.T) {
	ctx := context.Background()
	county := openCounty(t, false)
	defer county.Close()
	tokens := seedCounty(t, county, 4, townA)
	odd := fxCase(townA, 50)
	odd.Person.CurrentDivision = "440306" // 宝安区
	if _, err := county.ImportCases(ctx, []hecha.Case{odd}); err != nil {
		t.Fatal(err)
	}
	if err := county.Assign(ctx, []string{odd.ID}, townA, "test"); err != nil {
		t.Fatal(err)
	}
	ts := serveCounty(t, county)
	defer ts.Close()

	// The township's table is a year older: no 宝安区.
	table := hecha.NewDivisionTable()
	for _, d := range []hecha.Division{
		{Code: "41", Name: "河南省"}, {Code: "4101", Name: "郑州市"}, {Code: "410102", Name: "中原区"},
		{Code: "410102001", Name: "林山寨街道"}, {Code: "44", Name: "广东省"}, {Code: "4403", Name: "深圳市"},
		{Code: "440305", Name: "南山区"},
	} {
		if err := table.Add(d); err != nil {
			t.Fatal(err)
		}
	}
	town, err := store.OpenTownship(tempPath(t, "town.db"), store.WithRules(&hecha.Rules{Divisions: table, Now: fxClock}), store.WithNow(fxClock), store.WithNoSync())
	if err != nil {
		t.Fatal(err)
	}
	defer town.Close()
	if err := town.SaveSettings(ctx, hecha.Settings{Township: townA}); err != nil {
		t.Fatal(err)
	}
	s := &hsync.Syncer{Store: town, Client: newClient(t, ts.URL, tokens[townA]), PageSize: 2, Now: fxClock}
	rep, err := s.Round(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Skipped) != 1 || rep.Skipped[0].ID != odd.ID || rep.Skipped[0].Kind != "case" {
		t.Fatalf("skipped = %+v, want the case %s", rep.Skipped, odd.ID)
	}
	if f := rep.Skipped[0].Errors; len(f) == 0 || f[0].Field != "person.current_division" || f[0].Code != hecha.EINVALID {
		t.Fatalf("skip errors = %+v", f)
	}
	sums, _ := town.Summaries(ctx)
	if len(sums) != 4 {
		t.Fatalf("township holds %d cases, want the other 4", len(sums))
	}
	// The cursor moved past it: the next round is quiet.
	rep, err = s.Round(ctx)
	if err != nil || len(rep.Skipped) != 0 || rep.PulledCases != 0 {
		t.Fatalf("next round = %+v, %v", rep, err)
	}
}

// TestRound_CutAnswerIsNotCountedAsPushed: the county applies the second
// batch but the connection breaks in its answer. The round reports only
// the batch answered as pushed, the other as waiting to be sent again,
// and says the connection broke rather than that the county cannot be
// reached; the next round sends the batch again and the county holds each
// result once.
func TestRound_CutAnswerIsNotCountedAsPushed(t *testing.T) {
	ctx := context.Background()
	county := openCounty(t, false)
	defer county.Close()
	tokens := seedCounty(t, county, 10, townA)
	api := hsync.NewServer(county, hsync.WithClock(fxClock), hsync.WithRateLimit(0, 0)).Handler()
	var mu stdsync.Mutex
	posts, cutAt := 0, 0
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		if r.URL.Path == hsync.PathResults {
			posts++
		}
		cut := posts == cutAt && r.URL.Path == hsync.PathResults
		mu.Unlock()
		if !cut {
			api.ServeHTTP(w, r)
			return
		}
		// Applied, but only the start of the answer gets through.
		rec := httptest.NewRecorder()
		api.ServeHTTP(rec, r)
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close()
		fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\n%s: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n",
			hsync.ProtocolHeader, hsync.ProtocolVersion, rec.Body.Len())
		buf.Write(rec.Body.Bytes()[:rec.Body.Len()/2])
		buf.Flush()
	}))
	defer ts.Close()
	town := openTownship(t, tempPath(t, "town.db"), townA)
	defer town.Close()
	s := &hsync.Syncer{Store: town, Client: newClientTries(t, ts.URL, tokens[townA], 1), BatchSize: 5, PageSize: 5, Now: fxClock}
	if _, err := s.Round(ctx); err != nil {
		t.Fatal(err)
	}
	saved := saveResults(t, town, 10)
	mu.Lock()
	posts, cutAt = 0, 2
	mu.Unlock()

	rep, err := s.Round(ctx)
	if hecha.ErrorCode(err) != hecha.EUNAVAILABLE {
		t.Fatalf("round: %v, want EUNAVAILABLE", err)
	}
	if rep.Pushed != 5 || rep.Accepted != 5 || rep.Unanswered != 5 {
		t.Errorf("report %+v: want 5 pushed and accepted, 5 unanswered", rep)
	}
	var e *hecha.Error
	if !errors.As(err, &e) || e.MsgID != "sync.err.broken" {
		t.Errorf("error %v (%s), want sync.err.broken", err, e.MsgID)
	}
	if m := hecha.ErrorMessage(err, hecha.Chinese); strings.Contains(m, "无法连接") {
		t.Errorf("message %q says the county cannot be reached", m)
	}

	rep = syncUntilDone(t, s, 3)
	if rep.Pushed != 5 || rep.Duplicate != 5 {
		t.Errorf("next round %+v: want the 5 sent again, as duplicates", rep)
	}
	assertSynced(t, county, town, townA, saved)
}

// TestRound_OutOfProvinceTownship: the county applies the township's rule
// to a bride's new home in another province: a township code under a
// county it knows (whose townships it does not hold) is accepted,
// unchecked; one under a county it does not know is rejected, though the
// township's own table had that county.
func TestRound_OutOfProvinceTownship(t *testing.T) {
	ctx := context.Background()
	county := openCounty(t, false)
	defer county.Close()
	tokens := seedCounty(t, county, 3, townA)
	ts := serveCounty(t, county)
	defer ts.Close()

	rules := fxRules(t)
	if err := rules.Divisions.Add(hecha.Division{Code: "440399", Name: "试验区"}); err != nil {
		t.Fatal(err)
	}
	town, err := store.OpenTownship(tempPath(t, "town.db"), store.WithRules(rules), store.WithNow(fxClock), store.WithNoSync())
	if err != nil {
		t.Fatal(err)
	}
	defer town.Close()
	if err := town.SaveSettings(ctx, hecha.Settings{Township: townA}); err != nil {
		t.Fatal(err)
	}
	s := &hsync.Syncer{Store: town, Client: newClient(t, ts.URL, tokens[townA]), BatchSize: 5, Now: fxClock}
	syncUntilDone(t, s, 1)

	save := func(i int, dest hecha.Code) *hecha.Result {
		res, err := town.SaveResult(ctx, &hecha.Result{
			CaseID: fxCase(townA, i).ID, Form: hecha.FormR1,
			NotFound: &hecha.NotFound{Reason: hecha.NotFoundMarriedOut, Destination: dest, DestAddress: "某村1号"},
		})
		if err != nil {
			t.Fatalf("save %s: %v", dest, err)
		}
		if !rules.Divisions.Unchecked(dest) {
			t.Fatalf("%s is not an unchecked township for the township", dest)
		}
		return res
	}
	ok := save(0, "440305001")
	bad := save(1, "440399001")
	rep, err := s.Round(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Accepted != 1 || rep.Rejected != 1 {
		t.Fatalf("report = %+v, want 1 accepted, 1 rejected", rep)
	}
	for id, want := range map[string]hecha.OutboxState{ok.ID: hecha.OutboxAccepted, bad.ID: hecha.OutboxRejected} {
		items, _ := town.Outbox(ctx, want)
		found := false
		for _, it := range items {
			if it.ResultID == id {
				found = true
				if want == hecha.OutboxRejected && (len(it.Outcome.Errors) == 0 || it.Outcome.Errors[0].MsgID != "division.unknown") {
					t.Errorf("rejection = %+v, want division.unknown", it.Outcome.Errors)
				}
			}
		}
		if !found {
			t.Errorf("result %s is not %s", id, want)
		}
	}
}
