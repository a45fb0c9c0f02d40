package hecha

import (
	"strings"
	"testing"
)

// fxCase returns a valid cross-province case for fxPerson.
func fxCase() Case {
	return Case{ID: "KS4101020012024000001", Kind: KindCrossProvince, Person: fxPerson(), Unit: "410102001"}
}

// fxMinimalPerson returns a person with only the items a case import
// needs, as incomplete national data has them.
func fxMinimalPerson() Person {
	birth := NewDate(1990, 3, 15)
	return Person{
		Name: "张伟", Sex: SexMale, BirthDate: birth, CitizenID: fxID("410102", birth, SexMale),
		HouseholdDivision: "410102", CurrentDivision: "440305",
	}
}

// fxMismatchCase returns a mismatch case whose records differ in the
// birth date: the outflow record has a typo.
func fxMismatchCase() Case {
	birth := NewDate(1988, 11, 2)
	id := fxID("410102", birth, SexFemale)
	return Case{
		ID: "BY4101020010001", Kind: KindMismatch,
		Person:   Person{Name: "刘丽", HouseholdDivision: "410102001"},
		Resident: &Basic{Name: "刘丽", Sex: SexFemale, BirthDate: birth, CitizenID: id},
		Outflow:  &Basic{Name: "刘丽", Sex: SexFemale, BirthDate: NewDate(1988, 12, 2), CitizenID: id},
	}
}

type caseRow struct {
	name  string
	edit  func(c *Case)
	field string
	msgID string // "" means valid
}

func runCaseRows(t *testing.T, base func() Case, rows []caseRow) {
	t.Helper()
	r := fxRules(t)
	for _, tc := range rows {
		t.Run(tc.name, func(t *testing.T) {
			c := base()
			tc.edit(&c)
			err := c.Validate(r)
			if tc.msgID == "" {
				fxOK(t, err)
				return
			}
			fxWant(t, err, tc.field, tc.msgID)
		})
	}
}

func TestCase_CompleteIsValid(t *testing.T) {
	r := fxRules(t)
	for _, c := range []Case{fxCase(), fxMismatchCase()} {
		fxOK(t, c.Validate(r))
	}
}

func TestCase_IDRequired(t *testing.T) {
	runCaseRows(t, fxCase, []caseRow{
		{"empty", func(c *Case) { c.ID = "" }, "id", "form.required"},
		{"inner space", func(c *Case) { c.ID = "KS 0001" }, "id", "case.id_spaces"},
		{"inner full-width space", func(c *Case) { c.ID = "KS\u30000001" }, "id", "case.id_spaces"},
		{"too long", func(c *Case) { c.ID = strings.Repeat("9", MaxCaseIDLen+1) }, "id", "text.too_long"},
		{"control", func(c *Case) { c.ID = "KS\x000001" }, "id", "text.control"},
		{"at the limit", func(c *Case) { c.ID = strings.Repeat("9", MaxCaseIDLen) }, "", ""},
	})
}

func TestCase_KindOneOfThree(t *testing.T) {
	runCaseRows(t, fxCase, []caseRow{
		{"empty", func(c *Case) { c.Kind = "" }, "kind", "form.required"},
		{"unknown", func(c *Case) { c.Kind = "4" }, "kind", "case.kind_unknown"},
		{"name not code", func(c *Case) { c.Kind = "跨省流出" }, "kind", "case.kind_unknown"},
	})
}

func TestCase_ImportNeedsOnlyRuleItems(t *testing.T) {
	minimal := func() Case { c := fxCase(); c.Person = fxMinimalPerson(); return c }
	runCaseRows(t, minimal, []caseRow{
		{"minimal is valid", func(c *Case) {}, "", ""},
		{"name", func(c *Case) { c.Person.Name = "" }, "person.name", "form.required"},
		{"sex", func(c *Case) { c.Person.Sex = "" }, "person.sex", "form.required"},
		{"citizen ID", func(c *Case) { c.Person.CitizenID = "" }, "person.citizen_id", "form.required"},
		{"placeholder ID", func(c *Case) { c.Person.CitizenID = strings.Repeat("0", 18) }, "person.citizen_id", "id.placeholder"},
		{"birth date", func(c *Case) { c.Person.BirthDate = Date{} }, "person.birth_date", "form.required"},
		{"ID birth disagrees", func(c *Case) { c.Person.BirthDate = NewDate(1990, 3, 14) }, "person.birth_date", "form.id_birth_mismatch"},
		{"household division", func(c *Case) { c.Person.HouseholdDivision = "" }, "person.household_division", "form.required"},
		{"household province only", func(c *Case) { c.Person.HouseholdDivision = "41" }, "person.household_division", "division.level.county"},
		{"given education checked", func(c *Case) { c.Person.Education = "99" }, "person.education", "form.code_unknown"},
		{"given return date checked", func(c *Case) {
			c.Person.OutflowDate = NewDate(2020, 1, 1)
			c.Person.ReturnDate = NewDate(2019, 1, 1)
		}, "person.return_date", "form.return_before_outflow"},
		{"member relationship optional", func(c *Case) { c.Person.Members = []Member{{Name: "王芳"}} }, "", ""},
	})
}

func TestCase_CrossProvinceCurrentInOtherProvince(t *testing.T) {
	runCaseRows(t, fxCase, []caseRow{
		{"missing", func(c *Case) { c.Person.CurrentDivision = "" }, "person.current_division", "form.required"},
		{"home province", func(c *Case) { c.Person.CurrentDivision = "410105" }, "person.current_division", "case.current_in_home_province"},
		{"unknown", func(c *Case) { c.Person.CurrentDivision = "450103" }, "person.current_division", "division.unknown"},
		{"county suffices", func(c *Case) { c.Person.CurrentDivision = "440106" }, "", ""},
	})
}

func TestCase_InProvinceNeedsInflowTownship(t *testing.T) {
	inProvince := func() Case {
		c := fxCase()
		c.Kind = KindInProvince
		c.Person.CurrentDivision = "410105001"
		c.InflowDivision = "410105001"
		c.InflowAddress = "郑州市金水区经八路5号"
		c.InflowDate = NewDate(2016, 4, 1)
		return c
	}
	runCaseRows(t, inProvince, []caseRow{
		{"valid", func(c *Case) {}, "", ""},
		{"missing", func(c *Case) { c.InflowDivision = "" }, "inflow_division", "form.required"},
		{"county only", func(c *Case) { c.InflowDivision = "410105" }, "inflow_division", "division.level.township"},
		{"not in table", func(c *Case) { c.InflowDivision = "410105999" }, "inflow_division", "division.unknown"},
		{"other province", func(c *Case) { c.InflowDivision = "440305001" }, "inflow_division", "case.inflow_other_province"},
		{"inflow date future", func(c *Case) { c.InflowDate = NewDate(2030, 1, 1) }, "inflow_date", "form.date_future"},
		{"inflow date before birth", func(c *Case) { c.InflowDate = NewDate(1980, 1, 1) }, "inflow_date", "form.before_birth"},
	})
}

func TestCase_MismatchNeedsBothRecords(t *testing.T) {
	runCaseRows(t, fxMismatchCase, []caseRow{
		{"no resident", func(c *Case) { c.Resident = nil }, "resident", "form.required"},
		{"no outflow", func(c *Case) { c.Outflow = nil }, "outflow", "form.required"},
		{"record name", func(c *Case) { c.Outflow.Name = "" }, "outflow.name", "form.required"},
		{"record sex code", func(c *Case) { c.Resident.Sex = "女" }, "resident.sex", "form.code_unknown"},
		{"record future birth", func(c *Case) { c.Outflow.BirthDate = NewDate(2099, 1, 1) }, "outflow.birth_date", "form.date_future"},
		{"placeholder ID in a record is what to resolve", func(c *Case) { c.Outflow.CitizenID = strings.Repeat("0", 18) }, "", ""},
		{"person's own basics not cross-checked", func(c *Case) {
			c.Person.CitizenID = c.Resident.CitizenID
			c.Person.BirthDate = c.Outflow.BirthDate
		}, "", ""},
	})
}

func TestCase_MismatchMustDiffer(t *testing.T) {
	runCaseRows(t, fxMismatchCase, []caseRow{
		{"identical", func(c *Case) { *c.Outflow = *c.Resident }, "outflow", "case.mismatch_none"},
		{"only spaces differ", func(c *Case) {
			*c.Outflow = *c.Resident
			c.Outflow.Name = " 刘丽 "
		}, "outflow", "case.mismatch_none"},
		{"same ID in 15 and 18 digits", func(c *Case) {
			birth := NewDate(1978, 2, 3)
			c.Resident.BirthDate, c.Resident.Sex = birth, SexMale
			c.Resident.CitizenID = "410102780203013"
			*c.Outflow = *c.Resident
			c.Outflow.CitizenID = fxID("410102", birth, SexMale)
		}, "outflow", "case.mismatch_none"},
		{"sex differs", func(c *Case) {
			*c.Outflow = *c.Resident
			c.Outflow.Sex = SexMale
		}, "", ""},
	})
}

func TestCase_UnitMustBeTownship(t *testing.T) {
	runCaseRows(t, fxCase, []caseRow{
		{"county", func(c *Case) { c.Unit = "410102" }, "unit", "division.level.township"},
		{"unknown", func(c *Case) { c.Unit = "410102999" }, "unit", "division.unknown"},
		{"unassigned", func(c *Case) { c.Unit = "" }, "", ""},
		{"negative revision", func(c *Case) { c.Rev = -1 }, "rev", "case.rev_negative"},
	})
}

func TestCase_Normalize(t *testing.T) {
	c := fxMismatchCase()
	c.ID = " BY4101020010001\t"
	c.Outflow.CitizenID = strings.ToLower(c.Outflow.CitizenID) + " "
	c.Outflow.Name = " 刘丽"
	c.Normalize()
	if c.ID != "BY4101020010001" || c.Outflow.Name != "刘丽" || c.Outflow.CitizenID != c.Resident.CitizenID {
		t.Fatalf("not normalised: %q %q %q", c.ID, c.Outflow.Name, c.Outflow.CitizenID)
	}
}
