package pgstore

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// A server's connections are warmed as they are made (WithReadyConns
// sets prepareConn as the pool's AfterConnect): each runs, once, the
// statements of the requests a township sends for data, so that the
// first requests after serve starts are not the ones that pay for them.
// A new PostgreSQL connection is a new process with empty caches: the
// first time it runs a statement, it reads the tables' and indexes'
// definitions from the catalogs and plans it, and pgx prepares it, one
// more round trip. Sixteen townships pulling at once from a server just
// started waited several times as long as they did a second later
// (README, province deployment, note 17).

// warmBatch is the statements prepareConn runs: the token check
// (tokenSQL), a page of cases (casesPageSQL), a page of the registry
// extract (regSeqSQL, registryPageSQL) and the audit trail's append
// (appendAudit), each with the arguments the requests give it, of the
// same types, and values that match no row and write nothing. A push's
// statements are not among them: most write whatever their arguments.
func warmBatch() *pgx.Batch {
	var zero [32]byte
	none, noSeqs, noData := []string{}, []int64{}, [][]byte{}
	b := &pgx.Batch{}
	b.Queue(tokenSQL, "", "")
	b.Queue(casesPageSQL, "", int64(0), 1, "", int64(0), int64(0))
	b.Queue(regSeqSQL, "")
	b.Queue(registryPageSQL, "", int64(0), 1)
	b.Queue(auditHeadsMakeSQL, none, zero[:])
	b.Queue(auditHeadsLockSQL, none)
	b.Queue(auditInsertSQL, none, noSeqs, noData)
	b.Queue(auditHeadsWriteSQL, none, noSeqs, noData)
	return b
}

// warmConn runs warmBatch on c, in two round trips (one prepares the
// statements, one runs them).
func warmConn(ctx context.Context, c *pgx.Conn) error {
	return c.SendBatch(ctx, warmBatch()).Close()
}

// prepareConn is a server's pool's AfterConnect: it warms the connection
// and keeps it unless warming closed it. A database that cannot run the
// statements (one not migrated yet) answers with an error and keeps the
// connection open; Open's own check then tells it apart, with a message
// that says what to do.
func prepareConn(ctx context.Context, c *pgx.Conn) error {
	if err := warmConn(ctx, c); err != nil && c.IsClosed() {
		return err
	}
	return nil
}
