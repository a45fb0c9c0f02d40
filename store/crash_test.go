package store_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"hecha"
	"hecha/store"
)

// The crash test kills a process that is saving results at random moments
// and checks that the database kept every result the process had been
// told was saved, exactly once, with its outbox item.
//
//	go test -run TestCrash ./store/                         # 50 trials
//	HECHA_CRASH_TRIALS=500 go test -run TestCrash ./store/  # more
//	HECHA_CRASH_SEED=7 ...                                  # another seed
//
// The child is this test binary run again with HECHA_CRASH_CHILD set to
// the database path; it runs TestCrashChild only.

// crashCases is the number of cases the crash test's database holds.
const crashCases = 40

// TestCrashChild is the child process of TestCrash: it saves final results
// in a loop, with durable commits, and prints each result id after
// SaveResult returns; every few saves it also takes a batch for upload, so
// items are in sending when it dies. Without HECHA_CRASH_CHILD it skips.
func TestCrashChild(t *testing.T) {
	path := os.Getenv("HECHA_CRASH_CHILD")
	if path == "" {
		t.Skip("only run as TestCrash's child process")
	}
	ctx := context.Background()
	db, err := store.OpenTownship(path, store.WithRules(Rules(t)), store.WithTimeout(5*time.Second), store.WithNow(Clock))
	if err != nil {
		fmt.Fprintln(os.Stderr, "child open:", err)
		os.Exit(2)
	}
	out := bufio.NewWriterSize(os.Stdout, 64)
	deadline := time.Now().Add(30 * time.Second) // in case the parent is gone
	for i := 0; time.Now().Before(deadline); i++ {
		r, err := db.SaveResult(ctx, NotFound(Case(i%crashCases).ID))
		if err != nil {
			fmt.Fprintln(os.Stderr, "child save:", err)
			os.Exit(3)
		}
		// One write per line: the parent never sees half an id.
		out.WriteString(r.ID + "\n")
		if err := out.Flush(); err != nil {
			os.Exit(4)
		}
		if i%3 == 2 {
			if _, err := db.NextBatch(ctx, 2); err != nil {
				fmt.Fprintln(os.Stderr, "child batch:", err)
				os.Exit(5)
			}
		}
	}
	os.Exit(0)
}

// envInt returns the integer in the environment variable name, or def.
func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("the crash test runs child processes; skipped with -short")
	}
	if os.Getenv("HECHA_CRASH_CHILD") != "" {
		t.Skip("in the child")
	}
	trials := envInt("HECHA_CRASH_TRIALS", 50)
	seed := uint64(envInt("HECHA_CRASH_SEED", 1))
	rnd := rand.New(rand.NewPCG(seed, 0x6865636861))
	t.Logf("%d trials, seed %d", trials, seed)

	path := filepath.Join(t.TempDir(), "crash.db")
	db := MustOpenDBAt(t, path, store.WithRules(Rules(t)))
	MustApplyCases(t, db, Cases(0, crashCases)...)
	MustCloseDB(t, db)

	printed := map[string]bool{}
	for trial := 0; trial < trials; trial++ {
		delay := time.Duration(20+rnd.IntN(131)) * time.Millisecond
		ids := runAndKill(t, path, delay)
		for _, id := range ids {
			if printed[id] {
				t.Fatalf("trial %d: the child printed %s twice", trial, id)
			}
			printed[id] = true
		}
		checkBolt(t, path, trial)
		checkCrashDB(t, path, printed, trial)
	}
	if len(printed) == 0 {
		t.Fatal("the child never saved a result: the test tested nothing")
	}
	t.Logf("%d results confirmed by the child over %d kills", len(printed), trials)
}

// runAndKill starts the child on path, SIGKILLs it delay after it printed
// its first result id (so a slow start, as under the race detector, still
// leaves it saving when it dies) and returns the result ids it printed.
func runAndKill(t *testing.T, path string, delay time.Duration) []string {
	t.Helper()
	var cmd *exec.Cmd
	var stdout io.ReadCloser
	var stderr lockedBuffer
	// Wine now and then fails to start a process ("fork/exec …: Internal
	// error"); what is tested is the crash, so a start is tried again.
	for try := 1; ; try++ {
		cmd = exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), "HECHA_CRASH_CHILD="+path)
		var err error
		if stdout, err = cmd.StdoutPipe(); err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = &stderr
		err = cmd.Start()
		if err == nil {
			break
		}
		if try == 3 {
			t.Fatalf("the child did not start in %d tries: %v", try, err)
		}
		t.Logf("the child did not start (try %d): %v", try, err)
		time.Sleep(100 * time.Millisecond)
	}
	var ids []string
	done, first := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if line := sc.Text(); hecha.ValidResultID(line) {
				if ids = append(ids, line); len(ids) == 1 {
					close(first)
				}
			}
		}
	}()
	select {
	case <-first:
		time.Sleep(delay)
	case <-done:
		// It printed nothing and ended; Wait below reports how.
	}
	killErr := cmd.Process.Kill()
	<-done
	err := cmd.Wait()
	if !killed(cmd.ProcessState, killErr) {
		t.Fatalf("the child ended by itself (%v): %s", err, stderr.String())
	}
	return ids
}

// killed reports whether Process.Kill, which returned killErr, ended the
// process: on Unix its status says SIGKILL. Windows has no signals: Kill
// is TerminateProcess, which fails on a process that has already exited,
// and leaves exit code 1.
func killed(ps *os.ProcessState, killErr error) bool {
	if runtime.GOOS == "windows" {
		return killErr == nil && ps.ExitCode() == 1
	}
	ws, ok := ps.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL
}

// checkBolt runs bbolt's own consistency check on the file.
func checkBolt(t *testing.T, path string, trial int) {
	t.Helper()
	b, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatalf("trial %d: bbolt open: %v", trial, err)
	}
	defer b.Close()
	err = b.View(func(tx *bbolt.Tx) error {
		for err := range tx.Check() {
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatalf("trial %d: bbolt check: %v", trial, err)
	}
}

// checkCrashDB reopens the database and checks that every printed result
// is in the history exactly once, that the outbox has exactly one item per
// history entry, and that nothing is left in sending.
func checkCrashDB(t *testing.T, path string, printed map[string]bool, trial int) {
	t.Helper()
	ctx := context.Background()
	db := MustOpenDBAt(t, path, store.WithRules(Rules(t)))
	defer MustCloseDB(t, db)

	inHistory := map[string]int{}
	for i := 0; i < crashCases; i++ {
		hist, err := db.History(ctx, Case(i).ID)
		if err != nil {
			t.Fatalf("trial %d: history: %v", trial, err)
		}
		for j, v := range hist {
			inHistory[v.Result.ID]++
			if v.Seq != uint64(j+1) {
				t.Fatalf("trial %d: case %d version %d has seq %d", trial, i, j, v.Seq)
			}
		}
	}
	for id := range printed {
		if inHistory[id] != 1 {
			t.Fatalf("trial %d: printed result %s is in the history %d times", trial, id, inHistory[id])
		}
	}
	items, err := db.Outbox(ctx)
	if err != nil {
		t.Fatal(err)
	}
	inOutbox := map[string]int{}
	for _, it := range items {
		inOutbox[it.ResultID]++
		if it.State == hecha.OutboxSending {
			t.Fatalf("trial %d: %s left in sending", trial, it.ResultID)
		}
	}
	for id, n := range inHistory {
		if n != 1 || inOutbox[id] != 1 {
			t.Fatalf("trial %d: result %s: %d history entries, %d outbox items", trial, id, n, inOutbox[id])
		}
	}
	if len(inOutbox) != len(inHistory) || len(items) != len(inHistory) {
		t.Fatalf("trial %d: %d outbox items for %d history entries", trial, len(items), len(inHistory))
	}
}

// lockedBuffer collects a child's stderr.
type lockedBuffer struct {
	mu  sync.Mutex
	buf []byte
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	return len(p), nil
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.buf)
}
