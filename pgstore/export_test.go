package pgstore

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"hecha"
)

// SetTestHookFlushed sets testHookFlushed for the test tb.
func SetTestHookFlushed(tb testing.TB, fn func()) {
	testHookFlushed = fn
	tb.Cleanup(func() { testHookFlushed = nil })
}

// CountRoundTrips makes s's connections count the statements and batches
// they send (see roundTrips) and returns the count: s's pool is replaced
// by one of the same configuration with a tracer.
func CountRoundTrips(tb testing.TB, s *Store) *atomic.Int64 {
	tb.Helper()
	cfg := s.pool.Config()
	rt := &roundTrips{}
	cfg.ConnConfig.Tracer = rt
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		tb.Fatal(err)
	}
	old := s.pool
	s.pool = pool
	old.Close()
	return &rt.n
}

// SetServingCheck sets how often HoldServing checks its connection, for
// the test tb.
func SetServingCheck(tb testing.TB, d time.Duration) {
	old := servingCheck
	servingCheck = d
	tb.Cleanup(func() { servingCheck = old })
}

// SetTestHookMigrating sets testHookMigrating for the rest of the process
// (the crash test's child only).
func SetTestHookMigrating(fn func(version int)) { testHookMigrating = fn }

// ExplainCases returns the plan PostgreSQL chooses for Cases(f), on
// fresh statistics and with sequential scans turned off: what the query
// lets the planner use.
func ExplainCases(tb testing.TB, s *Store, f hecha.CaseFilter) string {
	tb.Helper()
	q, args := s.casesQuery(f)
	ctx := context.Background()
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `ANALYZE hecha_cases`); err != nil {
		tb.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `SET enable_seqscan = off`); err != nil {
		tb.Fatal(err)
	}
	defer conn.Exec(ctx, `RESET enable_seqscan`)
	rows, err := conn.Query(ctx, "EXPLAIN "+q, args...)
	if err != nil {
		tb.Fatal(err)
	}
	lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		tb.Fatal(err)
	}
	return strings.Join(lines, "\n")
}

// PoolConns returns how many connections the store's pool holds.
func PoolConns(s *Store) int32 { return s.pool.Stat().TotalConns() }

// WarmSQL is what a server's connections run as they are made (warmBatch).
func WarmSQL() []string {
	var sqls []string
	for _, q := range warmBatch().QueuedQueries {
		sqls = append(sqls, q.SQL)
	}
	return sqls
}

// WarmConn runs warmBatch on conn.
func WarmConn(ctx context.Context, conn *pgx.Conn) error { return warmConn(ctx, conn) }

// EachConn calls fn with each of the n connections s's pool holds, all
// acquired at once, so that fn sees every one.
func EachConn(tb testing.TB, s *Store, n int, fn func(*pgx.Conn)) {
	tb.Helper()
	var conns []*pgxpool.Conn
	for range n {
		c, err := s.pool.Acquire(context.Background())
		if err != nil {
			tb.Fatal(err)
		}
		conns = append(conns, c)
	}
	for _, c := range conns {
		fn(c.Conn())
	}
	for _, c := range conns {
		c.Release()
	}
}
