package hecha

import (
	"slices"
	"strings"
)

// NotFoundReasons are the reasons for 查无此人 (R1, P2).
var NotFoundReasons = &CodeTable{
	Field: "not_found.reason",
	Entries: []CodeEntry{
		{Code: string(NotFoundMarriedOut), Zh: "婚出", En: "Married out"},
		{Code: string(NotFoundMovedOut), Zh: "迁出", En: "Moved out", Aliases: []string{"户口迁出"}},
		{Code: string(NotFoundDied), Zh: "死亡", En: "Died"},
		{Code: string(NotFoundOther), Zh: "其他", En: "Other"},
	},
}

// MismatchChoices are the ways one basic item of a mismatch case is settled.
var MismatchChoices = &CodeTable{
	Field: "mismatch",
	Entries: []CodeEntry{
		{Code: string(KeepResident), Zh: "以常住人口为准", En: "Keep the resident value", Aliases: []string{"常住", "常住人口", "以常住为准"}},
		{Code: string(KeepOutflow), Zh: "以流出人口为准", En: "Keep the outflow value", Aliases: []string{"流出", "流出人口", "以流出为准"}},
		{Code: string(Corrected), Zh: "更正为", En: "Correct to", Aliases: []string{"更正", "更正值"}},
	},
}

// The parts of a Result, by the JSON name of the field that holds each.
const (
	bodyNotFound       = "not_found"
	bodyVerified       = "verified"
	bodySignOff        = "sign_off"
	bodyReregistration = "reregistration"
	bodyCorrection     = "correction"
	bodyRegistration   = "registration"
	bodyMismatch       = "mismatch"
)

// Validate checks res as a final result for case c (DESIGN §5) and returns
// every problem as Errors, each about its field path ("verified.birth_date",
// "not_found.destination"). It never changes res.
//
//   - id and replaces, when set, are result ids (ValidResultID), not equal.
//   - case_id is c's id; form is one of FormsFor(c.Kind).
//   - Exactly the parts the form needs are set (result.unexpected_body on
//     the others): not_found for R1 and P2; verified and sign_off for the
//     confirming forms, plus reregistration (R3), correction (R5) or
//     registration (R6, P1); mismatch and sign_off for M.
//   - R1, P2: a reason of NotFoundReasons; 婚出 and 迁出 need a destination
//     of township level or below that exists, and its address; 其他 needs
//     a remark.
//   - Confirming forms: verified passes Person.Validate; sign_off is
//     ticked and names the resident clerk.
//   - R3: the floating record was withdrawn; the new inflow division agrees
//     with the case's current division to county level; the date is given,
//     not in the future, not before the case's outflow date.
//   - R5: the corrected destination agrees with the case's current division
//     to county level; the date is given and not in the future.
//   - R6: the outflow registration's date is given, not in the future, not
//     before birth; its destination agrees with the case's current division
//     to county level; a reason is given.
//   - P1: as R6, the destination the case's inflow township itself (a
//     village of it will do; its county alone will not).
//   - M: see MismatchResolution.validate.
func (res *Result) Validate(c *Case, r *Rules) error {
	if c == nil {
		return &Error{Code: EINTERNAL, Detail: "validate result: no case given"}
	}
	var es Errors
	if res.ID != "" && !ValidResultID(res.ID) {
		es.Add(Invalid("id", "result.id_invalid", res.ID))
	}
	if res.Replaces != "" {
		if !ValidResultID(res.Replaces) {
			es.Add(Invalid("replaces", "result.id_invalid", res.Replaces))
		} else if res.Replaces == res.ID {
			es.Add(Invalid("replaces", "result.replaces_self"))
		}
	}
	switch {
	case strings.TrimSpace(res.CaseID) == "":
		es.Add(Invalid("case_id", "form.required"))
	case res.CaseID != c.ID:
		es.Add(Invalid("case_id", "result.case_mismatch", res.CaseID, c.ID))
	}
	if res.CaseRev < 0 {
		es.Add(Invalid("case_rev", "case.rev_negative"))
	}
	if res.Township != "" {
		checkDivisionField(&es, r, "township", res.Township, LevelTownship, false)
	}
	checkText(&es, "clerk", res.Clerk, MaxNameLen, false)
	checkText(&es, "candidate_id", res.CandidateID, 64, false)

	// The form decides everything else; without a fitting form stop here.
	switch {
	case res.Form == "":
		es.Add(Invalid("form", "form.required"))
		return es.Err()
	case !slices.Contains(Forms, res.Form):
		es.Add(Invalid("form", "result.form_unknown", string(res.Form)))
		return es.Err()
	case !slices.Contains(FormsFor(c.Kind), res.Form):
		es.Add(Invalid("form", "result.form_kind", string(res.Form)))
		return es.Err()
	}
	res.checkBodies(&es)
	res.checkCandidate(c, &es)

	switch res.Form {
	case FormR1, FormP2:
		if res.NotFound != nil {
			es.AddField(bodyNotFound, res.NotFound.validate(r).Err())
		}
	case FormM:
		if res.Mismatch != nil {
			es.AddField(bodyMismatch, res.Mismatch.validate(c, r).Err())
		}
	default:
		if res.Verified != nil {
			es.AddField(bodyVerified, res.Verified.validate(r, needsVerified).Err())
		}
	}
	if res.SignOff != nil {
		es.AddField(bodySignOff, res.SignOff.validate().Err())
	}
	switch {
	case res.Form == FormR3 && res.Reregistration != nil:
		es.AddField(bodyReregistration, res.Reregistration.validate(c, r).Err())
	case res.Form == FormR5 && res.Correction != nil:
		es.AddField(bodyCorrection, res.Correction.validate(c, r).Err())
	case res.Form == FormR6 && res.Registration != nil:
		es.AddField(bodyRegistration, res.Registration.validate(c, res.Verified, c.Person.CurrentDivision, r).Err())
	case res.Form == FormP1 && res.Registration != nil:
		es.AddField(bodyRegistration, res.Registration.validate(c, res.Verified, c.InflowDivision, r).Err())
		es.AddField(bodyRegistration, checkInflowTownship(r, res.Registration.Destination, c.InflowDivision).Err())
	}
	return es.Err()
}

// checkBodies reports each part the form needs and lacks (form.required)
// and each part it does not take but holds (result.unexpected_body).
func (res *Result) checkBodies(es *Errors) {
	set, need := map[string]bool{}, map[string]bool{}
	for _, p := range ResultParts {
		set[p.Name] = p.Has(res)
	}
	for _, p := range res.Form.Parts() {
		need[p.Name] = true
	}
	for _, b := range []string{bodyNotFound, bodyVerified, bodySignOff, bodyReregistration, bodyCorrection, bodyRegistration, bodyMismatch} {
		switch want := need[b]; {
		case want && !set[b]:
			es.Add(Invalid(b, "form.required"))
		case !want && set[b]:
			es.Add(Invalid(b, "result.unexpected_body"))
		}
	}
}

// Uses reports whether a 查无此人 body with reason r takes item (the JSON
// name of a NotFound field): the destination and its address only for
// 婚出 and 迁出, the remark only for 其他, the reason always. The form
// shows only these items; a worksheet cell filled for another is pointed
// out.
func (r NotFoundReason) Uses(item string) bool {
	switch item {
	case "reason":
		return true
	case "destination", "dest_address":
		return r == NotFoundMarriedOut || r == NotFoundMovedOut
	case "remark":
		return r == NotFoundOther
	}
	return false
}

// validate checks the body of R1 and P2.
func (n *NotFound) validate(r *Rules) Errors {
	var es Errors
	checkCode(&es, "reason", string(n.Reason), NotFoundReasons, true)
	needDest := n.Reason.Uses("destination")
	checkDivisionField(&es, r, "destination", n.Destination, LevelTownship, needDest)
	checkText(&es, "dest_address", n.DestAddress, MaxAddressLen, needDest)
	checkText(&es, "remark", n.Remark, MaxRemarkLen, n.Reason.Uses("remark"))
	return es
}

// validate checks the resident clerk's sign-off: ticked and named.
func (s *SignOff) validate() Errors {
	var es Errors
	if !s.Confirmed {
		es.Add(Invalid("confirmed", "result.not_confirmed"))
	}
	checkName(&es, "name", s.Name, true)
	return es
}

// validate checks R3's withdrawal and new registration against case c.
func (g *Reregistration) validate(c *Case, r *Rules) Errors {
	var es Errors
	if !g.Withdrawn {
		es.Add(Invalid("withdrawn", "result.not_withdrawn"))
	}
	checkSameCounty(&es, r, "inflow_division", g.InflowDivision, c.Person.CurrentDivision)
	checkText(&es, "inflow_address", g.InflowAddress, MaxAddressLen, false)
	if checkDate(&es, "date", g.Date, true, r.Today()) &&
		c.Person.OutflowDate.Valid() && g.Date.Before(c.Person.OutflowDate) {
		es.Add(Invalid("date", "result.before_outflow", c.Person.OutflowDate.String()))
	}
	return es
}

// validate checks R5's corrected destination against case c.
func (o *OutflowCorrection) validate(c *Case, r *Rules) Errors {
	var es Errors
	checkSameCounty(&es, r, "destination", o.Destination, c.Person.CurrentDivision)
	checkText(&es, "address", o.Address, MaxAddressLen, false)
	checkDate(&es, "date", o.Date, true, r.Today())
	return es
}

// validate checks the outflow registration of R6 and P1: its destination
// must agree with target (the case's current division for R6, its inflow
// division for P1) to county level. The birth date it may not precede is
// the verified one when valid, else the case's.
func (o *Outflow) validate(c *Case, verified *Person, target Code, r *Rules) Errors {
	var es Errors
	birth := c.Person.BirthDate
	if verified != nil && verified.BirthDate.Valid() {
		birth = verified.BirthDate
	}
	if checkDate(&es, "date", o.Date, true, r.Today()) && birth.Valid() && o.Date.Before(birth) {
		es.Add(Invalid("date", "form.before_birth", birth.String()))
	}
	checkSameCounty(&es, r, "destination", o.Destination, target)
	checkText(&es, "address", o.Address, MaxAddressLen, false)
	checkCode(&es, "reason", string(o.Reason), r.ReasonTable(), true)
	return es
}

// checkSameCounty checks that c is given, in the table (county level
// suffices) and agrees with want to county level.
func checkSameCounty(es *Errors, r *Rules, field string, c, want Code) {
	if checkDivisionField(es, r, field, c, LevelCounty, true) && !r.DivisionTable().SameCounty(c, want) {
		es.Add(Invalid(field, "result.county_disagree", divisionLabel(r, want)))
	}
}

// checkInflowTownship checks that P1's destination dest, once it agrees
// with the inflow division to county level, names the inflow township
// (DESIGN §5: the destination is the inflow township): at least township
// level and inside the township of inflow.
func checkInflowTownship(r *Rules, dest, inflow Code) Errors {
	var es Errors
	if dest == "" || !dest.SameCounty(inflow) || inflow.Level() < LevelTownship {
		return es // reported by checkSameCounty
	}
	switch {
	case dest.Level() < LevelTownship:
		es.Add(Invalid("destination", "division.level.township"))
	case dest.At(LevelTownship) != inflow.At(LevelTownship):
		es.Add(Invalid("destination", "result.township_disagree", divisionLabel(r, inflow.At(LevelTownship))))
	}
	return es
}

// divisionLabel names c for a message: its full name and code when the
// table knows it, else the code.
func divisionLabel(r *Rules, c Code) string {
	if c == "" {
		return "—"
	}
	if t := r.DivisionTable(); t != nil {
		if _, ok := t.Lookup(c); ok {
			return t.FullName(c) + " (" + string(c) + ")"
		}
	}
	return string(c)
}

// DraftProblems returns the errors res would meet if saved as final for
// case c: the same as Validate. A draft is saved regardless; the form
// shows these so the clerk sees what is left to do.
func DraftProblems(c *Case, res *Result, r *Rules) Errors {
	if res == nil {
		return nil
	}
	return AsErrors(res.Validate(c, r))
}

// Prefill returns the field-verified information pre-filled from case c:
// a deep copy of its person, which the clerk then edits.
func Prefill(c *Case) Person {
	p := c.Person
	p.Members = slices.Clone(c.Person.Members)
	return p
}

// Final returns the four basic items as the resolution settles them for
// case c: each from the resident record, the outflow record or the
// corrected values, as its choice says. An item whose choice is unset or
// unknown, or names a record the case lacks, is the zero value.
func (m *MismatchResolution) Final(c *Case) Basic {
	pick := func(ch MismatchChoice) *Basic {
		switch ch {
		case KeepResident:
			return c.Resident
		case KeepOutflow:
			return c.Outflow
		case Corrected:
			return &m.Corrected
		}
		return nil
	}
	var b Basic
	if p := pick(m.NameChoice); p != nil {
		b.Name = p.Name
	}
	if p := pick(m.SexChoice); p != nil {
		b.Sex = p.Sex
	}
	if p := pick(m.BirthDateChoice); p != nil {
		b.BirthDate = p.BirthDate
	}
	if p := pick(m.CitizenIDChoice); p != nil {
		b.CitizenID = p.CitizenID
	}
	return b
}

// validate checks form M for case c: each of the four choices is set, to a
// record the case has; each corrected item is given and valid; and the
// final values (Final) are valid and agree: the final citizen ID's birth
// date and sex are the final birth date and sex (form.mismatch_disagree on
// the birth date or sex item). An error about a kept value is about the
// item's choice ("birth_date_choice"); about an entered one, about the
// corrected value ("corrected.birth_date").
func (m *MismatchResolution) validate(c *Case, r *Rules) Errors {
	var es Errors
	today := r.Today()
	type item struct {
		name   string
		choice MismatchChoice
	}
	items := []item{{"name", m.NameChoice}, {"sex", m.SexChoice}, {"birth_date", m.BirthDateChoice}, {"citizen_id", m.CitizenIDChoice}}
	field := map[string]string{} // where the final value's errors go; "" when the choice is unusable
	for _, it := range items {
		cf := it.name + "_choice"
		switch {
		case it.choice == "":
			es.Add(Invalid(cf, "form.required"))
		case !MismatchChoices.Has(string(it.choice)):
			es.Add(Invalid(cf, "form.code_unknown", string(it.choice)))
		case it.choice == KeepResident && c.Resident == nil, it.choice == KeepOutflow && c.Outflow == nil:
			es.Add(Invalid(cf, "form.no_record"))
		case it.choice == Corrected:
			field[it.name] = "corrected." + it.name
		default:
			field[it.name] = cf
		}
	}

	// Each final value on its own.
	f := m.Final(c)
	if fl := field["name"]; fl != "" {
		checkName(&es, fl, f.Name, true)
	}
	if fl := field["sex"]; fl != "" {
		checkCode(&es, fl, string(f.Sex), SexCodes, true)
	}
	birthOK := false
	if fl := field["birth_date"]; fl != "" {
		birthOK = checkDate(&es, fl, f.BirthDate, true, today)
	}
	sex := f.Sex
	if field["sex"] == "" || hasField(es, field["sex"]) {
		sex = "" // unusable: do not compare
	}

	// The ID, and the agreement of the four.
	if fl := field["citizen_id"]; fl != "" {
		checkCitizenID(&es, r, fl, f.CitizenID, true, agreement{
			sex: sex, birth: f.BirthDate, birthOK: birthOK,
			sexField: field["sex"], birthField: field["birth_date"],
			msgID: "form.mismatch_disagree",
		})
	}
	return es
}

// checkCandidate checks that the form fits the candidate the clerk picked:
// a 查无此人 result names no candidate, and a candidate that the county
// attached to the case decides the form (FormFor). A candidate found by a
// local comparison at another precision is not among the case's and is
// taken as given.
func (res *Result) checkCandidate(c *Case, es *Errors) {
	if res.CandidateID == "" {
		return
	}
	if res.Form == FormR1 || res.Form == FormP2 {
		es.Add(Invalid("candidate_id", "result.candidate_not_found_form", res.CandidateID))
		return
	}
	for i := range c.Candidates {
		cand := &c.Candidates[i]
		if cand.RecordID() != res.CandidateID {
			continue
		}
		if want := FormFor(c, cand); want != res.Form {
			es.Add(Invalid("form", "result.candidate_form", string(res.Form), res.CandidateID, string(want)))
		}
		return
	}
}
