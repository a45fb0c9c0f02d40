package sheet

// Fixtures copied from the root package's validation tests, which the
// readers' tests share.

import (
	"hecha"
	"strings"
	"testing"
	"time"
)

// fxFloating returns the floating record of fxPerson, registered as having
// moved in to inflow.
func fxFloating(id string, inflow hecha.Code) hecha.FloatingRecord {
	p := fxPerson()
	return hecha.FloatingRecord{
		ID: id, Name: p.Name, Sex: p.Sex, BirthDate: p.BirthDate, CitizenID: p.CitizenID,
		HouseholdDivision: p.HouseholdDivision, InflowDivision: inflow, InflowDate: hecha.NewDate(2015, 4, 1),
	}
}

// fxResident returns the resident record of fxPerson with the outflow
// registration o (nil for none).
func fxResident(id string, o *hecha.Outflow) hecha.ResidentRecord {
	p := fxPerson()
	return hecha.ResidentRecord{
		ID: id, Name: p.Name, Sex: p.Sex, BirthDate: p.BirthDate, CitizenID: p.CitizenID,
		HouseholdDivision: p.HouseholdDivision, Outflow: o,
	}
}

// fxCase returns a valid cross-province case for fxPerson.
func fxCase() hecha.Case {
	return hecha.Case{ID: "KS4101020012024000001", Kind: hecha.KindCrossProvince, Person: fxPerson(), Unit: "410102001"}
}

// fxMinimalPerson returns a person with only the items a case import
// needs, as incomplete national data has them.
func fxMinimalPerson() hecha.Person {
	birth := hecha.NewDate(1990, 3, 15)
	return hecha.Person{
		Name: "张伟", Sex: hecha.SexMale, BirthDate: birth, CitizenID: fxID("410102", birth, hecha.SexMale),
		HouseholdDivision: "410102", CurrentDivision: "440305",
	}
}

// fxMismatchCase returns a mismatch case whose records differ in the
// birth date: the outflow record has a typo.
func fxMismatchCase() hecha.Case {
	birth := hecha.NewDate(1988, 11, 2)
	id := fxID("410102", birth, hecha.SexFemale)
	return hecha.Case{
		ID: "BY4101020010001", Kind: hecha.KindMismatch,
		Person:   hecha.Person{Name: "刘丽", HouseholdDivision: "410102001"},
		Resident: &hecha.Basic{Name: "刘丽", Sex: hecha.SexFemale, BirthDate: birth, CitizenID: id},
		Outflow:  &hecha.Basic{Name: "刘丽", Sex: hecha.SexFemale, BirthDate: hecha.NewDate(1988, 12, 2), CitizenID: id},
	}
}

// fxNow is the fixed "now" of the validation tests.
var fxNow = time.Date(2024, 6, 15, 10, 0, 0, 0, time.UTC)

// fxTable returns a small division table with real codes: Zhengzhou's
// 中原区 and 金水区 with some townships and one village, Luoyang's 老城区,
// and Shenzhen's and Guangzhou's districts to county level only, as the
// real table holds other provinces.
func fxTable(tb testing.TB) *hecha.DivisionTable {
	tb.Helper()
	t := hecha.NewDivisionTable()
	for _, d := range []hecha.Division{
		{Code: "41", Name: "河南省"}, {Code: "4101", Name: "郑州市"}, {Code: "410102", Name: "中原区"},
		{Code: "410102001", Name: "林山寨街道"}, {Code: "410102002", Name: "建设路街道"}, {Code: "410102001002", Name: "碧沙岗社区居委会"},
		{Code: "410105", Name: "金水区"}, {Code: "410105001", Name: "经八路街道"},
		{Code: "4103", Name: "洛阳市"}, {Code: "410302", Name: "老城区"}, {Code: "410302001", Name: "西关街道"},
		{Code: "44", Name: "广东省"}, {Code: "4403", Name: "深圳市"}, {Code: "440305", Name: "南山区"}, {Code: "440306", Name: "宝安区"},
		{Code: "4401", Name: "广州市"}, {Code: "440106", Name: "天河区"},
	} {
		if err := t.Add(d); err != nil {
			tb.Fatalf("add %v: %v", d, err)
		}
	}
	return t
}

// fxRules returns Rules with fxTable, the default reasons and fxNow.
func fxRules(tb testing.TB) *hecha.Rules {
	return &hecha.Rules{Divisions: fxTable(tb), Now: func() time.Time { return fxNow }}
}

// fxID returns a valid 18-digit ID number for the area, birth date and
// sex, its check digit computed with IDCheckDigit.
func fxID(area string, birth hecha.Date, sex hecha.Sex) string {
	if sex == hecha.SexFemale {
		return fxIDSeq(area, birth, "024")
	}
	return fxIDSeq(area, birth, "013")
}

// fxIDSeq returns the valid ID number with the 3-digit sequence seq (its
// last digit gives the sex: odd male, even female).
func fxIDSeq(area string, birth hecha.Date, seq string) string {
	first17 := area + birth.Compact() + seq
	return first17 + string(hecha.IDCheckDigit(first17))
}

// fxPerson returns a complete person: 张伟 of 林山寨街道, living in
// Shenzhen's 南山区, with his wife.
func fxPerson() hecha.Person {
	birth := hecha.NewDate(1990, 3, 15)
	wife := hecha.NewDate(1991, 5, 20)
	return hecha.Person{
		Name:              "张伟",
		Sex:               hecha.SexMale,
		CurrentAddress:    "深圳市南山区粤海街道科技园路1号",
		CurrentDivision:   "440305",
		HouseholdAddress:  "郑州市中原区林山寨街道伊河路12号",
		HouseholdDivision: "410102001",
		CitizenID:         fxID("410102", birth, hecha.SexMale),
		BirthDate:         birth,
		Education:         "60",
		HukouType:         hecha.HukouAgricultural,
		Reason:            "1",
		OutflowDate:       hecha.NewDate(2015, 3, 1),
		Marital:           "20",
		Members: []hecha.Member{{
			Name: "王芳", Relationship: "10", Sex: hecha.SexFemale, BirthDate: wife,
			CitizenID: fxID("410102", wife, hecha.SexFemale),
		}},
	}
}

// fxWant asserts that err is EINVALID and holds an error about field with
// message msgID.
func fxWant(tb testing.TB, err error, field, msgID string) {
	tb.Helper()
	if got := hecha.ErrorCode(err); got != hecha.EINVALID {
		tb.Fatalf("code = %q, want %q (err: %v)", got, hecha.EINVALID, err)
	}
	for _, e := range hecha.AsErrors(err) {
		if e.Field == field && e.MsgID == msgID {
			return
		}
	}
	tb.Fatalf("no error %s on %q; got %s", msgID, field, fxDescribe(err))
}

// fxOK asserts that err is nil.
func fxOK(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatalf("unexpected errors: %s", fxDescribe(err))
	}
}

func fxDescribe(err error) string {
	var parts []string
	for _, e := range hecha.AsErrors(err) {
		parts = append(parts, e.Field+"="+e.MsgID)
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// fxWrongCheck returns a check character that is not id's.
func fxWrongCheck(id string) string {
	if id[17] == '0' {
		return "1"
	}
	return "0"
}

// fxInProvinceCase returns a valid in-province case: 张伟 was registered
// as having moved in to 经八路街道 in 金水区.
func fxInProvinceCase() hecha.Case {
	c := fxCase()
	c.ID = "SN4101050010001"
	c.Kind = hecha.KindInProvince
	c.Person.CurrentDivision = "410105001"
	c.Person.CurrentAddress = "郑州市金水区经八路5号"
	c.InflowDivision = "410105001"
	c.InflowDate = hecha.NewDate(2016, 4, 1)
	return c
}

// fxCaseFor returns the valid case of the kind form belongs to.
func fxCaseFor(form hecha.Form) hecha.Case {
	switch form.Kind() {
	case hecha.KindInProvince:
		return fxInProvinceCase()
	case hecha.KindMismatch:
		return fxMismatchCase()
	}
	return fxCase()
}

// fxResult returns a valid result of form for c.
func fxResult(c *hecha.Case, form hecha.Form) hecha.Result {
	res := hecha.Result{CaseID: c.ID, Form: form, Township: "410102001", Clerk: "赵敏"}
	sign := &hecha.SignOff{Confirmed: true, Name: "李建国"}
	if form.Confirms() {
		v := hecha.Prefill(c)
		res.Verified, res.SignOff = &v, sign
	}
	switch form {
	case hecha.FormR1, hecha.FormP2:
		res.NotFound = &hecha.NotFound{Reason: hecha.NotFoundDied}
	case hecha.FormR3:
		res.Reregistration = &hecha.Reregistration{Withdrawn: true, InflowDivision: "440305", InflowAddress: "深圳市南山区科技园路1号", Date: hecha.NewDate(2024, 5, 1)}
	case hecha.FormR5:
		res.Correction = &hecha.OutflowCorrection{Destination: "440305", Date: hecha.NewDate(2024, 5, 2)}
	case hecha.FormR6:
		res.Registration = &hecha.Outflow{Date: hecha.NewDate(2015, 3, 1), Destination: "440305", Reason: "1"}
	case hecha.FormP1:
		res.Registration = &hecha.Outflow{Date: hecha.NewDate(2016, 4, 1), Destination: "410105001", Reason: "1"}
	case hecha.FormM:
		res.Mismatch = &hecha.MismatchResolution{NameChoice: hecha.KeepResident, SexChoice: hecha.KeepResident, BirthDateChoice: hecha.KeepResident, CitizenIDChoice: hecha.KeepResident}
		res.SignOff = sign
	}
	return res
}
