package pgstore_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"hecha"
	"hecha/pgstore"
)

// TestCopyLocks: a copy of a county cannot start while a server serves
// it, or serves the province, and a server cannot start while a copy
// runs; servers share their locks, and a copy of one county leaves the
// servers of another alone. Releasing the locks lets the other side in.
func TestCopyLocks(t *testing.T) {
	dsn := MustMigrated(t)
	c := &clock{t: Now}
	ctx := context.Background()
	a := MustOpen(t, dsn, testCounty, c)
	b := MustOpen(t, dsn, otherCounty, c)
	prov := MustOpen(t, dsn, "", c)

	serveA, _, err := a.HoldServing(ctx)
	if err != nil {
		t.Fatal(err)
	}
	serveA2, _, err := a.HoldServing(ctx)
	if err != nil {
		t.Fatalf("a second server of the county: %v", err)
	}
	if _, err := a.LockForCopy(ctx); hecha.ErrorCode(err) != hecha.ELOCKED {
		t.Errorf("copy of a served county: %v", err)
	}
	serveA()
	if _, err := a.LockForCopy(ctx); hecha.ErrorCode(err) != hecha.ELOCKED {
		t.Errorf("copy of a county one server still serves: %v", err)
	}
	serveA2()
	copyA, err := a.LockForCopy(ctx)
	if err != nil {
		t.Fatalf("copy once the servers stopped: %v", err)
	}
	if _, _, err := a.HoldServing(ctx); hecha.ErrorCode(err) != hecha.ELOCKED {
		t.Errorf("server of a county being copied: %v", err)
	}
	if _, _, err := prov.HoldServing(ctx); hecha.ErrorCode(err) != hecha.ELOCKED {
		t.Errorf("server of the province while a county is copied: %v", err)
	}
	serveB, _, err := b.HoldServing(ctx)
	if err != nil {
		t.Errorf("server of another county while one is copied: %v", err)
	} else {
		serveB()
	}
	copyA()

	serveAll, _, err := prov.HoldServing(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.LockForCopy(ctx); hecha.ErrorCode(err) != hecha.ELOCKED {
		t.Errorf("copy while the province is served: %v", err)
	}
	serveAll()
	copyB, err := b.LockForCopy(ctx)
	if err != nil {
		t.Fatalf("copy once the province's server stopped: %v", err)
	}
	copyB()
	if _, err := prov.LockForCopy(ctx); hecha.ErrorCode(err) != hecha.EINVALID {
		t.Errorf("copy of no county: %v", err)
	}
}

// servingBackends returns the process ids of the sessions holding the
// serving lock of county key (an advisory lock of lockSpace, shared).
func servingBackends(t *testing.T, dsn string, key int) []int32 {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	rows, err := conn.Query(context.Background(), `SELECT pid FROM pg_locks
		WHERE locktype = 'advisory' AND classid = $1 AND objid = $2 AND mode = 'ShareLock' AND granted
			AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
		ORDER BY pid`, int64(0x68656368), key)
	if err != nil {
		t.Fatal(err)
	}
	pids, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	if err != nil {
		t.Fatal(err)
	}
	return pids
}

// terminate ends the sessions pids, as a database restart or a cut
// network would.
func terminate(t *testing.T, dsn string, pids []int32) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), `SELECT pg_terminate_backend(p) FROM unnest($1::int[]) AS u(p)`, pids); err != nil {
		t.Fatal(err)
	}
}

// holdServing opens a store of testCounty on a new database and holds
// its serving lock, checked every check; the lock is given back before
// the store closes (which waits for the lock's connection).
func holdServing(t *testing.T, check time.Duration) (dsn string, s *pgstore.Store, release func(), lost <-chan error) {
	t.Helper()
	pgstore.SetServingCheck(t, check)
	dsn = MustMigrated(t)
	s = MustOpen(t, dsn, testCounty, &clock{t: Now})
	release, lost, err := s.HoldServing(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(release)
	return dsn, s, release, lost
}

// TestHoldServing_TakesTheLockAgain: when the connection that holds a
// server's lock is lost, the server takes the lock again on a new one,
// and a copy started afterwards is still refused.
func TestHoldServing_TakesTheLockAgain(t *testing.T) {
	dsn, a, release, lost := holdServing(t, 20*time.Millisecond)
	ctx := context.Background()
	key, _ := strconv.Atoi(string(testCounty))
	before := servingBackends(t, dsn, key)
	if len(before) != 1 {
		t.Fatalf("sessions holding the lock: %v", before)
	}
	terminate(t, dsn, before)
	var after []int32
	for range 500 {
		if after = servingBackends(t, dsn, key); len(after) == 1 && after[0] != before[0] {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if len(after) != 1 || after[0] == before[0] {
		t.Fatalf("the lock was not taken again: held by %v (before %v)", after, before)
	}
	if _, err := a.LockForCopy(ctx); hecha.ErrorCode(err) != hecha.ELOCKED {
		t.Errorf("copy once the server took its lock again: %v", err)
	}
	select {
	case err := <-lost:
		t.Errorf("lost: %v", err)
	default:
	}
	release()
	if got := servingBackends(t, dsn, key); len(got) != 0 {
		t.Errorf("after release the lock is held by %v", got)
	}
}

// TestHoldServing_LostToACopy: a copy that takes the county's lock while
// the server's connection is gone makes the server stop: lost says so,
// naming the copy, and release gives back nothing the copy holds.
func TestHoldServing_LostToACopy(t *testing.T) {
	dsn, a, release, lost := holdServing(t, time.Second)
	ctx := context.Background()
	key, _ := strconv.Atoi(string(testCounty))
	terminate(t, dsn, servingBackends(t, dsn, key))
	var copyRelease func()
	var err error
	for range 100 { // until the server's session has gone
		if copyRelease, err = a.LockForCopy(ctx); err == nil {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("copy after the server's session ended: %v", err)
	}
	defer copyRelease()
	select {
	case err := <-lost:
		if hecha.ErrorCode(err) != hecha.ELOCKED || !strings.Contains(hecha.ErrorMessage(err, hecha.English), "copy") {
			t.Errorf("lost: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the server was not told it lost its lock")
	}
	release()
	if _, _, err := a.HoldServing(ctx); hecha.ErrorCode(err) != hecha.ELOCKED {
		t.Errorf("a server while the copy runs: %v", err)
	}
}

// TestApplyResults_RefusedWhileCopied: while a copy of the county holds
// its lock, no result is applied, whether or not a server holds its own
// lock (a server whose connection was lost has not), and the refusal says
// a copy runs; once the copy is done the same batch goes in.
func TestApplyResults_RefusedWhileCopied(t *testing.T) {
	const cases = 3
	dsn, c := setupCounty(t, cases)
	ctx := context.Background()
	a := MustOpen(t, dsn, testCounty, c)
	if _, err := a.AutoAssign(ctx, "王主任"); err != nil {
		t.Fatal(err)
	}
	batch := notFoundBatch(t, a, cases)
	release, err := a.LockForCopy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, err = a.ApplyResults(ctx, townA, batch)
	if hecha.ErrorCode(err) != hecha.ELOCKED || !strings.Contains(hecha.ErrorMessage(err, hecha.English), "being copied") {
		t.Errorf("a batch while the county is copied: %v", err)
	}
	ids := make([]string, len(batch))
	for i, r := range batch {
		ids[i] = r.ID
	}
	if missing, err := a.HasResults(ctx, townA, ids); err != nil || len(missing) != len(ids) {
		t.Errorf("results held after the refusal: missing %v of %v (%v)", missing, ids, err)
	}
	release()
	applyAccepted(t, a, batch) // after the copy
}
