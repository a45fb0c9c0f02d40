package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"hecha"
)

// randomRecords returns the registry records of n random cases'
// candidates.
func randomRecords(r *rand.Rand, n int) ([]hecha.FloatingRecord, []hecha.ResidentRecord) {
	var fl []hecha.FloatingRecord
	var rs []hecha.ResidentRecord
	for range n {
		c := randomCase(r)
		for _, cd := range c.Candidates {
			if cd.Floating != nil {
				fl = append(fl, *cd.Floating)
			}
			if cd.Resident != nil {
				rs = append(rs, *cd.Resident)
			}
		}
	}
	return fl, rs
}

// asJSON returns v marshalled, for comparing records as JSON stored them.
func asJSON(t *testing.T, v any) string {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestRegistryCodec_AsJSON: every record reads back from its binary layout
// as it did from JSON, and the layout is smaller.
func TestRegistryCodec_AsJSON(t *testing.T) {
	fl, rs := randomRecords(rand.New(rand.NewPCG(31, 32)), 200)
	if len(fl) < 50 || len(rs) < 50 {
		t.Fatalf("only %d floating and %d resident records", len(fl), len(rs))
	}
	var binSize, jsonSize int
	for i := range fl {
		data := encodeFloating(&fl[i])
		var got hecha.FloatingRecord
		if err := decodeFloating(data, &got); err != nil {
			t.Fatalf("floating %d: %v", i, err)
		}
		if g, w := asJSON(t, &got), asJSON(t, &fl[i]); g != w {
			t.Fatalf("floating %d reads\n%s\nwant\n%s", i, g, w)
		}
		binSize, jsonSize = binSize+len(data), jsonSize+len(asJSON(t, &fl[i]))
	}
	for i := range rs {
		data := encodeResident(&rs[i])
		var got hecha.ResidentRecord
		if err := decodeResident(data, &got); err != nil {
			t.Fatalf("resident %d: %v", i, err)
		}
		if g, w := asJSON(t, &got), asJSON(t, &rs[i]); g != w {
			t.Fatalf("resident %d reads\n%s\nwant\n%s", i, g, w)
		}
		binSize, jsonSize = binSize+len(data), jsonSize+len(asJSON(t, &rs[i]))
	}
	if binSize >= jsonSize {
		t.Errorf("binary records take %d bytes, JSON %d", binSize, jsonSize)
	}
}

// TestRegistryCodec_Malformed: a record cut short, with a byte too many,
// of the other registry or of another version does not decode.
func TestRegistryCodec_Malformed(t *testing.T) {
	f := hecha.FloatingRecord{ID: "F1", Name: "张三", Sex: "1", BirthDate: hecha.NewDate(1990, 1, 2), InflowDivision: "440305"}
	r := hecha.ResidentRecord{ID: "R1", Name: "李四", Outflow: &hecha.Outflow{Destination: "440305"}}
	fd, rd := encodeFloating(&f), encodeResident(&r)
	for n := 0; n < len(fd); n++ {
		if err := decodeFloating(fd[:n], new(hecha.FloatingRecord)); err == nil {
			t.Fatalf("a floating record cut to %d of %d bytes decoded", n, len(fd))
		}
	}
	for n := 0; n < len(rd); n++ {
		if err := decodeResident(rd[:n], new(hecha.ResidentRecord)); err == nil {
			t.Fatalf("a resident record cut to %d of %d bytes decoded", n, len(rd))
		}
	}
	if err := decodeFloating(append(slices.Clone(fd), 0), new(hecha.FloatingRecord)); err == nil {
		t.Error("a floating record with a byte too many decoded")
	}
	if err := decodeResident(append(slices.Clone(rd), 0), new(hecha.ResidentRecord)); err == nil {
		t.Error("a resident record with a byte too many decoded")
	}
	js, _ := json.Marshal(&f)
	for _, bad := range [][]byte{js, {1, 0}, {caseV1}, {}} {
		if err := decodeFloating(bad, new(hecha.FloatingRecord)); err == nil {
			t.Errorf("%x decoded as a floating record", bad)
		}
		if err := decodeResident(bad, new(hecha.ResidentRecord)); err == nil {
			t.Errorf("%x decoded as a resident record", bad)
		}
	}
}

// FuzzDecodeRegistry: any stored bytes either fail to decode or decode to
// a record that encodes to the same bytes; nothing panics.
func FuzzDecodeRegistry(f *testing.F) {
	fl, rs := randomRecords(rand.New(rand.NewPCG(33, 34)), 6)
	for i := range fl {
		f.Add(encodeFloating(&fl[i]))
	}
	for i := range rs {
		f.Add(encodeResident(&rs[i]))
	}
	f.Add([]byte(`{"id":"F1"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var fr hecha.FloatingRecord
		if decodeFloating(data, &fr) == nil {
			var again hecha.FloatingRecord
			if err := decodeFloating(encodeFloating(&fr), &again); err != nil || fmt.Sprint(again) != fmt.Sprint(fr) {
				t.Fatalf("floating round trip: %v\n%v\n%v", err, fr, again)
			}
		}
		var rr hecha.ResidentRecord
		if decodeResident(data, &rr) == nil {
			var again hecha.ResidentRecord
			if err := decodeResident(encodeResident(&rr), &again); err != nil || asJSON(t, &again) != asJSON(t, &rr) {
				t.Fatalf("resident round trip: %v\n%v\n%v", err, rr, again)
			}
		}
	})
}

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
				if err := decodeFloating(v, &f); err != nil || asJSON(t, &f) != asJSON(t, &fl[i]) {
					t.Errorf("%s: floating %s reads %+v, %v", name, fl[i].ID, f, err)
				}
				v, err = getValue(tx, bucketResident, []byte(rs[i].ID))
				if err != nil {
					return err
				}
				var r hecha.ResidentRecord
				if err := decodeResident(v, &r); err != nil || asJSON(t, &r) != asJSON(t, &rs[i]) {
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
