package store

import (
	"encoding/binary"
	"hash/crc64"

	"go.etcd.io/bbolt"

	"hecha"
	"hecha/internal/codec"
)

// Version 1 left registry writes out of the county's registry changes
// until RefreshRegistry found them, by comparing a checksum of each record
// with the one kept in the bucket below when it was last sequenced, and
// kept the time of its last run in the meta key below.
var (
	legacyRegSeen      = []byte("county_reg_seen")
	legacyRegRefreshed = []byte("county_registry_refreshed")
)

// Version 2 indexed the outbox by result id in a bucket of its own, beside
// the result index: result id → outbox seq (8 bytes).
var legacyOutboxResult = []byte("idx_outbox_result")

// migrateRegistryChanges brings a version 1 file to version 2. On the
// county it sequences, once, every registry record written since the last
// refresh (its checksum differs from the one last sequenced, or it has
// none); from version 2 on every write is sequenced in its own
// transaction. On both roles it drops the checksums and the refresh time.
func migrateRegistryChanges(tx *bbolt.Tx) error {
	seen := tx.Bucket(legacyRegSeen)
	if seen != nil {
		w := newRegWriter(tx)
		if w.sequence {
			table := crc64.MakeTable(crc64.ECMA)
			for _, g := range []registry{floatingReg, residentReg} {
				err := tx.Bucket(g.records).ForEach(func(k, v []byte) error {
					rk := recordKey(g.src, string(k))
					old := seen.Get(rk)
					if len(old) >= 8 && binary.BigEndian.Uint64(old) == crc64.Checksum(v, table) {
						return nil
					}
					var rec struct {
						HouseholdDivision hecha.Code `json:"household_division"`
					}
					if err := decodeJSON(tx, k, v, &rec); err != nil {
						return err
					}
					var oldTown hecha.Code
					if len(old) > 8 {
						oldTown = hecha.Code(old[8:])
					}
					return sequenceRecord(tx, rk, w.township(rec.HouseholdDivision), oldTown)
				})
				if err != nil {
					return err
				}
			}
		}
		if err := tx.DeleteBucket(legacyRegSeen); err != nil {
			return err
		}
	}
	return tx.Bucket(bucketMeta).Delete(legacyRegRefreshed)
}

// migrateResultIndex brings a version 2 file to version 3: each result
// index entry, a history key, is prefixed with the seq of the result's
// outbox item from the old outbox index (zero, read as none, when it has
// no item), and the old index is dropped.
func migrateResultIndex(tx *bbolt.Tx) error {
	old := tx.Bucket(legacyOutboxResult)
	if old == nil {
		return nil
	}
	idx := tx.Bucket(bucketResultIndex)
	type entry struct{ k, v []byte }
	var entries []entry
	err := idx.ForEach(func(k, hk []byte) error {
		seq := old.Get(k)
		if len(seq) != 8 {
			seq = make([]byte, 8)
		}
		entries = append(entries, entry{copyBytes(k), append(copyBytes(seq), hk...)})
		return nil
	})
	if err != nil {
		return err
	}
	for _, e := range entries {
		if err := idx.Put(e.k, e.v); err != nil {
			return err
		}
	}
	return tx.DeleteBucket(legacyOutboxResult)
}

// migrateBinaryValues brings a version 3 file to version 4: the cases and
// county case states still stored as JSON (written before the binary
// encoding, or by a build whose case types had changed shape, which then
// wrote JSON) are rewritten in the binary layout, so that from version 4 on
// every value of those buckets starts with its layout's version byte.
func migrateBinaryValues(tx *bbolt.Tx) error {
	err := rewriteJSON(tx, bucketCases, func(k, v []byte) ([]byte, error) {
		var c hecha.Case
		if err := decodeJSON(tx, k, v, &c); err != nil {
			return nil, err
		}
		return codec.EncodeCase(&c)
	})
	if err != nil {
		return err
	}
	return rewriteJSON(tx, bucketCountyState, func(k, v []byte) ([]byte, error) {
		var st caseState
		if err := decodeJSON(tx, k, v, &st); err != nil {
			return nil, err
		}
		return encodeState(&st)
	})
}

// rewriteJSON replaces each value of bucket name that is JSON (an object:
// it starts with '{', which no binary layout's version byte is) with
// conv's binary form of it.
func rewriteJSON(tx *bbolt.Tx, name []byte, conv func(k, v []byte) ([]byte, error)) error {
	b := tx.Bucket(name)
	type entry struct{ k, v []byte }
	var entries []entry
	err := b.ForEach(func(k, v []byte) error {
		if len(v) == 0 || v[0] != '{' {
			return nil
		}
		data, err := conv(k, v)
		if err != nil {
			return err
		}
		entries = append(entries, entry{copyBytes(k), data})
		return nil
	})
	if err != nil {
		return err
	}
	for _, e := range entries {
		if err := b.Put(e.k, e.v); err != nil {
			return err
		}
	}
	return nil
}

// migrateBinaryRegistry brings a version 6 file to version 7: the registry
// records, stored as JSON until then, are rewritten in their binary
// layouts (codec.FloatingV2, codec.ResidentV2), sealed again when the file
// is encrypted. Their index keys do not change.
func migrateBinaryRegistry(tx *bbolt.Tx) error {
	err := rewriteJSONValues(tx, bucketFloating, func(k, v []byte) ([]byte, error) {
		var r hecha.FloatingRecord
		if err := decodeJSON(tx, k, v, &r); err != nil {
			return nil, err
		}
		return codec.EncodeFloating(&r), nil
	})
	if err != nil {
		return err
	}
	return rewriteJSONValues(tx, bucketResident, func(k, v []byte) ([]byte, error) {
		var r hecha.ResidentRecord
		if err := decodeJSON(tx, k, v, &r); err != nil {
			return nil, err
		}
		return codec.EncodeResident(&r), nil
	})
}

// rewriteJSONValues is rewriteJSON for a bucket whose values may be sealed:
// each value is opened before it is looked at and sealed again when put.
func rewriteJSONValues(tx *bbolt.Tx, name []byte, conv func(k, v []byte) ([]byte, error)) error {
	type entry struct{ k, v []byte }
	var entries []entry
	err := tx.Bucket(name).ForEach(func(k, v []byte) error {
		plain, err := openValue(tx, name, k, v)
		if err != nil {
			return err
		}
		if len(plain) == 0 || plain[0] != '{' {
			return nil
		}
		data, err := conv(k, plain)
		if err != nil {
			return err
		}
		entries = append(entries, entry{copyBytes(k), data})
		return nil
	})
	if err != nil {
		return err
	}
	for _, e := range entries {
		if err := putValue(tx, name, e.k, e.v); err != nil {
			return err
		}
	}
	return nil
}
