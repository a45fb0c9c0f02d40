package hecha

import (
	"strings"
	"testing"
)

// keepAll returns a resolution that keeps ch for all four items.
func keepAll(ch MismatchChoice) *MismatchResolution {
	return &MismatchResolution{NameChoice: ch, SexChoice: ch, BirthDateChoice: ch, CitizenIDChoice: ch}
}

func TestM_ChoicesRequired(t *testing.T) {
	runResultRows(t, []Form{FormM}, []resultRow{
		{"name", func(res *Result, c *Case) { res.Mismatch.NameChoice = "" }, "mismatch.name_choice", "form.required"},
		{"sex", func(res *Result, c *Case) { res.Mismatch.SexChoice = "" }, "mismatch.sex_choice", "form.required"},
		{"birth date", func(res *Result, c *Case) { res.Mismatch.BirthDateChoice = "" }, "mismatch.birth_date_choice", "form.required"},
		{"citizen ID", func(res *Result, c *Case) { res.Mismatch.CitizenIDChoice = "" }, "mismatch.citizen_id_choice", "form.required"},
		{"unknown choice", func(res *Result, c *Case) { res.Mismatch.SexChoice = "both" }, "mismatch.sex_choice", "form.code_unknown"},
		{"record the case lacks", func(res *Result, c *Case) { c.Outflow = nil; res.Mismatch.NameChoice = KeepOutflow }, "mismatch.name_choice", "form.no_record"},
	})
}

func TestM_CorrectedValueRequired(t *testing.T) {
	runResultRows(t, []Form{FormM}, []resultRow{
		{"name", func(res *Result, c *Case) { res.Mismatch.NameChoice = Corrected }, "mismatch.corrected.name", "form.required"},
		{"name chars", func(res *Result, c *Case) {
			res.Mismatch.NameChoice = Corrected
			res.Mismatch.Corrected.Name = "刘丽2"
		}, "mismatch.corrected.name", "text.name_chars"},
		{"sex", func(res *Result, c *Case) {
			res.Mismatch.SexChoice = Corrected
			res.Mismatch.Corrected.Sex = "3"
		}, "mismatch.corrected.sex", "form.code_unknown"},
		{"birth date", func(res *Result, c *Case) { res.Mismatch.BirthDateChoice = Corrected }, "mismatch.corrected.birth_date", "form.required"},
		{"birth date future", func(res *Result, c *Case) {
			res.Mismatch.BirthDateChoice = Corrected
			res.Mismatch.Corrected.BirthDate = NewDate(2030, 1, 1)
		}, "mismatch.corrected.birth_date", "form.date_future"},
		{"citizen ID", func(res *Result, c *Case) { res.Mismatch.CitizenIDChoice = Corrected }, "mismatch.corrected.citizen_id", "form.required"},
		{"citizen ID placeholder", func(res *Result, c *Case) {
			res.Mismatch.CitizenIDChoice = Corrected
			res.Mismatch.Corrected.CitizenID = "000000198811020000"
		}, "mismatch.corrected.citizen_id", "id.placeholder"},
		{"corrected value ignored when kept", func(res *Result, c *Case) { res.Mismatch.Corrected.Name = "刘丽2" }, "", ""},
	})
}

func TestM_FinalValuesMustAgree(t *testing.T) {
	runResultRows(t, []Form{FormM}, []resultRow{
		{"kept birth date disagrees with kept ID", func(res *Result, c *Case) {
			res.Mismatch.BirthDateChoice = KeepOutflow
		}, "mismatch.birth_date_choice", "form.mismatch_disagree"},
		{"corrected birth date disagrees", func(res *Result, c *Case) {
			res.Mismatch.BirthDateChoice = Corrected
			res.Mismatch.Corrected.BirthDate = NewDate(1988, 11, 3)
		}, "mismatch.corrected.birth_date", "form.mismatch_disagree"},
		{"corrected sex disagrees", func(res *Result, c *Case) {
			res.Mismatch.SexChoice = Corrected
			res.Mismatch.Corrected.Sex = SexMale
		}, "mismatch.corrected.sex", "form.mismatch_disagree"},
		{"corrected ID agrees with kept outflow birth date", func(res *Result, c *Case) {
			res.Mismatch.BirthDateChoice = KeepOutflow
			res.Mismatch.CitizenIDChoice = Corrected
			res.Mismatch.Corrected.CitizenID = fxID("410102", NewDate(1988, 12, 2), SexFemale)
		}, "", ""},
		{"kept ID is a placeholder", func(res *Result, c *Case) {
			c.Outflow.CitizenID = strings.Repeat("0", 18)
			res.Mismatch.CitizenIDChoice = KeepOutflow
		}, "mismatch.citizen_id_choice", "id.placeholder"},
		{"kept name is not a name", func(res *Result, c *Case) {
			c.Resident.Name = "刘丽?"
		}, "mismatch.name_choice", "text.name_chars"},
	})
}

func TestM_Final(t *testing.T) {
	c := fxMismatchCase()
	m := MismatchResolution{
		NameChoice: Corrected, SexChoice: KeepOutflow, BirthDateChoice: KeepOutflow, CitizenIDChoice: KeepResident,
		Corrected: Basic{Name: "刘莉", Sex: SexMale},
	}
	got := m.Final(&c)
	want := Basic{Name: "刘莉", Sex: c.Outflow.Sex, BirthDate: c.Outflow.BirthDate, CitizenID: c.Resident.CitizenID}
	if got != want {
		t.Fatalf("Final = %+v, want %+v", got, want)
	}
	if got := keepAll("").Final(&c); got != (Basic{}) {
		t.Fatalf("unset choices: %+v", got)
	}
	c.Resident = nil
	if got := keepAll(KeepResident).Final(&c); got != (Basic{}) {
		t.Fatalf("missing record: %+v", got)
	}
}
