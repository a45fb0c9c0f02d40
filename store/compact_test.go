package store_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"go.etcd.io/bbolt"

	"hecha"
	"hecha/store"
)

// bigThenSmall writes a database that held many registry records and then
// lost most cases, so compaction has something to reclaim.
func bigThenSmall(tb testing.TB, path string) {
	tb.Helper()
	ctx := context.Background()
	db := MustOpenDBAt(tb, path, store.WithRules(Rules(tb)))
	if err := db.SaveSettings(ctx, hecha.Settings{Township: Township}); err != nil {
		tb.Fatal(err)
	}
	MustApplyCases(tb, db, Cases(0, 3000)...)
	MustSaveResult(tb, db, NotFound(Case(0).ID))
	// Reassign all but the first ten away: they are removed.
	away := Cases(10, 3000)
	for i := range away {
		away[i].Unit, away[i].Rev = "410102002", 2
	}
	MustApplyCases(tb, db, away...)
	MustCloseDB(tb, db)
}

func TestCompact(t *testing.T) {
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "src.db"), filepath.Join(dir, "dst.db")
	bigThenSmall(t, src)
	if err := store.Compact(src, dst); err != nil {
		t.Fatal(err)
	}
	si, _ := os.Stat(src)
	di, _ := os.Stat(dst)
	if di.Size() >= si.Size() {
		t.Errorf("compacted size %d, source %d", di.Size(), si.Size())
	}
	mustOwnerOnly(t, dst)
	db := MustOpenDBAt(t, dst, store.WithRules(Rules(t)))
	sums, err := db.Summaries(context.Background())
	if err != nil || len(sums) != 10 {
		t.Fatalf("summaries after compaction: %d, %v", len(sums), err)
	}
	if h, _ := db.History(context.Background(), Case(0).ID); len(h) != 1 {
		t.Errorf("history lost: %+v", h)
	}
	// A second result still gets a fresh outbox sequence.
	MustSaveResult(t, db, NotFound(Case(1).ID))
	if items, _ := db.Outbox(context.Background()); len(items) != 2 {
		t.Errorf("outbox = %+v", items)
	}

	// dst exists now.
	MustCode(t, store.Compact(src, dst), hecha.EUNAVAILABLE)
}

func TestCompact_Refusals(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src.db")
	db := MustOpenDBAt(t, src)
	// Another process (here: another handle) holds the file.
	err := store.Compact(src, filepath.Join(dir, "x.db"))
	MustCode(t, err, hecha.ELOCKED)
	_, _, err = store.CompactFile(src)
	MustCode(t, err, hecha.ELOCKED)
	MustCloseDB(t, db)

	other := filepath.Join(dir, "other.db")
	b, err := bbolt.Open(other, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	b.Close()
	MustCode(t, store.Compact(other, filepath.Join(dir, "y.db")), hecha.EUNAVAILABLE)
	if _, err := os.Stat(filepath.Join(dir, "y.db")); !os.IsNotExist(err) {
		t.Errorf("a refused compaction left its output: %v", err)
	}
	_, _, err = store.CompactFile(other)
	MustCode(t, err, hecha.EUNAVAILABLE)
}

func TestCompactFile_InPlace(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "hecha.db")
	bigThenSmall(t, path)
	before, after, err := store.CompactFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if after >= before {
		t.Errorf("size %d → %d", before, after)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("left files behind: %v", entries)
	}
	db := MustOpenDBAt(t, path, store.WithRules(Rules(t)))
	if sums, _ := db.Summaries(context.Background()); len(sums) != 10 {
		t.Errorf("summaries after compaction: %d", len(sums))
	}
}
