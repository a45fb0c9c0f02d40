package hecha

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// fxNow is the fixed "now" of the validation tests.
var fxNow = time.Date(2024, 6, 15, 10, 0, 0, 0, time.UTC)

// fxTable returns a small division table with real codes: Zhengzhou's
// 中原区 and 金水区 with some townships and one village, Luoyang's 老城区,
// and Shenzhen's and Guangzhou's districts to county level only, as the
// real table holds other provinces.
func fxTable(tb testing.TB) *DivisionTable {
	tb.Helper()
	t := NewDivisionTable()
	for _, d := range []Division{
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
func fxRules(tb testing.TB) *Rules {
	return &Rules{Divisions: fxTable(tb), Now: func() time.Time { return fxNow }}
}

// fxID returns a valid 18-digit ID number for the area, birth date and
// sex, its check digit computed with IDCheckDigit.
func fxID(area string, birth Date, sex Sex) string {
	if sex == SexFemale {
		return fxIDSeq(area, birth, "024")
	}
	return fxIDSeq(area, birth, "013")
}

// fxIDSeq returns the valid ID number with the 3-digit sequence seq (its
// last digit gives the sex: odd male, even female).
func fxIDSeq(area string, birth Date, seq string) string {
	first17 := area + birth.Compact() + seq
	return first17 + string(IDCheckDigit(first17))
}

// fxPerson returns a complete person: 张伟 of 林山寨街道, living in
// Shenzhen's 南山区, with his wife.
func fxPerson() Person {
	birth := NewDate(1990, 3, 15)
	wife := NewDate(1991, 5, 20)
	return Person{
		Name:              "张伟",
		Sex:               SexMale,
		CurrentAddress:    "深圳市南山区粤海街道科技园路1号",
		CurrentDivision:   "440305",
		HouseholdAddress:  "郑州市中原区林山寨街道伊河路12号",
		HouseholdDivision: "410102001",
		CitizenID:         fxID("410102", birth, SexMale),
		BirthDate:         birth,
		Education:         "60",
		HukouType:         HukouAgricultural,
		Reason:            "1",
		OutflowDate:       NewDate(2015, 3, 1),
		Marital:           "20",
		Members: []Member{{
			Name: "王芳", Relationship: "10", Sex: SexFemale, BirthDate: wife,
			CitizenID: fxID("410102", wife, SexFemale),
		}},
	}
}

// fxWant asserts that err is EINVALID and holds an error about field with
// message msgID.
func fxWant(tb testing.TB, err error, field, msgID string) {
	tb.Helper()
	if got := ErrorCode(err); got != EINVALID {
		tb.Fatalf("code = %q, want %q (err: %v)", got, EINVALID, err)
	}
	for _, e := range AsErrors(err) {
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
	for _, e := range AsErrors(err) {
		parts = append(parts, e.Field+"="+e.MsgID)
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// personCase is one row of a Person table test.
type personCase struct {
	name  string
	edit  func(p *Person)
	field string
	msgID string // "" means valid
}

func runPersonCases(t *testing.T, rows []personCase) {
	t.Helper()
	r := fxRules(t)
	for _, tc := range rows {
		t.Run(tc.name, func(t *testing.T) {
			p := fxPerson()
			tc.edit(&p)
			err := p.Validate(r)
			if tc.msgID == "" {
				fxOK(t, err)
				return
			}
			fxWant(t, err, tc.field, tc.msgID)
		})
	}
}

func TestPerson_CompleteIsValid(t *testing.T) {
	p := fxPerson()
	fxOK(t, p.Validate(fxRules(t)))
}

func TestPerson_NameRequired(t *testing.T) {
	runPersonCases(t, []personCase{
		{"empty", func(p *Person) { p.Name = "" }, "name", "form.required"},
		{"blank", func(p *Person) { p.Name = " \u3000" }, "name", "form.required"},
		{"digits", func(p *Person) { p.Name = "张伟2" }, "name", "text.name_chars"},
		{"control", func(p *Person) { p.Name = "张\x1b伟" }, "name", "text.control"},
		{"too long", func(p *Person) { p.Name = strings.Repeat("张", MaxNameLen+1) }, "name", "text.too_long"},
		{"middle dot", func(p *Person) {
			p.Name = "阿依古丽·买买提"
		}, "", ""},
	})
}

func TestPerson_SexRequiredAndCoded(t *testing.T) {
	runPersonCases(t, []personCase{
		{"empty", func(p *Person) { p.Sex = "" }, "sex", "form.required"},
		{"name not code", func(p *Person) { p.Sex = "男" }, "sex", "form.code_unknown"},
		{"unknown code", func(p *Person) { p.Sex = "3" }, "sex", "form.code_unknown"},
	})
}

func TestPerson_CitizenIDRequiredAndValid(t *testing.T) {
	runPersonCases(t, []personCase{
		{"empty", func(p *Person) { p.CitizenID = "" }, "citizen_id", "form.required"},
		{"placeholder zeros", func(p *Person) { p.CitizenID = strings.Repeat("0", 18) }, "citizen_id", "id.placeholder"},
		{"placeholder child", func(p *Person) { p.CitizenID = "000000199003150000" }, "citizen_id", "id.placeholder"},
		{"check digit", func(p *Person) { p.CitizenID = p.CitizenID[:17] + fxWrongCheck(p.CitizenID) }, "citizen_id", "id.checksum"},
		{"length", func(p *Person) { p.CitizenID = "4101021990" }, "citizen_id", "id.length"},
		{"unknown area", func(p *Person) { p.CitizenID = fxID("450103", p.BirthDate, SexMale) }, "citizen_id", "id.area"},
		{"legacy 15 digits", func(p *Person) { p.CitizenID = "410102900315013" }, "", ""},
	})
}

// fxWrongCheck returns a check character that is not id's.
func fxWrongCheck(id string) string {
	if id[17] == '0' {
		return "1"
	}
	return "0"
}

func TestPerson_IDBirthMustMatch(t *testing.T) {
	runPersonCases(t, []personCase{
		{"day differs", func(p *Person) { p.BirthDate = NewDate(1990, 3, 16) }, "birth_date", "form.id_birth_mismatch"},
		{"year differs", func(p *Person) { p.BirthDate = NewDate(1991, 3, 15) }, "birth_date", "form.id_birth_mismatch"},
		{"legacy agrees", func(p *Person) { p.CitizenID = "410102900315013" }, "", ""},
	})
}

func TestPerson_IDSexMustMatch(t *testing.T) {
	runPersonCases(t, []personCase{
		{"female item, male ID", func(p *Person) { p.Sex = SexFemale }, "sex", "form.id_sex_mismatch"},
		{"unspecified item", func(p *Person) { p.Sex = SexUnspecified }, "sex", "form.id_sex_mismatch"},
		{"legacy number", func(p *Person) { p.CitizenID, p.Sex = "410102900315013", SexFemale }, "sex", "form.id_sex_mismatch_legacy"},
	})
}

// TestPerson_IDSexLegacyShowsTheConvertedNumber: "the 17th digit" means
// nothing to a clerk who typed 15; the message shows the 18-digit number.
func TestPerson_IDSexLegacyShowsTheConvertedNumber(t *testing.T) {
	p := fxPerson()
	p.CitizenID, p.Sex = "410102900315013", SexFemale
	err := p.Validate(fxRules(t))
	conv, _ := ParseCitizenID("", "410102900315013")
	for _, lang := range []Lang{Chinese, English} {
		if msg := ErrorMessage(err, lang); !strings.Contains(msg, conv.Number) || !strings.Contains(msg, "15") {
			t.Errorf("%s: %q does not show the converted number %s", lang, msg, conv.Number)
		}
	}
}

func TestPerson_HouseholdDivisionAtTownship(t *testing.T) {
	runPersonCases(t, []personCase{
		{"empty", func(p *Person) { p.HouseholdDivision = "" }, "household_division", "form.required"},
		{"county only", func(p *Person) { p.HouseholdDivision = "410102" }, "household_division", "division.level.township"},
		{"unknown township", func(p *Person) { p.HouseholdDivision = "410102999" }, "household_division", "division.unknown"},
		{"village", func(p *Person) { p.HouseholdDivision = "410102001002" }, "", ""},
	})
}

func TestPerson_CurrentDivisionMustExist(t *testing.T) {
	runPersonCases(t, []personCase{
		{"empty", func(p *Person) { p.CurrentDivision = "" }, "current_division", "form.required"},
		{"unknown county", func(p *Person) { p.CurrentDivision = "440399" }, "current_division", "division.unknown"},
		{"city only", func(p *Person) { p.CurrentDivision = "4403" }, "current_division", "division.level.county"},
		{"township below a shallow county", func(p *Person) { p.CurrentDivision = "440305001" }, "", ""},
	})
}

func TestPerson_AddressesRequiredAndBounded(t *testing.T) {
	runPersonCases(t, []personCase{
		{"household empty", func(p *Person) { p.HouseholdAddress = "" }, "household_address", "form.required"},
		{"current empty", func(p *Person) { p.CurrentAddress = "  " }, "current_address", "form.required"},
		{"too long", func(p *Person) { p.CurrentAddress = strings.Repeat("路", MaxAddressLen+1) }, "current_address", "text.too_long"},
		{"control", func(p *Person) { p.HouseholdAddress = "伊河路\u202e12号" }, "household_address", "text.control"},
	})
}

func TestPerson_CodesMustBeKnown(t *testing.T) {
	runPersonCases(t, []personCase{
		{"education empty", func(p *Person) { p.Education = "" }, "education", "form.required"},
		{"education unknown", func(p *Person) { p.Education = "99" }, "education", "form.code_unknown"},
		{"hukou unknown", func(p *Person) { p.HukouType = "农业" }, "hukou_type", "form.code_unknown"},
		{"marital empty", func(p *Person) { p.Marital = "" }, "marital", "form.required"},
		{"marital unknown", func(p *Person) { p.Marital = "50" }, "marital", "form.code_unknown"},
		{"reason empty", func(p *Person) { p.Reason = "" }, "reason", "form.required"},
		{"reason unknown", func(p *Person) { p.Reason = "7" }, "reason", "form.code_unknown"},
	})
}

func TestPerson_ReasonFromRulesTable(t *testing.T) {
	r := fxRules(t)
	r.Reasons = &CodeTable{Field: "reason", Entries: []CodeEntry{{Code: "7", Zh: "照料孙辈", En: "Caring for grandchildren"}}}
	p := fxPerson()
	fxWant(t, p.Validate(r), "reason", "form.code_unknown") // "1" is not in the county's list
	p.Reason = "7"
	fxOK(t, p.Validate(r))
}

func TestPerson_NoFutureDates(t *testing.T) {
	tomorrow := DateOf(fxNow.AddDate(0, 0, 1))
	runPersonCases(t, []personCase{
		{"birth", func(p *Person) {
			p.BirthDate = tomorrow
			p.CitizenID = fxID("410102", tomorrow, SexMale)
			p.OutflowDate = Date{}
		}, "birth_date", "form.date_future"},
		{"outflow", func(p *Person) { p.OutflowDate = tomorrow }, "outflow_date", "form.date_future"},
		{"return", func(p *Person) { p.ReturnDate = tomorrow }, "return_date", "form.date_future"},
		{"member birth", func(p *Person) { p.Members[0].BirthDate = tomorrow; p.Members[0].CitizenID = "" }, "members[0].birth_date", "form.date_future"},
		{"today is fine", func(p *Person) { p.ReturnDate = DateOf(fxNow) }, "", ""},
		{"nonexistent", func(p *Person) { p.ReturnDate = NewDate(2023, 2, 30) }, "return_date", "form.date_invalid"},
	})
}

func TestPerson_OutflowDateRequired(t *testing.T) {
	runPersonCases(t, []personCase{
		{"empty", func(p *Person) { p.OutflowDate = Date{} }, "outflow_date", "form.required"},
		{"return date optional", func(p *Person) { p.ReturnDate = Date{} }, "", ""},
		{"members optional", func(p *Person) { p.Members = nil }, "", ""},
	})
}

func TestPerson_ReturnNotBeforeOutflow(t *testing.T) {
	runPersonCases(t, []personCase{
		{"before", func(p *Person) { p.ReturnDate = NewDate(2015, 2, 28) }, "return_date", "form.return_before_outflow"},
		{"same day", func(p *Person) { p.ReturnDate = NewDate(2015, 3, 1) }, "", ""},
		{"after", func(p *Person) { p.ReturnDate = NewDate(2020, 1, 1) }, "", ""},
	})
}

func TestPerson_OutflowNotBeforeBirth(t *testing.T) {
	runPersonCases(t, []personCase{
		{"before birth", func(p *Person) { p.OutflowDate = NewDate(1989, 1, 1) }, "outflow_date", "form.outflow_before_birth"},
		{"on birth", func(p *Person) { p.OutflowDate = p.BirthDate }, "", ""},
	})
}

func TestPerson_MembersValidated(t *testing.T) {
	runPersonCases(t, []personCase{
		{"name required", func(p *Person) { p.Members[0].Name = "" }, "members[0].name", "form.required"},
		{"relationship required", func(p *Person) { p.Members[0].Relationship = "" }, "members[0].relationship", "form.required"},
		{"relationship unknown", func(p *Person) { p.Members[0].Relationship = "98" }, "members[0].relationship", "form.code_unknown"},
		{"ID placeholder", func(p *Person) { p.Members[0].CitizenID = strings.Repeat("0", 18) }, "members[0].citizen_id", "id.placeholder"},
		{"ID birth", func(p *Person) { p.Members[0].BirthDate = NewDate(1991, 5, 21) }, "members[0].birth_date", "form.id_birth_mismatch"},
		{"ID sex", func(p *Person) { p.Members[0].Sex = SexMale }, "members[0].sex", "form.id_sex_mismatch"},
		{"second member", func(p *Person) {
			p.Members = append(p.Members, Member{Name: "张小明", Relationship: "99", Sex: "5"})
		}, "members[1].sex", "form.code_unknown"},
		{"ID optional", func(p *Person) { p.Members[0].CitizenID = "" }, "", ""},
	})
}

func TestPerson_ValidateDoesNotMutate(t *testing.T) {
	p := fxPerson()
	p.Name = "  张伟 "
	p.CitizenID = "410102900315013"
	want := p
	want.Members = slices.Clone(p.Members)
	_ = p.Validate(fxRules(t))
	if p.Name != want.Name || p.CitizenID != want.CitizenID || !slices.Equal(p.Members, want.Members) {
		t.Fatalf("Validate changed the person: %+v", p)
	}
}

func TestPerson_Normalize(t *testing.T) {
	p := fxPerson()
	p.Name = " 阿依古丽•买买提 "
	p.CitizenID = "410102900315013"
	p.CurrentAddress = "\u3000深圳市南山区 "
	p.Members[0].CitizenID = strings.ToLower(p.Members[0].CitizenID)
	p.Normalize()
	if p.Name != "阿依古丽·买买提" {
		t.Errorf("name = %q", p.Name)
	}
	if want := fxID("410102", NewDate(1990, 3, 15), SexMale)[:17]; !strings.HasPrefix(p.CitizenID, want) || len(p.CitizenID) != 18 {
		t.Errorf("citizen ID = %q, want the 18-digit form of 410102900315013", p.CitizenID)
	}
	if p.CurrentAddress != "深圳市南山区" {
		t.Errorf("current address = %q", p.CurrentAddress)
	}
	fxOK(t, p.Validate(fxRules(t)))

	bad := Person{Name: "张3", CitizenID: "12345"}
	bad.Normalize()
	if bad.Name != "张3" || bad.CitizenID != "12345" {
		t.Errorf("Normalize changed values it cannot parse: %+v", bad)
	}
}

func TestBasic_Validate(t *testing.T) {
	birth := NewDate(1985, 7, 1)
	good := Basic{Name: "李娜", Sex: SexFemale, BirthDate: birth, CitizenID: fxID("410105", birth, SexFemale)}
	r := fxRules(t)
	fxOK(t, good.Validate(r))
	rows := []struct {
		name         string
		edit         func(b *Basic)
		field, msgID string
	}{
		{"name", func(b *Basic) { b.Name = "" }, "name", "form.required"},
		{"sex", func(b *Basic) { b.Sex = "" }, "sex", "form.required"},
		{"birth", func(b *Basic) { b.BirthDate = Date{} }, "birth_date", "form.required"},
		{"id", func(b *Basic) { b.CitizenID = "" }, "citizen_id", "form.required"},
		{"id birth", func(b *Basic) { b.BirthDate = NewDate(1985, 7, 2) }, "birth_date", "form.id_birth_mismatch"},
		{"id sex", func(b *Basic) { b.Sex = SexMale }, "sex", "form.id_sex_mismatch"},
	}
	for _, tc := range rows {
		t.Run(tc.name, func(t *testing.T) {
			b := good
			tc.edit(&b)
			fxWant(t, b.Validate(r), tc.field, tc.msgID)
		})
	}
}

func TestPerson_NoTableChecksFormOnly(t *testing.T) {
	r := &Rules{Now: func() time.Time { return fxNow }}
	p := fxPerson()
	p.HouseholdDivision = "410102999" // not checked against a table
	fxOK(t, p.Validate(r))
	p.HouseholdDivision = "410102"
	fxWant(t, p.Validate(r), "household_division", "division.level.township")
}

// TestRules_NoClockPanics: validation never falls back to the real clock;
// rules without one are a programming error, caught on first use.
func TestRules_NoClockPanics(t *testing.T) {
	for name, r := range map[string]*Rules{"nil rules": nil, "nil Now": {Divisions: fxTable(t)}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: Today did not panic", name)
				}
			}()
			r.Today()
		}()
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: Validate did not panic", name)
				}
			}()
			p := fxPerson()
			_ = p.Validate(r)
		}()
	}
}
