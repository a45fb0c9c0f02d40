package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"slices"

	"go.etcd.io/bbolt"

	"hecha"
	"hecha/internal/codec"
)

// The source bytes that start a record's key in the county's registry
// buckets.
const (
	srcFloating = 'F'
	srcResident = 'R'
)

// getFloating and getResident read one record by id; nil when absent.
func getFloating(tx *bbolt.Tx, id string) (*hecha.FloatingRecord, error) {
	v, err := getValue(tx, bucketFloating, []byte(id))
	if err != nil || v == nil {
		return nil, err
	}
	var rec hecha.FloatingRecord
	if err := codec.DecodeFloating(v, &rec); err != nil {
		return nil, errDecode(tx, bucketFloating, id, err)
	}
	return &rec, nil
}

func getResident(tx *bbolt.Tx, id string) (*hecha.ResidentRecord, error) {
	v, err := getValue(tx, bucketResident, []byte(id))
	if err != nil || v == nil {
		return nil, err
	}
	var rec hecha.ResidentRecord
	if err := codec.DecodeResident(v, &rec); err != nil {
		return nil, errDecode(tx, bucketResident, id, err)
	}
	return &rec, nil
}

// putFloating and putResident write one record with its index entries;
// on the county a changed record joins the registry changes of the
// townships that hold it (see regWriter.put).
func putFloating(tx *bbolt.Tx, rec *hecha.FloatingRecord) error {
	return putFloatingTx(tx, []hecha.FloatingRecord{*rec})
}

func putResident(tx *bbolt.Tx, rec *hecha.ResidentRecord) error {
	return putResidentTx(tx, []hecha.ResidentRecord{*rec})
}

// recordKey is the key of a record in the county's registry buckets.
func recordKey(src byte, id string) []byte {
	return append([]byte{src}, id...)
}

// sequenceRecord puts the record rk in the registry changes of every
// township that holds it: town (its household's), oldTown (its household's
// before this write) and the townships with a case it is a candidate of.
func sequenceRecord(tx *bbolt.Tx, rk []byte, town, oldTown hecha.Code) error {
	var towns []hecha.Code
	add := func(t hecha.Code) {
		if t != "" && !slices.Contains(towns, t) {
			towns = append(towns, t)
		}
	}
	add(town)
	add(oldTown)
	c := tx.Bucket(bucketCountyRegCand).Cursor()
	p := prefix(rk)
	for k, _ := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, _ = c.Next() {
		rest := k[len(p):]
		if i := bytes.IndexByte(rest, sep); i > 0 {
			add(hecha.Code(rest[:i]))
		}
	}
	for _, t := range towns {
		if err := touchRecord(tx, rk, t); err != nil {
			return err
		}
	}
	return nil
}

// touchRecord gives a record the next number of the registry change
// sequence in the township's registry changes, removing its earlier entry.
func touchRecord(tx *bbolt.Tx, rk []byte, township hecha.Code) error {
	changes, of := tx.Bucket(bucketCountyRegChanges), tx.Bucket(bucketCountyRegChangeOf)
	ofKey := key(rk, []byte(township))
	if old := of.Get(ofKey); old != nil {
		if err := changes.Delete(key([]byte(township), copyBytes(old))); err != nil {
			return err
		}
	}
	seq, err := changes.NextSequence()
	if err != nil {
		return err
	}
	if err := changes.Put(key([]byte(township), u64(seq)), rk); err != nil {
		return err
	}
	return of.Put(ofKey, u64(seq))
}

// compareCase runs the comparison for c at day precision against the
// county's registries, inside tx, and returns the candidates.
func compareCase(tx *bbolt.Tx, c *hecha.Case) ([]hecha.Candidate, error) {
	reg := txRegistry{tx}
	cm, err := hecha.Compare(c, reg, reg, hecha.PrecisionDay)
	if err != nil {
		return nil, err
	}
	return cm.Candidates, nil
}

// setCandidates attaches cands to c. The records found join the extract of
// c's township; c's old candidates leave oldTown's candidate index.
func setCandidates(tx *bbolt.Tx, c *hecha.Case, cands []hecha.Candidate, oldTown hecha.Code) error {
	idx := tx.Bucket(bucketCountyRegCand)
	for _, cd := range c.Candidates {
		if err := idx.Delete(key(candKey(cd), []byte(oldTown), []byte(c.ID))); err != nil {
			return err
		}
	}
	c.Candidates = cands
	town := c.Unit.At(hecha.LevelTownship)
	if town == "" {
		return nil
	}
	for _, cd := range c.Candidates {
		rk := candKey(cd)
		if err := idx.Put(key(rk, []byte(town), []byte(c.ID)), nil); err != nil {
			return err
		}
		if err := touchRecord(tx, rk, town); err != nil {
			return err
		}
	}
	return nil
}

// candKey returns the registry key of a candidate's record.
func candKey(cd hecha.Candidate) []byte {
	if cd.Floating != nil {
		return recordKey(srcFloating, cd.Floating.ID)
	}
	return recordKey(srcResident, cd.RecordID())
}

// RegistrySince returns up to limit records of the township's registry
// extract changed after cursor, in change order, and the cursor to ask
// from next. The extract holds the records whose household division lies
// in the township and the records that are candidates of its cases; every
// registry write joins it in its own transaction (see regWriter.put). A
// limit of 0 or less means defaultPage. A cursor beyond the registry
// change sequence is answered as CasesSince answers one: as for cursor 0,
// with next below cursor.
func (db *CountyDB) RegistrySince(ctx context.Context, township hecha.Code, cursor uint64, limit int) ([]hecha.FloatingRecord, []hecha.ResidentRecord, uint64, error) {
	if township.Level() != hecha.LevelTownship {
		return nil, nil, cursor, hecha.Invalid("township", "county.token_level", string(township))
	}
	if limit <= 0 {
		limit = defaultPage
	}
	var fl []hecha.FloatingRecord
	var rs []hecha.ResidentRecord
	next := cursor
	err := db.view(ctx, func(tx *bbolt.Tx) error {
		changes := tx.Bucket(bucketCountyRegChanges)
		from := cursor
		if from > changes.Sequence() {
			// A cursor the sequence has not reached: the county was
			// restored from an older copy. Answer from the start, with a
			// next below cursor, so the township starts over.
			from, next = 0, 0
		}
		cur := changes.Cursor()
		p := prefix([]byte(township))
		for k, v := cur.Seek(append(p, u64(from+1)...)); k != nil && bytes.HasPrefix(k, p) && len(fl)+len(rs) < limit; k, v = cur.Next() {
			if len(v) < 2 {
				return errMissing(fmt.Sprintf("registry change %x", k))
			}
			id := string(v[1:])
			switch v[0] {
			case srcFloating:
				rec, err := getFloating(tx, id)
				if err != nil {
					return err
				}
				if rec != nil {
					fl = append(fl, *rec)
				}
			case srcResident:
				rec, err := getResident(tx, id)
				if err != nil {
					return err
				}
				if rec != nil {
					rs = append(rs, *rec)
				}
			}
			next = binary.BigEndian.Uint64(k[len(p):])
		}
		return nil
	})
	if err != nil {
		return nil, nil, cursor, err
	}
	return fl, rs, next, nil
}

// RefreshRegistry used to put the registry records written since its last
// run in the townships' extracts. Every registry write now does that in
// its own transaction, and files written before are brought up to date
// when they are opened (schema version 2), so it has nothing left to do.
//
// Deprecated: registry writes are sequenced as they happen; there is no
// need to call RefreshRegistry.
func (db *CountyDB) RefreshRegistry(ctx context.Context) error {
	return ctx.Err()
}
