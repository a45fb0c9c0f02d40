package store_test

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"hecha/store"
)

// The encryption crash test kills a process that is encrypting a plain
// township database in place at random moments, then opens the file with
// the passphrase as the clerk's next start would: the encryption finishes
// and every value reads back as before, and the file holds no personal
// data.
//
//	go test -run TestEncryptCrash ./store/                          # 20 trials
//	HECHA_CRASH_TRIALS=200 go test -run TestEncryptCrash ./store/   # more

// TestEncryptCrashChild is TestEncryptCrash's child: it encrypts the
// database named by HECHA_ENCRYPT_CHILD with durable commits, a few values
// per transaction; it prints "start" just before the first of them.
func TestEncryptCrashChild(t *testing.T) {
	path := os.Getenv("HECHA_ENCRYPT_CHILD")
	if path == "" {
		t.Skip("only run as TestEncryptCrash's child process")
	}
	defer store.SetEncryptBatch(5)()
	db, err := store.OpenTownship(path, store.WithRules(Rules(t)), store.WithTimeout(5*time.Second), store.WithNow(Clock),
		store.WithPassphrase(Passphrase))
	if err != nil {
		fmt.Fprintln(os.Stderr, "child open:", err)
		os.Exit(2)
	}
	if !db.Encrypted() {
		// The key derivation comes before "start": under the race
		// detector it takes longer than the encryption itself.
		k, _, err := store.NewKeys(Passphrase, TestKDF)
		if err == nil {
			fmt.Println("start")
			err = db.Encrypt(context.Background(), k)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "child encrypt:", err)
			os.Exit(3)
		}
	} else {
		fmt.Println("start")
	}
	fmt.Println("done")
	os.Exit(0)
}

func TestEncryptCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("the crash test runs child processes; skipped with -short")
	}
	if os.Getenv("HECHA_ENCRYPT_CHILD") != "" {
		t.Skip("in the child")
	}
	trials := envInt("HECHA_CRASH_TRIALS", 20)
	seed := uint64(envInt("HECHA_CRASH_SEED", 1))
	rnd := rand.New(rand.NewPCG(seed, 0x6372797074))

	// One plain database, filled once; each trial encrypts a copy.
	dir := t.TempDir()
	plain := filepath.Join(dir, "plain.db")
	db := MustOpenDBAt(t, plain, store.WithRules(Rules(t)))
	fillTownship(t, db, 150)
	want := readAll(t, db)
	MustCloseDB(t, db)
	pristine, err := os.ReadFile(plain)
	if err != nil {
		t.Fatal(err)
	}
	personal := personalData(160)

	// How long an encryption takes once the child has opened the file, to
	// spread the kills over it. The process start and the open are not
	// part of it: a delay counts from the child's "start".
	path := filepath.Join(dir, "hecha.db")
	if err := os.WriteFile(path, pristine, 0o600); err != nil {
		t.Fatal(err)
	}
	finished, whole := runAndKillEncrypt(t, path, time.Minute)
	if !finished {
		t.Fatal("the child without a kill did not finish within a minute")
	}
	t.Logf("%d trials, seed %d; one encryption takes %v", trials, seed, whole)

	interrupted := 0
	for trial := 0; trial < trials; trial++ {
		if err := os.WriteFile(path, pristine, 0o600); err != nil {
			t.Fatal(err)
		}
		delay := time.Duration(rnd.Int64N(int64(whole)))
		if finished, _ := runAndKillEncrypt(t, path, delay); !finished {
			interrupted++
		}
		checkBolt(t, path, trial)
		db, err := store.OpenTownship(path, store.WithRules(Rules(t)), store.WithNow(Clock), store.WithNoSync(),
			store.WithPassphrase(Passphrase))
		if err != nil {
			t.Fatalf("trial %d: open after the kill: %v", trial, err)
		}
		if !db.Encrypted() {
			// Killed before the keyring was written: still plain, as the
			// clerk would find it; encrypt it now.
			k, _ := MustNewKeys(t)
			if err := db.Encrypt(context.Background(), k); err != nil {
				t.Fatalf("trial %d: encrypt: %v", trial, err)
			}
		}
		if got := readAll(t, db); got != want {
			t.Fatalf("trial %d: read back after the kill:\n%s\nwant\n%s", trial, got, want)
		}
		MustCloseDB(t, db)
		if found := grepFile(t, path, personal); len(found) > 0 {
			t.Fatalf("trial %d: the file holds %d personal strings, e.g. %q", trial, len(found), found[0])
		}
		if m, _ := filepath.Glob(path + ".encrypt-*"); len(m) > 0 {
			t.Fatalf("trial %d: left behind: %v", trial, m)
		}
	}
	if interrupted == 0 {
		t.Fatal("no kill interrupted an encryption: the test tested nothing")
	}
	t.Logf("%d of %d encryptions killed midway", interrupted, trials)
}

// childEncrypt returns the command that runs TestEncryptCrashChild on path.
func childEncrypt(path string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^TestEncryptCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "HECHA_ENCRYPT_CHILD="+path)
	return cmd
}

// runAndKillEncrypt starts the child and SIGKILLs it delay after it
// printed "start", unless it finished first; it reports whether the child
// finished and how long after "start" it finished or was killed.
func runAndKillEncrypt(t *testing.T, path string, delay time.Duration) (bool, time.Duration) {
	t.Helper()
	cmd := childEncrypt(path)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// finishedAt is told when "done" is read, not when the child exits:
	// under the race detector a process lingers a second at exit.
	started, finishedAt, done := make(chan time.Time, 1), make(chan time.Time, 1), make(chan bool, 1)
	go func() {
		finished := false
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			switch sc.Text() {
			case "start":
				started <- time.Now()
			case "done":
				finished = true
				finishedAt <- time.Now()
			}
		}
		done <- finished
	}()
	var t0 time.Time
	select {
	case t0 = <-started:
		select {
		case <-time.After(delay):
		case t1 := <-finishedAt:
			<-done
			_ = cmd.Wait()
			return true, t1.Sub(t0)
		}
	case <-time.After(30 * time.Second):
		t0 = time.Now()
	}
	killErr := cmd.Process.Kill()
	finished := <-done
	_ = cmd.Wait()
	if !finished && !killed(cmd.ProcessState, killErr) {
		t.Fatalf("the child failed: %s", stderr.String())
	}
	return finished, time.Since(t0)
}
