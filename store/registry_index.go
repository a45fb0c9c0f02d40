package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"

	"go.etcd.io/bbolt"
	bberrors "go.etcd.io/bbolt/errors"

	"hecha"
	"hecha/internal/codec"
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
	// Most rounds find records stored: say so without a commit.
	pending, empty := false, false
	err := db.view(ctx, func(tx *bbolt.Tx) error {
		pending = indexPending(tx)
		empty = getCount(tx, keyFloatingCount) == 0 && getCount(tx, keyResidentCount) == 0
		return nil
	})
	if err != nil || pending || !empty {
		return pending, err
	}
	deferred := false
	err = db.update(ctx, func(tx *bbolt.Tx) error {
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

// indexRun is how many records' index keys the build sorts at once; a
// registry with more is sorted in runs, kept in bucketIndexBuild, and
// merged. indexCommit is how many entries one transaction of the merge
// writes. Both bound the build's memory, whatever the registry's size.
var (
	indexRun    = 1 << 16
	indexCommit = 1 << 16
)

// BuildRegistryIndexes writes the registry indexes deferred by
// DeferRegistryIndexes, each in key order, and clears the flag in its last
// transaction; nothing when none is pending. A registry of up to indexRun
// records is indexed in one transaction; a larger one is read indexRun
// records at a time, each run of keys sorted and stored, and the runs
// merged into the index indexCommit entries a transaction.
func (db *TownshipDB) BuildRegistryIndexes(ctx context.Context) error {
	pending, leftRuns := false, false
	err := db.view(ctx, func(tx *bbolt.Tx) error {
		pending, leftRuns = indexPending(tx), tx.Bucket(bucketIndexBuild) != nil
		return nil
	})
	if err != nil || !pending {
		return err
	}
	if leftRuns {
		// Runs left by a build a crash cut short are of no use: start
		// afresh.
		if err := db.update(ctx, dropIndexBuild); err != nil {
			return err
		}
	}
	for _, g := range []registry{floatingReg, residentReg} {
		if err := db.buildIndexes(ctx, g); err != nil {
			return err
		}
	}
	return db.update(ctx, func(tx *bbolt.Tx) error {
		if err := dropIndexBuild(tx); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Delete(keyRegistryIndexPending)
	})
}

// dropIndexBuild deletes the build's runs, if any.
func dropIndexBuild(tx *bbolt.Tx) error {
	if tx.Bucket(bucketIndexBuild) == nil {
		return nil
	}
	return tx.DeleteBucket(bucketIndexBuild)
}

// buildIndexes replaces the citizen-id and name indexes of g with the
// entries of its records.
func (db *TownshipDB) buildIndexes(ctx context.Context, g registry) error {
	var after []byte // the last record read
	for run := 0; ; run++ {
		var cids, names keySet
		n := 0
		err := db.view(ctx, func(tx *bbolt.Tx) error {
			s := sealerOf(tx)
			c := tx.Bucket(g.records).Cursor()
			k, v := c.First()
			if after != nil {
				if k, v = c.Seek(after); bytes.Equal(k, after) {
					k, v = c.Next()
				}
			}
			for ; k != nil && n < indexRun; k, v = c.Next() {
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
				after = append(after[:0], k...)
				n++
			}
			return nil
		})
		if err != nil {
			return err
		}
		if run == 0 && n < indexRun {
			// All of it at once: straight into the indexes.
			err := db.update(ctx, func(tx *bbolt.Tx) error {
				for _, ix := range []struct {
					name []byte
					keys *keySet
				}{{g.byCID, &cids}, {g.byName, &names}} {
					b, err := emptyBucket(tx, ix.name)
					if err != nil {
						return err
					}
					b.FillPercent = pulledFill
					if err := ix.keys.put(b); err != nil {
						return err
					}
				}
				return nil
			})
			db.releaseMapped()
			return err
		}
		if n > 0 {
			err = db.update(ctx, func(tx *bbolt.Tx) error {
				if err := putRun(tx, g.byCID, run, &cids); err != nil {
					return err
				}
				return putRun(tx, g.byName, run, &names)
			})
			db.releaseMapped()
			if err != nil {
				return err
			}
		}
		if n < indexRun {
			runs := run + min(n, 1)
			for _, idx := range [][]byte{g.byCID, g.byName} {
				if err := db.mergeRuns(ctx, idx, runs); err != nil {
					return err
				}
			}
			return nil
		}
	}
}

// emptyBucket deletes and creates the top-level bucket name.
func emptyBucket(tx *bbolt.Tx, name []byte) (*bbolt.Bucket, error) {
	if err := tx.DeleteBucket(name); err != nil && !errors.Is(err, bberrors.ErrBucketNotFound) {
		return nil, fmt.Errorf("rebuild %s: %w", name, err)
	}
	b, err := tx.CreateBucket(name)
	if err != nil {
		return nil, fmt.Errorf("rebuild %s: %w", name, err)
	}
	return b, nil
}

// putRun stores keys, sorted, as run number run of the index idx in
// bucketIndexBuild.
func putRun(tx *bbolt.Tx, idx []byte, run int, keys *keySet) error {
	build, err := tx.CreateBucketIfNotExists(bucketIndexBuild)
	if err != nil {
		return err
	}
	runs, err := build.CreateBucketIfNotExists(idx)
	if err != nil {
		return err
	}
	b, err := runs.CreateBucket(u64(uint64(run)))
	if err != nil {
		return err
	}
	b.FillPercent = 1 // keys come in order and are never added to
	return keys.put(b)
}

// mergeRuns writes the runs of the index idx into idx in key order,
// indexCommit entries a transaction; each transaction finds its place in
// every run again after the last key written (index keys end with the
// record id, so no two are equal).
func (db *TownshipDB) mergeRuns(ctx context.Context, idx []byte, runs int) error {
	if err := db.update(ctx, func(tx *bbolt.Tx) error { _, err := emptyBucket(tx, idx); return err }); err != nil {
		return err
	}
	var last []byte
	for done := runs == 0; !done; {
		err := db.update(ctx, func(tx *bbolt.Tx) error {
			out := tx.Bucket(idx)
			out.FillPercent = pulledFill
			from := tx.Bucket(bucketIndexBuild).Bucket(idx)
			curs := make([]*bbolt.Cursor, runs)
			heads := make([][]byte, runs)
			for r := range curs {
				b := from.Bucket(u64(uint64(r)))
				if b == nil {
					return errMissing(fmt.Sprintf("index build run %s/%d", idx, r))
				}
				curs[r] = b.Cursor()
				if last == nil {
					heads[r], _ = curs[r].First()
				} else if heads[r], _ = curs[r].Seek(last); bytes.Equal(heads[r], last) {
					heads[r], _ = curs[r].Next()
				}
			}
			for written := 0; written < indexCommit; written++ {
				m := -1
				for r, k := range heads {
					if k != nil && (m < 0 || bytes.Compare(k, heads[m]) < 0) {
						m = r
					}
				}
				if m < 0 {
					done = true
					return nil
				}
				if err := out.Put(heads[m], nil); err != nil {
					return err
				}
				last = append(last[:0], heads[m]...)
				heads[m], _ = curs[m].Next()
			}
			return nil
		})
		db.releaseMapped()
		if err != nil {
			return err
		}
	}
	return nil
}

// recordKeys returns the index keys of the record of registry g stored
// under id (plain is its opened value), as floatingKeys and residentKeys
// make them.
func recordKeys(tx *bbolt.Tx, s *sealer, g registry, id, plain []byte) (regKeys, error) {
	if g.src == floatingReg.src {
		var r hecha.FloatingRecord
		if err := codec.DecodeFloating(plain, &r); err != nil {
			return regKeys{}, errDecode(tx, g.records, string(id), err)
		}
		return floatingKeys(s, &r), nil
	}
	var r hecha.ResidentRecord
	if err := codec.DecodeResident(plain, &r); err != nil {
		return regKeys{}, errDecode(tx, g.records, string(id), err)
	}
	return residentKeys(s, &r), nil
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
