package store

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"hecha"
	"hecha/internal/codec"
	"hecha/internal/codec/codectest"
)

// TestMigrateBinaryValues: a version 3 file holding cases and county case
// states as JSON (written before the binary encoding) beside binary ones
// opens with every value rewritten in binary, each reading as it did;
// values already binary are left as they were.
func TestMigrateBinaryValues(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	jsonCase, binCase := codectest.RandomCase(r), codectest.RandomCase(r)
	jsonCase.ID, binCase.ID = "CJ", "CB"
	jsonState := caseState{Status: hecha.StatusDone, ImportHash: bytes.Repeat([]byte{9}, 32), ContentRev: 2,
		Results: []string{"01J0000000000000000000000A"}, InForce: "01J0000000000000000000000A"}
	caseJSON, _ := json.Marshal(&jsonCase)
	stateJSON, _ := json.Marshal(&jsonState)
	caseBin, err := codec.EncodeCase(&binCase)
	if err != nil {
		t.Fatal(err)
	}

	for _, role := range []Role{RoleTownship, RoleCounty} {
		path := filepath.Join(t.TempDir(), "v3.db")
		bdb, err := bbolt.Open(path, 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		err = bdb.Update(func(tx *bbolt.Tx) error {
			meta, _ := tx.CreateBucket(bucketMeta)
			_ = meta.Put(keyApp, appName)
			_ = meta.Put(keyRole, []byte(role.String()))
			_ = meta.Put(keySchemaVersion, u64(3))
			cases, _ := tx.CreateBucket(bucketCases)
			_ = cases.Put([]byte("CJ"), caseJSON)
			_ = cases.Put([]byte("CB"), caseBin)
			states, _ := tx.CreateBucket(bucketCountyState)
			return states.Put([]byte("CJ"), stateJSON)
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := bdb.Close(); err != nil {
			t.Fatal(err)
		}

		now := func() time.Time { return time.Date(2024, 3, 15, 10, 0, 0, 0, time.UTC) }
		db, err := open(path, role, []Option{WithNow(now), WithNoSync()})
		if err != nil {
			t.Fatalf("%s: open: %v", role, err)
		}
		err = db.bolt.View(func(tx *bbolt.Tx) error {
			if v := tx.Bucket(bucketMeta).Get(keySchemaVersion); !bytes.Equal(v, u64(SchemaVersion)) {
				t.Errorf("%s: schema version %x after open", role, v)
			}
			cases := tx.Bucket(bucketCases)
			if got := cases.Get([]byte("CB")); !bytes.Equal(got, caseBin) {
				t.Errorf("%s: a binary case was rewritten", role)
			}
			var c hecha.Case
			if err := codec.DecodeCase(cases.Get([]byte("CJ")), &c); err != nil {
				t.Fatalf("%s: the JSON case after the migration: %v", role, err)
			}
			want := codectest.ViaJSON(t, &jsonCase)
			gj, _ := json.Marshal(&c)
			wj, _ := json.Marshal(&want)
			if !bytes.Equal(gj, wj) {
				t.Errorf("%s: the JSON case reads\n%s\nwant\n%s", role, gj, wj)
			}
			var st caseState
			if err := decodeState(tx.Bucket(bucketCountyState).Get([]byte("CJ")), &st); err != nil {
				t.Fatalf("%s: the JSON state after the migration: %v", role, err)
			}
			sj, _ := json.Marshal(&st)
			if !bytes.Equal(sj, stateJSON) {
				t.Errorf("%s: the JSON state reads %s, want %s", role, sj, stateJSON)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestMigrateBinaryValues_Damaged: a JSON case that does not decode stops
// the migration with an error naming the file and the key, and the file
// is left at version 3.
func TestMigrateBinaryValues_Damaged(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v3.db")
	bdb, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = bdb.Update(func(tx *bbolt.Tx) error {
		meta, _ := tx.CreateBucket(bucketMeta)
		_ = meta.Put(keyApp, appName)
		_ = meta.Put(keyRole, []byte(RoleTownship.String()))
		_ = meta.Put(keySchemaVersion, u64(3))
		cases, _ := tx.CreateBucket(bucketCases)
		return cases.Put([]byte("C-BAD"), []byte(`{"id":"C-BAD","person":{"birth_date":17}}`))
	})
	if err != nil {
		t.Fatal(err)
	}
	_ = bdb.Close()
	now := func() time.Time { return time.Date(2024, 3, 15, 10, 0, 0, 0, time.UTC) }
	db, err := OpenTownship(path, WithNow(now), WithNoSync())
	if err == nil {
		db.Close()
		t.Fatal("a file with a damaged JSON case opened")
	}
	if msg := err.Error(); !bytes.Contains([]byte(msg), []byte("C-BAD")) || !bytes.Contains([]byte(msg), []byte(path)) {
		t.Errorf("error %q names neither the case nor the file", msg)
	}
	bdb, err = bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	_ = bdb.View(func(tx *bbolt.Tx) error {
		if v := tx.Bucket(bucketMeta).Get(keySchemaVersion); !bytes.Equal(v, u64(3)) {
			t.Errorf("schema version %x after a failed migration, want 3", v)
		}
		return nil
	})
}
