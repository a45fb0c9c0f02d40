package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"go.etcd.io/bbolt"

	"hecha"
	"hecha/store"
)

// Floating returns the n-th fixture floating record, of Person(n).
func Floating(n int) hecha.FloatingRecord {
	p := Person(n)
	return hecha.FloatingRecord{
		ID: fmt.Sprintf("F%08d", n), Name: p.Name, Sex: p.Sex, BirthDate: p.BirthDate, CitizenID: p.CitizenID,
		HouseholdDivision: p.HouseholdDivision, HouseholdAddress: p.HouseholdAddress,
		InflowDivision: "440305", InflowAddress: p.CurrentAddress, InflowDate: hecha.NewDate(2016, 5, 1),
	}
}

// Resident returns the n-th fixture resident record, of Person(n).
func Resident(n int) hecha.ResidentRecord {
	p := Person(n)
	return hecha.ResidentRecord{
		ID: fmt.Sprintf("R%08d", n), Name: p.Name, Sex: p.Sex, BirthDate: p.BirthDate, CitizenID: p.CitizenID,
		HouseholdDivision: p.HouseholdDivision, HouseholdAddress: p.HouseholdAddress,
	}
}

func floatingIDs(recs []hecha.FloatingRecord) []string {
	var ids []string
	for _, r := range recs {
		ids = append(ids, r.ID)
	}
	sort.Strings(ids)
	return ids
}

func residentIDs(recs []hecha.ResidentRecord) []string {
	var ids []string
	for _, r := range recs {
		ids = append(ids, r.ID)
	}
	sort.Strings(ids)
	return ids
}

func sameIDs(tb testing.TB, what string, got []string, want ...string) {
	tb.Helper()
	sort.Strings(want)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		tb.Errorf("%s = %v, want %v", what, got, want)
	}
}

// fixtureRegistry stores a few records that share name and sex and differ
// in birth date: the same person (n) twice, and near namesakes.
func fixtureRegistry(tb testing.TB, db *store.TownshipDB) (base hecha.FloatingRecord) {
	tb.Helper()
	base = Floating(0)
	sameMonth, sameYear, otherYear, otherSex := base, base, base, base
	sameMonth.ID, sameMonth.BirthDate = "F-month", hecha.NewDate(base.BirthDate.Year, base.BirthDate.Month, 28)
	sameYear.ID, sameYear.BirthDate = "F-year", hecha.NewDate(base.BirthDate.Year, 12, 1)
	otherYear.ID, otherYear.BirthDate = "F-other", hecha.NewDate(base.BirthDate.Year+1, 1, 1)
	otherSex.ID, otherSex.Sex = "F-sex", hecha.SexFemale
	for _, r := range []*hecha.FloatingRecord{&sameMonth, &sameYear, &otherYear, &otherSex} {
		r.CitizenID = CitizenID(r.BirthDate, r.Sex, 7)
	}
	dup := base
	dup.ID = "F-dup" // a second registration of the same ID number
	err := db.PutFloating(context.Background(), []hecha.FloatingRecord{base, sameMonth, sameYear, otherYear, otherSex, dup, Floating(1)})
	if err != nil {
		tb.Fatal(err)
	}
	return base
}

func TestFloatingLookups(t *testing.T) {
	db := MustOpenTownship(t)
	base := fixtureRegistry(t, db)

	got, err := db.FloatingByCitizenID(base.CitizenID)
	if err != nil {
		t.Fatal(err)
	}
	sameIDs(t, "by id", floatingIDs(got), base.ID, "F-dup")
	if got[0].Name != base.Name {
		t.Errorf("record = %+v", got[0])
	}
	for _, tc := range []struct {
		p    hecha.Precision
		want []string
	}{
		{hecha.PrecisionDay, []string{base.ID, "F-dup"}},
		{hecha.PrecisionMonth, []string{base.ID, "F-dup", "F-month"}},
		{hecha.PrecisionYear, []string{base.ID, "F-dup", "F-month", "F-year"}},
	} {
		got, err := db.FloatingByNameSexBirth(base.Name, base.Sex, base.BirthDate, tc.p)
		if err != nil {
			t.Fatal(err)
		}
		sameIDs(t, "by name at "+tc.p.String(), floatingIDs(got), tc.want...)
	}
	if got, _ := db.FloatingByCitizenID(""); len(got) != 0 {
		t.Errorf("empty id found %v", got)
	}
	if got, _ := db.FloatingByNameSexBirth("无此人", hecha.SexMale, base.BirthDate, hecha.PrecisionYear); len(got) != 0 {
		t.Errorf("unknown name found %v", got)
	}
	// A name that is a prefix of another does not find the longer one.
	if got, _ := db.FloatingByNameSexBirth(base.Name[:3], base.Sex, base.BirthDate, hecha.PrecisionYear); len(got) != 0 {
		t.Errorf("name prefix found %v", floatingIDs(got))
	}
}

func TestPutFloating_ReplacesAndFixesIndexes(t *testing.T) {
	ctx := context.Background()
	db := MustOpenTownship(t)
	base := fixtureRegistry(t, db)
	moved := Floating(1)
	moved.ID = base.ID // the same record now describes person 1
	if err := db.PutFloating(ctx, []hecha.FloatingRecord{moved}); err != nil {
		t.Fatal(err)
	}
	got, _ := db.FloatingByCitizenID(base.CitizenID)
	sameIDs(t, "old id number", floatingIDs(got), "F-dup")
	got, _ = db.FloatingByNameSexBirth(base.Name, base.Sex, base.BirthDate, hecha.PrecisionDay)
	sameIDs(t, "old name", floatingIDs(got), "F-dup")
	got, _ = db.FloatingByCitizenID(moved.CitizenID)
	sameIDs(t, "new id number", floatingIDs(got), base.ID, Floating(1).ID)
	fl, rs, err := db.RegistryCount(ctx)
	if err != nil || fl != 7 || rs != 0 {
		t.Errorf("RegistryCount = %d, %d, %v; want 7, 0", fl, rs, err)
	}
}

func TestResidentLookups(t *testing.T) {
	ctx := context.Background()
	db := MustOpenTownship(t)
	var recs []hecha.ResidentRecord
	for i := 0; i < 20; i++ {
		recs = append(recs, Resident(i))
	}
	if err := db.PutResident(ctx, recs); err != nil {
		t.Fatal(err)
	}
	got, err := db.ResidentByCitizenID(Resident(3).CitizenID)
	if err != nil {
		t.Fatal(err)
	}
	sameIDs(t, "by id", residentIDs(got), Resident(3).ID)
	p := Person(13)
	got, err = db.ResidentByNameSexBirth(p.Name, p.Sex, p.BirthDate, hecha.PrecisionDay)
	if err != nil {
		t.Fatal(err)
	}
	sameIDs(t, "by name", residentIDs(got), Resident(13).ID)
	if got, _ := db.ResidentByCitizenID(""); len(got) != 0 {
		t.Errorf("empty id found %v", got)
	}
	// Putting the same records again changes nothing.
	if err := db.PutResident(ctx, recs); err != nil {
		t.Fatal(err)
	}
	if fl, rs, _ := db.RegistryCount(ctx); fl != 0 || rs != 20 {
		t.Errorf("RegistryCount = %d, %d; want 0, 20", fl, rs)
	}
}

func TestPutRegistry_Invalid(t *testing.T) {
	ctx := context.Background()
	db := MustOpenTownship(t)
	noID := Floating(1)
	noID.ID = ""
	err := db.PutFloating(ctx, []hecha.FloatingRecord{Floating(0), noID})
	MustField(t, err, hecha.EINVALID, "floating[1].id")
	badID := Resident(0)
	badID.ID = "R\x00"
	err = db.PutResident(ctx, []hecha.ResidentRecord{badID})
	MustField(t, err, hecha.EINVALID, "resident[0].id")
	noCID := Resident(1)
	noCID.CitizenID = ""
	err = db.PutResident(ctx, []hecha.ResidentRecord{noCID})
	MustField(t, err, hecha.EINVALID, "resident[0].citizen_id")
	if fl, rs, _ := db.RegistryCount(ctx); fl != 0 || rs != 0 {
		t.Errorf("invalid puts stored %d, %d records", fl, rs)
	}
}

func TestPutFloating_ManyBatches(t *testing.T) {
	ctx := context.Background()
	db := MustOpenTownship(t)
	recs := make([]hecha.FloatingRecord, 12000)
	for i := range recs {
		recs[i] = Floating(i)
	}
	if err := db.PutFloating(ctx, recs); err != nil {
		t.Fatal(err)
	}
	if fl, _, _ := db.RegistryCount(ctx); fl != len(recs) {
		t.Errorf("count = %d, want %d", fl, len(recs))
	}
	got, _ := db.FloatingByCitizenID(recs[11999].CitizenID)
	if len(got) == 0 {
		t.Error("last record not found")
	}
}

func TestApplyRegistry(t *testing.T) {
	ctx := context.Background()
	db := MustOpenTownship(t)
	err := db.ApplyRegistry(ctx, []hecha.FloatingRecord{Floating(0)}, []hecha.ResidentRecord{Resident(0)}, 77)
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := db.Settings(ctx); s.RegistryCursor != 77 || s.Township != Township {
		t.Errorf("settings = %+v", s)
	}
	if got, _ := db.ResidentByCitizenID(Resident(0).CitizenID); len(got) != 1 {
		t.Errorf("resident not stored: %v", got)
	}
	bad := Resident(1)
	bad.ID = ""
	err = db.ApplyRegistry(ctx, []hecha.FloatingRecord{Floating(1)}, []hecha.ResidentRecord{bad}, 78)
	MustField(t, err, hecha.EINVALID, "resident[0].id")
	if s, _ := db.Settings(ctx); s.RegistryCursor != 77 {
		t.Errorf("cursor moved to %d", s.RegistryCursor)
	}
	if got, _ := db.FloatingByCitizenID(Floating(1).CitizenID); len(got) != 0 {
		t.Error("a record of the rejected page was stored")
	}
}

func TestPutFloating_ReportsAtMostAHundredErrors(t *testing.T) {
	db := MustOpenTownship(t)
	recs := make([]hecha.FloatingRecord, 500)
	for i := range recs {
		recs[i] = Floating(i)
		recs[i].Name = ""
	}
	err := db.PutFloating(context.Background(), recs)
	MustField(t, err, hecha.EINVALID, "floating[0].name")
	if n := len(hecha.AsErrors(err)); n < 100 || n > 110 {
		t.Errorf("%d errors, want about 100", n)
	}
}

func TestNameIndex_DatesSortAsDigits(t *testing.T) {
	// Records born on 1 and 10 of a month, and in months 1 and 10, must
	// not be mixed up by the month prefix scan.
	ctx := context.Background()
	db := MustOpenTownship(t)
	var recs []hecha.FloatingRecord
	for i, d := range []hecha.Date{
		hecha.NewDate(1990, 1, 1), hecha.NewDate(1990, 1, 10), hecha.NewDate(1990, 10, 1), hecha.NewDate(1991, 1, 1),
	} {
		r := Floating(0)
		r.ID, r.BirthDate, r.CitizenID = fmt.Sprintf("D%d", i), d, CitizenID(d, r.Sex, i)
		recs = append(recs, r)
	}
	if err := db.PutFloating(ctx, recs); err != nil {
		t.Fatal(err)
	}
	name, sex := recs[0].Name, recs[0].Sex
	got, _ := db.FloatingByNameSexBirth(name, sex, hecha.NewDate(1990, 1, 20), hecha.PrecisionMonth)
	sameIDs(t, "January 1990", floatingIDs(got), "D0", "D1")
	got, _ = db.FloatingByNameSexBirth(name, sex, hecha.NewDate(1990, 1, 1), hecha.PrecisionDay)
	sameIDs(t, "1990-01-01", floatingIDs(got), "D0")
	got, _ = db.FloatingByNameSexBirth(name, sex, hecha.NewDate(1990, 6, 6), hecha.PrecisionYear)
	sameIDs(t, "1990", floatingIDs(got), "D0", "D1", "D2")
}

// TestRegistryLookups_IndexWithoutRecord: an index entry whose record is
// gone is reported as a damaged file, the same way by the DB's lookups and
// by the comparison inside Assign's transaction.
//
// It is bbolt-only: it damages the file's index buckets.
func TestRegistryLookups_IndexWithoutRecord(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "county.db")
	c := newClock()
	db := MustOpenCountyDBAt(t, path, countyOpts(c, t)...)
	if err := db.SetCounty(ctx, testCounty); err != nil {
		t.Fatal(err)
	}
	cs := testCase("C1", 1, townA)
	fl := floatingOf(cs.Person, "FX", farCounty)
	rs := residentOf(cs.Person, "RX", nil)
	if err := db.PutFloating(ctx, []hecha.FloatingRecord{fl}); err != nil {
		t.Fatal(err)
	}
	if err := db.PutResident(ctx, []hecha.ResidentRecord{rs}); err != nil {
		t.Fatal(err)
	}
	mustImport(t, db, cs)
	MustCloseDB(t, db)
	withBolt(t, path, func(tx *bbolt.Tx) error {
		if err := tx.Bucket([]byte("floating")).Delete([]byte("FX")); err != nil {
			return err
		}
		return tx.Bucket([]byte("resident")).Delete([]byte("RX"))
	})

	db = MustOpenCountyDBAt(t, path, countyOpts(c, t)...)
	p := cs.Person
	for name, lookup := range map[string]func() error{
		"FloatingByCitizenID": func() error { _, err := db.FloatingByCitizenID(p.CitizenID); return err },
		"FloatingByNameSexBirth": func() error {
			_, err := db.FloatingByNameSexBirth(p.Name, p.Sex, p.BirthDate, hecha.PrecisionYear)
			return err
		},
		"ResidentByCitizenID": func() error { _, err := db.ResidentByCitizenID(p.CitizenID); return err },
		"ResidentByNameSexBirth": func() error {
			_, err := db.ResidentByNameSexBirth(p.Name, p.Sex, p.BirthDate, hecha.PrecisionDay)
			return err
		},
		"Assign": func() error { return db.Assign(ctx, []string{"C1"}, townA, "王主任") },
	} {
		err := lookup()
		MustCode(t, err, hecha.EUNAVAILABLE)
		if msg := hecha.ErrorMessage(err, hecha.English); !strings.Contains(msg, path) ||
			!strings.Contains(msg, `"FX"`) && !strings.Contains(msg, `"RX"`) {
			t.Errorf("%s: message %q does not name the file and the record", name, msg)
		}
	}
}
