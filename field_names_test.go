package hecha

import (
	"reflect"
	"strings"
	"testing"
)

func TestCatalogue_EveryEntryHasBothLanguages(t *testing.T) {
	keys := CatalogueKeys()
	if len(keys) == 0 {
		t.Fatal("empty catalogue")
	}
	for _, k := range keys {
		m, _ := CatalogueEntry(k)
		if strings.TrimSpace(m.Zh) == "" || strings.TrimSpace(m.En) == "" {
			t.Errorf("%s: Zh %q, En %q", k, m.Zh, m.En)
		}
		if strings.Count(m.Zh, "%") != strings.Count(m.En, "%") {
			t.Errorf("%s: the languages take different arguments: %q / %q", k, m.Zh, m.En)
		}
	}
}

// TestFieldNames_EveryJSONName checks that every JSON name of the domain's
// structs has a display name.
func TestFieldNames_EveryJSONName(t *testing.T) {
	for _, v := range []any{
		Person{}, Member{}, Case{}, Basic{}, Assignment{}, Result{}, NotFound{}, SignOff{},
		Reregistration{}, OutflowCorrection{}, Outflow{}, MismatchResolution{},
		FloatingRecord{}, ResidentRecord{}, Candidate{},
	} {
		typ := reflect.TypeOf(v)
		for i := range typ.NumField() {
			name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
			if name == "" || name == "-" {
				continue
			}
			if !HasFieldName(name) {
				t.Errorf("%s.%s: no field.%s", typ.Name(), typ.Field(i).Name, name)
			}
		}
	}
}

// TestFieldNames_EveryValidationField runs broken values of every kind
// through every Validate and checks that each field path an error names
// has a display name in both languages.
func TestFieldNames_EveryValidationField(t *testing.T) {
	r := fxRules(t)
	seen := map[string]bool{}
	collect := func(err error) {
		for _, e := range AsErrors(err) {
			if e.Code == EINVALID {
				seen[e.Field] = true
			}
		}
	}

	// Persons: empty (every required item) and broken (every check).
	broken := func() Person {
		return Person{
			Name: "张\x00", Sex: "x", CurrentAddress: "\x07", CurrentDivision: "4499",
			HouseholdAddress: "\x07", HouseholdDivision: "410102999", CitizenID: "12",
			BirthDate: NewDate(2099, 1, 1), Education: "x", HukouType: "x", Reason: "x",
			OutflowDate: NewDate(2023, 2, 30), ReturnDate: NewDate(2099, 1, 1), Marital: "x",
			Members: []Member{{Name: "1", Relationship: "x", Sex: "x", CitizenID: "x", BirthDate: NewDate(2099, 1, 1)}, {}},
		}
	}
	for _, p := range []Person{{}, broken(), fxPerson()} {
		collect(p.Validate(r))
	}
	p := fxPerson()
	p.BirthDate, p.Sex, p.ReturnDate = NewDate(1990, 3, 16), SexFemale, NewDate(2000, 1, 1)
	p.Members[0].Sex = SexMale
	collect(p.Validate(r))
	collect((&Basic{}).Validate(r))
	collect((&Basic{Name: "1", Sex: "x", BirthDate: NewDate(2099, 1, 1), CitizenID: "1"}).Validate(r))

	// Cases of every kind, empty and broken.
	for _, kind := range []Kind{"", "x", KindCrossProvince, KindInProvince, KindMismatch} {
		collect((&Case{Kind: kind}).Validate(r))
		c := Case{ID: "a b", Kind: kind, Person: broken(), Unit: "410102", Rev: -1,
			InflowDivision: "440305001", InflowAddress: "\x07", InflowDate: NewDate(2099, 1, 1),
			Resident: &Basic{Sex: "x"}, Outflow: &Basic{Sex: "x"}}
		collect(c.Validate(r))
	}
	same := fxMismatchCase()
	*same.Outflow = *same.Resident
	collect(same.Validate(r))
	home := fxCase()
	home.Person.CurrentDivision = "410105"
	collect(home.Validate(r))

	// Results of every form: empty, with every part empty, and broken.
	for _, form := range append(Forms, "", "x") {
		c := fxCaseFor(form)
		collect((&Result{Form: form}).Validate(&c, r))
		all := Result{ID: "x", Replaces: "y", CaseID: "other", Form: form, Township: "4101", CaseRev: -1, Clerk: "\x07",
			NotFound: &NotFound{}, Verified: &Person{}, SignOff: &SignOff{}, Reregistration: &Reregistration{},
			Correction: &OutflowCorrection{}, Registration: &Outflow{}, Mismatch: &MismatchResolution{}}
		collect(all.Validate(&c, r))
		res := fxResult(&c, form)
		res.NotFound = &NotFound{Reason: NotFoundMarriedOut, Destination: "4103", DestAddress: "\x07", Remark: "\x07"}
		res.SignOff = &SignOff{Name: "1"}
		res.Reregistration = &Reregistration{InflowDivision: "440306", InflowAddress: "\x07", Date: NewDate(2000, 1, 1)}
		res.Correction = &OutflowCorrection{Destination: "440306", Address: "\x07", Date: NewDate(2099, 1, 1)}
		res.Registration = &Outflow{Destination: "440306", Address: "\x07", Date: NewDate(1900, 1, 1), Reason: "x"}
		res.Mismatch = &MismatchResolution{NameChoice: Corrected, SexChoice: "x", BirthDateChoice: KeepOutflow, CitizenIDChoice: Corrected,
			Corrected: Basic{Name: "1", CitizenID: "1"}}
		if res.Verified != nil {
			res.Verified = &Person{}
		}
		collect(res.Validate(&c, r))
		other := fxResult(&c, form)
		if other.Mismatch != nil {
			other.Mismatch = &MismatchResolution{NameChoice: KeepResident, SexChoice: Corrected, BirthDateChoice: Corrected, CitizenIDChoice: KeepOutflow,
				Corrected: Basic{Sex: SexMale, BirthDate: NewDate(1988, 1, 1)}}
		}
		other.NotFound = &NotFound{Reason: NotFoundOther}
		collect(other.Validate(&c, r))
	}
	_, err := Compare(&Case{}, nil, nil, Precision(9))
	collect(err)

	// A sample of what the battery must have reached, so it cannot pass
	// by producing nothing.
	for _, want := range []string{
		"id", "kind", "person.members[0].relationship", "inflow_division", "resident.sex", "unit", "rev",
		"case_id", "form", "not_found.destination", "not_found.remark", "verified.marital", "sign_off.confirmed",
		"reregistration.withdrawn", "correction.date", "registration.reason", "mismatch.corrected.citizen_id",
		"mismatch.sex_choice", "mismatch.birth_date_choice", "replaces", "township", "clerk", "precision",
	} {
		if !seen[want] {
			t.Errorf("the battery produced no error about %q", want)
		}
	}
	for f := range seen {
		if !HasFieldName(f) {
			t.Errorf("no display name for field %q", f)
			continue
		}
		for _, lang := range []Lang{Chinese, English} {
			name := FieldName(lang, f)
			for _, part := range strings.Split(f, ".") {
				part, _, _ = strings.Cut(part, "[")
				if strings.Contains(part, "_") && strings.Contains(name, part) {
					t.Errorf("%s: %q shows the raw name %q", lang, name, part)
				}
			}
		}
	}
	t.Logf("%d field paths checked", len(seen))
}

func TestHasFieldName(t *testing.T) {
	for path, want := range map[string]bool{
		"verified.members[3].citizen_id": true,
		"not_found.reason":               true,
		"":                               false,
		"verified.nonsense":              false,
		"nonsense[1]":                    false,
	} {
		if got := HasFieldName(path); got != want {
			t.Errorf("HasFieldName(%q) = %v", path, got)
		}
	}
}
