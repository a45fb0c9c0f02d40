package hecha

import (
	"errors"
	"slices"
	"testing"
)

// fxFloating returns the floating record of fxPerson, registered as having
// moved in to inflow.
func fxFloating(id string, inflow Code) FloatingRecord {
	p := fxPerson()
	return FloatingRecord{
		ID: id, Name: p.Name, Sex: p.Sex, BirthDate: p.BirthDate, CitizenID: p.CitizenID,
		HouseholdDivision: p.HouseholdDivision, InflowDivision: inflow, InflowDate: NewDate(2015, 4, 1),
	}
}

// fxResident returns the resident record of fxPerson with the outflow
// registration o (nil for none).
func fxResident(id string, o *Outflow) ResidentRecord {
	p := fxPerson()
	return ResidentRecord{
		ID: id, Name: p.Name, Sex: p.Sex, BirthDate: p.BirthDate, CitizenID: p.CitizenID,
		HouseholdDivision: p.HouseholdDivision, Outflow: o,
	}
}

// fxNamesake returns a record of another 张伟, born on birth.
func fxNamesake(id string, birth Date) FloatingRecord {
	return FloatingRecord{
		ID: id, Name: "张伟", Sex: SexMale, BirthDate: birth, CitizenID: fxID("410105", birth, SexMale),
		HouseholdDivision: "410105001", InflowDivision: "440106",
	}
}

func fxRegistry(fl []FloatingRecord, rs []ResidentRecord) *MemRegistry {
	m := NewMemRegistry()
	for _, f := range fl {
		m.AddFloating(f)
	}
	for _, r := range rs {
		m.AddResident(r)
	}
	return m
}

func mustCompare(t *testing.T, c *Case, m *MemRegistry, p Precision) Comparison {
	t.Helper()
	cm, err := Compare(c, m, m, p)
	if err != nil {
		t.Fatal(err)
	}
	if cm.Precision != p {
		t.Fatalf("precision = %v", cm.Precision)
	}
	return cm
}

// candidateIDs returns the record ids of cm's candidates, in order.
func candidateIDs(cm Comparison) []string {
	var out []string
	for _, cd := range cm.Candidates {
		out = append(out, cd.RecordID())
	}
	return out
}

func TestCompare_FormPerFinding(t *testing.T) {
	rows := []struct {
		name    string
		fl      []FloatingRecord
		rs      []ResidentRecord
		form    Form
		differs []string
	}{
		{"R1 nothing in either system", nil, nil, FormR1, nil},
		{"R2 floating, inflow agrees to county", []FloatingRecord{fxFloating("F1", "440305001")}, nil, FormR2, nil},
		{"R3 floating, inflow differs", []FloatingRecord{fxFloating("F1", "440106")}, nil, FormR3, []string{"current_division"}},
		{"R4 resident, outflow agrees", nil, []ResidentRecord{fxResident("R1", &Outflow{Date: NewDate(2015, 3, 1), Destination: "440305"})}, FormR4, nil},
		{"R5 resident, outflow differs", nil, []ResidentRecord{fxResident("R1", &Outflow{Date: NewDate(2015, 3, 1), Destination: "440306"})}, FormR5, []string{"current_division"}},
		{"R6 resident, no outflow", nil, []ResidentRecord{fxResident("R1", nil)}, FormR6, nil},
	}
	for _, tc := range rows {
		t.Run(tc.name, func(t *testing.T) {
			c := fxCase()
			cm := mustCompare(t, &c, fxRegistry(tc.fl, tc.rs), PrecisionDay)
			if cm.Form != tc.form {
				t.Fatalf("form = %s, want %s", cm.Form, tc.form)
			}
			if tc.form == FormR1 {
				if len(cm.Candidates) != 0 {
					t.Fatalf("candidates = %v", candidateIDs(cm))
				}
				return
			}
			if len(cm.Candidates) != 1 {
				t.Fatalf("candidates = %v, want one (found by ID and by name, deduplicated)", candidateIDs(cm))
			}
			cd := cm.Candidates[0]
			if !cd.ByID || cd.Form != tc.form || !slices.Equal(cd.Differs, tc.differs) {
				t.Fatalf("candidate = by ID %v, form %s, differs %v; want differs %v", cd.ByID, cd.Form, cd.Differs, tc.differs)
			}
		})
	}
}

func TestCompare_SeveralCandidates(t *testing.T) {
	c := fxCase()
	c.Person.CitizenID = "" // search by name only
	birth := c.Person.BirthDate
	m := fxRegistry([]FloatingRecord{fxNamesake("F9", birth), fxNamesake("F2", birth)}, nil)
	cm := mustCompare(t, &c, m, PrecisionDay)
	if got := candidateIDs(cm); !slices.Equal(got, []string{"F2", "F9"}) {
		t.Fatalf("candidates = %v, want both 张伟, by record id", got)
	}
	for _, cd := range cm.Candidates {
		if cd.ByID || !slices.Equal(cd.Differs, []string{"citizen_id", "household_division", "current_division"}) || cd.Form != FormR3 {
			t.Fatalf("candidate %s: by ID %v, differs %v, form %s", cd.RecordID(), cd.ByID, cd.Differs, cd.Form)
		}
	}
}

func TestCompare_Precision(t *testing.T) {
	c := fxCase()
	c.Person.CitizenID = ""
	m := fxRegistry([]FloatingRecord{
		fxNamesake("year", NewDate(1990, 11, 30)),
		fxNamesake("month", NewDate(1990, 3, 1)),
		fxNamesake("day", NewDate(1990, 3, 15)),
		fxNamesake("other-year", NewDate(1991, 3, 15)),
	}, nil)
	rows := []struct {
		p    Precision
		want []string
	}{
		{PrecisionDay, []string{"day"}},
		{PrecisionMonth, []string{"day", "month"}},
		{PrecisionYear, []string{"day", "month", "year"}},
	}
	for _, tc := range rows {
		t.Run(tc.p.String(), func(t *testing.T) {
			// The exact birth date first, then the looser matches by id.
			if got := candidateIDs(mustCompare(t, &c, m, tc.p)); !slices.Equal(got, tc.want) {
				t.Fatalf("candidates = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestCompare_IDFirst(t *testing.T) {
	c := fxCase()
	typo := fxFloating("F-typo", "440305")
	typo.Name = "张玮" // the same ID, the name mistyped in the registry
	m := fxRegistry([]FloatingRecord{fxNamesake("F-namesake", c.Person.BirthDate), typo}, nil)
	cm := mustCompare(t, &c, m, PrecisionDay)
	if got := candidateIDs(cm); !slices.Equal(got, []string{"F-typo", "F-namesake"}) {
		t.Fatalf("candidates = %v, want the ID match first", got)
	}
	if first := cm.Candidates[0]; !first.ByID || !slices.Equal(first.Differs, []string{"name"}) || cm.Form != FormR2 {
		t.Fatalf("first: by ID %v, differs %v, form %s", first.ByID, first.Differs, cm.Form)
	}
}

func TestCompare_Legacy15DigitID(t *testing.T) {
	c := fxCase()
	c.Person.CitizenID = "410102900315013"
	rec := fxFloating("F1", "440305")
	rec.CitizenID = fxID("410102", c.Person.BirthDate, SexMale)
	cm := mustCompare(t, &c, fxRegistry([]FloatingRecord{rec}, nil), PrecisionDay)
	if len(cm.Candidates) != 1 || !cm.Candidates[0].ByID || len(cm.Candidates[0].Differs) != 0 {
		t.Fatalf("candidates = %+v", cm.Candidates)
	}
}

func TestCompare_ResidentByNameOnlyWhenFloatingEmpty(t *testing.T) {
	c := fxCase()
	resByName := fxResident("R-name", nil) // another 张伟 born the same day
	resByName.CitizenID = fxIDSeq("410102", c.Person.BirthDate, "035")
	resByID := fxResident("R-id", &Outflow{Destination: "440305"})
	resByID.Name = "张卫"

	t.Run("floating found: resident name matches skipped, ID matches kept", func(t *testing.T) {
		m := fxRegistry([]FloatingRecord{fxNamesake("F-namesake", c.Person.BirthDate)}, []ResidentRecord{resByName, resByID})
		cm := mustCompare(t, &c, m, PrecisionDay)
		if got := candidateIDs(cm); !slices.Equal(got, []string{"R-id", "F-namesake"}) {
			t.Fatalf("candidates = %v", got)
		}
		if cm.Form != FormR4 {
			t.Fatalf("form = %s, want R4 from the ID match", cm.Form)
		}
	})
	t.Run("floating empty: resident searched by name", func(t *testing.T) {
		m := fxRegistry(nil, []ResidentRecord{resByName})
		cm := mustCompare(t, &c, m, PrecisionDay)
		if got := candidateIDs(cm); !slices.Equal(got, []string{"R-name"}) || cm.Form != FormR6 {
			t.Fatalf("candidates = %v, form %s", got, cm.Form)
		}
	})
	t.Run("withdrawn floating does not count and ranks last", func(t *testing.T) {
		old := fxFloating("F-old", "440106")
		old.Withdrawn = true
		m := fxRegistry([]FloatingRecord{old}, []ResidentRecord{resByName})
		cm := mustCompare(t, &c, m, PrecisionDay)
		if got := candidateIDs(cm); !slices.Equal(got, []string{"R-name", "F-old"}) {
			t.Fatalf("candidates = %v", got)
		}
	})
}

func TestCompare_InProvinceAndMismatch(t *testing.T) {
	in := fxInProvinceCase()
	if cm := mustCompare(t, &in, fxRegistry(nil, nil), PrecisionDay); cm.Form != FormP2 {
		t.Fatalf("in-province, none: %s", cm.Form)
	}
	cm := mustCompare(t, &in, fxRegistry([]FloatingRecord{fxFloating("F1", "410105001")}, nil), PrecisionDay)
	if cm.Form != FormP1 || len(cm.Candidates[0].Differs) != 0 {
		t.Fatalf("in-province, found: %s, differs %v", cm.Form, cm.Candidates[0].Differs)
	}
	mm := fxMismatchCase()
	if cm := mustCompare(t, &mm, fxRegistry(nil, nil), PrecisionDay); cm.Form != FormM {
		t.Fatalf("mismatch: %s", cm.Form)
	}
}

func TestFormFor(t *testing.T) {
	c := fxCase()
	floating := func(inflow Code, withdrawn bool) *Candidate {
		f := fxFloating("F", inflow)
		f.Withdrawn = withdrawn
		return &Candidate{Source: SourceFloating, Floating: &f}
	}
	resident := func(o *Outflow) *Candidate {
		r := fxResident("R", o)
		return &Candidate{Source: SourceResident, Resident: &r}
	}
	rows := []struct {
		name string
		cand *Candidate
		want Form
	}{
		{"none", nil, FormR1},
		{"empty candidate", &Candidate{}, FormR1},
		{"floating, same county other township", floating("440305002", false), FormR2},
		{"floating, other county", floating("440306", false), FormR3},
		{"floating, city only", floating("4403", false), FormR3},
		{"resident, outflow agrees", resident(&Outflow{Destination: "440305001"}), FormR4},
		{"resident, outflow differs", resident(&Outflow{Destination: "410105"}), FormR5},
		{"resident, no outflow", resident(nil), FormR6},
	}
	for _, tc := range rows {
		if got := FormFor(&c, tc.cand); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}

type failingRegistry struct{ err error }

func (f failingRegistry) FloatingByCitizenID(string) ([]FloatingRecord, error) { return nil, f.err }
func (f failingRegistry) FloatingByNameSexBirth(string, Sex, Date, Precision) ([]FloatingRecord, error) {
	return nil, f.err
}

func TestCompare_Errors(t *testing.T) {
	c := fxCase()
	if _, err := Compare(&c, nil, nil, Precision(7)); ErrorCode(err) != EINVALID || ErrorField(err) != "precision" {
		t.Fatalf("bad precision: %v", err)
	}
	boom := errors.New("disk on fire")
	if _, err := Compare(&c, failingRegistry{boom}, nil, PrecisionDay); !errors.Is(err, boom) {
		t.Fatalf("registry error not wrapped: %v", err)
	}
	cm, err := Compare(&c, nil, nil, PrecisionYear)
	if err != nil || cm.Form != FormR1 {
		t.Fatalf("no registries: %v %v", cm, err)
	}
}

func TestPrecision_Label(t *testing.T) {
	for _, p := range []Precision{PrecisionDay, PrecisionMonth, PrecisionYear} {
		if zh, en := p.Label(Chinese), p.Label(English); zh == "" || en == "" || zh == en || zh == "compare.precision."+p.String() {
			t.Errorf("%v: %q %q", p, zh, en)
		}
	}
}
