package store

import (
	"bytes"
	"context"
	"fmt"
	"slices"

	"go.etcd.io/bbolt"

	"hecha"
)

// Deferred registry indexes on a township's first pull (issue 17).
//
// A registry page holds records whose citizen ids, names (or, encrypted,
// their HMACs) fall all over the four index trees, so each page's commit
// rewrote thousands of leaf pages, and the more the file held, the more
// each page cost: a first sync of 93k cases spent most of its time there.
// A first pull therefore stores the records alone, under the meta key
// keyRegistryIndexPending, and BuildRegistryIndexes writes the indexes
// once at its end, each in key order.
//
// The flag is set in its own transaction before the first record is
// written and cleared in the transaction after the last index is built,
// so a crash anywhere leaves either a finished index or the flag. While it
// is set, every registry write leaves the indexes alone and the lookups
// read the records themselves (slower, still right); the next sync's pull
// goes on from its cursor and builds them at its end.

// indexPending reports whether the registry indexes wait to be built.
func indexPending(tx *bbolt.Tx) bool {
	return tx.Bucket(bucketMeta).Get(keyRegistryIndexPending) != nil
}

// DeferRegistryIndexes starts a first pull of the registry: when the
// township holds no registry record yet, the records pulled from now on
// are stored without their index entries until BuildRegistryIndexes. It
// reports whether the indexes are deferred (also when an earlier pull,
// cut off, deferred them).
func (db *TownshipDB) DeferRegistryIndexes(ctx context.Context) (bool, error) {
	deferred := false
	err := db.update(ctx, func(tx *bbolt.Tx) error {
		if indexPending(tx) {
			deferred = true
			return nil
		}
		if getCount(tx, keyFloatingCount) > 0 || getCount(tx, keyResidentCount) > 0 {
			return nil
		}
		deferred = true
		return tx.Bucket(bucketMeta).Put(keyRegistryIndexPending, []byte{1})
	})
	return deferred, err
}

// RegistryIndexPending reports whether the registry indexes wait to be
// built (see DeferRegistryIndexes).
func (db *TownshipDB) RegistryIndexPending(ctx context.Context) (bool, error) {
	var pending bool
	err := db.view(ctx, func(tx *bbolt.Tx) error {
		pending = indexPending(tx)
		return nil
	})
	return pending, err
}

// BuildRegistryIndexes writes the registry indexes deferred by
// DeferRegistryIndexes, each in key order, one registry per transaction,
// and clears the flag in the last; nothing when none is pending. It holds
// one registry's index keys at a time (their bytes and 8 more each).
func (db *TownshipDB) BuildRegistryIndexes(ctx context.Context) error {
	pending, err := db.RegistryIndexPending(ctx)
	if err != nil || !pending {
		return err
	}
	for _, g := range []registry{floatingReg, residentReg} {
		err := db.update(ctx, func(tx *bbolt.Tx) error { return buildIndexes(tx, g) })
		db.releaseMapped()
		if err != nil {
			return err
		}
	}
	return db.update(ctx, func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketMeta).Delete(keyRegistryIndexPending)
	})
}

// buildIndexes replaces the citizen-id and name indexes of g with the
// entries of its records, written in key order.
func buildIndexes(tx *bbolt.Tx, g registry) error {
	s := sealerOf(tx)
	var cids, names keySet
	c := tx.Bucket(g.records).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		plain, err := openValue(tx, g.records, k, v)
		if err != nil {
			return err
		}
		rk, err := recordKeys(tx, s, g, k, plain)
		if err != nil {
			return err
		}
		if rk.cid != nil {
			cids.add(rk.cid)
		}
		names.add(rk.name)
	}
	for _, ix := range []struct {
		name []byte
		keys *keySet
	}{{g.byCID, &cids}, {g.byName, &names}} {
		if err := tx.DeleteBucket(ix.name); err != nil {
			return fmt.Errorf("rebuild %s: %w", ix.name, err)
		}
		b, err := tx.CreateBucket(ix.name)
		if err != nil {
			return fmt.Errorf("rebuild %s: %w", ix.name, err)
		}
		b.FillPercent = pulledFill
		if err := ix.keys.put(b); err != nil {
			return err
		}
	}
	return nil
}

// recordKeys returns the index keys of the record of g stored under id
// (plain is its opened value).
func recordKeys(tx *bbolt.Tx, s *sealer, g registry, id, plain []byte) (regKeys, error) {
	switch g.src {
	case srcFloating:
		var r hecha.FloatingRecord
		err := decodeJSON(tx, id, plain, &r)
		return floatingKeys(s, &r), err
	default:
		var r hecha.ResidentRecord
		err := decodeJSON(tx, id, plain, &r)
		return residentKeys(s, &r), err
	}
}

// keySet holds keys in one slab, so that a registry's index keys cost
// their bytes and eight bytes each rather than a slice header each.
type keySet struct {
	slab []byte
	ends []uint32
}

func (ks *keySet) add(k []byte) {
	ks.slab = append(ks.slab, k...)
	ks.ends = append(ks.ends, uint32(len(ks.slab)))
}

// key returns the i-th key added, a slice of the slab.
func (ks *keySet) key(i uint32) []byte {
	start := uint32(0)
	if i > 0 {
		start = ks.ends[i-1]
	}
	return ks.slab[start:ks.ends[i]:ks.ends[i]]
}

// put writes the keys into b in key order.
func (ks *keySet) put(b *bbolt.Bucket) error {
	order := make([]uint32, len(ks.ends))
	for i := range order {
		order[i] = uint32(i)
	}
	slices.SortFunc(order, func(i, j uint32) int { return bytes.Compare(ks.key(i), ks.key(j)) })
	for _, i := range order {
		if err := b.Put(ks.key(i), nil); err != nil {
			return err
		}
	}
	return nil
}

// pendingScan is txRegistry.scan while the indexes are deferred: it reads
// every record of g and decodes those whose index key in idx would start
// with p.
func (r txRegistry) pendingScan(g registry, idx, p []byte, decode func(id, v []byte) error) error {
	s := sealerOf(r.tx)
	c := r.tx.Bucket(g.records).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		plain, err := openValue(r.tx, g.records, k, v)
		if err != nil {
			return err
		}
		rk, err := recordKeys(r.tx, s, g, k, plain)
		if err != nil {
			return err
		}
		ik := rk.name
		if bytes.Equal(idx, g.byCID) {
			ik = rk.cid
		}
		if ik == nil || !bytes.HasPrefix(ik, p) {
			continue
		}
		if err := decode(k, plain); err != nil {
			return err
		}
	}
	return nil
}
