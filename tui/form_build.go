package tui

import (
	"strconv"
	"strings"

	"hecha"
)

// prefillValues returns the raw field texts of a new form f for case c:
// the verified items pre-filled from the case (hecha.Prefill), and the
// corrective action's division and address from where the case says the
// person lives.
func prefillValues(c *hecha.Case, f hecha.Form) map[string]string {
	v := map[string]string{}
	if f.Confirms() {
		p := hecha.Prefill(c)
		putPerson(v, "verified.", &p)
	}
	cur, addr := c.Person.CurrentDivision, c.Person.CurrentAddress
	switch f {
	case hecha.FormR3:
		v["reregistration.inflow_division"] = string(cur)
		v["reregistration.inflow_address"] = addr
	case hecha.FormR5:
		v["correction.destination"] = string(cur)
		v["correction.address"] = addr
	case hecha.FormR6, hecha.FormP1:
		if f == hecha.FormP1 {
			cur, addr = c.InflowDivision, c.InflowAddress
		}
		v["registration.destination"] = string(cur)
		v["registration.address"] = addr
		v["registration.date"] = c.Person.OutflowDate.String()
		v["registration.reason"] = string(c.Person.Reason)
	}
	return v
}

// putPerson writes p's items as raw texts under prefix.
func putPerson(v map[string]string, prefix string, p *hecha.Person) {
	v[prefix+"name"] = p.Name
	v[prefix+"sex"] = string(p.Sex)
	v[prefix+"citizen_id"] = p.CitizenID
	v[prefix+"birth_date"] = p.BirthDate.String()
	v[prefix+"current_division"] = string(p.CurrentDivision)
	v[prefix+"current_address"] = p.CurrentAddress
	v[prefix+"household_division"] = string(p.HouseholdDivision)
	v[prefix+"household_address"] = p.HouseholdAddress
	v[prefix+"education"] = string(p.Education)
	v[prefix+"hukou_type"] = string(p.HukouType)
	v[prefix+"reason"] = string(p.Reason)
	v[prefix+"outflow_date"] = p.OutflowDate.String()
	v[prefix+"return_date"] = p.ReturnDate.String()
	v[prefix+"marital"] = string(p.Marital)
	v[prefix+"members"] = strconv.Itoa(len(p.Members))
	for i, m := range p.Members {
		mp := prefix + "members[" + strconv.Itoa(i) + "]."
		v[mp+"name"] = m.Name
		v[mp+"relationship"] = string(m.Relationship)
		v[mp+"sex"] = string(m.Sex)
		v[mp+"birth_date"] = m.BirthDate.String()
		v[mp+"citizen_id"] = m.CitizenID
	}
}

// parser turns raw texts into typed values, collecting each parse error
// under its field.
type parser struct {
	v    map[string]string
	errs hecha.Errors
}

func (p *parser) text(path string) string { return strings.TrimSpace(p.v[path]) }

func (p *parser) date(path string) hecha.Date {
	d, err := hecha.ParseDate(path, p.v[path])
	p.errs.Add(err)
	return d
}

func (p *parser) code(path string) hecha.Code {
	c, err := hecha.ParseCode(path, p.v[path])
	p.errs.Add(err)
	return c
}

func (p *parser) check(path string) bool { return p.v[path] == "1" }

// build makes the result the values describe for case c: only the visible
// fields count, and a value that does not parse is left empty with its
// parse error returned (Validate would only say it is missing).
func build(c *hecha.Case, f hecha.Form, v map[string]string) (*hecha.Result, hecha.Errors) {
	shown := map[string]bool{}
	for _, fd := range visibleFields(f, v) {
		shown[fd.path] = true
	}
	vis := map[string]string{}
	for k, val := range v {
		if shown[k] || k == pathMembers {
			vis[k] = val
		}
	}
	p := &parser{v: vis}
	res := &hecha.Result{CaseID: c.ID, Form: f, CaseRev: c.Rev}
	switch {
	case f == hecha.FormR1 || f == hecha.FormP2:
		res.NotFound = &hecha.NotFound{
			Reason:      hecha.NotFoundReason(p.text(pathReason)),
			Destination: p.code("not_found.destination"),
			DestAddress: p.text("not_found.dest_address"),
			Remark:      p.text("not_found.remark"),
		}
	case f == hecha.FormM:
		res.Mismatch = &hecha.MismatchResolution{
			NameChoice:      hecha.MismatchChoice(p.text("mismatch.name_choice")),
			SexChoice:       hecha.MismatchChoice(p.text("mismatch.sex_choice")),
			BirthDateChoice: hecha.MismatchChoice(p.text("mismatch.birth_date_choice")),
			CitizenIDChoice: hecha.MismatchChoice(p.text("mismatch.citizen_id_choice")),
			Corrected: hecha.Basic{
				Name:      p.text("mismatch.corrected.name"),
				Sex:       hecha.Sex(p.text("mismatch.corrected.sex")),
				BirthDate: p.date("mismatch.corrected.birth_date"),
				CitizenID: p.text("mismatch.corrected.citizen_id"),
			},
		}
		res.SignOff = &hecha.SignOff{Confirmed: p.check(pathSignConfirm), Name: p.text(pathSignName)}
	case f.Confirms():
		res.Verified = p.person("verified.")
		res.SignOff = &hecha.SignOff{Confirmed: p.check(pathSignConfirm), Name: p.text(pathSignName)}
		switch f {
		case hecha.FormR3:
			res.Reregistration = &hecha.Reregistration{
				Withdrawn:      p.check("reregistration.withdrawn"),
				InflowDivision: p.code("reregistration.inflow_division"),
				InflowAddress:  p.text("reregistration.inflow_address"),
				Date:           p.date("reregistration.date"),
			}
		case hecha.FormR5:
			res.Correction = &hecha.OutflowCorrection{
				Destination: p.code("correction.destination"),
				Address:     p.text("correction.address"),
				Date:        p.date("correction.date"),
			}
		case hecha.FormR6, hecha.FormP1:
			res.Registration = &hecha.Outflow{
				Date:        p.date("registration.date"),
				Destination: p.code("registration.destination"),
				Address:     p.text("registration.address"),
				Reason:      hecha.Reason(p.text("registration.reason")),
			}
		}
	}
	return res, p.errs
}

// person reads the 15 items and the members under prefix.
func (p *parser) person(prefix string) *hecha.Person {
	per := &hecha.Person{
		Name:              p.text(prefix + "name"),
		Sex:               hecha.Sex(p.text(prefix + "sex")),
		CitizenID:         p.text(prefix + "citizen_id"),
		BirthDate:         p.date(prefix + "birth_date"),
		CurrentDivision:   p.code(prefix + "current_division"),
		CurrentAddress:    p.text(prefix + "current_address"),
		HouseholdDivision: p.code(prefix + "household_division"),
		HouseholdAddress:  p.text(prefix + "household_address"),
		Education:         hecha.Education(p.text(prefix + "education")),
		HukouType:         hecha.HukouType(p.text(prefix + "hukou_type")),
		Reason:            hecha.Reason(p.text(prefix + "reason")),
		OutflowDate:       p.date(prefix + "outflow_date"),
		ReturnDate:        p.date(prefix + "return_date"),
		Marital:           hecha.MaritalStatus(p.text(prefix + "marital")),
	}
	for i := range memberCount(p.v) {
		mp := prefix + "members[" + strconv.Itoa(i) + "]."
		per.Members = append(per.Members, hecha.Member{
			Name:         p.text(mp + "name"),
			Relationship: hecha.Relationship(p.text(mp + "relationship")),
			Sex:          hecha.Sex(p.text(mp + "sex")),
			BirthDate:    p.date(mp + "birth_date"),
			CitizenID:    p.text(mp + "citizen_id"),
		})
	}
	return per
}

// check builds the result and validates it as final. It returns the
// result and every problem by field: a parse error stands alone for its
// field, as the "required" Validate adds for the emptied value would only
// confuse.
func check(e *env, c *hecha.Case, f hecha.Form, v map[string]string) (*hecha.Result, hecha.Errors) {
	res, parseErrs := build(c, f, v)
	res.CanonicalCodes(e.rules.Divisions)
	bad := map[string]bool{}
	for _, er := range parseErrs {
		bad[er.Field] = true
	}
	out := append(hecha.Errors{}, parseErrs...)
	out = append(out, unusedProblems(f, v)...)
	for _, er := range hecha.AsErrors(res.Validate(c, e.rules)) {
		if !bad[er.Field] {
			out = append(out, er)
		}
	}
	return res, out
}

// resultValues returns the raw field texts of a saved result, so a
// correction starts from what was saved.
func resultValues(r *hecha.Result) map[string]string {
	v := map[string]string{}
	if n := r.NotFound; n != nil {
		v[pathReason] = string(n.Reason)
		v["not_found.destination"] = string(n.Destination)
		v["not_found.dest_address"] = n.DestAddress
		v["not_found.remark"] = n.Remark
	}
	if r.Verified != nil {
		putPerson(v, "verified.", r.Verified)
	}
	if s := r.SignOff; s != nil {
		if s.Confirmed {
			v[pathSignConfirm] = "1"
		}
		v[pathSignName] = s.Name
	}
	if g := r.Reregistration; g != nil {
		if g.Withdrawn {
			v["reregistration.withdrawn"] = "1"
		}
		v["reregistration.inflow_division"] = string(g.InflowDivision)
		v["reregistration.inflow_address"] = g.InflowAddress
		v["reregistration.date"] = g.Date.String()
	}
	if o := r.Correction; o != nil {
		v["correction.destination"] = string(o.Destination)
		v["correction.address"] = o.Address
		v["correction.date"] = o.Date.String()
	}
	if o := r.Registration; o != nil {
		v["registration.date"] = o.Date.String()
		v["registration.destination"] = string(o.Destination)
		v["registration.address"] = o.Address
		v["registration.reason"] = string(o.Reason)
	}
	if m := r.Mismatch; m != nil {
		v["mismatch.name_choice"] = string(m.NameChoice)
		v["mismatch.sex_choice"] = string(m.SexChoice)
		v["mismatch.birth_date_choice"] = string(m.BirthDateChoice)
		v["mismatch.citizen_id_choice"] = string(m.CitizenIDChoice)
		v["mismatch.corrected.name"] = m.Corrected.Name
		v["mismatch.corrected.sex"] = string(m.Corrected.Sex)
		v["mismatch.corrected.birth_date"] = m.Corrected.BirthDate.String()
		v["mismatch.corrected.citizen_id"] = m.Corrected.CitizenID
	}
	return v
}
