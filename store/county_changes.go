package store

import (
	"bytes"
	"context"
	"encoding/binary"

	"go.etcd.io/bbolt"

	"hecha"
)

// CasesSince returns up to limit cases in the township's change sequence
// after cursor, in sequence order, and the cursor to ask from next (cursor
// itself when there is nothing new). The township's changes are the cases
// assigned to it (or to one of its villages) and those taken from it since:
// these come with their new Unit, so the township learns they moved. A
// limit of 0 or less means defaultPage.
//
// A cursor beyond the county's change sequence means the county was
// restored from an older copy after the township had pulled: CasesSince
// then answers as for cursor 0, so next is below cursor, which tells the
// township to start over from 0 (the sync client does). A restored county
// whose sequence has since grown past the township's cursor again cannot
// be told apart this way.
func (db *DB) CasesSince(ctx context.Context, township hecha.Code, cursor uint64, limit int) ([]hecha.Case, uint64, error) {
	if township.Level() != hecha.LevelTownship {
		return nil, cursor, hecha.Invalid("township", "county.token_level", string(township))
	}
	if limit <= 0 {
		limit = defaultPage
	}
	var out []hecha.Case
	next := cursor
	err := db.view(ctx, func(tx *bbolt.Tx) error {
		changes := tx.Bucket(bucketCountyChanges)
		from := cursor
		if from > changes.Sequence() {
			// A cursor the sequence has not reached: the county was
			// restored from an older copy. Answer from the start, with a
			// next below cursor, so the township starts over.
			from, next = 0, 0
		}
		cur := changes.Cursor()
		p := prefix([]byte(township))
		for k, v := cur.Seek(append(p, u64(from+1)...)); k != nil && bytes.HasPrefix(k, p) && len(out) < limit; k, v = cur.Next() {
			c, _, err := mustLoadCase(tx, string(v))
			if err != nil {
				return err
			}
			out = append(out, *c)
			next = binary.BigEndian.Uint64(k[len(p):])
		}
		return nil
	})
	if err != nil {
		return nil, cursor, err
	}
	return out, next, nil
}

// touchCase gives a case the next number of the change sequence in the
// township's changes, removing its earlier entry there.
func touchCase(tx *bbolt.Tx, id string, township hecha.Code) error {
	if township == "" {
		return nil
	}
	changes, of := tx.Bucket(bucketCountyChanges), tx.Bucket(bucketCountyChangeOf)
	ofKey := key([]byte(id), []byte(township))
	if old := of.Get(ofKey); old != nil {
		if err := changes.Delete(key([]byte(township), copyBytes(old))); err != nil {
			return err
		}
	}
	seq, err := changes.NextSequence()
	if err != nil {
		return err
	}
	if err := changes.Put(key([]byte(township), u64(seq)), []byte(id)); err != nil {
		return err
	}
	return of.Put(ofKey, u64(seq))
}
