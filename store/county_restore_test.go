package store_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"hecha"
)

// TestSince_CountyRestored: the county's file is put back to an older
// copy after township A pulled changes the copy does not have. A pull from
// the township's cursor, which is beyond the county's change sequences,
// answers as from 0 with a next below the cursor (the sync client's sign
// to start over); a cursor the sequences have reached is answered as
// before.
//
// It is bbolt-only: the restore is a copy of the file.
func TestSince_CountyRestored(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path, backup := filepath.Join(dir, "county.db"), filepath.Join(dir, "county.bak")
	c := newClock()
	db := MustOpenCountyDBAt(t, path, countyOpts(c, t)...)
	if err := db.SetCounty(ctx, testCounty); err != nil {
		t.Fatal(err)
	}
	putFloating := func(db interface {
		PutFloating(context.Context, []hecha.FloatingRecord) error
	}, n int, id string) {
		t.Helper()
		if err := db.PutFloating(ctx, []hecha.FloatingRecord{floatingOf(testPerson(testName(n), n, townA), id, farCounty)}); err != nil {
			t.Fatal(err)
		}
	}
	putFloating(db, 1, "F1")
	mustImport(t, db, testCase("C1", 1, townA), testCase("C2", 2, townA))
	mustAssign(t, db, townA, "C1", "C2")
	_, casesAt := since(t, db, townA, 0)
	_, regAt := extract(t, db, townA, 0, 0)
	MustCloseDB(t, db)
	copyFile(t, path, backup)

	// More changes the township pulls, then the copy is put back.
	db = MustOpenCountyDBAt(t, path, countyOpts(c, t)...)
	putFloating(db, 3, "F3")
	putFloating(db, 4, "F4")
	mustImport(t, db, testCase("C3", 3, townA), testCase("C4", 4, townA))
	mustAssign(t, db, townA, "C3", "C4")
	got, casesCursor := since(t, db, townA, casesAt)
	if !slices.Equal(got, []string{"C3", "C4"}) {
		t.Fatalf("pulled %v", got)
	}
	_, regCursor := extract(t, db, townA, regAt, 0)
	if casesCursor <= casesAt || regCursor <= regAt {
		t.Fatalf("cursors did not move: cases %d → %d, registry %d → %d", casesAt, casesCursor, regAt, regCursor)
	}
	MustCloseDB(t, db)
	copyFile(t, backup, path)

	db = MustOpenCountyDBAt(t, path, countyOpts(c, t)...)
	got, next := since(t, db, townA, casesCursor)
	if next >= casesCursor || !slices.Equal(got, []string{"C1", "C2"}) {
		t.Errorf("cases after the restore = %v, next %d; want C1 C2 from the start, next below %d", got, next, casesCursor)
	}
	reg, next := extract(t, db, townA, regCursor, 0)
	if next >= regCursor || !slices.Contains(reg, "F1") || slices.Contains(reg, "F3") {
		t.Errorf("registry after the restore = %v, next %d; want F1 from the start, next below %d", reg, next, regCursor)
	}
	// Cursors the restored sequences have reached are answered as usual.
	if got, next := since(t, db, townA, casesAt); len(got) != 0 || next != casesAt {
		t.Errorf("cases from the restored end = %v, next %d, want none and %d", got, next, casesAt)
	}
	if got, next := extract(t, db, townA, regAt, 0); len(got) != 0 || next != regAt {
		t.Errorf("registry from the restored end = %v, next %d, want none and %d", got, next, regAt)
	}

	// A township with nothing in the county, asking from beyond the
	// sequence, is told 0.
	if got, next := since(t, db, townB, casesCursor); len(got) != 0 || next != 0 {
		t.Errorf("township B from beyond = %v, next %d, want none and 0", got, next)
	}
}

func copyFile(tb testing.TB, from, to string) {
	tb.Helper()
	in, err := os.Open(from)
	if err != nil {
		tb.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		tb.Fatal(err)
	}
	if err := out.Close(); err != nil {
		tb.Fatal(err)
	}
}
