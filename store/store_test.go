package store_test

import (
	"path/filepath"
	"testing"
	"time"

	"hecha"
	"hecha/store"
)

// Now is the fixed clock of the store tests: 2024-03-15 10:00 in Beijing.
var Now = time.Date(2024, 3, 15, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

// MustOpenDB opens a new township database in a temp dir with the fixed
// clock, no fsync and the given extra options (later options win), and
// closes it when the test ends.
func MustOpenDB(tb testing.TB, opts ...store.Option) *store.DB {
	tb.Helper()
	return MustOpenDBAt(tb, filepath.Join(tb.TempDir(), "hecha.db"), opts...)
}

// MustOpenDBAt is MustOpenDB for a given path.
func MustOpenDBAt(tb testing.TB, path string, opts ...store.Option) *store.DB {
	tb.Helper()
	all := append([]store.Option{store.WithNow(func() time.Time { return Now }), store.WithNoSync()}, opts...)
	db, err := store.Open(path, all...)
	if err != nil {
		tb.Fatalf("open %s: %v", path, err)
	}
	tb.Cleanup(func() { MustCloseDB(tb, db) })
	return db
}

// MustCloseDB closes db; closing twice is harmless.
func MustCloseDB(tb testing.TB, db *store.DB) {
	tb.Helper()
	if err := db.Close(); err != nil {
		tb.Fatalf("close: %v", err)
	}
}

// MustCode fails the test unless err has the given hecha error code.
func MustCode(tb testing.TB, err error, code string) {
	tb.Helper()
	if got := hecha.ErrorCode(err); got != code {
		tb.Fatalf("error code = %q, want %q (err: %v)", got, code, err)
	}
}
