package store_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"hecha"
	"hecha/store"
)

// TestEncrypted_County: the county's database, encrypted from the start or
// in place after it was filled, holds no name, citizen id or address in
// its file, reads back what a plain one reads (cases, results, tokens, a
// township's registry extract, the progress report), and a re-import of
// the same cases still finds them unchanged.
func TestEncrypted_County(t *testing.T) {
	ctx := context.Background()
	var personal []string
	for n := 1; n <= 3; n++ {
		p := testPerson(testName(n), n, villageA)
		personal = append(personal, p.Name, p.CitizenID, p.CurrentAddress, p.HouseholdAddress)
	}
	rec := testPerson(testName(9), 9, villageA)
	personal = append(personal, rec.Name, rec.CitizenID)

	fill := func(db *store.CountyDB) {
		writeCountyFixture(t, db)
		err := db.PutFloating(ctx, []hecha.FloatingRecord{{ID: "F9", Name: rec.Name, Sex: rec.Sex, BirthDate: rec.BirthDate,
			CitizenID: rec.CitizenID, HouseholdDivision: villageA, HouseholdAddress: rec.HouseholdAddress,
			InflowDivision: farCounty, InflowAddress: "深圳", InflowDate: hecha.NewDate(2016, 5, 1)}})
		if err != nil {
			t.Fatal(err)
		}
	}
	read := func(db *store.CountyDB) string {
		out := readCountyFixture(t, db)
		for i := range out.Tokens {
			out.Tokens[i].ID = "" // random
		}
		fl, rs, next, err := db.RegistrySince(ctx, townA, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		byID, err := db.FloatingByCitizenID(rec.CitizenID)
		if err != nil || len(byID) != 1 {
			t.Fatalf("floating by citizen id: %v, %v", byID, err)
		}
		data, err := json.Marshal([]any{out, fl, rs, next, byID})
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}

	c := newClock()
	plain := MustOpenCountyDB(t, countyOpts(c, t)...)
	if err := plain.SetCounty(ctx, testCounty); err != nil {
		t.Fatal(err)
	}
	fill(plain)
	want := read(plain)

	for _, inPlace := range []bool{false, true} {
		path := filepath.Join(t.TempDir(), "county.db")
		c := newClock()
		db := MustOpenCountyDBAt(t, path, countyOpts(c, t)...)
		if err := db.SetCounty(ctx, testCounty); err != nil {
			t.Fatal(err)
		}
		k, _ := MustNewKeys(t)
		if !inPlace {
			if err := db.Encrypt(ctx, k); err != nil {
				t.Fatal(err)
			}
		}
		fill(db)
		if inPlace {
			MustCloseDB(t, db)
			if found := grepFile(t, path, personal); len(found) < len(personal)/2 {
				t.Fatalf("the plain county file holds only %q: the grep finds nothing", found)
			}
			db = MustOpenCountyDBAt(t, path, countyOpts(c, t)...)
			if err := db.Encrypt(ctx, k); err != nil {
				t.Fatal(err)
			}
		}
		if got := read(db); got != want {
			t.Fatalf("in place %v: encrypted county reads\n%s\nplain\n%s", inPlace, got, want)
		}
		MustCloseDB(t, db)
		if found := grepFile(t, path, personal); len(found) > 0 {
			t.Fatalf("in place %v: the encrypted county file holds %q", inPlace, found)
		}
		db = MustOpenCountyDBAt(t, path, append(countyOpts(c, t), store.WithPassphrase(Passphrase))...)
		if got := read(db); got != want {
			t.Fatalf("in place %v: reopened encrypted county reads\n%s\nplain\n%s", inPlace, got, want)
		}
		reimportCountyFixture(t, db)
	}
}
