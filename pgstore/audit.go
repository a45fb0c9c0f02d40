package pgstore

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"hecha"
)

// auditLog is the county's audit trail in PostgreSQL (hecha.AuditLog):
// the log of the store's scope (its county's code, or empty for the province).
// Appends are group-committed through the store's queue: the entries of
// every Append that arrives while a commit is being written go together
// into the next one. A commit is one transaction: it locks the head row
// of each log it appends to, seals the entries after it
// (hecha.SealAudit), inserts them and writes the new head, so appends
// from several processes chain one after the other, and a hundred
// requests at once wait for a few commits holding the head, not for a
// hundred.
type auditLog struct {
	s   *Store
	log string
}

// auditAppend is one Append's entries for its log.
type auditAppend struct {
	log     string
	entries []hecha.AuditEntry
}

var _ hecha.AuditLog = (*auditLog)(nil)

// Audit returns the audit trail of the store's scope.
func (s *Store) Audit() hecha.AuditLog { return &auditLog{s: s, log: string(s.county)} }

// Append validates the entries and appends them, sealed, in a transaction
// shared with the other Appends of the store waiting at the time. A
// cancelled ctx does not stop the write: an action that happened is
// recorded.
func (l *auditLog) Append(ctx context.Context, entries ...hecha.AuditEntry) error {
	if err := hecha.ValidateAudit(entries); err != nil {
		return err
	}
	if len(entries) == 0 {
		return nil
	}
	ctx = context.WithoutCancel(ctx)
	s := l.s
	return s.auditQueue.Do(auditAppend{log: l.log, entries: entries}, func(batch []auditAppend) error {
		return s.attempt(ctx, pgx.TxOptions{}, false, func(tx pgx.Tx) error { return appendAudit(ctx, tx, batch) })
	})
}

// The statements of appendAudit, one after the other: make the head rows
// of the logs $1 that have none (hash $2, zero), read and lock the heads
// of the logs $1, insert the entries (logs $1, seqs $2, entries $3) and
// write the heads (logs $1, seqs $2, hashes $3).
const (
	auditHeadsMakeSQL = `INSERT INTO hecha_audit_heads (log, seq, hash) SELECT l, 0, $2 FROM unnest($1::text[]) AS u(l)
	ON CONFLICT (log) DO NOTHING`
	auditHeadsLockSQL = `SELECT log, seq, hash FROM hecha_audit_heads WHERE log = ANY($1::text[]) ORDER BY log FOR UPDATE`
	auditInsertSQL    = `INSERT INTO hecha_audit (log, seq, entry)
	SELECT l, s, d FROM unnest($1::text[], $2::bigint[], $3::bytea[]) AS u(l, s, d)`
	auditHeadsWriteSQL = `UPDATE hecha_audit_heads h SET seq = u.s, hash = u.h
	FROM unnest($1::text[], $2::bigint[], $3::bytea[]) AS u(l, s, h) WHERE h.log = u.l`
)

// appendAudit appends the entries of batch to their logs, in order, in
// two round trips, which also begin and commit the transaction (txn): the
// first makes any head row missing and locks the
// logs' head rows in the order of their names (so that two commits never
// wait for each other's) and reads them; the entries are sealed after the
// heads here; the second inserts them and writes the new heads. The head
// rows stay locked from the first until the commit: each round trip under
// load is a wait for a busy database, and every request of every server
// waits for the commits holding them.
func appendAudit(ctx context.Context, tx pgx.Tx, batch []auditAppend) error {
	var logs []string
	for _, a := range batch {
		if !slices.Contains(logs, a.log) {
			logs = append(logs, a.log)
		}
	}
	slices.Sort(logs)
	heads := make(map[string]hecha.AuditHead, len(logs))
	var zero [32]byte
	b := &pgx.Batch{}
	b.Queue(auditHeadsMakeSQL, logs, zero[:])
	b.Queue(auditHeadsLockSQL, logs).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var log string
			var seq int64
			var hash []byte
			if err := rows.Scan(&log, &seq, &hash); err != nil {
				return err
			}
			h, err := auditHead(log, seq, hash)
			if err != nil {
				return err
			}
			heads[log] = h
		}
		return rows.Err()
	})
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return err
	}
	var entryLogs []string
	var seqs []int64
	var datas [][]byte
	for _, a := range batch {
		head := heads[a.log]
		for _, e := range a.entries {
			e, head = hecha.SealAudit(head, e)
			entryLogs, seqs, datas = append(entryLogs, a.log), append(seqs, int64(e.Seq)), append(datas, hecha.MarshalAudit(&e))
		}
		heads[a.log] = head
	}
	headSeqs, headHashes := make([]int64, len(logs)), make([][]byte, len(logs))
	for i, log := range logs {
		h := heads[log]
		headSeqs[i], headHashes[i] = int64(h.Seq), h.Hash[:]
	}
	b = &pgx.Batch{}
	b.Queue(auditInsertSQL, entryLogs, seqs, datas)
	b.Queue(auditHeadsWriteSQL, logs, headSeqs, headHashes)
	return sendLast(ctx, tx, b)
}

// lockHead reads a log's head and locks its row until tx ends, making the
// row of a log that has none yet.
func lockHead(ctx context.Context, tx pgx.Tx, log string) (hecha.AuditHead, error) {
	var zero [32]byte
	if _, err := tx.Exec(ctx, `INSERT INTO hecha_audit_heads (log, seq, hash) VALUES ($1, 0, $2)
		ON CONFLICT (log) DO NOTHING`, log, zero[:]); err != nil {
		return hecha.AuditHead{}, err
	}
	return readHead(ctx, tx, log, true)
}

// readHead reads a log's head, locking its row when lock is set.
func readHead(ctx context.Context, tx pgx.Tx, log string, lock bool) (hecha.AuditHead, error) {
	var h hecha.AuditHead
	q := `SELECT seq, hash FROM hecha_audit_heads WHERE log = $1`
	if lock {
		q += ` FOR UPDATE`
	}
	var seq int64
	var hash []byte
	err := tx.QueryRow(ctx, q, log).Scan(&seq, &hash)
	if errors.Is(err, pgx.ErrNoRows) {
		return h, nil
	}
	if err != nil {
		return h, err
	}
	return auditHead(log, seq, hash)
}

// auditHead makes the head of log from its row.
func auditHead(log string, seq int64, hash []byte) (hecha.AuditHead, error) {
	var h hecha.AuditHead
	if len(hash) != len(h.Hash) {
		return h, fmt.Errorf("the audit head of log %q is %d bytes", log, len(hash))
	}
	h.Seq = uint64(seq)
	copy(h.Hash[:], hash)
	return h, nil
}

// Entries calls fn with every entry that matches f, in sequence order, a
// page at a time, outside any transaction.
//
// Errors: an EINVALID audit.unreadable error naming the entry that does
// not decode; fn's error.
func (l *auditLog) Entries(ctx context.Context, f hecha.AuditFilter, fn func(hecha.AuditEntry) error) error {
	const page = 1000
	var after int64
	for {
		rows, err := l.s.pool.Query(ctx, `SELECT seq, entry FROM hecha_audit WHERE log = $1 AND seq > $2
			ORDER BY seq LIMIT $3`, l.log, after, page)
		if err != nil {
			return l.s.dbErr(err)
		}
		var got []hecha.AuditEntry
		n := 0
		for rows.Next() {
			var seq int64
			var data []byte
			if err := rows.Scan(&seq, &data); err != nil {
				rows.Close()
				return l.s.dbErr(err)
			}
			n++
			after = seq
			e, err := hecha.UnmarshalAudit(data)
			if err != nil {
				rows.Close()
				return hecha.AuditUnreadable(uint64(seq), err)
			}
			if f.Match(&e) {
				got = append(got, e)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return l.s.dbErr(err)
		}
		for _, e := range got {
			if err := fn(e); err != nil {
				return err
			}
		}
		if n < page {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

// Head returns the head of the log.
func (l *auditLog) Head(ctx context.Context) (hecha.AuditHead, error) {
	var h hecha.AuditHead
	err := l.s.view(ctx, func(tx pgx.Tx) error {
		var err error
		h, err = readHead(ctx, tx, l.log, false)
		return err
	})
	return h, err
}
