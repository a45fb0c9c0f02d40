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
	for _, f := range hecha.PersonFields {
		if f.Kind != hecha.MembersField {
			v[prefix+f.Path] = f.Get(p)
		}
	}
	v[prefix+"members"] = strconv.Itoa(len(p.Members))
	for i := range p.Members {
		mp := prefix + "members[" + strconv.Itoa(i) + "]."
		for _, f := range hecha.MemberFields {
			v[mp+f.Path] = f.Get(&p.Members[i])
		}
	}
}

// parse makes a result of form f from the raw texts v of fields (the
// form's, or those shown): each text is read by its field's kind, and a
// value that does not parse is left empty with its parse error returned.
func parse(f hecha.Form, fields []field, v map[string]string) (*hecha.Result, hecha.Errors) {
	res := &hecha.Result{Form: f}
	for _, p := range f.Parts() {
		p.Make(res)
	}
	if n := memberCount(v); n > 0 && res.Verified != nil {
		res.Verified.Members = make([]hecha.Member, n)
	}
	var errs hecha.Errors
	for _, fd := range fields {
		raw := v[fd.path]
		switch fd.kind {
		case kindDate:
		case kindDivision:
			c, err := hecha.ParseCode(fd.path, raw)
			errs.Add(err)
			raw = string(c)
		case kindCheck:
			if raw != "1" {
				raw = "0"
			}
		default:
			raw = strings.TrimSpace(raw)
		}
		if err := fd.set(res, raw); err != nil {
			for _, e := range hecha.AsErrors(err) {
				c := *e
				c.Field = fd.path
				errs = append(errs, &c)
			}
		}
	}
	return res, errs
}

// build makes the result the values describe for case c: only the visible
// fields count, and a value that does not parse is left empty with its
// parse error returned (Validate would only say it is missing).
func build(c *hecha.Case, f hecha.Form, v map[string]string) (*hecha.Result, hecha.Errors) {
	res, errs := parse(f, visibleFields(f, v), v)
	res.CaseID, res.CaseRev = c.ID, c.Rev
	return res, errs
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
// correction starts from what was saved: every item of each part the
// result holds, a box only when ticked.
func resultValues(r *hecha.Result) map[string]string {
	v := map[string]string{}
	for _, p := range hecha.ResultParts {
		if !p.Has(r) {
			continue
		}
		if p.Name == "verified" {
			putPerson(v, "verified.", r.Verified)
			continue
		}
		for _, f := range p.Fields {
			if val := f.Get(r); f.Kind != hecha.CheckField || val == "1" {
				v[f.Path] = val
			}
		}
	}
	return v
}
