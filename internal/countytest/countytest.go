// Package countytest opens the county store the county-side tests run
// against, so that one suite covers every implementation of
// hecha.CountyStore: the tests of store, sync and cmd/hecha-county open
// their county through Open or OpenAt, never through a backend directly.
//
// The backend is chosen by the environment variable HECHA_COUNTY_BACKEND
// (BackendEnv), the name of one entry of Backends; "bbolt" when it is
// unset. CI runs the county suites once per backend. A test that needs a
// second backend in the same run (copying between them) ranges over
// Backends itself.
//
// Tests that depend on one backend's insides (a bbolt file cut short,
// compaction, a copy of the file as a restore) open that backend directly
// and say why in a comment.
package countytest

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"hecha"
	"hecha/internal/testenv"
	"hecha/pgstore"
	"hecha/store"
)

// BackendEnv is the environment variable naming the backend the county
// suites run against.
const BackendEnv = "HECHA_COUNTY_BACKEND"

// DefaultBackend is the backend used when BackendEnv is unset.
const DefaultBackend = "bbolt"

// Options says how a county store is opened for a test.
type Options struct {
	// Rules are the rules the store validates against; nil for rules
	// with no division table. Their clock defaults to Now.
	Rules *hecha.Rules
	// Now is the store's clock (required: tests never read the real one).
	Now func() time.Time
	// Durable keeps every commit durable (fsync on bbolt); tests that do
	// not kill a process leave it off for speed.
	Durable bool
	// StoredDivisions makes the store validate against the division
	// table stored in it, as hecha-county opens it.
	StoredDivisions bool
	// ReadyConns is how many connections a PostgreSQL store makes before
	// Open returns and keeps open, as serve opens it
	// (pgstore.WithReadyConns); bbolt has none to make.
	ReadyConns int
}

// Backend is one implementation of hecha.CountyStore the county suites can
// run against.
type Backend struct {
	// Name is what BackendEnv names it by: "bbolt", "postgres".
	Name string
	// New returns where a new, empty county store lives for tb (a file
	// path, a database URL): what hecha-county's --db takes. It is removed
	// when tb ends. When the backend cannot run here, New skips tb or,
	// under CI, fails it (testenv.Require).
	New func(tb testing.TB) string
	// Open opens the county store at loc. The caller closes it; Close may
	// be called more than once.
	Open func(loc string, o Options) (hecha.CountyStore, error)
}

// Backends are the registered backends, bbolt first.
var Backends = []Backend{
	{
		Name: "bbolt",
		New: func(tb testing.TB) string {
			return filepath.Join(tb.TempDir(), "county.db")
		},
		Open: func(loc string, o Options) (hecha.CountyStore, error) {
			opts := []store.Option{store.WithNow(o.Now)}
			if o.Rules != nil {
				opts = append(opts, store.WithRules(o.Rules))
			}
			if !o.Durable {
				opts = append(opts, store.WithNoSync())
			}
			if o.StoredDivisions {
				opts = append(opts, store.WithStoredDivisions())
			}
			return store.OpenCounty(loc, opts...)
		},
	},
	{
		// PostgreSQL: a fresh database per test on the server
		// testenv.Postgres names, migrated; the store is scoped to the
		// county SetCounty records (see pgstore.WithCounty).
		Name: "postgres",
		New: func(tb testing.TB) string {
			dsn := testenv.Postgres(tb)
			if _, err := pgstore.Migrate(context.Background(), dsn, pgstore.WithNow(migratedAt)); err != nil {
				tb.Fatalf("migrate %s: %v", dsn, err)
			}
			return dsn
		},
		Open: func(loc string, o Options) (hecha.CountyStore, error) {
			opts := []pgstore.Option{pgstore.WithNow(o.Now)}
			if o.Rules != nil {
				opts = append(opts, pgstore.WithRules(o.Rules))
			}
			if o.StoredDivisions {
				opts = append(opts, pgstore.WithStoredDivisions())
			}
			if o.ReadyConns > 0 {
				opts = append(opts, pgstore.WithReadyConns(o.ReadyConns))
			}
			return pgstore.Open(context.Background(), loc, opts...)
		},
	},
}

// migratedAt is the time a test database's migrations are recorded at.
func migratedAt() time.Time { return time.Date(2024, 3, 15, 2, 0, 0, 0, time.UTC) }

// Selected returns the backend BackendEnv names (DefaultBackend when it is
// unset). It fails tb for a name no backend has.
func Selected(tb testing.TB) Backend {
	tb.Helper()
	name := os.Getenv(BackendEnv)
	if name == "" {
		name = DefaultBackend
	}
	i := slices.IndexFunc(Backends, func(b Backend) bool { return b.Name == name })
	if i < 0 {
		names := make([]string, len(Backends))
		for j, b := range Backends {
			names[j] = b.Name
		}
		tb.Fatalf("%s=%s: no such county backend (have %s)", BackendEnv, name, strings.Join(names, ", "))
	}
	return Backends[i]
}

// New returns the location of a new, empty county store of the selected
// backend, removed when tb ends.
func New(tb testing.TB) string {
	tb.Helper()
	return Selected(tb).New(tb)
}

// Open opens a new, empty county store of the selected backend, closed
// when tb ends.
func Open(tb testing.TB, o Options) hecha.CountyStore {
	tb.Helper()
	return OpenAt(tb, New(tb), o)
}

// OpenAt opens the county store of the selected backend at loc (from New,
// or where a program under test wrote it), closed when tb ends; an error
// fails tb.
func OpenAt(tb testing.TB, loc string, o Options) hecha.CountyStore {
	tb.Helper()
	if o.Now == nil {
		tb.Fatal("countytest: Options.Now is required")
	}
	db, err := Selected(tb).Open(loc, o)
	if err != nil {
		tb.Fatalf("open county store %s: %v", loc, err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("close county store %s: %v", loc, err)
		}
	})
	return db
}

// Only skips tb unless the selected backend is name: for a test of one
// backend's own feature (a bbolt file's side files, its admin endpoint),
// why saying which.
func Only(tb testing.TB, name, why string) {
	tb.Helper()
	if b := Selected(tb); b.Name != name {
		tb.Skipf("%s only (%s); the county backend is %s", name, why, b.Name)
	}
}
