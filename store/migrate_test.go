package store_test

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"hash/crc64"
	"path/filepath"
	"slices"
	"testing"

	"go.etcd.io/bbolt"

	"hecha"
	"hecha/store"
)

// TestMigrate_RegistryChanges turns a county file into one written by
// schema version 1, where registry writes waited for RefreshRegistry to be
// sequenced: FA was sequenced as stored, FB changed since it was sequenced
// for township A, FC was never sequenced. Opening it sequences FB and FC
// (FB for both townships) and leaves FA alone.
//
// It is bbolt-only: it rewrites the file to an old schema.
func TestMigrate_RegistryChanges(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "county.db")
	c := newClock()
	db := MustOpenCountyDBAt(t, path, countyOpts(c, t)...)
	if err := db.SetCounty(ctx, testCounty); err != nil {
		t.Fatal(err)
	}
	fls := []hecha.FloatingRecord{
		floatingOf(testPerson("张伟", 1, townA), "FA", farCounty),
		floatingOf(testPerson("李娜", 2, townB), "FB", farCounty),
		floatingOf(testPerson("王芳", 3, townA), "FC", farCounty),
	}
	if err := db.PutFloating(ctx, fls); err != nil {
		t.Fatal(err)
	}
	MustCloseDB(t, db)

	table := crc64.MakeTable(crc64.ECMA)
	withBolt(t, path, func(tx *bbolt.Tx) error {
		// Version 1 stored registry records as JSON.
		for _, fl := range fls {
			data, err := json.Marshal(fl)
			if err != nil {
				return err
			}
			if err := tx.Bucket([]byte("floating")).Put([]byte(fl.ID), data); err != nil {
				return err
			}
		}
		for _, b := range []string{"county_reg_changes", "county_reg_change_of"} {
			if err := tx.DeleteBucket([]byte(b)); err != nil {
				return err
			}
			if _, err := tx.CreateBucket([]byte(b)); err != nil {
				return err
			}
		}
		seen, err := tx.CreateBucket([]byte("county_reg_seen"))
		if err != nil {
			return err
		}
		sum := func(id string) []byte {
			v := make([]byte, 8)
			binary.BigEndian.PutUint64(v, crc64.Checksum(tx.Bucket([]byte("floating")).Get([]byte(id)), table))
			return v
		}
		if err := seen.Put([]byte("FFA"), append(sum("FA"), townA...)); err != nil {
			return err
		}
		if err := seen.Put([]byte("FFB"), append(make([]byte, 8), townA...)); err != nil {
			return err
		}
		meta := tx.Bucket([]byte("meta"))
		if err := meta.Put([]byte("county_registry_refreshed"), make([]byte, 8)); err != nil {
			return err
		}
		return meta.Put([]byte("schema_version"), []byte{0, 0, 0, 0, 0, 0, 0, 1})
	})

	db = MustOpenCountyDBAt(t, path, countyOpts(c, t)...)
	a, _ := extract(t, db, townA, 0, 0)
	slices.Sort(a)
	if !slices.Equal(a, []string{"FB", "FC"}) {
		t.Errorf("township A's extract after the migration = %v, want FB (moved away) and FC", a)
	}
	if b, _ := extract(t, db, townB, 0, 0); !slices.Equal(b, []string{"FB"}) {
		t.Errorf("township B's extract after the migration = %v", b)
	}
	MustCloseDB(t, db)
	mustMigrated(t, path)
}

// TestMigrate_Township: a township file of version 1 loses the county's
// checksums and keeps its records.
func TestMigrate_Township(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "town.db")
	db := MustOpenDBAt(t, path, store.WithRules(Rules(t)))
	if err := db.PutFloating(ctx, []hecha.FloatingRecord{Floating(1)}); err != nil {
		t.Fatal(err)
	}
	MustCloseDB(t, db)
	withBolt(t, path, func(tx *bbolt.Tx) error {
		data, err := json.Marshal(Floating(1))
		if err != nil {
			return err
		}
		if err := tx.Bucket([]byte("floating")).Put([]byte(Floating(1).ID), data); err != nil {
			return err
		}
		if _, err := tx.CreateBucket([]byte("county_reg_seen")); err != nil {
			return err
		}
		return tx.Bucket([]byte("meta")).Put([]byte("schema_version"), []byte{0, 0, 0, 0, 0, 0, 0, 1})
	})
	db = MustOpenDBAt(t, path, store.WithRules(Rules(t)))
	if recs, err := db.FloatingByCitizenID(Floating(1).CitizenID); err != nil || len(recs) != 1 {
		t.Errorf("record after the migration: %v, %v", recs, err)
	}
	MustCloseDB(t, db)
	mustMigrated(t, path)
}

// withBolt runs fn in a write transaction on the closed database at path.
func withBolt(tb testing.TB, path string, fn func(tx *bbolt.Tx) error) {
	tb.Helper()
	b, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer b.Close()
	if err := b.Update(fn); err != nil {
		tb.Fatal(err)
	}
}

// mustMigrated checks that the closed database at path is at the current
// schema version without version 1's registry checksums.
func mustMigrated(tb testing.TB, path string) {
	tb.Helper()
	withBolt(tb, path, func(tx *bbolt.Tx) error {
		meta := tx.Bucket([]byte("meta"))
		if v := meta.Get([]byte("schema_version")); binary.BigEndian.Uint64(v) != store.SchemaVersion {
			tb.Errorf("schema version = %x", v)
		}
		if tx.Bucket([]byte("county_reg_seen")) != nil || meta.Get([]byte("county_registry_refreshed")) != nil {
			tb.Error("version 1's registry checksums are still there")
		}
		return nil
	})
}

// TestMigrate_ResultIndex turns a township file into one of schema
// version 2, whose outbox had an index by result id of its own, and opens
// it: the results, the outbox and the county's answers work as before.
func TestMigrate_ResultIndex(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "town.db")
	open := func() *store.TownshipDB {
		return MustOpenDBAt(t, path, store.WithRules(Rules(t)))
	}
	db := open()
	if err := db.SaveSettings(ctx, hecha.Settings{Township: Township, Clerk: "李娜"}); err != nil {
		t.Fatal(err)
	}
	if err := db.ApplyCases(ctx, Cases(0, 3), 1); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := range 3 {
		r, err := db.SaveResult(ctx, NotFound(Case(i).ID))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	MustCloseDB(t, db)

	withBolt(t, path, func(tx *bbolt.Tx) error {
		idx := tx.Bucket([]byte("idx_result"))
		old, err := tx.CreateBucket([]byte("idx_outbox_result"))
		if err != nil {
			return err
		}
		for _, id := range ids {
			v := slices.Clone(idx.Get([]byte(id)))
			if err := idx.Put([]byte(id), v[8:]); err != nil {
				return err
			}
			if err := old.Put([]byte(id), v[:8]); err != nil {
				return err
			}
		}
		return tx.Bucket([]byte("meta")).Put([]byte("schema_version"), []byte{0, 0, 0, 0, 0, 0, 0, 2})
	})

	db = open()
	for i, id := range ids {
		rv, err := db.Result(ctx, id)
		if err != nil || rv.Result.CaseID != Case(i).ID {
			t.Fatalf("result %s after the migration: %+v, %v", id, rv, err)
		}
	}
	batch, err := db.NextBatch(ctx, 10)
	if err != nil || len(batch) != 3 {
		t.Fatalf("next batch after the migration: %d, %v", len(batch), err)
	}
	if err := db.Acknowledge(ctx, []hecha.Outcome{{ResultID: ids[0], Status: hecha.ResultAccepted}}); err != nil {
		t.Fatal(err)
	}
	if acc, err := db.Outbox(ctx, hecha.OutboxAccepted); err != nil || len(acc) != 1 || acc[0].ResultID != ids[0] {
		t.Errorf("accepted items = %+v, %v", acc, err)
	}
	if err := db.Requeue(ctx, ids[:1]); err != nil {
		t.Errorf("requeue after the migration: %v", err)
	}
	MustCloseDB(t, db)
	withBolt(t, path, func(tx *bbolt.Tx) error {
		if tx.Bucket([]byte("idx_outbox_result")) != nil {
			t.Error("version 2's outbox index is still there")
		}
		return nil
	})
	mustMigrated(t, path)
}
