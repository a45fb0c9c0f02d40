package store

import (
	"context"
	"encoding/binary"
	"fmt"

	"go.etcd.io/bbolt"

	"hecha"
	"hecha/internal/groupcommit"
)

// AuditLog is the county's audit trail in its bbolt file
// (hecha.AuditLog): bucketAudit holds the entries by seq, keyAuditHead the
// head. Entries are sealed by the root's SealAudit inside the transaction
// that appends them; there is no method to change or remove one.
//
// Appends are group-committed: while one transaction is being written and
// synced, the entries of every Append that arrives meanwhile wait, and go
// together into the next transaction. A lone request pays one commit; a
// hundred requests at once pay a few, not a hundred.
type AuditLog struct {
	db     *DB
	commit groupcommit.Queue[[]hecha.AuditEntry]
}

// Audit returns the county's audit trail. There is one per CountyDB, so
// that its group commit serves every request (two AuditLogs on one file
// would stay correct: each commit links to the head it reads).
func (db *CountyDB) Audit() hecha.AuditLog { return db.audit }

var _ hecha.AuditLog = (*AuditLog)(nil)

// Append validates the entries and appends them, sealed, in one
// transaction shared with the other Appends waiting at the time. It
// returns once they are committed. A cancelled ctx does not stop the
// write: an action that happened is recorded.
//
// Errors: EINVALID when an entry fails Validate (nothing is appended);
// EUNAVAILABLE for a database that is closed or damaged.
func (l *AuditLog) Append(ctx context.Context, entries ...hecha.AuditEntry) error {
	if err := hecha.ValidateAudit(entries); err != nil {
		return err
	}
	if len(entries) == 0 {
		return nil
	}
	ctx = context.WithoutCancel(ctx)
	return l.commit.Do(entries, func(batch [][]hecha.AuditEntry) error {
		return l.db.update(ctx, func(tx *bbolt.Tx) error { return appendAudit(tx, batch) })
	})
}

// appendAudit seals and appends the entries of batch after the head.
func appendAudit(tx *bbolt.Tx, batch [][]hecha.AuditEntry) error {
	meta, b := tx.Bucket(bucketMeta), tx.Bucket(bucketAudit)
	head, err := auditHead(tx)
	if err != nil {
		return err
	}
	for _, entries := range batch {
		for _, e := range entries {
			e, head = hecha.SealAudit(head, e)
			if err := b.Put(u64(e.Seq), hecha.MarshalAudit(&e)); err != nil {
				return err
			}
		}
	}
	return meta.Put(keyAuditHead, encodeAuditHead(head))
}

// auditHead reads the head kept in the meta bucket.
func auditHead(tx *bbolt.Tx) (hecha.AuditHead, error) {
	var h hecha.AuditHead
	v := tx.Bucket(bucketMeta).Get(keyAuditHead)
	if v == nil {
		return h, nil
	}
	if len(v) != 8+len(h.Hash) {
		return h, errDamaged(tx.DB().Path(), fmt.Errorf("the audit head is %d bytes", len(v)))
	}
	h.Seq = binary.BigEndian.Uint64(v)
	copy(h.Hash[:], v[8:])
	return h, nil
}

func encodeAuditHead(h hecha.AuditHead) []byte {
	return append(u64(h.Seq), h.Hash[:]...)
}

// Entries calls fn with every entry that matches f, in sequence order,
// outside the read transaction, a page at a time, so that fn may take
// its time (write a table) without holding the file.
//
// Errors: an EINVALID audit.unreadable error naming the entry (by its
// key) that does not decode; fn's error.
func (l *AuditLog) Entries(ctx context.Context, f hecha.AuditFilter, fn func(hecha.AuditEntry) error) error {
	const page = 1000
	var after []byte
	for {
		var got []hecha.AuditEntry
		var last []byte
		err := l.db.view(ctx, func(tx *bbolt.Tx) error {
			c := tx.Bucket(bucketAudit).Cursor()
			k, v := c.First()
			if after != nil {
				k, v = c.Seek(after)
				if k != nil && string(k) == string(after) {
					k, v = c.Next()
				}
			}
			for n := 0; k != nil && n < page; k, v = c.Next() {
				n++
				last = copyBytes(k)
				e, err := hecha.UnmarshalAudit(v)
				if err != nil {
					return hecha.AuditUnreadable(keySeq(k), err)
				}
				if f.Match(&e) {
					got = append(got, e)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, e := range got {
			if err := fn(e); err != nil {
				return err
			}
		}
		if last == nil {
			return nil // the last page was empty
		}
		after = last
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

// keySeq returns the seq an entry's key stands for: its 8 bytes, or, for
// a key that is not 8 bytes long, its first bytes as far as they go.
func keySeq(k []byte) uint64 {
	var b [8]byte
	copy(b[:], k)
	return binary.BigEndian.Uint64(b[:])
}

// Head returns the head of the log.
func (l *AuditLog) Head(ctx context.Context) (hecha.AuditHead, error) {
	var h hecha.AuditHead
	err := l.db.view(ctx, func(tx *bbolt.Tx) error {
		var err error
		h, err = auditHead(tx)
		return err
	})
	return h, err
}
