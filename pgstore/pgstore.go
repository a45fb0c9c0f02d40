// Package pgstore keeps the county's data in PostgreSQL, for a whole
// province in one database: every row carries its county (or its
// township), a Store is scoped to one county (or to none, to serve and
// report on all of them), and several processes may serve one database at
// once. It implements hecha.CountyStore with the behaviour of the bbolt
// store (package store), with plain SQL and no extensions, so that
// PostgreSQL-derived databases stay within reach.
//
// The schema is created and upgraded by Migrate from the embedded,
// numbered files in migrations/; Open refuses a database whose schema is
// not the one this code was written for.
package pgstore

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"hecha"
	"hecha/internal/groupcommit"
)

// The store implements the county's contract.
var _ hecha.CountyStore = (*Store)(nil)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migration is one numbered file of migrations/.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the embedded migrations in version order; the file
// names are NNNN_name.sql.
func migrations() []migration {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		panic(err)
	}
	var out []migration
	for _, e := range entries {
		num, name, ok := strings.Cut(strings.TrimSuffix(e.Name(), ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			panic("pgstore: migration file " + e.Name() + " is not named NNNN_name.sql")
		}
		data, err := migrationFiles.ReadFile("migrations/" + e.Name())
		if err != nil {
			panic(err)
		}
		out = append(out, migration{version: v, name: name, sql: string(data)})
	}
	slices.SortFunc(out, func(a, b migration) int { return a.version - b.version })
	return out
}

// SchemaVersion is the schema version this code reads and writes: the
// number of the last migration.
var SchemaVersion = migrations()[len(migrations())-1].version

// migrateLock is the key of the advisory lock Migrate holds.
const migrateLock = 0x6865636861 // "hecha"

// Store is the county's data in a PostgreSQL database, scoped to one
// county (or to none: then it serves and reports on every county, and the
// writes that need a county refuse). Its methods are safe for concurrent
// use; several Stores, in one process or many, may use one database.
type Store struct {
	pool   *pgxpool.Pool
	name   string // the database, for messages (no password)
	now    func() time.Time
	rules  *hecha.Rules
	county hecha.Code
	stored bool
	// ready is how many connections Open makes before it returns and the
	// pool keeps (WithReadyConns).
	ready int32
	// writes admits write transactions: at most cap(writes) hold a
	// connection at once, so the rest of the pool is always there for
	// reads (see readConns); nil admits every one.
	writes chan struct{}
	// auditQueue group-commits the audit trail's appends (audit.go).
	auditQueue groupcommit.Queue[auditAppend]
}

// Option configures Open.
type Option func(*Store)

// WithNow sets the clock (required).
func WithNow(now func() time.Time) Option { return func(s *Store) { s.now = now } }

// WithRules sets the rules every write validates against.
func WithRules(r *hecha.Rules) Option { return func(s *Store) { s.rules = r } }

// WithCounty scopes the store to one county (a county-level code): every
// read and write is that county's. The database URL's CountyParam does the
// same. Without it a database that holds one
// county opens scoped to it, and one of several counties opens scoped to
// none: it serves every township and reports on every county, but the
// writes that need a county (imports, assignment, registries) refuse.
func WithCounty(c hecha.Code) Option { return func(s *Store) { s.county = c } }

// WithReadyConns makes the pool keep at least n connections open (at
// most the pool's size), unless the URL's pool_min_conns says otherwise,
// and Open wait, up to readyWait, until they are made and warmed: for a
// server (serve), whose first requests in a rush would otherwise each
// wait for a new connection, which is a new PostgreSQL process, and for
// its first run of each statement. With n > 0, every connection the pool
// makes, then or later, is warmed (warm.go). A connection that cannot be
// made then is made later, when needed.
func WithReadyConns(n int) Option { return func(s *Store) { s.ready = int32(max(n, 0)) } }

// ServerReadyConns is how many connections serve has made and warmed
// before it listens, and keeps open (WithReadyConns): the whole default
// pool, which a rush of requests fills anyway. A process started while a
// province's townships pushed answered its first pulls a few hundred
// milliseconds late, each waiting for a connection to be made; with half
// the pool made and none warmed, sixteen pulls at once on a server just
// started still waited three to five times as long as a second later.
const ServerReadyConns = defaultMaxConns

// WithStoredDivisions makes Open validate against the division table
// stored in the database instead of the one WithRules gives.
func WithStoredDivisions() Option { return func(s *Store) { s.stored = true } }

// IsDSN reports whether s names a PostgreSQL database (a postgres:// or
// postgresql:// URL) rather than a bbolt file.
func IsDSN(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// Open connects to the database dsn and checks that its schema is at
// SchemaVersion.
//
// Errors: EUNAVAILABLE when the database cannot be reached
// (pgstore.connect), has no hecha schema (pgstore.unmigrated), an older
// one (pgstore.older) or a newer one (pgstore.newer). Open panics without
// WithNow.
func Open(ctx context.Context, dsn string, opts ...Option) (*Store, error) {
	s, err := connect(ctx, dsn, opts)
	if err != nil {
		return nil, err
	}
	v, err := s.version(ctx)
	switch {
	case err != nil:
	case v == 0:
		err = hecha.Errorf(hecha.EUNAVAILABLE, "", "pgstore.unmigrated", s.name)
	case v < SchemaVersion:
		err = hecha.Errorf(hecha.EUNAVAILABLE, "", "pgstore.older", s.name, v, SchemaVersion)
	case v > SchemaVersion:
		err = hecha.Errorf(hecha.EUNAVAILABLE, "", "pgstore.newer", s.name, v, SchemaVersion)
	}
	if err == nil && s.county == "" {
		err = s.adoptCounty(ctx)
	}
	if err == nil && s.stored {
		var t *hecha.DivisionTable
		if t, err = s.Divisions(ctx); err == nil {
			s.rules.Divisions = t
		}
	}
	if err != nil {
		s.pool.Close()
		return nil, err
	}
	return s, nil
}

// adoptCounty scopes a store opened without WithCounty to the county of
// the database when it holds exactly one (SetCounty recorded it), as a
// bbolt county file remembers its county.
func (s *Store) adoptCounty(ctx context.Context) error {
	rows, err := s.pool.Query(ctx, `SELECT county FROM hecha_counties ORDER BY county LIMIT 2`)
	if err != nil {
		return s.dbErr(err)
	}
	counties, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return s.dbErr(err)
	}
	if len(counties) == 1 {
		s.county = hecha.Code(counties[0])
	}
	return nil
}

// connect makes the Store and its pool and checks the connection.
func connect(ctx context.Context, dsn string, opts []Option) (*Store, error) {
	s := &Store{name: redact(dsn)}
	for _, o := range opts {
		o(s)
	}
	if s.now == nil {
		panic("pgstore: Open needs WithNow")
	}
	r := hecha.Rules{}
	if s.rules != nil {
		r = *s.rules
	}
	if r.Now == nil {
		r.Now = s.now
	}
	s.rules = &r
	dsn, county := splitCounty(dsn)
	if s.county == "" {
		s.county = county
	}
	if s.county != "" && s.county.Level() != hecha.LevelCounty {
		return nil, hecha.Invalid("county", "county.county_level", string(s.county))
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, hecha.Errorf(hecha.EUNAVAILABLE, "", "pgstore.connect", s.name, err.Error())
	}
	if !strings.Contains(dsn, "pool_max_conns") {
		// pgx's default (4 on a small machine) would queue the requests
		// of many townships behind a few connections.
		cfg.MaxConns = defaultMaxConns
	}
	if !strings.Contains(dsn, "pool_min_conns") {
		cfg.MinConns = min(s.ready, cfg.MaxConns)
	}
	if s.ready > 0 {
		cfg.AfterConnect = prepareConn
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err == nil {
		err = pool.Ping(ctx)
	}
	if err != nil {
		if pool != nil {
			pool.Close()
		}
		return nil, hecha.Errorf(hecha.EUNAVAILABLE, "", "pgstore.connect", s.name, err.Error())
	}
	s.pool = pool
	warm(ctx, pool, cfg.MinConns)
	if n := cfg.MaxConns - readConns(cfg.MaxConns); n < cfg.MaxConns {
		s.writes = make(chan struct{}, n)
	}
	return s, nil
}

// warm waits until the pool holds the n connections it keeps, which
// pgxpool makes (and prepareConn warms) in the background, for at most
// readyWait: a database that refuses more connections (max_connections)
// does not stop a server from starting, and the pool goes on trying.
func warm(ctx context.Context, pool *pgxpool.Pool, n int32) {
	giveUp := time.After(readyWait)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for st := pool.Stat(); st.TotalConns()-st.ConstructingConns() < n; st = pool.Stat() {
		select {
		case <-tick.C:
		case <-giveUp:
			return
		case <-ctx.Done():
			return
		}
	}
}

// readyWait is how long Open waits for the connections WithReadyConns
// asks for.
const readyWait = 5 * time.Second

// CountyParam is the parameter of a database URL that scopes a store to
// one county (postgres://host/province?county=410102), as WithCounty
// does; it is taken off the URL before connecting.
const CountyParam = "county"

// splitCounty takes the CountyParam off dsn.
func splitCounty(dsn string) (string, hecha.Code) {
	u, err := url.Parse(dsn)
	if err != nil || !u.Query().Has(CountyParam) {
		return dsn, ""
	}
	q := u.Query()
	c := hecha.Code(strings.TrimSpace(q.Get(CountyParam)))
	q.Del(CountyParam)
	u.RawQuery = q.Encode()
	return u.String(), c
}

// Redact returns the database URL dsn without its password (and without
// its parameters), for messages and records.
func Redact(dsn string) string { return redact(dsn) }

// redact returns dsn without its password, for messages.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "(PostgreSQL)"
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	u.RawQuery = ""
	return u.String()
}

// version returns the schema version recorded in the database, 0 when it
// has none.
func (s *Store) version(ctx context.Context) (int, error) {
	var exists bool
	err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_name = 'hecha_schema_version')`).Scan(&exists)
	if err != nil || !exists {
		return 0, s.dbErr(err)
	}
	var v int
	err = s.pool.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM hecha_schema_version`).Scan(&v)
	return v, s.dbErr(err)
}

// Migrate connects to the database dsn and applies the migrations it has
// not had, each in its own transaction recorded in hecha_schema_version,
// under an advisory lock so that two processes migrating at once apply
// each migration once. A migration cut off (the process killed, the
// connection lost) is rolled back by the server, so the next run starts
// it again. It returns the versions applied.
//
// Errors: as Open, but an unmigrated or older schema is what it mends.
func Migrate(ctx context.Context, dsn string, opts ...Option) ([]int, error) {
	s, err := connect(ctx, dsn, opts)
	if err != nil {
		return nil, err
	}
	defer s.pool.Close()
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, s.dbErr(err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, int64(migrateLock)); err != nil {
		return nil, s.dbErr(err)
	}
	defer conn.Exec(context.Background(), `SELECT pg_advisory_unlock($1)`, int64(migrateLock))
	_, err = conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS hecha_schema_version (
		version    integer PRIMARY KEY,
		name       text NOT NULL,
		applied_at timestamptz NOT NULL)`)
	if err != nil {
		return nil, s.dbErr(err)
	}
	v, err := s.version(ctx)
	if err != nil {
		return nil, err
	}
	if v > SchemaVersion {
		return nil, hecha.Errorf(hecha.EUNAVAILABLE, "", "pgstore.newer", s.name, v, SchemaVersion)
	}
	var applied []int
	for _, m := range migrations() {
		if m.version <= v {
			continue
		}
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, m.sql); err != nil {
				return fmt.Errorf("migration %04d_%s: %w", m.version, m.name, err)
			}
			if testHookMigrating != nil {
				testHookMigrating(m.version)
			}
			_, err := tx.Exec(ctx, `INSERT INTO hecha_schema_version (version, name, applied_at) VALUES ($1, $2, $3)`,
				m.version, m.name, s.now().UTC())
			return err
		})
		if err != nil {
			return applied, s.dbErr(err)
		}
		applied = append(applied, m.version)
	}
	return applied, nil
}

// testHookMigrating, when set (by tests only), runs inside a migration's
// transaction after its SQL, before the version is recorded.
var testHookMigrating func(version int)

// Close closes the pool.
func (s *Store) Close() error {
	if s != nil && s.pool != nil {
		s.pool.Close()
	}
	return nil
}

// Rules returns the rules writes are validated against.
func (s *Store) Rules() *hecha.Rules { return s.rules }

// dbErr turns a connection failure into EUNAVAILABLE naming the database;
// other errors (and hecha errors) pass unchanged.
func (s *Store) dbErr(err error) error {
	if err == nil {
		return nil
	}
	var he *hecha.Error
	if errors.As(err, &he) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var ce *pgconn.ConnectError
	var pe *pgconn.PgError
	if !errors.As(err, &ce) && errors.As(err, &pe) && !sessionLost(pe) {
		return err
	}
	return hecha.Errorf(hecha.EUNAVAILABLE, "", "pgstore.connect", s.name, err.Error())
}

// sessionLost reports whether the server ended the session or refused it
// for a while: a connection exception (class 08), an administrator or a
// restart ending it (57P01–57P03), too many connections, or a database not
// accepting connections. These are the errors a restart or a failover
// gives; they pass, so the caller may try again (EUNAVAILABLE).
func sessionLost(pe *pgconn.PgError) bool {
	switch pe.Code {
	case "57P01", "57P02", "57P03", "53300", "55000":
		return true
	}
	return strings.HasPrefix(pe.Code, "08")
}

// defaultMaxConns is the pool's size unless the URL's pool_max_conns
// sets it.
const defaultMaxConns = 16

// readConns is how many of a pool of max connections write transactions
// leave to reads: a quarter, at least one (none of a pool of one). Many
// townships pushing at once would otherwise hold every connection, and a
// pull, which takes a few milliseconds, would wait behind batches that
// take far longer; the writes beyond the others' share wait their turn in
// the process instead, in the order they came.
func readConns(max int32) int32 {
	if max < 2 {
		return 0
	}
	return (max + 3) / 4
}

// retries is how often a transaction that lost a deadlock or a
// serialization conflict is tried again.
const retries = 8

// tx runs fn in a transaction, committed when fn returns nil; a deadlock
// or serialization failure (another writer won) runs it again.
func (s *Store) tx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return s.txOpts(ctx, pgx.TxOptions{}, fn)
}

// view runs fn in a read-only transaction that sees one snapshot.
func (s *Store) view(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return s.txOpts(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, fn)
}

// read runs fn, a single statement, on a pooled connection outside any
// transaction (one statement sees one snapshot): it saves the round
// trips of a transaction's begin and commit. It is tried again as run
// does when the connection was lost before anything was sent.
func (s *Store) read(ctx context.Context, fn func(q querier) error) error {
	for try := 0; ; try++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		err := fn(s.pool)
		if try < retries && err != nil && pgconn.SafeToRetry(err) {
			continue
		}
		return s.dbErr(err)
	}
}

func (s *Store) txOpts(ctx context.Context, o pgx.TxOptions, fn func(tx pgx.Tx) error) error {
	return s.run(ctx, o, false, fn)
}

// txRetry is tx that, when unique is set, also runs fn again after a
// unique violation: another writer inserted a row fn meant to insert.
func (s *Store) txRetry(ctx context.Context, unique bool, fn func(tx pgx.Tx) error) error {
	return s.run(ctx, pgx.TxOptions{}, unique, fn)
}

func (s *Store) run(ctx context.Context, o pgx.TxOptions, unique bool, fn func(tx pgx.Tx) error) error {
	if s.writes != nil && o.AccessMode != pgx.ReadOnly {
		select {
		case s.writes <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
		defer func() { <-s.writes }()
	}
	return s.attempt(ctx, o, unique, fn)
}

// inTxn runs fn in one transaction (a txn, whose begin and commit ride on
// its first and last batches) on a pooled connection, and commits it when
// fn returns nil.
func (s *Store) inTxn(ctx context.Context, o pgx.TxOptions, fn func(tx pgx.Tx) error) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	t := &txn{conn: conn.Conn(), opts: o}
	defer t.Rollback(ctx) //nolint:errcheck // after Commit a no-op; after an error fn's error counts
	if err := fn(t); err != nil {
		return err
	}
	return t.Commit(ctx)
}

// attempt runs fn in a transaction, trying it again as run says, without
// waiting for write admission. The audit trail's group commit uses it
// directly: it holds at most one connection at a time, and a pull's entry,
// written before its page leaves, must not wait behind the pushes.
func (s *Store) attempt(ctx context.Context, o pgx.TxOptions, unique bool, fn func(tx pgx.Tx) error) error {
	for try := 0; ; try++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		err := s.inTxn(ctx, o, fn)
		var pe *pgconn.PgError
		if try < retries && errors.As(err, &pe) &&
			(pe.Code == "40P01" || pe.Code == "40001" || unique && pe.Code == "23505") {
			continue
		}
		// A pooled connection the server ended while it was idle fails
		// before anything was sent: another connection may do.
		if try < retries && err != nil && pgconn.SafeToRetry(err) {
			continue
		}
		return s.dbErr(err)
	}
}
