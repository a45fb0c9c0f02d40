package sync_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"strings"
	stdsync "sync"
	"testing"
	"time"

	"hecha"
	"hecha/internal/countytest"
	hsync "hecha/sync"
)

// childEnv names the county store (countytest.New) a child process serves.
const childEnv = "HECHA_SYNC_TEST_COUNTY_DB"

// TestCountyChildProcess is the county server run as a child process by
// TestServerKilledMidBatch; run directly it skips.
func TestCountyChildProcess(t *testing.T) {
	loc := os.Getenv(childEnv)
	if loc == "" {
		t.Skip("the county server of TestServerKilledMidBatch, run in a child process")
	}
	db := openCountyAt(t, loc, true)
	defer db.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("LISTENING %s\n", ln.Addr())
	// Serve until killed, or until the parent goes away.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := hsync.NewServer(db, hsync.WithClock(fxClock), hsync.WithRateLimit(0, 0)).Serve(ctx, ln, "", ""); err != nil {
		t.Fatal(err)
	}
}

// countyChild is a county server in a child process.
type countyChild struct {
	cmd  *exec.Cmd
	addr string
	done chan struct{}
}

func startCountyChild(t *testing.T, loc string) *countyChild {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCountyChildProcess$", "-test.timeout=3m")
	cmd.Env = append(os.Environ(), childEnv+"="+loc)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &countyChild{cmd: cmd, done: make(chan struct{})}
	t.Cleanup(c.kill)
	addrc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if a, ok := strings.CutPrefix(sc.Text(), "LISTENING "); ok {
				addrc <- a
			}
		}
		_ = cmd.Wait()
		close(c.done)
	}()
	select {
	case c.addr = <-addrc:
	case <-c.done:
		t.Fatal("the county child exited before listening")
	case <-time.After(30 * time.Second):
		t.Fatal("the county child does not listen")
	}
	return c
}

// kill sends SIGKILL and waits for the child to be gone.
func (c *countyChild) kill() {
	_ = c.cmd.Process.Kill()
	<-c.done
}

// TestServerKilledMidBatch pushes batches to a county server in a child
// process and SIGKILLs it a random delay after a push request began: while
// the batch is read, applied or answered. The server is restarted on the same
// database file each time. In the end the county holds every result once.
func TestServerKilledMidBatch(t *testing.T) {
	if os.Getenv(childEnv) != "" {
		t.Skip("in the child")
	}
	kills, perKill := 5, 80
	if testing.Short() {
		kills, perKill = 2, 40
	}
	loc := countytest.New(t)
	seeder := openCountyAt(t, loc, true)
	tokens := seedCounty(t, seeder, kills*perKill, townA)
	if err := seeder.Close(); err != nil {
		t.Fatal(err)
	}

	child := startCountyChild(t, loc)
	var mu stdsync.Mutex
	var trigger func(conn int, chunk []byte, total int64)
	proxy := newFaultProxy(t, child.addr, func(int) fault { return fault{Kind: faultPass} })
	defer proxy.Close()
	proxy.onRequestBytes = func(conn int, chunk []byte, total int64) {
		mu.Lock()
		f := trigger
		mu.Unlock()
		if f != nil {
			f(conn, chunk, total)
		}
	}
	town := openTownship(t, tempPath(t, "town.db"), townA)
	defer town.Close()
	s := &hsync.Syncer{Store: town, Client: newClientTries(t, proxy.URL(), tokens[townA], 1), BatchSize: perKill / 2, PageSize: 500, Now: fxClock}
	syncUntilDone(t, s, 3)

	rng := rand.New(rand.NewPCG(7, 11))
	var saved []hecha.Result
	failed := 0
	for k := 0; k < kills; k++ {
		saved = append(saved, saveResults(t, town, perKill)...)
		delay := time.Duration(rng.Int64N(int64(40 * time.Millisecond)))
		var once stdsync.Once
		victim := child
		mu.Lock()
		trigger = func(conn int, chunk []byte, total int64) {
			if bytes.Contains(chunk, []byte("POST "+hsync.PathResults+" ")) {
				once.Do(func() { time.AfterFunc(delay, victim.kill) })
			}
		}
		mu.Unlock()
		rep, err := s.Round(context.Background())
		<-victim.done
		t.Logf("kill %d after %v: pushed %d, accepted %d, duplicate %d; %v", k, delay.Round(time.Microsecond), rep.Pushed, rep.Accepted, rep.Duplicate, err)
		mu.Lock()
		trigger = nil
		mu.Unlock()
		if err != nil {
			failed++
			if code := hecha.ErrorCode(err); code != hecha.EUNAVAILABLE {
				t.Fatalf("kill %d: round failed with %v (code %s), want %s", k, err, code, hecha.EUNAVAILABLE)
			}
		}
		child = startCountyChild(t, loc)
		proxy.SetUpstream(child.addr)
		s.Client.CloseIdle()
	}
	if failed == 0 {
		t.Error("no kill ever interrupted a round")
	}
	rep := syncUntilDone(t, s, 5)
	t.Logf("after the kills: %+v", rep)
	child.kill()
	county := openCountyAt(t, loc, true)
	defer county.Close()
	assertSynced(t, county, town, townA, saved)
}
