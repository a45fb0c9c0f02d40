package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hecha"
	"hecha/store"
)

// TestMain runs the package's tests and removes the benchmarks' database.
func TestMain(m *testing.M) {
	code := m.Run()
	removeBenchDir()
	os.Exit(code)
}

// Now is the fixed clock of the store tests: 2024-03-15 10:00 in Beijing.
var Now = time.Date(2024, 3, 15, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

// Clock is the fixed clock of the store tests: it always reads Now.
func Clock() time.Time { return Now }

// MustOpenDB opens a new township database in a temp dir with the fixed
// clock, no fsync and the given extra options (later options win), and
// closes it when the test ends.
func MustOpenDB(tb testing.TB, opts ...store.Option) *store.TownshipDB {
	tb.Helper()
	return MustOpenDBAt(tb, filepath.Join(tb.TempDir(), "hecha.db"), opts...)
}

// MustOpenDBAt is MustOpenDB for a given path.
func MustOpenDBAt(tb testing.TB, path string, opts ...store.Option) *store.TownshipDB {
	tb.Helper()
	all := append([]store.Option{store.WithNow(Clock), store.WithNoSync()}, opts...)
	db, err := store.OpenTownship(path, all...)
	if err != nil {
		tb.Fatalf("open %s: %v", path, err)
	}
	tb.Cleanup(func() { MustCloseDB(tb, db) })
	return db
}

// MustOpenCountyDB is MustOpenDB for a new county database.
func MustOpenCountyDB(tb testing.TB, opts ...store.Option) *store.CountyDB {
	tb.Helper()
	return MustOpenCountyDBAt(tb, filepath.Join(tb.TempDir(), "county.db"), opts...)
}

// MustOpenCountyDBAt is MustOpenCountyDB for a given path.
func MustOpenCountyDBAt(tb testing.TB, path string, opts ...store.Option) *store.CountyDB {
	tb.Helper()
	all := append([]store.Option{store.WithNow(Clock), store.WithNoSync()}, opts...)
	db, err := store.OpenCounty(path, all...)
	if err != nil {
		tb.Fatalf("open %s: %v", path, err)
	}
	tb.Cleanup(func() { MustCloseDB(tb, db) })
	return db
}

// MustCloseDB closes db; closing twice is harmless.
func MustCloseDB(tb testing.TB, db interface{ Close() error }) {
	tb.Helper()
	if err := db.Close(); err != nil {
		tb.Fatalf("close: %v", err)
	}
}

// MustCode fails the test unless err has the given hecha error code.
func MustCode(tb testing.TB, err error, code string) {
	tb.Helper()
	if got := hecha.ErrorCode(err); got != code {
		tb.Fatalf("error code = %q, want %q (err: %v)", got, code, err)
	}
}

// Township is the township the fixtures' cases are assigned to.
const Township hecha.Code = "410102001"

// Rules returns rules with a small real division table and the fixed clock.
func Rules(tb testing.TB) *hecha.Rules {
	tb.Helper()
	t := hecha.NewDivisionTable()
	for _, d := range []hecha.Division{
		{Code: "41", Name: "河南省"}, {Code: "4101", Name: "郑州市"}, {Code: "410102", Name: "中原区"},
		{Code: "410102001", Name: "林山寨街道"}, {Code: "410102002", Name: "建设路街道"},
		{Code: "410102001002", Name: "碧沙岗社区居委会"},
		{Code: "44", Name: "广东省"}, {Code: "4403", Name: "深圳市"}, {Code: "440305", Name: "南山区"},
	} {
		if err := t.Add(d); err != nil {
			tb.Fatalf("add %v: %v", d, err)
		}
	}
	return &hecha.Rules{Divisions: t, Now: func() time.Time { return Now }}
}

// MustOpenTownship opens a township database with Rules and the fixed clock,
// its settings naming Township and a clerk.
func MustOpenTownship(tb testing.TB, opts ...store.Option) *store.TownshipDB {
	tb.Helper()
	db := MustOpenDB(tb, append([]store.Option{store.WithRules(Rules(tb))}, opts...)...)
	err := db.SaveSettings(context.Background(), hecha.Settings{Township: Township, Clerk: "李娜"})
	if err != nil {
		tb.Fatal(err)
	}
	return db
}

// names are the fixtures' surnames and given names.
var (
	surnames = []string{"张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴"}
	given    = []string{"伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇"}
)

// CitizenID returns a valid ID number of 中原区 for the birth date and sex.
func CitizenID(birth hecha.Date, sex hecha.Sex, n int) string {
	seq := (n % 500) * 2 // even: female
	if sex == hecha.SexMale {
		seq++
	}
	first17 := "410102" + birth.Compact() + fmt.Sprintf("%03d", seq%1000)
	return first17 + string(hecha.IDCheckDigit(first17))
}

// Person returns the n-th fixture person: a name, sex and birth date that
// vary with n, registered in 林山寨街道 and living in Shenzhen.
func Person(n int) hecha.Person {
	sex := hecha.SexMale
	if n%2 == 1 {
		sex = hecha.SexFemale
	}
	birth := hecha.DateOf(time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, (n*37)%18000))
	return hecha.Person{
		Name:              surnames[n%len(surnames)] + given[(n/len(surnames))%len(given)],
		Sex:               sex,
		CurrentAddress:    "深圳市南山区粤海街道科技园路1号",
		CurrentDivision:   "440305",
		HouseholdAddress:  "郑州市中原区林山寨街道伊河路12号",
		HouseholdDivision: "410102001002",
		CitizenID:         CitizenID(birth, sex, n),
		BirthDate:         birth,
		OutflowDate:       hecha.NewDate(2015, 3, 1),
	}
}

// Case returns the n-th fixture case: cross-province, assigned to Township.
func Case(n int) hecha.Case {
	return hecha.Case{
		ID:        fmt.Sprintf("C%07d", n),
		Kind:      hecha.KindCrossProvince,
		Person:    Person(n),
		Unit:      Township,
		Rev:       1,
		UpdatedAt: Now,
	}
}

// Cases returns fixture cases from..to-1.
func Cases(from, to int) []hecha.Case {
	out := make([]hecha.Case, 0, to-from)
	for i := from; i < to; i++ {
		out = append(out, Case(i))
	}
	return out
}

// NotFound returns a valid R1 result (查无此人, died) for a case.
func NotFound(caseID string) *hecha.Result {
	return &hecha.Result{
		CaseID:   caseID,
		Form:     hecha.FormR1,
		NotFound: &hecha.NotFound{Reason: hecha.NotFoundDied},
	}
}

// MustApplyCases stores cases as pulled from the county.
func MustApplyCases(tb testing.TB, db *store.TownshipDB, cases ...hecha.Case) {
	tb.Helper()
	if err := db.ApplyCases(context.Background(), cases, 1); err != nil {
		tb.Fatalf("apply cases: %v", err)
	}
}

// MustSaveResult saves res and returns the stored result.
func MustSaveResult(tb testing.TB, db *store.TownshipDB, res *hecha.Result) *hecha.Result {
	tb.Helper()
	r, err := db.SaveResult(context.Background(), res)
	if err != nil {
		tb.Fatalf("save result: %v (%s)", err, Describe(err))
	}
	return r
}

// Describe lists the field and message id of each domain error in err.
func Describe(err error) string {
	var parts []string
	for _, e := range hecha.AsErrors(err) {
		parts = append(parts, e.Field+"="+e.Code+"/"+e.MsgID)
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// MustField fails the test unless err is code with an error about field.
func MustField(tb testing.TB, err error, code, field string) {
	tb.Helper()
	MustCode(tb, err, code)
	for _, e := range hecha.AsErrors(err) {
		if e.Field == field {
			return
		}
	}
	tb.Fatalf("no error about %q in %s", field, Describe(err))
}
