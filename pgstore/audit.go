package pgstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"hecha"
)

// auditLog is the county's audit trail in PostgreSQL (hecha.AuditLog):
// the log of the store's scope (its county's code, or empty for the province).
// Append runs in one transaction: it locks the log's head row, seals the
// entries after it (hecha.SealAudit), inserts them and writes the new
// head, so appends from several processes chain one after the other.
type auditLog struct {
	s   *Store
	log string
}

var _ hecha.AuditLog = (*auditLog)(nil)

// Audit returns the audit trail of the store's scope.
func (s *Store) Audit() hecha.AuditLog { return &auditLog{s: s, log: string(s.county)} }

// Append validates the entries and appends them, sealed, in one
// transaction. A cancelled ctx does not stop the write: an action that
// happened is recorded.
func (l *auditLog) Append(ctx context.Context, entries ...hecha.AuditEntry) error {
	if err := hecha.ValidateAudit(entries); err != nil {
		return err
	}
	if len(entries) == 0 {
		return nil
	}
	ctx = context.WithoutCancel(ctx)
	return l.s.tx(ctx, func(tx pgx.Tx) error {
		var zero [32]byte
		if _, err := tx.Exec(ctx, `INSERT INTO hecha_audit_heads (log, seq, hash) VALUES ($1, 0, $2)
			ON CONFLICT (log) DO NOTHING`, l.log, zero[:]); err != nil {
			return err
		}
		head, err := readHead(ctx, tx, l.log, true)
		if err != nil {
			return err
		}
		seqs, datas := make([]int64, len(entries)), make([][]byte, len(entries))
		for i, e := range entries {
			e, head = hecha.SealAudit(head, e)
			seqs[i], datas[i] = int64(e.Seq), hecha.MarshalAudit(&e)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO hecha_audit (log, seq, entry)
			SELECT $1, s, d FROM unnest($2::bigint[], $3::bytea[]) AS u(s, d)`, l.log, seqs, datas); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE hecha_audit_heads SET seq = $2, hash = $3 WHERE log = $1`,
			l.log, int64(head.Seq), head.Hash[:])
		return err
	})
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
