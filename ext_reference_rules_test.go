package hecha_test

import (
	"hecha"
	"hecha/codefile"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// The tests in this file hold the domain to outside references (issue
// 14): GB/T 2260 and the NBS statistical table on cities without
// counties, GB/T 2260's editions on ID area codes, GB 11643-1999 §4.2.2
// on the birth date in an ID number. Each runs on a small real extract in
// testdata/ (rows copied unchanged from ../shared/data/regions:
// regions_no_counties.csv from china_counties.csv,
// gbt2260_historic_small.csv from china_gbt2260_historic.csv) and again on
// the full tables in ../shared/data when they are there.

// refRules runs f with the rules of each reference table: the extract
// (added to fxTable, which holds the Henan codes of the fixtures) and the
// real data.
func refRules(t *testing.T, f func(t *testing.T, r *hecha.Rules)) {
	t.Helper()
	clock := func() time.Time { return fxNow }
	t.Run("testdata", func(t *testing.T) {
		f(t, &hecha.Rules{Divisions: refExtract(t), Now: clock})
	})
	t.Run("shared", func(t *testing.T) {
		f(t, &hecha.Rules{Divisions: realDivisions(t), Now: clock})
	})
}

// refExtract returns fxTable with the extract of cities without counties
// and the historic extract loaded.
func refExtract(tb testing.TB) *hecha.DivisionTable {
	tb.Helper()
	t := fxTable(tb)
	for _, f := range []struct {
		name string
		load func(*hecha.DivisionTable, *os.File) error
	}{
		{"regions_no_counties.csv", func(t *hecha.DivisionTable, f *os.File) error { return codefile.LoadDivisions(t, f) }},
		{"gbt2260_historic_small.csv", func(t *hecha.DivisionTable, f *os.File) error { return codefile.LoadHistoric(t, f) }},
	} {
		file, err := os.Open(filepath.Join("testdata", f.name))
		if err != nil {
			tb.Fatal(err)
		}
		err = f.load(t, file)
		file.Close()
		if err != nil {
			tb.Fatalf("%s: %v", f.name, err)
		}
	}
	return t
}

// citiesWithoutCounties are the cities GB/T 2260 gives no county-level
// divisions: the code written in files and ID numbers, the code the table
// holds for the unit at county level, and the name.
var citiesWithoutCounties = []struct {
	written string
	county  hecha.Code
	name    string
}{
	{"441900", "441900", "广东省/东莞市"},
	{"442000", "442000", "广东省/中山市"},
	{"460400", "460400", "海南省/儋州市"},
	// The statistical table lists one county-level unit, 620201 嘉峪关市.
	{"620200", "620201", "甘肃省/嘉峪关市"},
}

func TestCountyLevel_CityWithoutCounties(t *testing.T) {
	refRules(t, func(t *testing.T, r *hecha.Rules) {
		tb := r.Divisions
		for _, c := range citiesWithoutCounties {
			code, err := hecha.ParseCode("current_division", c.written)
			if err != nil {
				t.Fatal(err)
			}
			if got := tb.Canonical(code); got != c.county {
				t.Errorf("Canonical(%s) = %s, want %s", code, got, c.county)
			}
			for _, x := range []hecha.Code{code, c.county} {
				if err := tb.Check("current_division", x, hecha.LevelCounty); err != nil {
					t.Errorf("Check(%s, county level): %v", x, err)
				}
			}
			town := c.county + "003"
			if err := tb.Check("destination", town, hecha.LevelTownship); err != nil {
				t.Errorf("Check(%s, township level): %v", town, err)
			}
			if err := tb.Check("destination", code, hecha.LevelTownship); hecha.ErrorCode(err) != hecha.EINVALID {
				t.Errorf("Check(%s, township level) = %v, want division.level.township", code, err)
			}
			for _, pair := range [][2]hecha.Code{{code, code}, {code, c.county}, {c.county, c.county}, {code, town}, {c.county, town}} {
				if !tb.SameCounty(pair[0], pair[1]) || !tb.SameCounty(pair[1], pair[0]) {
					t.Errorf("SameCounty(%s, %s) = false", pair[0], pair[1])
				}
			}
			if !c.county.SameCounty(c.county) {
				t.Errorf("Code(%s).SameCounty(itself) = false", c.county)
			}
			if got := tb.FullName(c.county); got != c.name {
				t.Errorf("FullName(%s) = %q, want %q", c.county, got, c.name)
			}
			if d, ok := tb.Lookup(c.county); !ok || d.Code.Level() != hecha.LevelCounty {
				t.Errorf("Lookup(%s) = %+v, %v", c.county, d, ok)
			}
		}
		if tb.SameCounty("4419", "4420") || tb.SameCounty("4419", "440305") || tb.SameCounty("441900", "442000003") {
			t.Error("different cities agree")
		}
		// A city with counties, and 省直辖县级行政区划 (济源 419001 is its
		// only county but not the same unit), are not county level.
		for _, c := range []hecha.Code{"4403", "4190"} {
			if got := tb.Canonical(c); got != c {
				t.Errorf("Canonical(%s) = %s", c, got)
			}
			if e := hecha.AsErrors(tb.Check("current_division", c, hecha.LevelCounty)); len(e) != 1 || e[0].MsgID != "division.level.county" {
				t.Errorf("Check(%s, county level) = %v", c, e)
			}
			if tb.SameCounty(c, c) {
				t.Errorf("SameCounty(%s, %s) = true", c, c)
			}
		}
	})
}

// TestCountyLevel_CityWithoutCounties_Search: the picker offers the
// county-level entry of a city without counties, once, whether asked by
// name, pinyin or any way of writing the code.
func TestCountyLevel_CityWithoutCounties_Search(t *testing.T) {
	refRules(t, func(t *testing.T, r *hecha.Rules) {
		tb := r.Divisions
		for q, want := range map[string]hecha.Code{
			"东莞": "441900", "dongguanshi": "441900", "4419": "441900", "441900": "441900", "441900000000": "441900",
			"中山市": "442000", "儋州": "460400", "嘉峪关": "620201", "620200": "620201", "6202": "620201",
		} {
			got := divCodes(tb.Search(q, "", 5))
			if len(got) == 0 || got[0] != want {
				t.Errorf("Search(%q) = %v, want %s first", q, got, want)
			}
			if n := len(slices.DeleteFunc(slices.Clone(got), func(c hecha.Code) bool { return c != want })); n != 1 {
				t.Errorf("Search(%q) = %v: %s %d times", q, got, want, n)
			}
			if slices.Contains(got, want[:4]) {
				t.Errorf("Search(%q) = %v offers the city %s too", q, got, want[:4])
			}
		}
		if got := divCodes(tb.Search("深圳", "", 1)); len(got) != 1 || got[0] != "4403" {
			t.Errorf("Search(深圳) = %v: a city with counties is still found", got)
		}
	})
}

// TestCountyLevel_CityWithoutCounties_TableFile checks that the table
// keeps a city's own county-level row through a write and a read (the form
// the store keeps and the sync API serves) and through Add, as merging
// one table into another does.
func TestCountyLevel_CityWithoutCounties_TableFile(t *testing.T) {
	tb := refExtract(t)
	var buf strings.Builder
	if err := codefile.WriteDivisions(&buf, tb); err != nil {
		t.Fatal(err)
	}
	for _, row := range []string{"\n441900,东莞市,440000,city\n", "\n441900,东莞市,441900,county\n", "\n620201,嘉峪关市,620200,county\n"} {
		if !strings.Contains(buf.String(), row) {
			t.Errorf("WriteDivisions lacks %q", row)
		}
	}
	assertSameTable(t, tb, []byte(buf.String()))
	merged := hecha.NewDivisionTable()
	for _, d := range tb.All() {
		if err := merged.Add(d); err != nil {
			t.Fatalf("Add(%+v): %v", d, err)
		}
	}
	if !slices.Equal(merged.All(), tb.All()) {
		t.Error("adding every division of the table gives another table")
	}
	if d, _ := merged.Lookup("441900"); d.Level != hecha.LevelCounty {
		t.Errorf("Lookup(441900) = %+v", d)
	}
	// A level that does not fit the code is refused.
	if err := merged.Add(hecha.Division{Code: "440300", Name: "深圳市", Level: hecha.LevelTownship}); hecha.ErrorField(err) != "level" {
		t.Errorf("Add with a wrong level: %v", err)
	}
	// The level column decides too, as GB/T 2260 lists such a city once as
	// a county-level unit under its province.
	alone := hecha.NewDivisionTable()
	if err := codefile.LoadDivisions(alone, strings.NewReader("code,name,parent_code,level\n440000,广东省,,province\n442000,中山市,440000,county\n")); err != nil {
		t.Fatal(err)
	}
	if err := alone.Check("current_division", "442000", hecha.LevelCounty); err != nil {
		t.Errorf("a county-level row alone: %v", err)
	}
}

func TestCountyLevel_CityWithoutCounties_Results(t *testing.T) {
	refRules(t, func(t *testing.T, r *hecha.Rules) {
		for _, city := range citiesWithoutCounties {
			c := fxCase()
			c.Person.CurrentDivision = city.county
			c.Person.CurrentAddress = "东莞市南城街道宏图路1号"
			bare, _ := hecha.ParseCode("", city.written)

			// The comparison: a floating record in the city is R2, a
			// resident's outflow registration to it R4.
			fl := fxFloating("LD1", city.county)
			rs := fxResident("CZ1", &hecha.Outflow{Date: hecha.NewDate(2015, 3, 1), Destination: city.county + "003", Reason: "1"})
			if got := hecha.FormFor(&c, &hecha.Candidate{Floating: &fl}); got != hecha.FormR2 {
				t.Errorf("%s: floating record → %s, want R2", city.county, got)
			}
			if got := hecha.FormFor(&c, &hecha.Candidate{Resident: &rs}); got != hecha.FormR4 {
				t.Errorf("%s: outflow registration → %s, want R4", city.county, got)
			}

			for _, form := range []hecha.Form{hecha.FormR2, hecha.FormR4} {
				res := fxResult(&c, form)
				fxOK(t, res.Validate(&c, r))
				// The clerk types the code as files write it; the form
				// stores the table's code.
				res.Verified.CurrentDivision = bare
				fxOK(t, res.Validate(&c, r))
				res.CanonicalCodes(r.Divisions)
				if res.Verified.CurrentDivision != city.county {
					t.Errorf("CanonicalCodes: %s, want %s", res.Verified.CurrentDivision, city.county)
				}
			}
			res := fxResult(&c, hecha.FormR3)
			res.Reregistration.InflowDivision = bare
			fxOK(t, res.Validate(&c, r))
			res = fxResult(&c, hecha.FormR5)
			res.Correction.Destination = city.county + "003"
			fxOK(t, res.Validate(&c, r))
			res = fxResult(&c, hecha.FormR6)
			res.Registration.Destination = bare
			fxOK(t, res.Validate(&c, r))
			res.Registration.Destination = "440305"
			fxWant(t, res.Validate(&c, r), "registration.destination", "result.county_disagree")
		}
	})
}

func TestIDArea_FoundInNoEditionRefused(t *testing.T) {
	refRules(t, func(t *testing.T, r *hecha.Rules) {
		// Current, abolished (崇文区 until 2010, 新密区 1983–1987), a city
		// without counties, Hong Kong.
		for _, a := range []string{"110105", "110103", "410107", "441900", "442000", "460400", "620200", "440306", "810000"} {
			id := fxID(a, hecha.NewDate(1985, 7, 1), hecha.SexMale)
			fxOK(t, (&hecha.Basic{Name: "张伟", Sex: hecha.SexMale, BirthDate: hecha.NewDate(1985, 7, 1), CitizenID: id}).Validate(r))
		}
		// Codes under 11 and 44 that no edition of GB/T 2260 has, and an
		// unknown province: refused, the message showing all 6 digits.
		for _, a := range []string{"110199", "449999", "441901", "440399", "990000"} {
			id := fxID(a, hecha.NewDate(1985, 7, 1), hecha.SexMale)
			err := (&hecha.Basic{Name: "张伟", Sex: hecha.SexMale, BirthDate: hecha.NewDate(1985, 7, 1), CitizenID: id}).Validate(r)
			fxWant(t, err, "citizen_id", "id.area")
			for _, lang := range []hecha.Lang{hecha.Chinese, hecha.English} {
				if msg := hecha.ErrorMessage(err, lang); !strings.Contains(msg, a) {
					t.Errorf("%s: message %q does not show %s", a, msg, a)
				}
			}
		}
		// A spouse from another province, as household members come.
		p := fxPerson()
		p.Members[0].CitizenID = fxID("449999", p.Members[0].BirthDate, hecha.SexFemale)
		fxWant(t, p.Validate(r), "members[0].citizen_id", "id.area")
	})
}

// TestIDArea_NationalHistoricTableLoaded checks that LoadDivisionDir
// reads the national historic table and, where a folder holds both, not
// the Henan one it replaces; a folder with only the Henan one still works.
func TestIDArea_NationalHistoricTableLoaded(t *testing.T) {
	extract, err := os.ReadFile(filepath.Join("testdata", "regions_no_counties.csv"))
	if err != nil {
		t.Fatal(err)
	}
	historic, err := os.ReadFile(filepath.Join("testdata", "gbt2260_historic_small.csv"))
	if err != nil {
		t.Fatal(err)
	}
	henan := "code,name,valid_from_year,valid_to_year\n410000,河南省,,\n410107,新密区,1983,1987\n449999,假县,,\n"
	both := t.TempDir()
	os.WriteFile(filepath.Join(both, "regions.csv"), extract, 0o644)
	os.WriteFile(filepath.Join(both, "china_gbt2260_historic.csv"), historic, 0o644)
	os.WriteFile(filepath.Join(both, "henan_gbt2260_historic.csv"), []byte(henan), 0o644)
	tb, err := loadDivisionDir(both)
	if err != nil {
		t.Fatal(err)
	}
	for a, ok := range map[hecha.Code]bool{"110103": true, "810000": true, "449999": false, "110199": false} {
		area, _ := hecha.ParseCode("", string(a))
		if err := tb.CheckIDArea("citizen_id", area); (err == nil) != ok {
			t.Errorf("national: CheckIDArea(%s) = %v, want ok %v", a, err, ok)
		}
	}
	onlyHenan := t.TempDir()
	os.WriteFile(filepath.Join(onlyHenan, "regions.csv"), extract, 0o644)
	os.WriteFile(filepath.Join(onlyHenan, "henan_gbt2260_historic.csv"), []byte(henan), 0o644)
	if tb, err = loadDivisionDir(onlyHenan); err != nil {
		t.Fatal(err)
	}
	if err := tb.CheckIDArea("citizen_id", "410107"); err != nil {
		t.Errorf("Henan only: abolished 410107: %v", err)
	}
	if _, ok := tb.AreaName("410107"); !ok {
		t.Error("Henan only: 410107 has no name")
	}
}

func TestIDBirth_NotInFuture(t *testing.T) {
	refRules(t, func(t *testing.T, r *hecha.Rules) {
		// The member: born 2099-01-01 by the number, no birth date
		// (read from an import file in sheet's TestIDBirth_MemberNotInFuture),
		// in the field-verified information of a result.
		p := fxPerson()
		p.Members = []hecha.Member{{Name: "孙浩", Relationship: "20", CitizenID: "41012220990101001X"}}
		err := p.Validate(r)
		fxWant(t, err, "members[0].citizen_id", "id.birth_future")
		for _, lang := range []hecha.Lang{hecha.Chinese, hecha.English} {
			if msg := hecha.ErrorMessage(err, lang); !strings.Contains(msg, "2099-01-01") || !strings.Contains(msg, "2024-06-15") {
				t.Errorf("message %q", msg)
			}
		}

		// Today by the rules' clock is the last day allowed.
		today, tomorrow := hecha.DateOf(fxNow), hecha.DateOf(fxNow.AddDate(0, 0, 1))
		for d, ok := range map[hecha.Date]bool{today: true, tomorrow: false} {
			p := fxPerson()
			p.Members[0].CitizenID = fxID("410102", d, hecha.SexFemale)
			p.Members[0].BirthDate = hecha.Date{}
			err := p.Validate(r)
			if ok {
				fxOK(t, err)
			} else {
				fxWant(t, err, "members[0].citizen_id", "id.birth_future")
			}
		}
		// Another clock, another answer: the check reads the rules' clock.
		later := *r
		later.Now = func() time.Time { return time.Date(2099, 1, 2, 0, 0, 0, 0, time.UTC) }
		fxOK(t, p.Validate(&later))

		// The person's own number, and a registry record's.
		b := hecha.Basic{Name: "张伟", Sex: hecha.SexMale, CitizenID: fxID("410102", tomorrow, hecha.SexMale)}
		fxWant(t, b.Validate(r), "citizen_id", "id.birth_future")
		fl := fxFloating("LD1", "440305")
		fl.CitizenID, fl.BirthDate = fxID("410102", tomorrow, hecha.SexMale), hecha.Date{}
		fxWant(t, fl.Validate(r), "citizen_id", "id.birth_future")
	})
}
