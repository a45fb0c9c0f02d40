package pgstore

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// txn is the transaction Store.attempt gives its function: a pgx.Tx whose
// BEGIN rides on the first batch it sends and whose COMMIT can ride on the
// last (sendLast), so that a transaction of two batches, as a push and an
// audit commit are, takes two round trips instead of four. Under a
// province's load every round trip is a wait for a busy database, and the
// audit commit's are waited for by every request of every server.
//
// A statement sent on its own before any batch begins the transaction
// with a round trip of its own, as pgx.BeginTx would. Once sendLast has
// committed, the transaction takes no more statements.
type txn struct {
	conn      *pgx.Conn
	opts      pgx.TxOptions
	tx        pgx.Tx // nil until begun
	committed bool
}

var _ pgx.Tx = (*txn)(nil)

// errCommitted is returned by a statement sent after sendLast committed.
var errCommitted = errors.New("pgstore: statement after the transaction's last batch")

// begin begins the transaction with a round trip of its own, unless it
// has begun.
func (t *txn) begin(ctx context.Context) error {
	if t.committed {
		return errCommitted
	}
	if t.tx != nil {
		return nil
	}
	tx, err := t.conn.BeginTx(ctx, t.opts)
	if err != nil {
		return err
	}
	t.tx = tx
	return nil
}

// SendBatch sends b; the first batch begins the transaction.
func (t *txn) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	if t.committed {
		return errResults{errCommitted}
	}
	if t.tx != nil {
		return t.tx.SendBatch(ctx, b)
	}
	nb := &pgx.Batch{}
	nb.BeginTx(t.opts)
	nb.QueuedQueries = append(nb.QueuedQueries, b.QueuedQueries...)
	br := t.conn.SendBatch(ctx, nb)
	t.tx = br.Tx()
	return &begunResults{BatchResults: br}
}

// sendLast sends b as tx's last batch and closes it. When tx is a txn
// that has begun, the batch ends with the COMMIT, and the commit after
// the function returns costs no round trip; the function must send
// nothing after it. An error leaves the transaction to be rolled back.
func sendLast(ctx context.Context, tx pgx.Tx, b *pgx.Batch) error {
	t, ok := tx.(*txn)
	if !ok || t.tx == nil || t.committed {
		return tx.SendBatch(ctx, b).Close()
	}
	commit := t.opts.CommitQuery
	if commit == "" {
		commit = "COMMIT"
	}
	b.Queue(commit).Exec(func(tag pgconn.CommandTag) error {
		// A transaction that had failed ends with ROLLBACK; a batch stops
		// at its first error, so this is not expected, but is not taken
		// for a commit.
		if tag.String() == "ROLLBACK" {
			return pgx.ErrTxCommitRollback
		}
		return nil
	})
	if err := t.tx.SendBatch(ctx, b).Close(); err != nil {
		return err
	}
	t.committed = true
	return nil
}

// Commit commits the transaction, unless sendLast did or nothing was sent.
func (t *txn) Commit(ctx context.Context) error {
	if t.committed || t.tx == nil {
		return nil
	}
	return t.tx.Commit(ctx)
}

// Rollback rolls back the transaction, unless it was committed or nothing
// was sent.
func (t *txn) Rollback(ctx context.Context) error {
	if t.committed || t.tx == nil {
		return nil
	}
	return t.tx.Rollback(ctx)
}

// Begin starts a savepoint inside the transaction.
func (t *txn) Begin(ctx context.Context) (pgx.Tx, error) {
	if err := t.begin(ctx); err != nil {
		return nil, err
	}
	return t.tx.Begin(ctx)
}

func (t *txn) CopyFrom(ctx context.Context, table pgx.Identifier, columns []string, src pgx.CopyFromSource) (int64, error) {
	if err := t.begin(ctx); err != nil {
		return 0, err
	}
	return t.tx.CopyFrom(ctx, table, columns, src)
}

func (t *txn) LargeObjects() pgx.LargeObjects {
	if t.tx == nil {
		// Large objects are not used; this only keeps the interface whole.
		return pgx.LargeObjects{}
	}
	return t.tx.LargeObjects()
}

func (t *txn) Prepare(ctx context.Context, name, sql string) (*pgconn.StatementDescription, error) {
	if err := t.begin(ctx); err != nil {
		return nil, err
	}
	return t.tx.Prepare(ctx, name, sql)
}

func (t *txn) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	if err := t.begin(ctx); err != nil {
		return pgconn.CommandTag{}, err
	}
	return t.tx.Exec(ctx, sql, args...)
}

func (t *txn) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	if err := t.begin(ctx); err != nil {
		return nil, err
	}
	return t.tx.Query(ctx, sql, args...)
}

func (t *txn) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	if err := t.begin(ctx); err != nil {
		return errRow{err}
	}
	return t.tx.QueryRow(ctx, sql, args...)
}

func (t *txn) Conn() *pgx.Conn { return t.conn }

// begunResults are the results of the batch that began the transaction:
// the BEGIN's result is read before the first of the caller's.
type begunResults struct {
	pgx.BatchResults
	begun bool
}

func (r *begunResults) skipBegin() error {
	if r.begun {
		return nil
	}
	r.begun = true
	_, err := r.BatchResults.Exec()
	return err
}

func (r *begunResults) Exec() (pgconn.CommandTag, error) {
	if err := r.skipBegin(); err != nil {
		return pgconn.CommandTag{}, err
	}
	return r.BatchResults.Exec()
}

func (r *begunResults) Query() (pgx.Rows, error) {
	if err := r.skipBegin(); err != nil {
		return nil, err
	}
	return r.BatchResults.Query()
}

func (r *begunResults) QueryRow() pgx.Row {
	if err := r.skipBegin(); err != nil {
		return errRow{err}
	}
	return r.BatchResults.QueryRow()
}

// errResults are the results of a batch that was not sent.
type errResults struct{ err error }

func (r errResults) Exec() (pgconn.CommandTag, error) { return pgconn.CommandTag{}, r.err }
func (r errResults) Query() (pgx.Rows, error)         { return nil, r.err }
func (r errResults) QueryRow() pgx.Row                { return errRow(r) }
func (r errResults) Close() error                     { return r.err }
func (r errResults) Tx() pgx.Tx                       { return nil }

// errRow is a row whose Scan returns err.
type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }
