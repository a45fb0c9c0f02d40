package pgstore

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"hecha"
)

// loadCasesLocked reads the cases ids of county and their states, locking
// their rows, in one query. Ids not found are missing from the map.
func loadCasesLocked(ctx context.Context, tx pgx.Tx, county hecha.Code, ids []string) (map[string]*hecha.Case, map[string]*caseState, error) {
	rows, err := tx.Query(ctx, `SELECT county, id, status, content_rev, assign_rev, in_force, import_hash, data FROM hecha_cases
		WHERE `+countyCond("county", county)+` AND id = ANY($2::text[]) ORDER BY county, id FOR UPDATE`, string(county), ids)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	cases, states := make(map[string]*hecha.Case, len(ids)), make(map[string]*caseState, len(ids))
	for rows.Next() {
		st := new(caseState)
		var c, id, status string
		var data []byte
		if err := rows.Scan(&c, &id, &status, &st.contentRev, &st.assignRev, &st.inForce, &st.importHash, &data); err != nil {
			return nil, nil, err
		}
		if _, dup := cases[id]; dup {
			continue // the first county's, as loadCase
		}
		st.county, st.status = hecha.Code(c), hecha.Status(status)
		cs, err := decodeCase(data)
		if err != nil {
			return nil, nil, err
		}
		cases[id], states[id] = cs, st
	}
	return cases, states, rows.Err()
}

// queuedWrites is a transaction whose Exec statements are queued and sent
// together by flush, in one round trip, instead of one by one. Queries go
// through at once. Only for writes no later query of the transaction
// reads before flush: assignEach's reads are of the registries, its
// writes of cases, candidates and conflicts.
type queuedWrites struct {
	pgx.Tx
	b pgx.Batch
}

// Exec queues the statement; its outcome is known at flush.
func (q *queuedWrites) Exec(_ context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	q.b.Queue(sql, args...)
	return pgconn.CommandTag{}, nil
}

// flush sends the queued statements and returns the first error.
func (q *queuedWrites) flush(ctx context.Context) error {
	if q.b.Len() == 0 {
		return nil
	}
	err := q.Tx.SendBatch(ctx, &q.b).Close()
	q.b = pgx.Batch{}
	return err
}
