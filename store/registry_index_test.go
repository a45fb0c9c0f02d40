package store_test

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"hecha"
	"hecha/store"
)

// indexPages returns the pages of a registry pull of n floating and n
// resident records, page records of each per page; the last page
// replaces floating record 1 and resident record 2 with another name.
func indexPages(n, page int) [][2]any {
	var pages [][2]any
	for start := 0; start < n; start += page {
		var fl []hecha.FloatingRecord
		var rs []hecha.ResidentRecord
		for i := start; i < min(start+page, n); i++ {
			fl = append(fl, Floating(i))
			rs = append(rs, Resident(i))
		}
		pages = append(pages, [2]any{fl, rs})
	}
	f, r := renamed(Floating(1)), renamed(Resident(2))
	return append(pages, [2]any{[]hecha.FloatingRecord{f.(hecha.FloatingRecord)}, []hecha.ResidentRecord{r.(hecha.ResidentRecord)}})
}

// renamed gives a record another name (its citizen id stays).
func renamed(rec any) any {
	switch r := rec.(type) {
	case hecha.FloatingRecord:
		r.Name = "欧阳" + r.Name
		return r
	case hecha.ResidentRecord:
		r.Name = "欧阳" + r.Name
		return r
	}
	return nil
}

// applyPages stores the pages, the i-th with cursor i+1.
func applyPages(tb testing.TB, db *store.TownshipDB, pages [][2]any) {
	tb.Helper()
	for i, p := range pages {
		err := db.ApplyRegistry(context.Background(), p[0].([]hecha.FloatingRecord), p[1].([]hecha.ResidentRecord), uint64(i+1))
		if err != nil {
			tb.Fatal(err)
		}
	}
}

// lookups returns what every lookup of the records 0..n-1 (and of the old
// names of the renamed ones) finds, one line per lookup.
func lookups(tb testing.TB, db *store.TownshipDB, n int) string {
	tb.Helper()
	var s strings.Builder
	people := make([]hecha.Person, 0, n+2)
	for i := 0; i < n; i++ {
		people = append(people, Person(i))
	}
	for i := 0; i < 3; i++ {
		p := Person(i)
		p.Name = "欧阳" + p.Name
		people = append(people, p)
	}
	for _, p := range people {
		fl, err := db.FloatingByCitizenID(p.CitizenID)
		if err != nil {
			tb.Fatal(err)
		}
		rs, err := db.ResidentByCitizenID(p.CitizenID)
		if err != nil {
			tb.Fatal(err)
		}
		fmt.Fprintf(&s, "%s: %v %v", p.CitizenID, floatingIDs(fl), residentIDs(rs))
		for _, prec := range []hecha.Precision{hecha.PrecisionDay, hecha.PrecisionMonth, hecha.PrecisionYear} {
			fl, err := db.FloatingByNameSexBirth(p.Name, p.Sex, p.BirthDate, prec)
			if err != nil {
				tb.Fatal(err)
			}
			rs, err := db.ResidentByNameSexBirth(p.Name, p.Sex, p.BirthDate, prec)
			if err != nil {
				tb.Fatal(err)
			}
			fmt.Fprintf(&s, " | %s %v %v", p.Name, floatingIDs(fl), residentIDs(rs))
		}
		s.WriteString("\n")
	}
	return s.String()
}

// indexKeyCounts returns the number of keys in each registry index of the
// closed database at path, and notes the index build's runs if any are
// left.
func indexKeyCounts(tb testing.TB, path string) map[string]int {
	tb.Helper()
	b, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true, Timeout: 5 * time.Second})
	if err != nil {
		tb.Fatal(err)
	}
	defer b.Close()
	out := map[string]int{}
	err = b.View(func(tx *bbolt.Tx) error {
		for _, name := range []string{"idx_floating_cid", "idx_floating_name", "idx_resident_cid", "idx_resident_name"} {
			out[name] = tx.Bucket([]byte(name)).Stats().KeyN
		}
		if tx.Bucket([]byte("registry_index_build")) != nil {
			out["runs left behind"] = 1
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// TestRegistryIndexDeferred pulls a registry with its indexes deferred,
// plain and encrypted: every lookup finds while the indexes are pending
// what it finds once they are built, and what it finds on a township that
// wrote its indexes page by page; the built indexes hold as many entries
// as those, none for a replaced record's old name. A township that holds
// records already does not defer.
func TestRegistryIndexDeferred(t *testing.T) {
	const n, page = 120, 25
	ctx := context.Background()
	for _, c := range []struct {
		encrypted   bool
		run, commit int // the build's runs and merge transactions; 0: as shipped
	}{{false, 0, 0}, {true, 0, 0}, {false, 32, 25}, {true, 50, 1000}, {false, 40, 7}} {
		encrypted := c.encrypted
		t.Run(fmt.Sprintf("encrypted=%v,run=%d,commit=%d", c.encrypted, c.run, c.commit), func(t *testing.T) {
			if c.run > 0 {
				defer store.SetIndexBuild(c.run, c.commit)()
			}
			open := func(name string) (*store.TownshipDB, string) {
				path := filepath.Join(t.TempDir(), name)
				db := MustOpenDBAt(t, path, store.WithRules(Rules(t)))
				if encrypted {
					k, _ := MustNewKeys(t)
					if err := db.Encrypt(ctx, k); err != nil {
						t.Fatal(err)
					}
				}
				return db, path
			}
			pages := indexPages(n, page)

			eager, eagerPath := open("eager.db")
			applyPages(t, eager, pages)
			want := lookups(t, eager, n)
			MustCloseDB(t, eager)

			db, path := open("deferred.db")
			deferred, err := db.DeferRegistryIndexes(ctx)
			if err != nil || !deferred {
				t.Fatalf("DeferRegistryIndexes on an empty registry = %v, %v; want true", deferred, err)
			}
			applyPages(t, db, pages)
			if pending, err := db.RegistryIndexPending(ctx); err != nil || !pending {
				t.Fatalf("RegistryIndexPending after the pull = %v, %v; want true", pending, err)
			}
			if got := lookups(t, db, n); got != want {
				t.Errorf("lookups while the indexes are pending differ:\n%s\nwant:\n%s", got, want)
			}
			if err := db.BuildRegistryIndexes(ctx); err != nil {
				t.Fatal(err)
			}
			if pending, err := db.RegistryIndexPending(ctx); err != nil || pending {
				t.Fatalf("RegistryIndexPending after the build = %v, %v; want false", pending, err)
			}
			if got := lookups(t, db, n); got != want {
				t.Errorf("lookups on the built indexes differ:\n%s\nwant:\n%s", got, want)
			}
			if !strings.Contains(want, "欧阳") || !strings.Contains(want, "[F00000001]") {
				t.Fatalf("the lookups found nothing to compare:\n%s", want)
			}
			if deferred, err := db.DeferRegistryIndexes(ctx); err != nil || deferred {
				t.Errorf("DeferRegistryIndexes with records stored = %v, %v; want false", deferred, err)
			}
			MustCloseDB(t, db)
			if got, w := indexKeyCounts(t, path), indexKeyCounts(t, eagerPath); fmt.Sprint(got) != fmt.Sprint(w) {
				t.Errorf("built index entries %v, want %v", got, w)
			}
		})
	}
}

// The index crash test kills a process that pulls a registry with its
// indexes deferred and then builds them, at random moments, and checks
// that the file it leaves is a registry whose lookups are right (pending
// or built) and that the next pull finishes it.
//
//	go test -run TestRegistryIndexCrash ./store/
//	HECHA_CRASH_TRIALS=100 go test -run TestRegistryIndexCrash ./store/

const (
	indexCrashRecords = 3000
	indexCrashPage    = 250
)

// TestRegistryIndexCrashChild is the child of TestRegistryIndexCrash: it
// goes on with the pull from the stored cursor, with durable commits,
// prints each cursor it stored, builds the indexes, prints "built" and
// waits to be killed.
func TestRegistryIndexCrashChild(t *testing.T) {
	path := os.Getenv("HECHA_INDEX_CRASH_CHILD")
	if path == "" {
		t.Skip("only run as TestRegistryIndexCrash's child process")
	}
	// Runs and merge transactions small enough that kills land in them.
	defer store.SetIndexBuild(1000, 1500)()
	db, err := store.OpenTownship(path, store.WithRules(Rules(t)), store.WithTimeout(5*time.Second), store.WithNow(Clock))
	if err != nil {
		fmt.Fprintln(os.Stderr, "child open:", err)
		os.Exit(2)
	}
	if err := pullRest(db, func(line string) { fmt.Println(line) }); err != nil {
		fmt.Fprintln(os.Stderr, "child pull:", err)
		os.Exit(3)
	}
	time.Sleep(30 * time.Second) // the parent kills it
	os.Exit(0)
}

// pullRest does what a sync round does with the registry: defer the
// indexes (when the registry is empty), store the pages after the stored
// cursor, build the indexes. note is told each cursor stored and "built".
func pullRest(db *store.TownshipDB, note func(string)) error {
	ctx := context.Background()
	if _, err := db.DeferRegistryIndexes(ctx); err != nil {
		return err
	}
	st, err := db.Settings(ctx)
	if err != nil {
		return err
	}
	pages := indexPages(indexCrashRecords, indexCrashPage)
	for i := int(st.RegistryCursor); i < len(pages); i++ {
		p := pages[i]
		if err := db.ApplyRegistry(ctx, p[0].([]hecha.FloatingRecord), p[1].([]hecha.ResidentRecord), uint64(i+1)); err != nil {
			return err
		}
		note(strconv.Itoa(i + 1))
	}
	note("building")
	if err := db.BuildRegistryIndexes(ctx); err != nil {
		return err
	}
	note("built")
	return nil
}

func TestRegistryIndexCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("the crash test runs child processes; skipped with -short")
	}
	if os.Getenv("HECHA_INDEX_CRASH_CHILD") != "" {
		t.Skip("in the child")
	}
	trials := envInt("HECHA_CRASH_TRIALS", 10)
	rnd := rand.New(rand.NewPCG(uint64(envInt("HECHA_CRASH_SEED", 1)), 17))
	ctx := context.Background()

	// The answer: the registry pulled whole, indexes written page by page.
	eagerPath := filepath.Join(t.TempDir(), "eager.db")
	eager := MustOpenDBAt(t, eagerPath, store.WithRules(Rules(t)))
	applyPages(t, eager, indexPages(indexCrashRecords, indexCrashPage))
	const sample = 15
	want := lookups(t, eager, sample)
	MustCloseDB(t, eager)
	wantCounts := indexKeyCounts(t, eagerPath)

	states := map[string]int{}
	for trial := 0; trial < trials; trial++ {
		path := filepath.Join(t.TempDir(), "crash.db")
		MustCloseDB(t, MustOpenDBAt(t, path, store.WithRules(Rules(t))))
		// Kill the child once or twice on the same file, at a random
		// moment from its first stored page to a little after its build.
		var last string
		for kill := 0; kill < 1+trial%2 && last != "built"; kill++ {
			last = runAndKillIndex(t, path, time.Duration(rnd.IntN(150))*time.Millisecond)
		}
		checkBolt(t, path, trial)

		db := MustOpenDBAt(t, path, store.WithRules(Rules(t)))
		pending, err := db.RegistryIndexPending(ctx)
		if err != nil {
			t.Fatal(err)
		}
		st, err := db.Settings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := strconv.Atoi(last); err == nil {
			last = "pulling"
		}
		states[fmt.Sprintf("killed %s, pending=%v", last, pending)]++
		if !pending && st.RegistryCursor != uint64(len(indexPages(indexCrashRecords, indexCrashPage))) {
			t.Fatalf("trial %d: indexes built at cursor %d, before the pull ended", trial, st.RegistryCursor)
		}
		if st.RegistryCursor == uint64(len(indexPages(indexCrashRecords, indexCrashPage))) {
			// Pulled whole: every lookup answers as the answer's, pending
			// or built.
			if got := lookups(t, db, sample); got != want {
				t.Fatalf("trial %d (pending %v): lookups after the kill differ:\n%s\nwant:\n%s", trial, pending, got, want)
			}
		}
		// The next round goes on and finishes (with the build's runs as
		// shipped: one for this registry).
		if err := pullRest(db, func(string) {}); err != nil {
			t.Fatalf("trial %d: the next pull: %v", trial, err)
		}
		if got := lookups(t, db, sample); got != want {
			t.Fatalf("trial %d: lookups after the next pull differ:\n%s\nwant:\n%s", trial, got, want)
		}
		MustCloseDB(t, db)
		if got := indexKeyCounts(t, path); fmt.Sprint(got) != fmt.Sprint(wantCounts) {
			t.Fatalf("trial %d: index entries %v, want %v", trial, got, wantCounts)
		}
	}
	t.Logf("%d trials; after the kills: %v", trials, states)
}

// runAndKillIndex starts the index crash child on path, SIGKILLs it delay
// after it printed its first line, and returns the last line it printed.
func runAndKillIndex(t *testing.T, path string, delay time.Duration) string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestRegistryIndexCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "HECHA_INDEX_CRASH_CHILD="+path)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var last string
	done, first := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			if _, err := strconv.Atoi(line); err != nil && line != "building" && line != "built" {
				continue
			}
			if last == "" {
				close(first)
			}
			last = line
		}
	}()
	select {
	case <-first:
		time.Sleep(delay)
	case <-done:
	}
	killErr := cmd.Process.Kill()
	<-done
	err = cmd.Wait()
	if !killed(cmd.ProcessState, killErr) {
		t.Fatalf("the child ended by itself (%v): %s", err, stderr.String())
	}
	return last
}
