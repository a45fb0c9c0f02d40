package sync_test

import (
	"context"
	"os"
	"strings"
	stdsync "sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"hecha"
	"hecha/internal/countytest"
	"hecha/internal/testenv"
	hsync "hecha/sync"
)

// TestFaults_KillOneOfTwoServers runs two county servers as child
// processes on one PostgreSQL database behind the balancer, as two serve
// processes behind a load balancer. Township A pushes through the
// balancer; each time, its connection goes to the first server, which is
// SIGKILLed a random moment after the push began, while township B keeps
// syncing against the second server directly. A's next sync completes
// through the survivor; the county holds every result of both townships
// exactly once.
func TestFaults_KillOneOfTwoServers(t *testing.T) {
	countytest.Only(t, "postgres", "two serve processes share one database on PostgreSQL only")
	if os.Getenv(childEnv) != "" {
		t.Skip("in the child")
	}
	kills, perKill := 3, 60
	if testing.Short() {
		kills, perKill = 2, 40
	}
	loc := countytest.New(t)
	county := openCountyAt(t, loc, true)
	defer county.Close()
	tokens := seedCounty(t, county, kills*perKill+40, townA, townB)

	first, second := startCountyChild(t, loc), startCountyChild(t, loc)
	lb := newBalancer(t, first.addr, second.addr)
	var mu stdsync.Mutex
	var trigger func(chunk []byte)
	proxy := newFaultProxy(t, lb.ln.Addr().String(), func(int) fault { return fault{Kind: faultPass} })
	defer proxy.Close()
	proxy.onRequestBytes = func(_ int, chunk []byte, _ int64) {
		mu.Lock()
		f := trigger
		mu.Unlock()
		if f != nil {
			f(chunk)
		}
	}

	dbA := openTownship(t, tempPath(t, "a.db"), townA)
	defer dbA.Close()
	a := &hsync.Syncer{Store: dbA, Client: newClientTries(t, proxy.URL(), tokens[townA], 1), BatchSize: perKill / 4, PageSize: 500, Now: fxClock}
	syncUntilDone(t, a, 3)
	a.Client.CloseIdle()

	// Township B goes on against the second server the whole time: none
	// of its rounds may fail.
	dbB := openTownship(t, tempPath(t, "b.db"), townB)
	defer dbB.Close()
	b := &hsync.Syncer{Store: dbB, Client: newClientTries(t, "http://"+second.addr, tokens[townB], 1), BatchSize: 10, PageSize: 500, Now: fxClock}
	syncUntilDone(t, b, 3)
	stop := make(chan struct{})
	var savedB []hecha.Result
	var errB error
	var wg stdsync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			if len(savedB) >= kills*perKill {
				time.Sleep(5 * time.Millisecond)
				continue
			}
			savedB = append(savedB, saveResults(t, dbB, 5)...)
			if _, err := b.Round(context.Background()); err != nil {
				errB = err
				return
			}
		}
	}()

	var savedA []hecha.Result
	failed, during := 0, 0
	for k := 0; k < kills; k++ {
		savedA = append(savedA, saveResults(t, dbA, perKill)...)
		// The next connection goes to the first server.
		a.Client.CloseIdle()
		lb.mu.Lock()
		lb.n = 0
		lb.mu.Unlock()
		delay := time.Duration(k*3) * time.Millisecond
		victim := first
		var once stdsync.Once
		mu.Lock()
		trigger = func(chunk []byte) {
			if strings.Contains(string(chunk), "POST "+hsync.PathResults+" ") {
				once.Do(func() { time.AfterFunc(delay, victim.kill) })
			}
		}
		mu.Unlock()
		rep, err := a.Round(context.Background())
		mu.Lock()
		trigger = nil
		mu.Unlock()
		select {
		case <-victim.done:
			during++
		default:
		}
		select {
		case <-victim.done:
		case <-time.After(10 * time.Second):
			t.Fatal("the first server was never killed")
		}
		// The round may fail as unavailable, or complete: the client sends
		// a push again on a new connection (it is idempotent), which the
		// balancer gives the survivor.
		t.Logf("kill %d after %v: pushed %d, accepted %d, duplicate %d; %v", k, delay, rep.Pushed, rep.Accepted, rep.Duplicate, err)
		if err != nil {
			failed++
			if code := hecha.ErrorCode(err); code != hecha.EUNAVAILABLE {
				t.Fatalf("kill %d: round failed with %v (code %s), want %s", k, err, code, hecha.EUNAVAILABLE)
			}
		}
		// The next sync completes through the survivor (the balancer
		// passes over a server it cannot reach, as a health check would).
		a.Client.CloseIdle()
		syncUntilDone(t, a, 3)
		// A new first server takes the dead one's place for the next kill.
		first = startCountyChild(t, loc)
		lb.mu.Lock()
		lb.upstreams[0] = first.addr
		lb.mu.Unlock()
	}
	close(stop)
	wg.Wait()
	if errB != nil {
		t.Fatalf("township B, on the surviving server, failed a round: %v", errB)
	}
	t.Logf("%d of %d kills while a round ran, %d rounds failed", during, kills, failed)
	if during == 0 {
		t.Error("no kill happened while a round ran")
	}
	syncUntilDone(t, b, 3)
	assertSynced(t, county, dbA, townA, savedA)
	assertSynced(t, county, dbB, townB, savedB)
}

// TestFaults_DatabaseConnectionsCut cuts every connection to the test's
// own database again and again for a while, and refuses new ones for part
// of it, while a township syncs. This is what a PostgreSQL restart does
// to its clients: every session is ended (the server terminates the
// backends, as pg_terminate_backend does) and, until it is up again, new
// connections are refused (as ALLOW_CONNECTIONS false does). The server
// it runs on is shared by every test running at once, so it is not
// restarted here; TestFaults_PostgresRestarted restarts a server of its
// own. The rounds during the cuts may fail as
// unavailable, never otherwise; the next sync completes and every result
// is held exactly once.
func TestFaults_DatabaseConnectionsCut(t *testing.T) {
	countytest.Only(t, "postgres", "cuts PostgreSQL connections")
	loc := countytest.New(t)
	ac, dbname := testenv.PostgresAdmin(t, loc)
	ctx := context.Background()
	defer func() {
		if _, err := ac.Exec(ctx, "ALTER DATABASE "+pgx.Identifier{dbname}.Sanitize()+" ALLOW_CONNECTIONS true"); err != nil {
			t.Errorf("allow connections again: %v", err)
		}
	}()

	county := openCountyAt(t, loc, true)
	defer county.Close()
	tokens := seedCounty(t, county, 400, townA)
	ts := serveCounty(t, county)
	defer ts.Close()
	town := openTownship(t, tempPath(t, "town.db"), townA)
	defer town.Close()
	s := &hsync.Syncer{Store: town, Client: newClientTries(t, ts.URL, tokens[townA], 1), BatchSize: 10, PageSize: 50, Now: fxClock}
	syncUntilDone(t, s, 3)

	cutFor := 3 * time.Second
	if testing.Short() {
		cutFor = 1500 * time.Millisecond
	}
	done := make(chan error, 1)
	var cuts int64
	go func() {
		deadline := time.Now().Add(cutFor)
		refused := false
		for i := 0; time.Now().Before(deadline); i++ {
			// A third of the time, the "restarting" server refuses new
			// connections too.
			if refuse := i%30 >= 20; refuse != refused {
				if _, err := ac.Exec(ctx, "ALTER DATABASE "+pgx.Identifier{dbname}.Sanitize()+" ALLOW_CONNECTIONS "+map[bool]string{true: "false", false: "true"}[refuse]); err != nil {
					done <- err
					return
				}
				refused = refuse
			}
			var n int64
			if err := ac.QueryRow(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, dbname).Scan(&n); err != nil {
				done <- err
				return
			}
			cuts += n
			time.Sleep(20 * time.Millisecond)
		}
		_, err := ac.Exec(ctx, "ALTER DATABASE "+pgx.Identifier{dbname}.Sanitize()+" ALLOW_CONNECTIONS true")
		done <- err
	}()

	var saved []hecha.Result
	var failed, rounds int
	var cutErr error
loop:
	for {
		select {
		case cutErr = <-done:
			break loop
		default:
		}
		if len(saved) < 360 {
			saved = append(saved, saveResults(t, town, 8)...)
		}
		rounds++
		if _, err := s.Round(ctx); err != nil {
			failed++
			if code := hecha.ErrorCode(err); code != hecha.EUNAVAILABLE {
				t.Fatalf("round during the cuts failed with %v (code %s), want %s", err, code, hecha.EUNAVAILABLE)
			}
		}
	}
	if cutErr != nil {
		t.Fatalf("cutting connections: %v", cutErr)
	}
	t.Logf("%d rounds during the cuts, %d failed; %d sessions ended", rounds, failed, cuts)
	if cuts == 0 || failed == 0 {
		t.Errorf("the cuts did not reach the sync (%d sessions ended, %d rounds failed)", cuts, failed)
	}
	syncUntilDone(t, s, 5)
	assertSynced(t, county, town, townA, saved)
}
