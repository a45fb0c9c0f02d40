package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"hecha"
	"hecha/internal/countytest"
	"hecha/store"
)

// The county fixture: 中原区 (410102) with two townships and a village each,
// a neighbouring county and a county in another province for current
// addresses.
const (
	testCounty  = hecha.Code("410102")
	townA       = hecha.Code("410102001")
	townB       = hecha.Code("410102002")
	villageA    = hecha.Code("410102001002")
	villageB    = hecha.Code("410102002001")
	otherCounty = hecha.Code("410103")
	otherTown   = hecha.Code("410103001")
	farCounty   = hecha.Code("440305")
)

// testDivisions returns the fixture's division table.
func testDivisions(tb testing.TB) *hecha.DivisionTable {
	tb.Helper()
	t := hecha.NewDivisionTable()
	for _, d := range []hecha.Division{
		{Code: "41", Name: "河南省"}, {Code: "4101", Name: "郑州市"},
		{Code: testCounty, Name: "中原区"}, {Code: otherCounty, Name: "二七区"},
		{Code: townA, Name: "林山寨街道"}, {Code: townB, Name: "建设路街道"}, {Code: otherTown, Name: "淮河路街道"},
		{Code: villageA, Name: "碧沙岗社区居委会"}, {Code: villageB, Name: "桐柏路社区居委会"},
		{Code: "44", Name: "广东省"}, {Code: "4403", Name: "深圳市"}, {Code: farCounty, Name: "南山区"},
	} {
		if err := t.Add(d); err != nil {
			tb.Fatal(err)
		}
	}
	return t
}

// clock is a settable test clock.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }
func newClock() *clock                   { return &clock{t: Now} }

// countyOpts are the options of a bbolt county file opened with c, for
// the tests that work on the file itself.
func countyOpts(c *clock, tb testing.TB) []store.Option {
	return []store.Option{
		store.WithNow(c.now),
		store.WithRules(&hecha.Rules{Divisions: testDivisions(tb)}),
	}
}

// openCounty opens a new county store of the backend under test
// (countytest) on clock c, with the test divisions and no county set.
func openCounty(tb testing.TB, c *clock) hecha.CountyStore {
	tb.Helper()
	return countytest.Open(tb, countytest.Options{Now: c.now, Rules: &hecha.Rules{Divisions: testDivisions(tb)}})
}

// MustOpenCounty opens a county store for 中原区 with its own clock.
func MustOpenCounty(tb testing.TB) (hecha.CountyStore, *clock) {
	tb.Helper()
	c := newClock()
	db := openCounty(tb, c)
	if err := db.SetCounty(context.Background(), testCounty); err != nil {
		tb.Fatal(err)
	}
	return db, c
}

// citizenID returns a valid ID number for area, birth and sequence n
// (odd for men, even for women).
func citizenID(area string, birth hecha.Date, n int) string {
	first := fmt.Sprintf("%s%s%03d", area, birth.Compact(), n%1000)
	return first + string(hecha.IDCheckDigit(first))
}

// testPerson returns a person with every item set: household in village
// hd, living in 南山区, born in 1990.
func testPerson(name string, n int, hd hecha.Code) hecha.Person {
	birth := hecha.NewDate(1990, time.Month(1+n%12), 1+n%28)
	sex := hecha.SexMale
	if n%2 == 0 {
		sex = hecha.SexFemale
	}
	return hecha.Person{
		Name: name, Sex: sex,
		CurrentAddress: "广东省深圳市南山区科技园 1 号", CurrentDivision: farCounty,
		HouseholdAddress: "河南省郑州市中原区 2 号", HouseholdDivision: hd,
		CitizenID: citizenID(string(testCounty), birth, n), BirthDate: birth,
		Education: "20", HukouType: hecha.HukouAgricultural, Reason: "1",
		OutflowDate: hecha.NewDate(2015, 3, 1), Marital: "10",
	}
}

// givenChars make the fixture's given names.
var givenChars = []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂")

// testName returns a name for n: 张 and two characters that n picks.
func testName(n int) string {
	k := len(givenChars)
	return "张" + string(givenChars[n%k]) + string(givenChars[n/k%k])
}

// testCase returns a valid cross-province case.
func testCase(id string, n int, hd hecha.Code) hecha.Case {
	return hecha.Case{ID: id, Kind: hecha.KindCrossProvince, Person: testPerson(testName(n), n, hd)}
}

// mustImport imports cases and fails the test on error.
func mustImport(tb testing.TB, db hecha.CountyStore, cases ...hecha.Case) hecha.ImportStats {
	tb.Helper()
	s, err := db.ImportCases(context.Background(), cases)
	if err != nil {
		tb.Fatalf("import: %v", err)
	}
	return s
}

func mustCase(tb testing.TB, db hecha.CountyStore, id string) *hecha.Case {
	tb.Helper()
	c, err := db.Case(context.Background(), id)
	if err != nil {
		tb.Fatalf("case %s: %v", id, err)
	}
	return c
}

func mustAssign(tb testing.TB, db hecha.CountyStore, unit hecha.Code, ids ...string) {
	tb.Helper()
	if err := db.Assign(context.Background(), ids, unit, "王主任"); err != nil {
		tb.Fatalf("assign %v to %s: %v", ids, unit, err)
	}
}

// since returns the ids of every case in the township's changes after
// cursor, and the next cursor.
func since(tb testing.TB, db hecha.CountyStore, town hecha.Code, cursor uint64) ([]string, uint64) {
	tb.Helper()
	cases, next, err := db.CasesSince(context.Background(), town, cursor, 0)
	if err != nil {
		tb.Fatal(err)
	}
	ids := make([]string, len(cases))
	for i, c := range cases {
		ids[i] = c.ID
	}
	return ids, next
}

func ids(cases []hecha.Case) []string {
	out := make([]string, len(cases))
	for i, c := range cases {
		out[i] = c.ID
	}
	return out
}

func TestSetCounty(t *testing.T) {
	ctx := context.Background()
	db := openCounty(t, newClock())
	if c, err := db.County(ctx); err != nil || c != "" {
		t.Fatalf("County() = %q, %v before SetCounty", c, err)
	}
	for _, tc := range []struct {
		code hecha.Code
		want string
	}{
		{townA, hecha.EINVALID},
		{"41", hecha.EINVALID},
		{"410199", hecha.ENOTFOUND},
	} {
		err := db.SetCounty(ctx, tc.code)
		MustCode(t, err, tc.want)
		if f := hecha.ErrorField(err); f != "county" {
			t.Errorf("SetCounty(%s): field %q, want county", tc.code, f)
		}
	}
	if err := db.SetCounty(ctx, testCounty); err != nil {
		t.Fatal(err)
	}
	if c, _ := db.County(ctx); c != testCounty {
		t.Errorf("County() = %q", c)
	}
}

func TestImportCases(t *testing.T) {
	db, clk := MustOpenCounty(t)
	in := []hecha.Case{testCase("C1", 1, villageA), testCase("C2", 2, townB), testCase("C3", 3, testCounty)}
	in[0].Person.Name = "  张三 " // normalised on the way in
	in[0].Unit = townA          // an import does not distribute
	if s := mustImport(t, db, in...); s != (hecha.ImportStats{Added: 3}) {
		t.Fatalf("first import: %+v", s)
	}
	if in[0].Person.Name != "  张三 " {
		t.Errorf("ImportCases changed the caller's case: %q", in[0].Person.Name)
	}
	c1 := mustCase(t, db, "C1")
	if c1.Person.Name != "张三" || c1.Rev != 1 || c1.Unit != "" || !c1.UpdatedAt.Equal(Now) {
		t.Errorf("stored C1 = name %q rev %d unit %q updated %v", c1.Person.Name, c1.Rev, c1.Unit, c1.UpdatedAt)
	}
	mustAssign(t, db, townA, "C1")
	_, cursor := since(t, db, townA, 0)

	// The same cases again change nothing: no Rev, no change for the township.
	clk.advance(time.Hour)
	if s := mustImport(t, db, in...); s != (hecha.ImportStats{Unchanged: 3}) {
		t.Fatalf("identical import: %+v", s)
	}
	if got := mustCase(t, db, "C1"); got.Rev != 2 || !got.UpdatedAt.Equal(Now) {
		t.Errorf("identical import touched C1: rev %d updated %v", got.Rev, got.UpdatedAt)
	}
	if got, _ := since(t, db, townA, cursor); len(got) != 0 {
		t.Errorf("identical import put %v in the township's changes", got)
	}

	// A changed case takes a new Rev, UpdatedAt and its place in the changes;
	// its assignment stays.
	in[0].Person.CurrentAddress = "广东省深圳市南山区粤海街道 9 号"
	if s := mustImport(t, db, in...); s != (hecha.ImportStats{Changed: 1, Unchanged: 2}) {
		t.Fatalf("changed import: %+v", s)
	}
	got := mustCase(t, db, "C1")
	if got.Rev != 3 || !got.UpdatedAt.Equal(Now.Add(time.Hour)) || got.Unit != townA ||
		got.Person.CurrentAddress != in[0].Person.CurrentAddress {
		t.Errorf("changed C1: rev %d updated %v unit %q address %q", got.Rev, got.UpdatedAt, got.Unit, got.Person.CurrentAddress)
	}
	if changed, _ := since(t, db, townA, cursor); !slices.Equal(changed, []string{"C1"}) {
		t.Errorf("changes after the changed import = %v", changed)
	}
	// An unassigned changed case is in nobody's changes.
	if c2 := mustCase(t, db, "C2"); c2.Rev != 1 {
		t.Errorf("C2 rev = %d", c2.Rev)
	}
}

func TestImportCases_Invalid(t *testing.T) {
	ctx := context.Background()
	db, _ := MustOpenCounty(t)
	badCID := testCase("BAD-7", 7, townA)
	badCID.Person.CitizenID = "410102199001010000" // wrong check digit
	badID := testCase("BAD\x00ID", 8, townA)
	longID := testCase(strings.Repeat("L", 129), 9, townA)
	// Many valid cases before and after, so that the preparation runs on
	// several goroutines and the bad case is in a later chunk.
	valid := func(from, n int) []hecha.Case {
		var out []hecha.Case
		for i := from; i < from+n; i++ {
			out = append(out, testCase(fmt.Sprintf("OK%05d", i), i, townA))
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		cases []hecha.Case
		id    string // the case the error names
		field string
	}{
		{"citizen id", append(valid(0, 1), badCID), "BAD-7", "person.citizen_id"},
		{"late citizen id", append(append(valid(0, 3000), badCID), valid(3000, 500)...), "BAD-7", "person.citizen_id"},
		{"key separator", append(valid(0, 1500), badID), "BAD\x00ID", "id"},
		{"id too long", append(valid(0, 10), longID), longID.ID, "id"},
		{"first of two", append(append(valid(0, 2000), badCID), longID), "BAD-7", "person.citizen_id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := db.ImportCases(ctx, tc.cases)
			MustCode(t, err, hecha.EINVALID)
			es := hecha.AsErrors(err)
			if len(es) == 0 || es[0].Field != "" || !strings.Contains(hecha.ErrorMessage(es[0], hecha.English), tc.id) {
				t.Errorf("first error %v does not name the case %q", es, tc.id)
			}
			for _, lang := range []hecha.Lang{hecha.Chinese, hecha.English} {
				if msg := hecha.ErrorMessage(err, lang); !strings.Contains(msg, tc.id) {
					t.Errorf("message %q does not name the case", msg)
				}
			}
			if len(es.ForField(tc.field)) == 0 {
				t.Errorf("errors %v lack %s", es, tc.field)
			}
			// Nothing was written, not even the valid cases.
			if _, err := db.Case(ctx, "OK00000"); hecha.ErrorCode(err) != hecha.ENOTFOUND {
				t.Errorf("OK00000 was imported: %v", err)
			}
		})
	}
}

func TestImportCases_ManyBatches(t *testing.T) {
	db, _ := MustOpenCounty(t)
	var in []hecha.Case
	const n = 10_500 // more than two transactions' worth
	for i := range n {
		in = append(in, testCase(fmt.Sprintf("M%05d", i), i, townA))
	}
	if s := mustImport(t, db, in...); s.Added != n {
		t.Fatalf("stats %+v", s)
	}
	all, err := db.Cases(context.Background(), hecha.CaseFilter{Undistributed: true})
	if err != nil || len(all) != n {
		t.Fatalf("%d undistributed, %v", len(all), err)
	}
	if s := mustImport(t, db, in...); s.Unchanged != n {
		t.Fatalf("re-import stats %+v", s)
	}
}

// A case named twice in one import into a county with no cases: the
// second time it is compared with the first, as on a re-import.
func TestImportCases_SameIDTwice(t *testing.T) {
	db, _ := MustOpenCounty(t)
	a, b := testCase("T1", 1, townA), testCase("T2", 2, townB)
	a2 := a
	a2.Person.CurrentAddress = "广东省深圳市南山区粤海街道 9 号"
	if s := mustImport(t, db, a, b, a2, b); s != (hecha.ImportStats{Added: 2, Changed: 1, Unchanged: 1}) {
		t.Fatalf("stats %+v", s)
	}
	if got := mustCase(t, db, "T1"); got.Rev != 2 || got.Person.CurrentAddress != a2.Person.CurrentAddress {
		t.Errorf("T1: rev %d address %q", got.Rev, got.Person.CurrentAddress)
	}
	if got := mustCase(t, db, "T2"); got.Rev != 1 {
		t.Errorf("T2: rev %d", got.Rev)
	}
}

func TestCases_Filters(t *testing.T) {
	ctx := context.Background()
	db, _ := MustOpenCounty(t)
	mis := testCase("K3", 9, townB)
	mis.Kind = hecha.KindMismatch
	mis.Resident = &hecha.Basic{Name: mis.Person.Name, Sex: hecha.SexMale, BirthDate: mis.Person.BirthDate, CitizenID: mis.Person.CitizenID}
	mis.Outflow = &hecha.Basic{Name: "张九", Sex: hecha.SexMale, BirthDate: mis.Person.BirthDate, CitizenID: mis.Person.CitizenID}
	mustImport(t, db, testCase("A1", 1, townA), testCase("A2", 2, villageA), testCase("B1", 3, townB), mis, testCase("U1", 5, testCounty))
	mustAssign(t, db, townA, "A1")
	mustAssign(t, db, villageA, "A2")
	mustAssign(t, db, villageB, "B1", "K3")

	for _, tc := range []struct {
		name string
		f    hecha.CaseFilter
		want []string
	}{
		{"all", hecha.CaseFilter{}, []string{"A1", "A2", "B1", "K3", "U1"}},
		{"county", hecha.CaseFilter{Unit: testCounty}, []string{"A1", "A2", "B1", "K3"}},
		{"city", hecha.CaseFilter{Unit: "4101"}, []string{"A1", "A2", "B1", "K3"}},
		{"township", hecha.CaseFilter{Unit: townA}, []string{"A1", "A2"}},
		{"village", hecha.CaseFilter{Unit: villageA}, []string{"A2"}},
		{"other county", hecha.CaseFilter{Unit: otherCounty}, nil},
		{"undistributed", hecha.CaseFilter{Undistributed: true}, []string{"U1"}},
		{"undistributed in a unit", hecha.CaseFilter{Undistributed: true, Unit: townA}, nil},
		{"status pending", hecha.CaseFilter{Status: hecha.StatusPending}, []string{"A1", "A2", "B1", "K3", "U1"}},
		{"status done", hecha.CaseFilter{Status: hecha.StatusDone}, nil},
		{"kind", hecha.CaseFilter{Kind: hecha.KindMismatch}, []string{"K3"}},
		{"unit and kind", hecha.CaseFilter{Unit: townB, Kind: hecha.KindCrossProvince}, []string{"B1"}},
		{"offset", hecha.CaseFilter{Offset: 1, Limit: 2}, []string{"A2", "B1"}},
		{"offset in a unit", hecha.CaseFilter{Unit: testCounty, Offset: 3}, []string{"K3"}},
		{"limit", hecha.CaseFilter{Status: hecha.StatusPending, Limit: 1}, []string{"A1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := db.Cases(ctx, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ids(got), tc.want) {
				t.Errorf("Cases(%+v) = %v, want %v", tc.f, ids(got), tc.want)
			}
		})
	}
}
