package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	stdsync "sync"

	"go.etcd.io/bbolt"

	"hecha"
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
	db *DB

	mu      stdsync.Mutex
	queue   []*auditAppend // waiting for the next commit
	writing bool           // a goroutine is committing
}

// auditAppend is one Append waiting for its commit. done receives the
// commit's error, or errAuditLead when the caller is to commit next.
type auditAppend struct {
	entries []hecha.AuditEntry
	done    chan error
}

// errAuditLead hands the next commit to a waiting Append.
var errAuditLead = errors.New("lead the next audit commit")

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
	me := &auditAppend{entries: entries, done: make(chan error, 1)}
	l.mu.Lock()
	l.queue = append(l.queue, me)
	if l.writing {
		l.mu.Unlock()
		if err := <-me.done; err != errAuditLead {
			return err
		}
		l.mu.Lock()
	}
	// This caller commits everything queued, itself included.
	l.writing = true
	batch := l.queue
	l.queue = nil
	l.mu.Unlock()

	err := l.db.update(context.WithoutCancel(ctx), func(tx *bbolt.Tx) error {
		return appendAudit(tx, batch)
	})
	for _, a := range batch {
		if a != me {
			a.done <- err
		}
	}
	// Hand the next commit to the first one waiting, if any.
	l.mu.Lock()
	if len(l.queue) > 0 {
		l.queue[0].done <- errAuditLead
	} else {
		l.writing = false
	}
	l.mu.Unlock()
	return err
}

// appendAudit seals and appends the entries of batch after the head.
func appendAudit(tx *bbolt.Tx, batch []*auditAppend) error {
	meta, b := tx.Bucket(bucketMeta), tx.Bucket(bucketAudit)
	head, err := auditHead(tx)
	if err != nil {
		return err
	}
	for _, a := range batch {
		for _, e := range a.entries {
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
