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
func (db *CountyDB) CasesSince(ctx context.Context, township hecha.Code, cursor uint64, limit int) ([]hecha.Case, uint64, error) {
	return db.CasesSinceFor(ctx, township, hecha.OwnChanges{}, cursor, limit)
}

// CasesSinceFor is CasesSince leaving out each case whose latest change
// is one that own names, when nothing else changed the case after cursor:
// the puller already holds what its own result did to the case. Its
// cursor still moves past them.
func (db *CountyDB) CasesSinceFor(ctx context.Context, township hecha.Code, own hecha.OwnChanges, cursor uint64, limit int) ([]hecha.Case, uint64, error) {
	if township.Level() != hecha.LevelTownship {
		return nil, cursor, hecha.Invalid("township", "county.token_level", string(township))
	}
	if limit <= 0 {
		limit = defaultPage
	}
	var out []hecha.Case
	next := cursor
	err := db.view(ctx, func(tx *bbolt.Tx) error {
		changes, causes := tx.Bucket(bucketCountyChanges), tx.Bucket(bucketCountyChangeCause)
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
			seq := binary.BigEndian.Uint64(k[len(p):])
			if own.Device != "" && seq >= own.From && seq <= own.To {
				dev, prev, ok := decodeCause(causes.Get(key(v, []byte(township))))
				if ok && dev == own.Device && prev <= from {
					next = seq
					continue
				}
			}
			c, _, err := mustLoadCase(tx, string(v))
			if err != nil {
				return err
			}
			out = append(out, *c)
			next = seq
		}
		return nil
	})
	if err != nil {
		return nil, cursor, err
	}
	return out, next, nil
}

// decodeCause reads a bucketCountyChangeCause value.
func decodeCause(v []byte) (device string, prev uint64, ok bool) {
	i := bytes.IndexByte(v, 0)
	if i <= 0 || len(v) != i+9 {
		return "", 0, false
	}
	return string(v[:i]), binary.BigEndian.Uint64(v[i+1:]), true
}

// touchCase gives a case the next number of the change sequence in the
// township's changes, removing its earlier entry there.
func touchCase(tx *bbolt.Tx, id string, township hecha.Code) error {
	_, err := touchCaseBy(tx, id, township, "")
	return err
}

// touchCaseBy is touchCase for a change made by applying a result that
// device sent ("" for any other change), recorded in
// bucketCountyChangeCause. It returns the change's seq (0 when township
// is "").
func touchCaseBy(tx *bbolt.Tx, id string, township hecha.Code, device string) (uint64, error) {
	if township == "" {
		return 0, nil
	}
	changes, of := tx.Bucket(bucketCountyChanges), tx.Bucket(bucketCountyChangeOf)
	causes := tx.Bucket(bucketCountyChangeCause)
	ofKey := key([]byte(id), []byte(township))
	var prev uint64 // the last change the device did not make
	if old := of.Get(ofKey); old != nil {
		prev = binary.BigEndian.Uint64(old)
		if err := changes.Delete(key([]byte(township), copyBytes(old))); err != nil {
			return 0, err
		}
	}
	if dev, p, ok := decodeCause(causes.Get(ofKey)); ok && dev == device {
		prev = p
	}
	seq, err := changes.NextSequence()
	if err != nil {
		return 0, err
	}
	if err := changes.Put(key([]byte(township), u64(seq)), []byte(id)); err != nil {
		return 0, err
	}
	if err := of.Put(ofKey, u64(seq)); err != nil {
		return 0, err
	}
	if device == "" {
		return seq, causes.Delete(ofKey)
	}
	return seq, causes.Put(ofKey, append(append([]byte(device), 0), u64(prev)...))
}
