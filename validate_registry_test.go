package hecha

import (
	"strings"
	"testing"
)

func TestFloatingRecord_Validate(t *testing.T) {
	r := fxRules(t)
	tests := []struct {
		name  string
		edit  func(f *FloatingRecord)
		field string
		msgID string // "" means valid
	}{
		{"complete", func(f *FloatingRecord) {}, "", ""},
		{"withdrawn", func(f *FloatingRecord) { f.Withdrawn = true }, "", ""},
		{"inflow county only", func(f *FloatingRecord) { f.InflowDivision = "440106" }, "", ""},
		{"household at village", func(f *FloatingRecord) { f.HouseholdDivision = "410102001002" }, "", ""},
		{"minority name", func(f *FloatingRecord) { f.Name = "阿依古丽·买买提" }, "", ""},
		{"id required", func(f *FloatingRecord) { f.ID = " " }, "id", "form.required"},
		{"id spaces", func(f *FloatingRecord) { f.ID = "LD 1" }, "id", "registry.id_spaces"},
		{"id too long", func(f *FloatingRecord) { f.ID = strings.Repeat("1", MaxRecordIDLen+1) }, "id", "text.too_long"},
		{"name required", func(f *FloatingRecord) { f.Name = "" }, "name", "form.required"},
		{"name digits", func(f *FloatingRecord) { f.Name = "张伟1" }, "name", "text.name_chars"},
		{"sex required", func(f *FloatingRecord) { f.Sex = "" }, "sex", "form.required"},
		{"sex unknown", func(f *FloatingRecord) { f.Sex = "3" }, "sex", "form.code_unknown"},
		{"birth required", func(f *FloatingRecord) { f.BirthDate = Date{} }, "birth_date", "form.required"},
		{"birth not real", func(f *FloatingRecord) { f.BirthDate = NewDate(1990, 2, 30) }, "birth_date", "form.date_invalid"},
		{"birth future", func(f *FloatingRecord) { f.BirthDate = NewDate(2030, 1, 1) }, "birth_date", "form.date_future"},
		{"id number required", func(f *FloatingRecord) { f.CitizenID = "" }, "citizen_id", "form.required"},
		{"id placeholder", func(f *FloatingRecord) { f.CitizenID = "000000000000000000" }, "citizen_id", "id.placeholder"},
		{"id checksum", func(f *FloatingRecord) { f.CitizenID = regWrongCheck(f.CitizenID) }, "citizen_id", "id.checksum"},
		{"id birth disagrees", func(f *FloatingRecord) { f.BirthDate = NewDate(1990, 3, 16) }, "birth_date", "form.id_birth_mismatch"},
		{"id sex disagrees", func(f *FloatingRecord) { f.Sex = SexFemale }, "sex", "form.id_sex_mismatch"},
		{"household required", func(f *FloatingRecord) { f.HouseholdDivision = "" }, "household_division", "form.required"},
		{"household county only", func(f *FloatingRecord) { f.HouseholdDivision = "410102" }, "household_division", "division.level.township"},
		{"household unknown", func(f *FloatingRecord) { f.HouseholdDivision = "410102099" }, "household_division", "division.unknown"},
		{"inflow required", func(f *FloatingRecord) { f.InflowDivision = "" }, "inflow_division", "form.required"},
		{"inflow unknown", func(f *FloatingRecord) { f.InflowDivision = "440399" }, "inflow_division", "division.unknown"},
		{"inflow province only", func(f *FloatingRecord) { f.InflowDivision = "44" }, "inflow_division", "division.level.county"},
		{"inflow date future", func(f *FloatingRecord) { f.InflowDate = NewDate(2024, 6, 16) }, "inflow_date", "form.date_future"},
		{"inflow before birth", func(f *FloatingRecord) { f.InflowDate = NewDate(1989, 1, 1) }, "inflow_date", "form.before_birth"},
		{"education unknown", func(f *FloatingRecord) { f.Education = "99" }, "education", "form.code_unknown"},
		{"marital unknown", func(f *FloatingRecord) { f.Marital = "已婚" }, "marital", "form.code_unknown"},
		{"reason unknown", func(f *FloatingRecord) { f.Reason = "7" }, "reason", "form.code_unknown"},
		{"address control", func(f *FloatingRecord) { f.InflowAddress = "深圳\x1b[31m" }, "inflow_address", "text.control"},
		{"address too long", func(f *FloatingRecord) { f.HouseholdAddress = strings.Repeat("路", MaxAddressLen+1) }, "household_address", "text.too_long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := fxFloating("LD0001", "440305")
			tt.edit(&f)
			before := f
			err := f.Validate(r)
			if f != before {
				t.Error("Validate changed the record")
			}
			if tt.msgID == "" {
				fxOK(t, err)
				return
			}
			fxWant(t, err, tt.field, tt.msgID)
		})
	}
}

func TestResidentRecord_Validate(t *testing.T) {
	r := fxRules(t)
	out := func() *Outflow {
		return &Outflow{Date: NewDate(2015, 3, 1), Destination: "440305", Address: "深圳市南山区", Reason: "1"}
	}
	tests := []struct {
		name  string
		edit  func(p *ResidentRecord)
		field string
		msgID string
	}{
		{"no outflow", func(p *ResidentRecord) { p.Outflow = nil }, "", ""},
		{"with outflow", func(p *ResidentRecord) {}, "", ""},
		{"destination in province", func(p *ResidentRecord) { p.Outflow.Destination = "410105001" }, "", ""},
		{"codes", func(p *ResidentRecord) { p.Education, p.HukouType, p.Marital = "70", HukouResident, "40" }, "", ""},
		{"hukou unknown", func(p *ResidentRecord) { p.HukouType = "1" }, "hukou_type", "form.code_unknown"},
		{"id required", func(p *ResidentRecord) { p.ID = "" }, "id", "form.required"},
		{"id birth disagrees", func(p *ResidentRecord) { p.BirthDate = NewDate(1991, 3, 15) }, "birth_date", "form.id_birth_mismatch"},
		{"household county only", func(p *ResidentRecord) { p.HouseholdDivision = "410102" }, "household_division", "division.level.township"},
		{"outflow date required", func(p *ResidentRecord) { p.Outflow.Date = Date{} }, "outflow.date", "form.required"},
		{"outflow date future", func(p *ResidentRecord) { p.Outflow.Date = NewDate(2025, 1, 1) }, "outflow.date", "form.date_future"},
		{"outflow before birth", func(p *ResidentRecord) { p.Outflow.Date = NewDate(1980, 1, 1) }, "outflow.date", "form.outflow_before_birth"},
		{"destination required", func(p *ResidentRecord) { p.Outflow.Destination = "" }, "outflow.destination", "form.required"},
		{"destination unknown", func(p *ResidentRecord) { p.Outflow.Destination = "449999" }, "outflow.destination", "division.unknown"},
		{"destination city only", func(p *ResidentRecord) { p.Outflow.Destination = "4403" }, "outflow.destination", "division.level.county"},
		{"outflow reason unknown", func(p *ResidentRecord) { p.Outflow.Reason = "旅游" }, "outflow.reason", "form.code_unknown"},
		{"outflow address control", func(p *ResidentRecord) { p.Outflow.Address = "a\u202eb" }, "outflow.address", "text.control"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := fxResident("CZ0001", out())
			tt.edit(&p)
			err := p.Validate(r)
			if tt.msgID == "" {
				fxOK(t, err)
				return
			}
			fxWant(t, err, tt.field, tt.msgID)
		})
	}
}

func TestRegistryRecord_Normalize(t *testing.T) {
	birth := NewDate(1985, 12, 12)
	id := fxID("410102", birth, SexFemale)
	legacy := id[:6] + id[8:17]
	f := FloatingRecord{ID: " LD1 ", Name: " 阿依古丽 • 买买提 ", CitizenID: legacy, InflowAddress: "  深圳  "}
	f.Normalize()
	if f.ID != "LD1" || f.Name != "阿依古丽·买买提" || f.CitizenID != id || f.InflowAddress != "深圳" {
		t.Errorf("floating normalised to %+v", f)
	}
	p := ResidentRecord{Name: "王芳", CitizenID: strings.ToLower(id[:17]) + string(id[17]), Outflow: &Outflow{Address: " x "}}
	p.Normalize()
	if p.CitizenID != id || p.Outflow.Address != "x" {
		t.Errorf("resident normalised to %+v", p)
	}
}

// regWrongCheck returns id with a wrong check digit.
func regWrongCheck(id string) string {
	if id[17] == '0' {
		return id[:17] + "1"
	}
	return id[:17] + "0"
}
