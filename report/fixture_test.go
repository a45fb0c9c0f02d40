package report

import (
	"testing"

	"hecha"
)

// The fixtures of the report tests: a small division table with real
// codes and the cases and results the reports count. They mirror the root
// package's validation fixtures as far as the reports read them.

// fxTable returns a division table of Zhengzhou's 中原区 and 金水区 with
// some townships and one village, and Luoyang's 老城区.
func fxTable(tb testing.TB) *hecha.DivisionTable {
	tb.Helper()
	t := hecha.NewDivisionTable()
	for _, d := range []hecha.Division{
		{Code: "41", Name: "河南省"}, {Code: "4101", Name: "郑州市"}, {Code: "410102", Name: "中原区"},
		{Code: "410102001", Name: "林山寨街道"}, {Code: "410102002", Name: "建设路街道"}, {Code: "410102001002", Name: "碧沙岗社区居委会"},
		{Code: "410105", Name: "金水区"}, {Code: "410105001", Name: "经八路街道"},
		{Code: "4103", Name: "洛阳市"}, {Code: "410302", Name: "老城区"}, {Code: "410302001", Name: "西关街道"},
	} {
		if err := t.Add(d); err != nil {
			tb.Fatalf("add %v: %v", d, err)
		}
	}
	return t
}

// fxRules returns Rules with fxTable.
func fxRules(tb testing.TB) *hecha.Rules {
	return &hecha.Rules{Divisions: fxTable(tb)}
}

// fxCase returns a cross-province case of 林山寨街道 whose person's
// household is there too.
func fxCase() hecha.Case {
	return hecha.Case{
		ID: "KS4101020012024000001", Kind: hecha.KindCrossProvince, Unit: "410102001",
		Person: hecha.Person{Name: "张伟", Sex: hecha.SexMale, BirthDate: hecha.NewDate(1990, 3, 15),
			HouseholdDivision: "410102001", CurrentDivision: "440305"},
	}
}

// fxInProvinceCase returns an in-province case: 张伟 was registered as
// having moved in to 经八路街道 in 金水区.
func fxInProvinceCase() hecha.Case {
	c := fxCase()
	c.ID, c.Kind = "SN4101050010001", hecha.KindInProvince
	c.InflowDivision, c.InflowDate = "410105001", hecha.NewDate(2016, 4, 1)
	return c
}

// fxMismatchCase returns an undistributed mismatch case whose records
// differ in the birth date.
func fxMismatchCase() hecha.Case {
	id := "410102198811020241"
	return hecha.Case{
		ID: "BY4101020010001", Kind: hecha.KindMismatch,
		Person:   hecha.Person{Name: "刘丽", HouseholdDivision: "410102001"},
		Resident: &hecha.Basic{Name: "刘丽", Sex: hecha.SexFemale, BirthDate: hecha.NewDate(1988, 11, 2), CitizenID: id},
		Outflow:  &hecha.Basic{Name: "刘丽", Sex: hecha.SexFemale, BirthDate: hecha.NewDate(1988, 12, 2), CitizenID: id},
	}
}

// fxResult returns a result of form for c, saved by 林山寨街道; a
// no-such-person form has the reason "died".
func fxResult(c *hecha.Case, form hecha.Form) hecha.Result {
	res := hecha.Result{CaseID: c.ID, Form: form, Township: "410102001", Clerk: "赵敏"}
	if form == hecha.FormR1 || form == hecha.FormP2 {
		res.NotFound = &hecha.NotFound{Reason: hecha.NotFoundDied}
	}
	return res
}
