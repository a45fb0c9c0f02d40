package main

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"hecha"
	"hecha/cmd/internal/cli"
	"hecha/internal/countytest"
	"hecha/internal/testenv"
)

// otherBackend returns the backend the county suites do not run against
// (PostgreSQL when bbolt is selected, bbolt otherwise).
func otherBackend(t *testing.T) countytest.Backend {
	t.Helper()
	sel := countytest.Selected(t)
	for _, b := range countytest.Backends {
		if b.Name != sel.Name {
			return b
		}
	}
	t.Fatal("only one county backend")
	return sel
}

// copyCountyState is reportCounty with more to copy: a second township's
// token revoked, and C001 (with a result in force) taken to another
// township, which records a conflict notice.
func copyCountyState(t *testing.T) string {
	t.Helper()
	db := reportCounty(t)
	wantCode(t, run(t, db, "token", "create", "--township", "410102001"), 0)
	wantCode(t, run(t, db, "token", "create", "--township", "410102002"), 0)
	withDB(t, db, countytest.Options{StoredDivisions: true}, func(s hecha.CountyStore) {
		toks, err := s.Tokens(context.Background())
		if err != nil || len(toks) != 2 {
			t.Fatalf("tokens %v, %v", toks, err)
		}
		if err := s.RevokeToken(context.Background(), toks[1].ID); err != nil {
			t.Fatal(err)
		}
		// A result a device sent: its change is recorded as the device's.
		c3, err := s.Case(context.Background(), "C003")
		if err != nil {
			t.Fatal(err)
		}
		r := hecha.Result{ID: hecha.NewResultID(testNow), CaseID: "C003", Form: hecha.FormR1, CaseRev: c3.Rev,
			Township: "410102001", Clerk: "王芳", SavedAt: testNow, NotFound: &hecha.NotFound{Reason: hecha.NotFoundDied}}
		outs, err := s.ApplyResultsFrom(context.Background(), "410102001", "device-1", []hecha.Result{r})
		if err != nil || outs[0].Status != hecha.ResultAccepted {
			t.Fatalf("device result: %+v, %v", outs, err)
		}
	})
	wantCode(t, run(t, db, "assign", "--to", "410102002", "C001"), 0)
	return db
}

// views returns what the county's reports and exports say of the store at
// loc, opened through the given backend's location.
func views(t *testing.T, loc string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, name := range []string{"progress", "mismatch", "notfound"} {
		r := run(t, loc, "report", name)
		wantCode(t, r, 0)
		out[name] = r.stdout
	}
	file := filepath.Join(t.TempDir(), "results.csv")
	wantCode(t, run(t, loc, "export", "results", "-o", file), 0)
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	out["results"] = string(data)
	r := run(t, loc, "token", "list", "--all")
	wantCode(t, r, 0)
	out["tokens"] = r.stdout
	return out
}

// pullAll pages through the township's case changes of the store at loc
// (opened by b) and returns the case ids with their numbers, and the
// final cursor.
func pullAll(t *testing.T, b countytest.Backend, loc string, township hecha.Code) ([]string, uint64) {
	t.Helper()
	s, err := b.Open(loc, countytest.Options{Now: testClock, StoredDivisions: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var ids []string
	var cursor uint64
	for {
		cases, next, err := s.CasesSince(context.Background(), township, cursor, 2)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			ids = append(ids, c.ID+"@"+string(c.Unit))
		}
		if len(cases) < 2 {
			return ids, next
		}
		cursor = next
	}
}

// TestCopyRoundTrip moves a county from the selected backend to the other
// one and back: every report, export and token listing reads the same on
// all three, the townships' change sequences have the same entries at the
// same numbers, a second copy changes nothing, and a copy cut off midway
// completes when run again.
func TestCopyRoundTrip(t *testing.T) {
	copyRoundTrip(t, countytest.Selected(t), otherBackend(t))
}

// TestCopySameBackend is TestCopyRoundTrip within the selected backend
// (bbolt file to bbolt file by default), which needs no server.
func TestCopySameBackend(t *testing.T) {
	sel := countytest.Selected(t)
	copyRoundTrip(t, sel, sel)
}

// copyRoundTrip copies a county from sel to other and back to sel.
func copyRoundTrip(t *testing.T, sel, other countytest.Backend) {
	t.Helper()
	src := copyCountyState(t)
	mid := other.New(t)
	back := sel.New(t)

	r := run(t, src, "copy", "--from", src, "--to", mid)
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "counts and checksums agree") || strings.Contains(r.stdout, "DIFFERS") {
		t.Fatalf("copy:\n%s\n%s", r.stdout, r.stderr)
	}
	for _, kind := range []string{"cases (with results)", "tokens", "conflict notices", "batch log", "case changes"} {
		if l := line(r.stdout, kind); l == "" || strings.HasSuffix(l, " 0 0 same") {
			t.Errorf("copy table: %q row is %q, want items\n%s", kind, l, r.stdout)
		}
	}
	r = run(t, src, "copy", "--from", src, "--to", mid)
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "nothing was changed") {
		t.Errorf("second copy:\n%s", r.stdout)
	}
	r = run(t, src, "copy", "--from", mid, "--to", back)
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "counts and checksums agree") {
		t.Fatalf("copy back:\n%s\n%s", r.stdout, r.stderr)
	}
	// The file copied back holds exactly what the first held.
	r = run(t, src, "copy", "--from", src, "--to", back)
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "nothing was changed") {
		t.Errorf("the copy back differs from the source:\n%s", r.stdout)
	}

	want := views(t, src)
	for _, loc := range []string{mid, back} {
		got := views(t, loc)
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s on %s:\n%s\nwant (source):\n%s", k, loc, got[k], v)
			}
		}
	}
	for _, town := range []hecha.Code{"410102001", "410102002"} {
		ids, next := pullAll(t, sel, src, town)
		for _, at := range []struct {
			b   countytest.Backend
			loc string
		}{{other, mid}, {sel, back}} {
			gotIDs, gotNext := pullAll(t, at.b, at.loc, town)
			if !slices.Equal(gotIDs, ids) || gotNext != next {
				t.Errorf("%s pulls %v up to %d from %s, want %v up to %d", town, gotIDs, gotNext, at.loc, ids, next)
			}
		}
	}
}

// TestCopyInterrupted: a destination that holds part of the items (a copy
// cut off) is completed by running copy again.
func TestCopyInterrupted(t *testing.T) {
	sel, other := countytest.Selected(t), otherBackend(t)
	src := copyCountyState(t)
	dst := other.New(t)

	s, err := sel.Open(src, countytest.Options{Now: testClock, StoredDivisions: true})
	if err != nil {
		t.Fatal(err)
	}
	var items []*hecha.CopyItem
	err = s.(hecha.CountyCopier).Export(context.Background(), func(it *hecha.CopyItem) error {
		items = append(items, it)
		return nil
	})
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	d, err := other.Open(dst, countytest.Options{Now: testClock})
	if err != nil {
		t.Fatal(err)
	}
	err = d.(hecha.CountyCopier).Import(context.Background(), items[:len(items)/2])
	d.Close()
	if err != nil {
		t.Fatal(err)
	}

	r := run(t, src, "copy", "--from", src, "--to", dst)
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "counts and checksums agree") {
		t.Fatalf("copy after an interrupted one:\n%s\n%s", r.stdout, r.stderr)
	}
	if a, b := views(t, src), views(t, dst); a["progress"] != b["progress"] || a["results"] != b["results"] {
		t.Errorf("reports differ after the completed copy")
	}
}

// TestCopyRefusesOtherCounty: a bbolt file serving another county takes
// nothing, and says which county it serves.
func TestCopyRefusesOtherCounty(t *testing.T) {
	countytest.Only(t, "bbolt", "a bbolt file holds one county; a PostgreSQL database takes many (TestProvince)")
	src := copyCountyState(t)
	f := newFixture(t)
	dst := countytest.New(t)
	wantCode(t, run(t, dst, "import", "regions", f.write(t, "r.csv", regionsCSV+"410103,二七区,410100,county\n410103001,淮河路街道,410103,township\n"), "--county", "410103"), 0)
	r := run(t, src, "copy", "--from", src, "--to", dst)
	if r.code == 0 || !strings.Contains(r.stderr, "410103") {
		t.Errorf("copy into another county's database: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// reimport imports again, into the store at loc (opened by b), the cases
// it holds, with the one named by changed given another inflow address,
// and returns the import's counts.
func reimport(t *testing.T, b countytest.Backend, loc, changed string) hecha.ImportStats {
	t.Helper()
	s, err := b.Open(loc, countytest.Options{Now: testClock, StoredDivisions: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	cases, err := s.Cases(ctx, hecha.CaseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range cases {
		if cases[i].ID == changed {
			cases[i].InflowAddress += "东"
		}
	}
	stats, err := s.ImportCases(ctx, cases)
	if err != nil {
		t.Fatal(err)
	}
	return stats
}

// TestCopyThenImport: a county copied either way keeps the hash of each
// case's content as last imported in a form the destination compares, so
// the next import of the same cases changes nothing and one of a changed
// case updates exactly that one.
func TestCopyThenImport(t *testing.T) {
	sel, other := countytest.Selected(t), otherBackend(t)
	src := copyCountyState(t)
	mid, back, mid2, back2 := other.New(t), sel.New(t), other.New(t), sel.New(t)
	wantCode(t, run(t, src, "copy", "--from", src, "--to", mid), 0)
	wantCode(t, run(t, src, "copy", "--from", mid, "--to", back), 0)
	// The first import after the copy is the one that compares with the
	// copied hashes: on one copy the same cases, on another a changed one.
	wantCode(t, run(t, src, "copy", "--from", src, "--to", mid2), 0)
	wantCode(t, run(t, src, "copy", "--from", mid, "--to", back2), 0)
	for _, at := range []struct {
		b         countytest.Backend
		loc, loc2 string
	}{{other, mid, mid2}, {sel, back, back2}} {
		if got := reimport(t, at.b, at.loc, ""); got.Added != 0 || got.Changed != 0 || got.Unchanged == 0 {
			t.Errorf("%s: the same cases again: %+v, want all unchanged", at.b.Name, got)
		}
		got := reimport(t, at.b, at.loc2, "P001")
		if got.Added != 0 || got.Changed != 1 || got.Unchanged == 0 {
			t.Errorf("%s: one changed case: %+v, want exactly one changed", at.b.Name, got)
		}
		if got := reimport(t, at.b, at.loc2, ""); got.Changed != 0 {
			t.Errorf("%s: the same cases after the change: %+v, want all unchanged", at.b.Name, got)
		}
	}
}

// auditRows returns the rows of "audit list --format csv" on loc: every
// field of every entry, its hash included.
func auditRows(t *testing.T, loc string, args ...string) []string {
	t.Helper()
	r := run(t, loc, append([]string{"audit", "list", "--format", "csv"}, args...)...)
	wantCode(t, r, 0)
	return strings.Split(strings.TrimSpace(strings.ReplaceAll(r.stdout, "\r\n", "\n")), "\n")[1:]
}

// TestCopyAudit: the audit trail is copied entry by entry with its hashes,
// both ways: "audit verify" passes on the destination, whose trail is the
// source's followed by the copy's own entry, and goes on from there. A copy
// run again changes nothing; once the source's trail went on apart from the
// destination's, the copy refuses, and records that in the source's.
func TestCopyAudit(t *testing.T) {
	sel, other := countytest.Selected(t), otherBackend(t)
	src := copyCountyState(t)
	mid, back := other.New(t), sel.New(t)
	srcRows := auditRows(t, src)
	if len(srcRows) < 5 {
		t.Fatalf("the source's trail has %d entries", len(srcRows))
	}
	wantCode(t, run(t, src, "copy", "--from", src, "--to", mid), 0)
	wantCode(t, run(t, src, "copy", "--from", mid, "--to", back), 0)
	if got := auditRows(t, src); !slices.Equal(got, srcRows) {
		t.Errorf("a copy changed the source's trail:\n%s", strings.Join(got, "\n"))
	}
	prev := srcRows
	for _, loc := range []string{mid, back} {
		rows := auditRows(t, loc)
		if len(rows) != len(prev)+1 || !slices.Equal(rows[:len(prev)], prev) {
			t.Fatalf("%s's trail:\n%s\nwant the source's:\n%s\nand the copy", loc, strings.Join(rows, "\n"), strings.Join(prev, "\n"))
		}
		if last := rows[len(rows)-1]; !strings.Contains(last, ",copy,'--from=") || !strings.HasSuffix(last[:len(last)-65], ",ok") {
			t.Errorf("the copy's entry: %s", last)
		}
		r := run(t, loc, "audit", "verify")
		wantCode(t, r, 0)
		if !strings.Contains(r.stdout, "intact") {
			t.Errorf("audit verify on %s: %s", loc, r.stdout)
		}
		prev = rows
	}
	// The destination's trail goes on after the copied entries.
	wantCode(t, run(t, mid, "report", "progress"), 0)
	r := run(t, mid, "audit", "verify")
	wantCode(t, r, 0)
	if want := len(srcRows) + 2; !strings.Contains(r.stdout, strconv.Itoa(want)+" entries") {
		t.Errorf("audit verify after a command on the destination: %s, want %d entries", r.stdout, want)
	}
	r = run(t, src, "copy", "--from", src, "--to", mid)
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "nothing was changed") {
		t.Errorf("copy again:\n%s\n%s", r.stdout, r.stderr)
	}
	// The source goes on too: the two trails fork.
	wantCode(t, run(t, src, "report", "progress"), 0)
	r = run(t, src, "copy", "--from", src, "--to", mid)
	fork := strconv.Itoa(len(srcRows) + 1)
	if r.code == 0 || !strings.Contains(r.stderr, "differs from the source's from entry "+fork) {
		t.Errorf("copy onto a forked trail: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	rows := auditRows(t, src)
	if last := rows[len(rows)-1]; !strings.Contains(last, ",copy,") || !strings.Contains(last, ",conflict,") {
		t.Errorf("the refused copy in the source's trail: %s", last)
	}
	wantCode(t, run(t, mid, "audit", "verify"), 0)
}

// serveListening starts "serve" on db in this process (plain HTTP; on
// PostgreSQL too, unlike startServe, which waits for the admin file),
// waits until it listens, and returns its exit status to come, its standard error and
// the function that stops it.
func serveListening(t *testing.T, db string) (done <-chan int, errb *syncBuffer, cancel func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	errb = new(syncBuffer)
	m := newTestMain(db, &out, errb)
	exit := make(chan int, 1)
	go func() {
		exit <- cli.Execute(ctx, m, []string{"serve", "--addr", "127.0.0.1:0", "--insecure-http", "--quiet"})
	}()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if strings.Contains(errb.String(), "serving on ") {
			return exit, errb, cancel
		}
	}
	cancel()
	t.Fatalf("serve did not start:\n%s", errb.String())
	return nil, nil, nil
}

// startServeStop starts "serve" on db in this process and returns the
// function that stops it (and checks that it exited 0).
func startServeStop(t *testing.T, db string) (stop func()) {
	t.Helper()
	done, errb, cancel := serveListening(t, db)
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if code := <-done; code != 0 {
				t.Errorf("serve exited %d:\n%s", code, errb.String())
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// TestCopyWhileServed: a county on PostgreSQL that a server serves is
// neither copied out nor copied into, with a message saying to stop the
// server; once it stopped, the copy goes through.
func TestCopyWhileServed(t *testing.T) {
	sel, pg := countytest.Selected(t), postgresBackend(t)
	src := copyCountyState(t)
	db := src
	if sel.Name != pg.Name {
		db = pg.New(t)
		wantCode(t, run(t, src, "copy", "--from", src, "--to", db), 0)
	}
	stop := startServeStop(t, db)
	out := otherBackend(t).New(t)
	if sel.Name != pg.Name {
		out = sel.New(t)
	}
	r := run(t, db, "copy", "--from", db, "--to", out)
	if r.code == 0 || !strings.Contains(r.stderr, "is in use by a sync server") || !strings.Contains(r.stderr, "stop the county's server") {
		t.Errorf("copy from a served county: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if sel.Name != pg.Name {
		r = run(t, src, "copy", "--from", src, "--to", db)
		if r.code == 0 || !strings.Contains(r.stderr, "is in use by a sync server") {
			t.Errorf("copy into a served county: exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
	}
	stop()
	r = run(t, db, "copy", "--from", db, "--to", out)
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "counts and checksums agree") {
		t.Errorf("copy once the server stopped:\n%s\n%s", r.stdout, r.stderr)
	}
}

// TestCopyIntoUsedTrail: a destination that holds none of the county's
// data but has a trail of the county's own (a command run on it for that
// county) takes nothing: the copy would have to rewrite its trail.
func TestCopyIntoUsedTrail(t *testing.T) {
	sel := countytest.Selected(t)
	src := copyCountyState(t)
	dst := sel.New(t)
	wantCode(t, run(t, dst, "token", "list", "--county", "410102"), 0)
	if rows := auditRows(t, dst, "--county", "410102"); len(rows) != 1 {
		t.Fatalf("the destination's trail: %q", rows)
	}
	r := run(t, src, "copy", "--from", src, "--to", dst)
	if r.code == 0 || !strings.Contains(r.stderr, "differs from the source's from entry 1") {
		t.Errorf("copy into a database with a trail of its own: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if c := line(r.stdout, "cases (with results)"); !strings.Contains(c, " 0 ") {
		t.Errorf("cases copied before the refusal: %q\n%s\n%s", c, r.stdout, r.stderr)
	}
}

// TestCopyToUnmigrated: a PostgreSQL destination without hecha's tables is
// refused with the message naming migrate, and the refusal is recorded in
// the source's trail.
func TestCopyToUnmigrated(t *testing.T) {
	src := copyCountyState(t)
	dst := testenv.Postgres(t)
	before := auditRows(t, src)
	r := run(t, src, "copy", "--from", src, "--to", dst)
	if r.code == 0 || !strings.Contains(r.stderr, "hecha-county migrate") {
		t.Errorf("copy into an unmigrated database: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if rows := auditRows(t, src); len(rows) != len(before)+1 || !strings.Contains(rows[len(rows)-1], ",copy,") {
		t.Errorf("the refused copy in the source's trail: %q", rows[len(before):])
	}
}

// TestServeStopsWhenACopyTakesItsLock: a server on PostgreSQL whose
// database connections are all cut (what a restart of the database does)
// takes its serving lock again when the database answers; if a copy of
// its county began in between, the server stops and says why, rather than
// write beside the copy.
func TestServeStopsWhenACopyTakesItsLock(t *testing.T) {
	sel, pg := countytest.Selected(t), postgresBackend(t)
	db := reportCounty(t)
	if sel.Name != pg.Name {
		src := db
		db = pg.New(t)
		wantCode(t, run(t, src, "copy", "--from", src, "--to", db), 0)
	}
	ac, dbname := testenv.PostgresAdmin(t, db)
	ctx := context.Background()

	done, errb, cancel := serveListening(t, db)
	defer cancel()

	// The restart: every session of the server ends; the copy starts as
	// soon as the server's lock has gone with its session.
	if _, err := ac.Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = $1 AND pid <> pg_backend_pid()`, dbname); err != nil {
		t.Fatal(err)
	}
	s, err := pg.Open(db, countytest.Options{Now: testClock})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	l := s.(interface {
		LockForCopy(context.Context) (func(), error)
	})
	var release func()
	for range 200 {
		if release, err = l.LockForCopy(ctx); err == nil {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("copy after the restart: %v", err)
	}
	defer release()
	select {
	case code := <-done:
		if code == 0 || !strings.Contains(errb.String(), "a copy of a county (hecha-county copy) began: the server stops") {
			t.Errorf("serve exited %d:\n%s", code, errb.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("serve did not stop when a copy took its lock:\n%s", errb.String())
	}
}
