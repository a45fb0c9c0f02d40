package sheet

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"hecha"
	"hecha/codefile"
	"hecha/internal/testenv"
)

// The import files held to the outside references of the root package's
// reference_rules_test.go (issue 14): the cities GB/T 2260 gives no
// county-level divisions are read from every file, and a member's ID
// number born in the future is refused. Each runs on the small real
// extract in the module's testdata/ and again on the full tables in
// ../shared/data when they are there.

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
		file, err := os.Open(filepath.Join("..", "testdata", f.name))
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

var (
	realOnce  sync.Once
	realTable *hecha.DivisionTable
	realErr   error
)

// realDivisions loads the whole of ../shared/data/regions once. It needs
// the data (testenv: a skip on a bare machine, a failure under CI).
func realDivisions(tb testing.TB) *hecha.DivisionTable {
	tb.Helper()
	testenv.SharedData(tb, "regions", "henan_villages.csv")
	dir := testenv.SharedData(tb, "regions")
	realOnce.Do(func() { realTable, realErr = LoadDivisionDir(dir) })
	if realErr != nil {
		tb.Fatal(realErr)
	}
	return realTable
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

// refCaseRow returns a case row under recBaseHeader living in current.
func refCaseRow(current string) []string {
	row := recBaseRow()
	row[slices.Index(recBaseHeader, "现居住地行政区划")] = current
	return row
}

func TestCountyLevel_CityWithoutCounties_Import(t *testing.T) {
	refRules(t, func(t *testing.T, r *hecha.Rules) {
		ch := recCaseHeader(t, recBaseHeader)
		fh, err := NewFloatingHeader(FloatingColumns)
		if err != nil {
			t.Fatal(err)
		}
		rh, err := NewResidentHeader(ResidentColumns)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range citiesWithoutCounties {
			for _, written := range []string{c.written, c.written + "000000"} {
				got, err := ch.ParseCase(refCaseRow(written), r)
				fxOK(t, err)
				if got.Person.CurrentDivision != c.county {
					t.Errorf("case current division %s read as %s, want %s", written, got.Person.CurrentDivision, c.county)
				}
			}
			fl := fxFloating("LD1", "440305")
			row := FloatingRow(&fl)
			row[slices.Index(FloatingColumns, "流入地行政区划")] = c.written
			f, err := fh.ParseFloating(row, r)
			fxOK(t, err)
			if f.InflowDivision != c.county {
				t.Errorf("inflow division %s read as %s", c.written, f.InflowDivision)
			}
			rs := fxResident("CZ1", &hecha.Outflow{Date: hecha.NewDate(2015, 3, 1), Destination: "440305", Reason: "1"})
			row = ResidentRow(&rs)
			row[slices.Index(ResidentColumns, "流出地行政区划")] = c.written
			res, err := rh.ParseResident(row, r)
			fxOK(t, err)
			if res.Outflow == nil || res.Outflow.Destination != c.county {
				t.Errorf("outflow destination %s read as %+v", c.written, res.Outflow)
			}
		}
		// A city with counties still needs its county.
		_, err = ch.ParseCase(refCaseRow("440300"), r)
		fxWant(t, err, "person.current_division", "division.level.county")
	})
}

// TestIDBirth_MemberNotInFuture: a member of 家庭户信息 whose number says
// born 2099-01-01 is refused when the row is read, in both languages.
func TestIDBirth_MemberNotInFuture(t *testing.T) {
	refRules(t, func(t *testing.T, r *hecha.Rules) {
		const member = "孙浩|子|41012220990101001X||"
		row := recBaseRow()
		row[slices.Index(recBaseHeader, "家庭户信息")] = member
		_, err := recCaseHeader(t, recBaseHeader).ParseCase(row, r)
		fxWant(t, err, "person.members[0].citizen_id", "id.birth_future")
		for _, lang := range []hecha.Lang{hecha.Chinese, hecha.English} {
			if msg := hecha.ErrorMessage(err, lang); !strings.Contains(msg, "2099-01-01") || !strings.Contains(msg, "2024-06-15") {
				t.Errorf("message %q", msg)
			}
		}
	})
}
