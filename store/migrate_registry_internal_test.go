package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"hecha"
	"hecha/internal/codec"
	"hecha/internal/codec/codectest"
)

// TestMigrateBinaryRegistry: a version 6 file, plain or encrypted, whose
// registry records are JSON (most of them; a few already binary) opens at
// the current version with every record in its binary layout (sealed in
// the encrypted file), and the comparison's lookups find what they found
// before.
func TestMigrateBinaryRegistry(t *testing.T) {
	recs := func() ([]hecha.FloatingRecord, []hecha.ResidentRecord) {
		var fl []hecha.FloatingRecord
		var rs []hecha.ResidentRecord
		for i := range 40 {
			birth := hecha.NewDate(1970+i%4, time.Month(1+i%3), 1+i%7)
			name := []string{"张伟", "王芳", "李娜"}[i%3]
			fl = append(fl, hecha.FloatingRecord{ID: fmt.Sprintf("F%03d", i), Name: name, Sex: "1", BirthDate: birth,
				CitizenID: fmt.Sprintf("41010219%02d0101%03dX", 70+i%4, i), HouseholdDivision: "410102001",
				InflowDivision: "440305", InflowAddress: "深圳市南山区", InflowDate: hecha.NewDate(2016, 5, 1), Withdrawn: i%5 == 0})
			r := hecha.ResidentRecord{ID: fmt.Sprintf("R%03d", i), Name: name, Sex: "2", BirthDate: birth,
				CitizenID: fmt.Sprintf("41010219%02d0101%03dX", 70+i%4, i), HouseholdDivision: "410102001", HouseholdAddress: "某村"}
			if i%2 == 0 {
				r.Outflow = &hecha.Outflow{Date: hecha.NewDate(2018, 1, 1), Destination: "440305", Reason: "1"}
			}
			rs = append(rs, r)
		}
		return fl, rs
	}
	fl, rs := recs()
	lookups := func(tx *bbolt.Tx) string {
		reg := txRegistry{tx}
		var out []any
		for i := 0; i < len(fl); i += 3 {
			a, err := reg.FloatingByCitizenID(fl[i].CitizenID)
			b, err2 := reg.ResidentByCitizenID(rs[i].CitizenID)
			c, err3 := reg.FloatingByNameSexBirth(fl[i].Name, fl[i].Sex, fl[i].BirthDate, hecha.PrecisionYear)
			d, err4 := reg.ResidentByNameSexBirth(rs[i].Name, rs[i].Sex, rs[i].BirthDate, hecha.PrecisionMonth)
			out = append(out, a, b, c, d, fmt.Sprint(err, err2, err3, err4))
		}
		data, _ := json.Marshal(out)
		return string(data)
	}
	now := func() time.Time { return time.Date(2024, 3, 15, 10, 0, 0, 0, time.UTC) }

	for _, encrypted := range []bool{false, true} {
		name := map[bool]string{false: "plain", true: "encrypted"}[encrypted]
		path := filepath.Join(t.TempDir(), "v6.db")
		opts := []Option{WithNow(now), WithNoSync()}
		db, err := open(path, RoleTownship, opts)
		if err != nil {
			t.Fatal(err)
		}
		if encrypted {
			k, _, err := NewKeys("口令 passphrase", KDFParams{Time: 1, MemoryKiB: 64, Threads: 1})
			if err != nil {
				t.Fatal(err)
			}
			if err := db.Encrypt(t.Context(), k); err != nil {
				t.Fatal(err)
			}
			opts = append(opts, WithPassphrase("口令 passphrase"))
		}
		var want string
		// Write the records, then put most back as JSON, as version 6 stored
		// them, and mark the file version 6.
		err = db.bolt.Update(func(tx *bbolt.Tx) error {
			if err := putFloatingTx(tx, fl); err != nil {
				return err
			}
			if err := putResidentTx(tx, rs); err != nil {
				return err
			}
			want = lookups(tx)
			for i := 3; i < len(fl); i++ {
				if err := putJSONValue(tx, bucketFloating, []byte(fl[i].ID), &fl[i]); err != nil {
					return err
				}
				if err := putJSONValue(tx, bucketResident, []byte(rs[i].ID), &rs[i]); err != nil {
					return err
				}
			}
			return tx.Bucket(bucketMeta).Put(keySchemaVersion, u64(6))
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}

		db, err = open(path, RoleTownship, opts)
		if err != nil {
			t.Fatalf("%s: open: %v", name, err)
		}
		err = db.bolt.View(func(tx *bbolt.Tx) error {
			if v := tx.Bucket(bucketMeta).Get(keySchemaVersion); !bytes.Equal(v, u64(SchemaVersion)) {
				t.Errorf("%s: schema version %x after open", name, v)
			}
			for i := range fl {
				raw := tx.Bucket(bucketFloating).Get([]byte(fl[i].ID))
				if sealed := len(raw) > 0 && raw[0] == sealV1; sealed != encrypted {
					t.Errorf("%s: floating %s sealed: %v", name, fl[i].ID, sealed)
				}
				v, err := getValue(tx, bucketFloating, []byte(fl[i].ID))
				if err != nil {
					return err
				}
				var f hecha.FloatingRecord
				if err := codec.DecodeFloating(v, &f); err != nil || codectest.JSON(t, &f) != codectest.JSON(t, &fl[i]) {
					t.Errorf("%s: floating %s reads %+v, %v", name, fl[i].ID, f, err)
				}
				v, err = getValue(tx, bucketResident, []byte(rs[i].ID))
				if err != nil {
					return err
				}
				var r hecha.ResidentRecord
				if err := codec.DecodeResident(v, &r); err != nil || codectest.JSON(t, &r) != codectest.JSON(t, &rs[i]) {
					t.Errorf("%s: resident %s reads %+v, %v", name, rs[i].ID, r, err)
				}
			}
			if got := lookups(tx); got != want {
				t.Errorf("%s: lookups after the migration\n%s\nbefore\n%s", name, got, want)
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
