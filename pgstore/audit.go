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

// appendAudit appends the entries of batch to their logs, in order; the
// logs' head rows are locked in the order of their names, so that two
// commits never wait for each other's.
func appendAudit(ctx context.Context, tx pgx.Tx, batch []auditAppend) error {
	var logs []string
	for _, a := range batch {
		if !slices.Contains(logs, a.log) {
			logs = append(logs, a.log)
		}
	}
	slices.Sort(logs)
	for _, log := range logs {
		head, err := lockHead(ctx, tx, log)
		if err != nil {
			return err
		}
		var seqs []int64
		var datas [][]byte
		for _, a := range batch {
			if a.log != log {
				continue
			}
			for _, e := range a.entries {
				e, head = hecha.SealAudit(head, e)
				seqs, datas = append(seqs, int64(e.Seq)), append(datas, hecha.MarshalAudit(&e))
			}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO hecha_audit (log, seq, entry)
			SELECT $1, s, d FROM unnest($2::bigint[], $3::bytea[]) AS u(s, d)`, log, seqs, datas); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE hecha_audit_heads SET seq = $2, hash = $3 WHERE log = $1`,
			log, int64(head.Seq), head.Hash[:]); err != nil {
			return err
		}
	}
	return nil
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
