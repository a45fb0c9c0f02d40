package pgstore_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"hecha"
	"hecha/pgstore"
)

// setupCounty opens a store for testCounty on a fresh database and
// imports n scenario cases, undistributed.
func setupCounty(tb testing.TB, n int) (string, *clock) {
	tb.Helper()
	dsn := MustMigrated(tb)
	c := &clock{t: Now}
	s := MustOpen(tb, dsn, "", c)
	ctx := context.Background()
	if err := s.SetCounty(ctx, testCounty); err != nil {
		tb.Fatal(err)
	}
	cases := make([]hecha.Case, n)
	for i := range cases {
		cases[i] = scenarioCase(i)
		cases[i].Person.HouseholdDivision = townA
	}
	if _, err := s.ImportCases(ctx, cases); err != nil {
		tb.Fatal(err)
	}
	return dsn, c
}

// notFoundBatch returns an R1 for each of the first n scenario cases, as
// they are in s.
func notFoundBatch(tb testing.TB, s *pgstore.Store, n int) []hecha.Result {
	tb.Helper()
	var batch []hecha.Result
	for i := range n {
		cs, err := s.Case(context.Background(), scenarioCase(i).ID)
		if err != nil {
			tb.Fatal(err)
		}
		batch = append(batch, hecha.Result{ID: hecha.NewResultID(Now), CaseID: cs.ID, Form: hecha.FormR1,
			CaseRev: cs.Rev, SavedAt: Now, NotFound: &hecha.NotFound{Reason: hecha.NotFoundDied}})
	}
	return batch
}

// applyAccepted applies batch from townA and fails unless every result is
// accepted.
func applyAccepted(tb testing.TB, s *pgstore.Store, batch []hecha.Result) {
	tb.Helper()
	outs, err := s.ApplyResults(context.Background(), townA, batch)
	if err != nil {
		tb.Fatal(err)
	}
	for _, o := range outs {
		if o.Status != hecha.ResultAccepted {
			tb.Fatalf("result %s: %s %v", o.ResultID, o.Status, o.Errors)
		}
	}
}

// TestCasesSince_ConcurrentWriters: several store handles (as several
// serve processes would) assign cases to one township, one case per
// transaction, while a reader pages the township's changes. Every case
// changes once, so the reader must see each exactly once, and none may be
// skipped: a change committed after the reader passed its number would
// never come.
func TestCasesSince_ConcurrentWriters(t *testing.T) {
	const writers, perWriter = 4, 40
	dsn, c := setupCounty(t, writers*perWriter)
	ctx := context.Background()
	// Writers linger between taking their numbers and committing, as a
	// loaded server would.
	var mu sync.Mutex
	rnd := rand.New(rand.NewPCG(1, 2))
	pgstore.SetTestHookFlushed(t, func() {
		mu.Lock()
		d := time.Duration(rnd.IntN(3000)) * time.Microsecond
		mu.Unlock()
		time.Sleep(d)
	})

	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		s := MustOpen(t, dsn, testCounty, c)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range perWriter {
				id := scenarioCase(w*perWriter + k).ID
				if err := s.Assign(ctx, []string{id}, townA, "王主任"); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()

	reader := MustOpen(t, dsn, testCounty, c)
	seen := map[string]int{}
	var cursor uint64
	page := func() int {
		cases, next, err := reader.CasesSince(ctx, townA, cursor, 3)
		if err != nil {
			t.Fatal(err)
		}
		if next < cursor {
			t.Fatalf("cursor went back from %d to %d", cursor, next)
		}
		for _, c := range cases {
			seen[c.ID]++
		}
		cursor = next
		return len(cases)
	}
	for running := true; running; {
		select {
		case <-done:
			running = false
		default:
			page()
		}
	}
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for page() == 3 {
	}
	for i := range writers * perWriter {
		id := scenarioCase(i).ID
		if seen[id] != 1 {
			t.Errorf("case %s seen %d times, want once", id, seen[id])
		}
	}
}

// TestApplyResults_SameBatchTwoStores: one batch sent to two store
// handles (two serve processes) at once is applied once: each result is
// accepted by one and a duplicate for the other.
func TestApplyResults_SameBatchTwoStores(t *testing.T) {
	const cases = 30
	dsn, c := setupCounty(t, cases)
	ctx := context.Background()
	a, b := MustOpen(t, dsn, testCounty, c), MustOpen(t, dsn, testCounty, c)
	if _, err := a.AutoAssign(ctx, "王主任"); err != nil {
		t.Fatal(err)
	}
	batch := notFoundBatch(t, a, cases)
	for round := range 3 {
		var wg sync.WaitGroup
		start := make(chan struct{})
		outs := make([][]hecha.Outcome, 2)
		errs := make([]error, 2)
		for i, s := range []*pgstore.Store{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				outs[i], errs[i] = s.ApplyResults(ctx, townA, batch)
			}()
		}
		close(start)
		wg.Wait()
		for i := range errs {
			if errs[i] != nil {
				t.Fatalf("round %d, store %d: %v", round, i, errs[i])
			}
		}
		for k := range batch {
			got := fmt.Sprint(outs[0][k].Status, "/", outs[1][k].Status)
			want := map[string]bool{"accepted/duplicate": round == 0, "duplicate/accepted": round == 0, "duplicate/duplicate": round > 0}
			if !want[got] {
				t.Errorf("round %d, result %d: %s", round, k, got)
			}
		}
	}
	for i := range cases {
		rs, err := a.ResultsOf(ctx, scenarioCase(i).ID)
		if err != nil || len(rs) != 1 {
			t.Errorf("case %d holds %d results (%v), want 1", i, len(rs), err)
		}
	}
	batches, err := b.Batches(ctx)
	if err != nil || len(batches) != 1 || batches[0].Sends != 6 || batches[0].Counts[hecha.ResultAccepted] != cases {
		t.Errorf("batches %+v, %v: want one batch sent 6 times, first all accepted", batches, err)
	}
	// The township pulls each case once, in its latest state.
	all, _, err := b.CasesSince(ctx, townA, 0, 1000)
	if err != nil || len(all) != cases {
		t.Fatalf("pulled %d cases, %v", len(all), err)
	}
}

// TestWrites_LeaveReadsAConnection: write transactions never take the
// whole pool. With a pool of two connections, two writers at once get one
// of them between them (the other waits its turn), and a read finds the
// other while the first writer is still in its transaction.
func TestWrites_LeaveReadsAConnection(t *testing.T) {
	dsn, c := setupCounty(t, 2)
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	s := MustOpen(t, dsn+sep+"pool_max_conns=2", testCounty, c)
	ctx := context.Background()
	entered, release := make(chan struct{}, 2), make(chan struct{})
	pgstore.SetTestHookFlushed(t, func() {
		entered <- struct{}{}
		<-release
	})
	errs := make(chan error, 2)
	for i := range 2 {
		go func() { errs <- s.Assign(ctx, []string{scenarioCase(i).ID}, townA, "王主任") }()
	}
	released := false
	defer func() {
		if !released {
			close(release)
		}
	}()
	<-entered
	select {
	case <-entered:
		t.Fatal("two writers in their transactions at once hold both connections of the pool")
	case <-time.After(300 * time.Millisecond):
	}
	rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, _, err := s.CasesSince(rctx, townA, 0, 10); err != nil {
		t.Fatalf("a read while a writer holds its connection: %v", err)
	}
	close(release)
	released = true
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	cases, _, err := s.CasesSince(ctx, townA, 0, 10)
	if err != nil || len(cases) != 2 {
		t.Fatalf("after both writers: %d cases, %v; want 2", len(cases), err)
	}
}

// TestApplyResults_ConfirmationsInFewRoundTrips: a batch of confirming
// results reads the registry records it needs together and writes them
// together, so that its round trips do not grow with its size (each
// confirmation applied alone cost about five: two lookups and a write of
// three statements, now one). The records are written as one at a time would.
func TestApplyResults_ConfirmationsInFewRoundTrips(t *testing.T) {
	const cases = 60
	dsn, c := setupCounty(t, cases)
	ctx := context.Background()
	s := MustOpen(t, dsn, testCounty, c)
	if _, err := s.AutoAssign(ctx, "王主任"); err != nil {
		t.Fatal(err)
	}
	n := pgstore.CountRoundTrips(t, s)
	push := func(from, to int) int64 {
		t.Helper()
		var batch []hecha.Result
		for i := from; i < to; i++ {
			cs, err := s.Case(ctx, scenarioCase(i).ID)
			if err != nil {
				t.Fatal(err)
			}
			v := hecha.Prefill(cs)
			batch = append(batch, hecha.Result{ID: hecha.NewResultID(Now), CaseID: cs.ID, Form: hecha.FormR4, CaseRev: cs.Rev,
				Clerk: "李四", SavedAt: Now, Verified: &v, SignOff: &hecha.SignOff{Confirmed: true, Name: "赵五"}})
		}
		n.Store(0)
		applyAccepted(t, s, batch)
		return n.Load()
	}
	push(0, 2) // prepares the statements
	// Four: the first reads (with the BEGIN), the records' reads, their
	// writes, and the last writes (with the COMMIT).
	small, big := push(2, 7), push(7, cases)
	if small != 4 || big != 4 {
		t.Errorf("round trips: %d for 5 confirmations, %d for %d", small, big, cases-7)
	}
	for i := range cases {
		p := scenarioCase(i).Person
		recs, err := s.ResidentByCitizenID(p.CitizenID)
		if err != nil || len(recs) != 1 || recs[0].Name != p.Name || recs[0].Outflow == nil {
			t.Fatalf("resident records of case %d: %+v, %v", i, recs, err)
		}
	}
}
