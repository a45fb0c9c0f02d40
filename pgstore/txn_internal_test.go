package pgstore

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"hecha/internal/testenv"
)

// roundTrips counts what a connection sends: each statement sent on its
// own and each batch (a batch whose statements are all prepared is one
// round trip).
type roundTrips struct{ n atomic.Int64 }

func (r *roundTrips) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	r.n.Add(1)
	return ctx
}
func (r *roundTrips) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}
func (r *roundTrips) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	r.n.Add(1)
	return ctx
}
func (r *roundTrips) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}
func (r *roundTrips) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData)     {}

// txnStore returns a store on a fresh database with a table t (k text
// primary key), whose connections count their round trips in rt.
func txnStore(t *testing.T) (*Store, *roundTrips) {
	t.Helper()
	dsn := testenv.Postgres(t)
	ctx := context.Background()
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	rt := &roundTrips{}
	cfg.ConnConfig.Tracer = rt
	cfg.MaxConns = 2
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	if _, err := pool.Exec(ctx, `CREATE TABLE t (k text PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	return &Store{pool: pool}, rt
}

// keys returns the keys in table t, in order, read outside fn's transaction.
func keys(t *testing.T, s *Store) []string {
	t.Helper()
	rows, err := s.pool.Query(context.Background(), `SELECT k FROM t ORDER BY k`)
	if err != nil {
		t.Fatal(err)
	}
	ks, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return ks
}

// twoBatches is a transaction as a push's: a first batch that writes and
// reads, then a last batch (sendLast) that writes.
func twoBatches(first, last string) func(tx pgx.Tx) error {
	return func(tx pgx.Tx) error {
		ctx := context.Background()
		b := &pgx.Batch{}
		b.Queue(`INSERT INTO t VALUES ($1)`, first)
		var n int
		b.Queue(`SELECT count(*) FROM t WHERE k = $1`, first).QueryRow(func(row pgx.Row) error { return row.Scan(&n) })
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return err
		}
		if n != 1 {
			return errors.New("the first batch's write is not seen by its read")
		}
		b = &pgx.Batch{}
		b.Queue(`INSERT INTO t VALUES ($1)`, last)
		return sendLast(ctx, tx, b)
	}
}

// TestTxn_TwoBatchesTwoRoundTrips: a transaction of two batches, as a
// push and an audit commit are, costs two round trips, its BEGIN riding
// on the first and its COMMIT on the last (pgx.BeginTxFunc spends four),
// and is committed.
func TestTxn_TwoBatchesTwoRoundTrips(t *testing.T) {
	s, rt := txnStore(t)
	ctx := context.Background()
	// The first run prepares the statements; the second is counted.
	if err := s.inTxn(ctx, pgx.TxOptions{}, twoBatches("a", "b")); err != nil {
		t.Fatal(err)
	}
	rt.n.Store(0)
	if err := s.inTxn(ctx, pgx.TxOptions{}, twoBatches("c", "d")); err != nil {
		t.Fatal(err)
	}
	if got := rt.n.Load(); got != 2 {
		t.Errorf("round trips = %d, want 2", got)
	}
	if got := keys(t, s); len(got) != 4 {
		t.Errorf("keys = %v, want a b c d", got)
	}

	// The same function under pgx's own transaction: four.
	rt.n.Store(0)
	if err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{}, twoBatches("e", "f")); err != nil {
		t.Fatal(err)
	}
	if got := rt.n.Load(); got != 4 {
		t.Errorf("round trips under pgx.BeginTxFunc = %d, want 4", got)
	}
}

// TestTxn_CommitRidesOnLastBatch: once sendLast returns, the transaction
// is committed (another connection sees its rows), and a statement after
// it is refused, not run outside the transaction.
func TestTxn_CommitRidesOnLastBatch(t *testing.T) {
	s, _ := txnStore(t)
	ctx := context.Background()
	err := s.inTxn(ctx, pgx.TxOptions{}, func(tx pgx.Tx) error {
		if err := twoBatches("a", "b")(tx); err != nil {
			return err
		}
		if got := keys(t, s); len(got) != 2 {
			t.Errorf("after sendLast another connection sees %v, want a b", got)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO t VALUES ('late')`); !errors.Is(err, errCommitted) {
			t.Errorf("a statement after sendLast: %v, want errCommitted", err)
		}
		if err := tx.SendBatch(ctx, &pgx.Batch{}).Close(); !errors.Is(err, errCommitted) {
			t.Errorf("a batch after sendLast: %v, want errCommitted", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := keys(t, s); len(got) != 2 {
		t.Errorf("keys = %v, want a b", got)
	}
}

// TestTxn_FailedBatchesRollBack: an error in the last batch (its COMMIT
// is then not run) or in the first (which began the transaction) rolls
// back everything the transaction wrote, and the connection serves the
// next transaction.
func TestTxn_FailedBatchesRollBack(t *testing.T) {
	s, _ := txnStore(t)
	ctx := context.Background()
	if err := s.inTxn(ctx, pgx.TxOptions{}, twoBatches("a", "b")); err != nil {
		t.Fatal(err)
	}
	var pe *pgconn.PgError
	// The last batch fails: "c" was written by the first.
	err := s.inTxn(ctx, pgx.TxOptions{}, twoBatches("c", "a"))
	if !errors.As(err, &pe) || pe.Code != "23505" {
		t.Fatalf("duplicate key in the last batch: %v, want 23505", err)
	}
	// The first batch fails after its BEGIN.
	err = s.inTxn(ctx, pgx.TxOptions{}, twoBatches("b", "d"))
	if !errors.As(err, &pe) || pe.Code != "23505" {
		t.Fatalf("duplicate key in the first batch: %v, want 23505", err)
	}
	if got := keys(t, s); len(got) != 2 || got[0] != "a" || got[1] != "b" {
		t.Errorf("keys = %v, want a b", got)
	}
	for i := range 3 { // more than the pool's connections
		if err := s.inTxn(ctx, pgx.TxOptions{}, twoBatches(fmt.Sprint("x", i), fmt.Sprint("y", i))); err != nil {
			t.Fatalf("a transaction after the failed ones: %v", err)
		}
	}
	if got := keys(t, s); len(got) != 8 {
		t.Errorf("keys = %v, want 8", got)
	}
}

// TestTxn_OptionsAndLoneStatements: the options of the transaction hold
// when a batch begins it (a read-only one refuses a write), and a
// transaction whose first statement is sent on its own begins with a
// round trip of its own and commits when the function returns.
func TestTxn_OptionsAndLoneStatements(t *testing.T) {
	s, rt := txnStore(t)
	ctx := context.Background()
	var pe *pgconn.PgError
	err := s.inTxn(ctx, pgx.TxOptions{AccessMode: pgx.ReadOnly}, twoBatches("a", "b"))
	if !errors.As(err, &pe) || pe.Code != "25006" {
		t.Fatalf("a write in a read-only transaction: %v, want 25006", err)
	}
	lone := func(k string) func(tx pgx.Tx) error {
		return func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, `INSERT INTO t VALUES ($1)`, k)
			return err
		}
	}
	if err := s.inTxn(ctx, pgx.TxOptions{}, lone("a")); err != nil {
		t.Fatal(err)
	}
	rt.n.Store(0)
	if err := s.inTxn(ctx, pgx.TxOptions{}, lone("b")); err != nil {
		t.Fatal(err)
	}
	if got := rt.n.Load(); got != 3 {
		t.Errorf("round trips of a lone statement's transaction = %d, want 3 (begin, statement, commit)", got)
	}
	if err := s.inTxn(ctx, pgx.TxOptions{}, func(pgx.Tx) error { return nil }); err != nil {
		t.Errorf("an empty transaction: %v", err)
	}
	if got := keys(t, s); len(got) != 2 {
		t.Errorf("keys = %v, want a b", got)
	}
}
