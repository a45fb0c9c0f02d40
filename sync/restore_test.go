package sync_test

import (
	"context"
	"io"
	"os"
	"testing"

	"hecha"
	"hecha/store"
	hsync "hecha/sync"
)

// TestCountyRestoredFromOlderCopy: the county's database is copied after a
// first sync, more results are pushed, then the copy is put back. The next
// round finds (via Check) what the county lost, sends it again, and the
// county ends with every result once.
//
// It is bbolt-only: the backup and restore are copies of the county's
// file. (A PostgreSQL county is restored with pg_dump/pg_restore.)
func TestCountyRestoredFromOlderCopy(t *testing.T) {
	ctx := context.Background()
	path := tempPath(t, "county.db")
	county := openBoltCounty(t, path, false)
	tokens := seedCounty(t, county, 30, townA)
	town := openTownship(t, tempPath(t, "town.db"), townA)
	defer town.Close()

	// serve starts the API on county and points a syncer at it.
	var ts interface{ Close() }
	serve := func(db *store.CountyDB) *hsync.Syncer {
		srv := serveCounty(t, db)
		ts = srv
		return &hsync.Syncer{Store: town, Client: newClient(t, srv.URL, tokens[townA]), BatchSize: 4, Now: fxClock}
	}
	s := serve(county)
	syncUntilDone(t, s, 1)
	first := saveResults(t, town, 10)
	syncUntilDone(t, s, 1)

	// Back up the county, then push ten more.
	ts.Close()
	if err := county.Close(); err != nil {
		t.Fatal(err)
	}
	backup := path + ".bak"
	copyFile(t, path, backup)
	county = openBoltCounty(t, path, false)
	s = serve(county)
	second := saveResults(t, town, 10)
	syncUntilDone(t, s, 1)
	ts.Close()
	if err := county.Close(); err != nil {
		t.Fatal(err)
	}

	// Restore the backup: the county has lost the second ten.
	copyFile(t, backup, path)
	county = openBoltCounty(t, path, false)
	defer county.Close()
	s = serve(county)
	defer ts.Close()
	// A case assigned after the restore gets a change sequence number the
	// township's cursor has passed already.
	late := fxCase(townA, 99)
	if _, err := county.ImportCases(ctx, []hecha.Case{late}); err != nil {
		t.Fatal(err)
	}
	if err := county.Assign(ctx, []string{late.ID}, townA, "test"); err != nil {
		t.Fatal(err)
	}
	rep := syncUntilDone(t, s, 1)
	if rep.Requeued != len(second) || rep.Accepted != len(second) || rep.Duplicate != 0 {
		t.Fatalf("round after the restore = %+v, want %d requeued and accepted", rep, len(second))
	}
	assertSynced(t, county, town, townA, append(first, second...))
	if _, err := town.Case(ctx, late.ID); err != nil {
		t.Fatalf("the case assigned after the restore was not pulled: %v", err)
	}

	// Once reconciled, nothing more is sent.
	rep = syncUntilDone(t, s, 1)
	if rep.Requeued != 0 || rep.Pushed != 0 {
		t.Fatalf("round after reconciling = %+v", rep)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}
