package hecha

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Comparison is the outcome of the system comparison (系统比对, DESIGN §4)
// for one case: the candidates found, best first, and the form that
// applies if the clerk picks the first (or none, when there is none).
type Comparison struct {
	Precision  Precision
	Candidates []Candidate
	Form       Form
}

// Compare looks the person of case c up in the floating and resident
// systems and returns the candidates, ranked, each with the items on which
// it differs from the case and the form that applies if it is picked.
//
// The search, as the original system did it with an exact ID match added
// in front:
//
//  1. The case's citizen ID (when it parses; a 15-digit number is looked
//     up in its 18-digit form) in both systems. An ID match is strong
//     evidence, so it is always reported, from either system.
//  2. Name + sex + birth date at precision p in the floating system.
//  3. Name + sex + birth date in the resident system, only when steps 1
//     and 2 found no floating record in force: like the original, the
//     resident system is searched by name only if the person is not in
//     the floating system. A withdrawn (退档) floating record does not
//     count as found, since it no longer registers the person anywhere.
//
// A record found twice (by ID and by name) is one candidate, marked ByID.
// The ranking: withdrawn floating records last; then ID matches first;
// then floating before resident; then records whose birth date is the
// case's exactly before looser matches; then fewer differing items; then
// by record id, so the order is stable.
//
// Comparison.Form is FormFor the first candidate, or for none. A nil
// registry is a system that is not loaded and finds nothing. Registry
// errors are returned wrapped; a precision other than day, month or year
// is EINVALID about "precision".
func Compare(c *Case, fl FloatingRegistry, rs ResidentRegistry, p Precision) (Comparison, error) {
	if c == nil {
		return Comparison{}, &Error{Code: EINTERNAL, Detail: "compare: no case given"}
	}
	if p != PrecisionDay && p != PrecisionMonth && p != PrecisionYear {
		return Comparison{}, Invalid("precision", "compare.precision_bad")
	}
	cm := Comparison{Precision: p}
	found := map[string]int{} // record key → index in cm.Candidates
	add := func(cand Candidate) {
		k := candidateKey(cand)
		if i, ok := found[k]; ok {
			cm.Candidates[i].ByID = cm.Candidates[i].ByID || cand.ByID
			return
		}
		found[k] = len(cm.Candidates)
		cm.Candidates = append(cm.Candidates, cand)
	}
	person := &c.Person
	name := strings.TrimSpace(person.Name)
	byName := name != "" && person.Sex != "" && person.BirthDate.Valid()

	// 1. The citizen ID, in both systems.
	if id, err := ParseCitizenID("citizen_id", person.CitizenID); err == nil && id.Number != "" {
		if fl != nil {
			recs, err := fl.FloatingByCitizenID(id.Number)
			if err != nil {
				return Comparison{}, fmt.Errorf("compare case %s: floating system by ID: %w", c.ID, err)
			}
			for i := range recs {
				add(Candidate{Source: SourceFloating, Floating: &recs[i], ByID: true})
			}
		}
		if rs != nil {
			recs, err := rs.ResidentByCitizenID(id.Number)
			if err != nil {
				return Comparison{}, fmt.Errorf("compare case %s: resident system by ID: %w", c.ID, err)
			}
			for i := range recs {
				add(Candidate{Source: SourceResident, Resident: &recs[i], ByID: true})
			}
		}
	}

	// 2. Name, sex and birth date in the floating system.
	if byName && fl != nil {
		recs, err := fl.FloatingByNameSexBirth(name, person.Sex, person.BirthDate, p)
		if err != nil {
			return Comparison{}, fmt.Errorf("compare case %s: floating system by name: %w", c.ID, err)
		}
		for i := range recs {
			add(Candidate{Source: SourceFloating, Floating: &recs[i]})
		}
	}

	// 3. The resident system by name, if no floating record is in force.
	inForce := slices.ContainsFunc(cm.Candidates, func(cd Candidate) bool {
		return cd.Floating != nil && !cd.Floating.Withdrawn
	})
	if byName && rs != nil && !inForce {
		recs, err := rs.ResidentByNameSexBirth(name, person.Sex, person.BirthDate, p)
		if err != nil {
			return Comparison{}, fmt.Errorf("compare case %s: resident system by name: %w", c.ID, err)
		}
		for i := range recs {
			add(Candidate{Source: SourceResident, Resident: &recs[i]})
		}
	}

	for i := range cm.Candidates {
		cd := &cm.Candidates[i]
		cd.Differs = candidateDiffers(c, cd)
		cd.Form = FormFor(c, cd)
	}
	slices.SortStableFunc(cm.Candidates, func(a, b Candidate) int { return compareCandidates(a, b) })
	if len(cm.Candidates) > 0 {
		cm.Form = cm.Candidates[0].Form
	} else {
		cm.Form = FormFor(c, nil)
	}
	return cm, nil
}

// FormFor returns the result form that applies to case c if the clerk
// picks cand, or none when cand is nil (DESIGN §4): for a cross-province
// case, R1 for none; for a floating record R2 when its inflow division
// agrees with the case's current division to county level, else R3; for a
// resident record with an outflow registration R4 when the outflow
// destination agrees, else R5; without one R6. An in-province case takes
// P1 for any candidate and P2 for none; a mismatch case always takes M.
func FormFor(c *Case, cand *Candidate) Form {
	switch c.Kind {
	case KindMismatch:
		return FormM
	case KindInProvince:
		if cand == nil || cand.Floating == nil && cand.Resident == nil {
			return FormP2
		}
		return FormP1
	}
	cur := c.Person.CurrentDivision
	switch {
	case cand == nil:
		return FormR1
	case cand.Floating != nil:
		if cand.Floating.InflowDivision.SameCounty(cur) {
			return FormR2
		}
		return FormR3
	case cand.Resident != nil && cand.Resident.Outflow != nil:
		if cand.Resident.Outflow.Destination.SameCounty(cur) {
			return FormR4
		}
		return FormR5
	case cand.Resident != nil:
		return FormR6
	}
	return FormR1
}

// Label returns the precision's name in lang, as the clerk picks it.
func (p Precision) Label(lang Lang) string {
	return T(lang, "compare.precision."+p.String())
}

// caseCurrent is the division the person lives in by the case: the inflow
// division for an in-province case, else the current division.
func caseCurrent(c *Case) Code {
	if c.Kind == KindInProvince && c.InflowDivision != "" {
		return c.InflowDivision
	}
	return c.Person.CurrentDivision
}

// candidateDiffers lists the items on which cand's record differs from
// the case: name, sex, birth_date, citizen_id, household_division (a code
// within the other counts as agreeing), and current_division when a
// floating record's inflow division, or a resident record's outflow
// destination, does not agree with the case to county level.
func candidateDiffers(c *Case, cand *Candidate) []string {
	var rec Basic
	var household, where Code
	hasWhere := false
	switch {
	case cand.Floating != nil:
		f := cand.Floating
		rec = Basic{Name: f.Name, Sex: f.Sex, BirthDate: f.BirthDate, CitizenID: f.CitizenID}
		household, where, hasWhere = f.HouseholdDivision, f.InflowDivision, true
	case cand.Resident != nil:
		rs := cand.Resident
		rec = Basic{Name: rs.Name, Sex: rs.Sex, BirthDate: rs.BirthDate, CitizenID: rs.CitizenID}
		household = rs.HouseholdDivision
		if rs.Outflow != nil {
			where, hasWhere = rs.Outflow.Destination, true
		}
	default:
		return nil
	}
	p := &c.Person
	out := Basic{Name: p.Name, Sex: p.Sex, BirthDate: p.BirthDate, CitizenID: p.CitizenID}.Differs(rec)
	if !sameDivision(p.HouseholdDivision, household) {
		out = append(out, "household_division")
	}
	if hasWhere && !where.SameCounty(caseCurrent(c)) {
		out = append(out, "current_division")
	}
	return out
}

// sameDivision reports whether a and b name the same place as far as both
// go: equal, or one within the other.
func sameDivision(a, b Code) bool {
	return a == b || a != "" && b != "" && (a.Within(b) || b.Within(a))
}

// candidateKey identifies a candidate's record for removing duplicates.
func candidateKey(cd Candidate) string {
	if cd.Floating != nil {
		f := cd.Floating
		if f.ID != "" {
			return "f:" + f.ID
		}
		return "f::" + f.CitizenID + "|" + f.Name + "|" + f.BirthDate.String() + "|" + string(f.InflowDivision)
	}
	if r := cd.Resident; r != nil {
		if r.ID != "" {
			return "r:" + r.ID
		}
		return "r::" + r.CitizenID + "|" + r.Name + "|" + r.BirthDate.String() + "|" + string(r.HouseholdDivision)
	}
	return ""
}

// compareCandidates orders candidates as Compare documents.
func compareCandidates(a, b Candidate) int {
	withdrawn := func(cd Candidate) bool { return cd.Floating != nil && cd.Floating.Withdrawn }
	resident := func(cd Candidate) bool { return cd.Floating == nil }
	loose := func(cd Candidate) bool { return slices.Contains(cd.Differs, "birth_date") }
	return cmp.Or(
		cmpBool(withdrawn(a), withdrawn(b)),
		cmpBool(!a.ByID, !b.ByID),
		cmpBool(resident(a), resident(b)),
		cmpBool(loose(a), loose(b)),
		cmp.Compare(len(a.Differs), len(b.Differs)),
		strings.Compare(a.RecordID(), b.RecordID()),
	)
}

// cmpBool orders false before true.
func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}
