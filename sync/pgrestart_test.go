package sync_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	stdsync "sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"hecha"
	"hecha/internal/countytest"
	"hecha/internal/testenv"
	"hecha/pgstore"
	"hecha/store"
	hsync "hecha/sync"
)

// TestFaults_PostgresRestarted restarts the PostgreSQL server itself in
// mid-sync, again and again: a crash (pg_ctl restart -m immediate, the
// next start recovers from the WAL) and an orderly restart (-m fast), and
// a crash left down for a while. The county runs on a server of the
// test's own (testenv.PrivatePostgres), since restarting the shared one
// would break every other test running at once. Two servers, each with
// its own store handle on the database, sit behind a balancer, as two
// serve processes behind a load balancer; township A syncs through the
// fault proxy (cuts, delays, requests delivered twice) in front of the
// balancer, township B through the balancer directly, both saving
// results and syncing in a loop. Each restart is set off by a push of A
// on its way in.
//
// A round may fail while the database is down or recovering, but only as
// unavailable; while it is down both servers answer 503 (unavailable),
// and no server answers 500 at all. After each restart a round of each
// township completes; at the end the county holds every result saved
// exactly once: one row each in hecha_results, none lost and none twice.
func TestFaults_PostgresRestarted(t *testing.T) {
	countytest.Only(t, "postgres", "restarts a PostgreSQL server")
	restarts := 5 // crash, fast, crash left down, fast, crash
	if testing.Short() {
		restarts = 3
	}
	const perTownship = 200 // cases each, more than the rounds save
	srv := testenv.PrivatePostgres(t)
	ctx := context.Background()
	if _, err := pgstore.Migrate(ctx, srv.DSN, pgstore.WithNow(fxClock)); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	first := openCountyAt(t, srv.DSN, true)
	defer first.Close()
	second := openCountyAt(t, srv.DSN, true)
	defer second.Close()
	tokens := seedCounty(t, first, perTownship, townA, townB)
	// Whatever a server answers while the database is down or
	// recovering, it is never a 500. (A request the proxy cut is logged
	// as 499: its client went away.)
	var internal atomic.Int64
	logf := hsync.WithLog(func(e hsync.LogEntry) {
		if e.Status == http.StatusInternalServerError && internal.Add(1) <= 3 {
			t.Errorf("%s %s answered 500: %v", e.Method, e.Path, e.Err)
		}
	})
	ts1, ts2 := serveCounty(t, first, logf), serveCounty(t, second, logf)
	defer ts1.Close()
	defer ts2.Close()
	u1, _ := url.Parse(ts1.URL)
	u2, _ := url.Parse(ts2.URL)
	lb := newBalancer(t, u1.Host, u2.Host)
	proxy := newFaultProxy(t, lb.ln.Addr().String(), func(int) fault { return fault{Kind: faultPass} })
	defer proxy.Close()

	// pushing is A's push on its way in: the next restart waits for it.
	pushing := make(chan struct{}, 1)
	proxy.onRequestBytes = func(_ int, chunk []byte, _ int64) {
		if strings.Contains(string(chunk), "POST "+hsync.PathResults+" ") {
			select {
			case pushing <- struct{}{}:
			default:
			}
		}
	}

	dbA := openTownship(t, tempPath(t, "a.db"), townA)
	defer dbA.Close()
	dbB := openTownship(t, tempPath(t, "b.db"), townB)
	defer dbB.Close()
	a := &hsync.Syncer{Store: dbA, Client: newClientTries(t, proxy.URL(), tokens[townA], 3), BatchSize: 7, PageSize: 100, Now: fxClock}
	b := &hsync.Syncer{Store: dbB, Client: newClientTries(t, "http://"+lb.ln.Addr().String(), tokens[townB], 1), BatchSize: 5, PageSize: 100, Now: fxClock}
	syncUntilDone(t, a, 3)
	syncUntilDone(t, b, 3)
	// Faults from here on, a new schedule before each restart; A's idle
	// connections are dropped so the next round dials into it.
	a.Client.CloseIdle()

	// Both townships save results and sync until stop, each up to budget
	// results, which each restart raises.
	const perRestart = 25
	var budget atomic.Int64
	budget.Store(perRestart)
	type township struct {
		name   string
		s      *hsync.Syncer
		db     *store.TownshipDB
		saved  []hecha.Result
		rounds int
		err    error
		ok     atomic.Int64 // rounds that succeeded
		failed atomic.Int64 // rounds that failed (as unavailable)
	}
	towns := []*township{{name: "A", s: a, db: dbA}, {name: "B", s: b, db: dbB}}
	stop := make(chan struct{})
	var wg stdsync.WaitGroup
	for _, tw := range towns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if n := int(budget.Load()) - len(tw.saved); n > 0 {
					tw.saved = append(tw.saved, saveResults(t, tw.db, min(n, 3))...)
				}
				if tw.s == a {
					// New connections each round, each to the proxy's
					// faults.
					a.Client.CloseIdle()
				}
				_, err := tw.s.Round(ctx)
				tw.rounds++
				if err == nil {
					tw.ok.Add(1)
				} else {
					tw.failed.Add(1)
					if code := hecha.ErrorCode(err); code != hecha.EUNAVAILABLE {
						tw.err = fmt.Errorf("round %d of township %s failed with %v (code %s), want %s", tw.rounds, tw.name, err, code, hecha.EUNAVAILABLE)
						return
					}
				}
				time.Sleep(10 * time.Millisecond) // a clerk's pause
			}
		}()
	}
	// fatal ends the test from the main goroutine, the townships stopped.
	fatal := func(format string, args ...any) {
		t.Helper()
		close(stop)
		wg.Wait()
		t.Fatalf(format, args...)
	}

	probes := 0
	for k := range restarts {
		budget.Add(perRestart)
		proxy.SetPlan(randomPlan(uint64(k)+1, 40))
		// The restart begins as a push of A is on its way in.
		select {
		case <-pushing: // a stale signal
		default:
		}
		select {
		case <-pushing:
		case <-time.After(20 * time.Second):
			fatal("restart %d: township A pushed nothing for 20 s (%v)", k, towns[0].err)
		}
		// B meets no proxy faults: its rounds fail only by the restart.
		failedB := towns[1].failed.Load()
		mode := []testenv.ShutdownMode{testenv.ShutdownImmediate, testenv.ShutdownFast}[k%2]
		if k%3 != 2 {
			if err := srv.Restart(mode); err != nil {
				fatal("restart %d (-m %s): %v", k, mode, err)
			}
		} else {
			// Down for a while: both servers answer 503 meanwhile.
			if err := srv.Stop(mode); err != nil {
				fatal("restart %d (-m %s): %v", k, mode, err)
			}
			for _, ts := range []string{ts1.URL, ts2.URL} {
				if status, body := getStatus(t, ts+hsync.PathCases, tokens[townA]); status != http.StatusServiceUnavailable || !strings.Contains(body, `"unavailable"`) {
					t.Errorf("restart %d, the database down: GET %s answered %d %s, want 503 unavailable", k, hsync.PathCases, status, body)
				}
				probes++
			}
			time.Sleep(200 * time.Millisecond)
			if err := srv.Start(); err != nil {
				fatal("restart %d: start: %v", k, err)
			}
		}
		// Each township's next sync completes: a round of each succeeds
		// after the restart.
		okA, okB := towns[0].ok.Load(), towns[1].ok.Load()
		for deadline := time.Now().Add(20 * time.Second); towns[0].ok.Load() == okA || towns[1].ok.Load() == okB; {
			if towns[0].err != nil || towns[1].err != nil || time.Now().After(deadline) {
				fatal("restart %d (-m %s): no round of both townships succeeded within 20 s after it (A: %v, B: %v)", k, mode, towns[0].err, towns[1].err)
			}
			time.Sleep(10 * time.Millisecond)
		}
		if towns[1].failed.Load() == failedB {
			t.Errorf("restart %d (-m %s): no round of township B failed; the restart did not reach the sync", k, mode)
		}
	}
	close(stop)
	wg.Wait()
	for _, tw := range towns {
		if tw.err != nil {
			t.Fatal(tw.err)
		}
		t.Logf("township %s: %d results saved, %d rounds, %d failed", tw.name, len(tw.saved), tw.rounds, tw.failed.Load())
	}
	t.Logf("%d restarts; %d requests while down; proxy faults %v", restarts, probes, proxy.applied)

	// The next sync completes, and every result is held exactly once.
	proxy.SetPlan(func(int) fault { return fault{Kind: faultPass} })
	a.Client.CloseIdle()
	syncUntilDone(t, a, 5)
	syncUntilDone(t, b, 5)
	proxy.Close()
	lb.Close()
	ts1.Close() // waits for the requests the proxy delivered twice
	ts2.Close()
	assertSynced(t, first, dbA, townA, towns[0].saved)
	assertSynced(t, second, dbB, townB, towns[1].saved)
	conn, err := pgx.Connect(ctx, srv.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, tw := range []struct {
		code  hecha.Code
		saved int
	}{{townA, len(towns[0].saved)}, {townB, len(towns[1].saved)}} {
		var rows, cases int
		if err := conn.QueryRow(ctx, `SELECT count(*), count(DISTINCT case_id) FROM hecha_results WHERE township = $1`, string(tw.code)).Scan(&rows, &cases); err != nil {
			t.Fatal(err)
		}
		if rows != tw.saved || cases != tw.saved {
			t.Errorf("township %s: hecha_results holds %d rows for %d cases, want %d saved results, one each", tw.code, rows, cases, tw.saved)
		}
	}
}

// getStatus GETs url with token and returns the status and body.
func getStatus(t *testing.T, url, token string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}
