package store

import (
	"bytes"

	"go.etcd.io/bbolt"

	"hecha"
)

// resetSending puts outbox items left in sending (a crash or a dropped
// connection mid upload) back to pending. Called on Open.
func resetSending(tx *bbolt.Tx) error {
	idx := tx.Bucket(bucketOutboxState)
	p := prefix([]byte(hecha.OutboxSending))
	var seqs [][]byte
	c := idx.Cursor()
	for k, _ := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, _ = c.Next() {
		seqs = append(seqs, copyBytes(k[len(p):]))
	}
	for _, seq := range seqs {
		if err := setOutboxState(tx, seq, func(it *hecha.OutboxItem) { it.State = hecha.OutboxPending }); err != nil {
			return err
		}
	}
	return nil
}

// setOutboxState loads the outbox item at seq, applies fn and stores it,
// moving its state index entry when the state changed.
func setOutboxState(tx *bbolt.Tx, seq []byte, fn func(*hecha.OutboxItem)) error {
	ob := tx.Bucket(bucketOutbox)
	var it hecha.OutboxItem
	ok, err := getJSON(ob, seq, &it)
	if err != nil {
		return err
	}
	if !ok {
		return notFound("store.result_not_found", string(seq))
	}
	old := it.State
	fn(&it)
	if err := putJSON(ob, seq, &it); err != nil {
		return err
	}
	if old == it.State {
		return nil
	}
	idx := tx.Bucket(bucketOutboxState)
	if err := idx.Delete(key([]byte(old), seq)); err != nil {
		return err
	}
	return idx.Put(key([]byte(it.State), seq), nil)
}
