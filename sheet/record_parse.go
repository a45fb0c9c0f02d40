package sheet

import (
	"hecha"

	"strings"
	"unicode"
)

// ParseCase reads one row of a cases file: every cell is parsed (dates in
// any form ParseDate reads, enumerations by code or Chinese name, division
// codes plain or padded, a 15-digit ID converted to 18 digits), the case
// is normalised (Case.Normalize) and validated (Case.Validate). The error,
// when not nil, is Errors with every problem of the row, each about the
// field's JSON path ("person.birth_date", "person.members[1].sex"); the
// caller adds the line number. The returned case holds what could be read
// even when there are errors.
//
// A missing 个案类型 makes the case cross-province. For a mismatch case
// the 流出* columns may be left empty when the 15-item columns hold the
// outflow record's values; they are then taken from there. Columns of one
// kind filled in a row of another kind are an error (row.kind_column).
func (h *Header) ParseCase(row []string, r *hecha.Rules) (hecha.Case, error) {
	p := rowParser{h: h, row: row, r: r}
	c := hecha.Case{ID: p.text("id"), Kind: p.kind("kind")}
	for _, f := range hecha.PersonFields {
		key := "person." + f.Path
		if f.Kind == hecha.MembersField {
			c.Person.Members = p.members(key)
			continue
		}
		p.add(key, f.Set(&c.Person, p.item(key, f.Kind, f.Table)))
	}
	if c.Kind == hecha.KindInProvince {
		c.InflowDivision = p.code("inflow_division")
		c.InflowAddress = p.text("inflow_address")
		c.InflowDate = p.date("inflow_date")
	} else if c.Kind != "" {
		p.unused(c.Kind, hecha.KindInProvince, "inflow_division", "inflow_address", "inflow_date")
	}
	if c.Kind == hecha.KindMismatch {
		c.Resident = p.basic("resident")
		c.Outflow = p.basic("outflow")
		if c.Outflow == nil {
			// The 15-item columns hold the outflow record.
			c.Outflow = &hecha.Basic{Name: c.Person.Name, Sex: c.Person.Sex, BirthDate: c.Person.BirthDate, CitizenID: c.Person.CitizenID}
		}
	} else if c.Kind != "" {
		p.unused(c.Kind, hecha.KindMismatch,
			"resident.name", "resident.sex", "resident.birth_date", "resident.citizen_id",
			"outflow.name", "outflow.sex", "outflow.birth_date", "outflow.citizen_id")
	}
	c.Normalize()
	return c, p.finish(c.Validate(r))
}

// ParseResident reads one row of a resident registry file, as ParseCase
// does, and validates the record (ResidentRecord.Validate). The outflow
// registration is present when any of its four columns is filled.
func (h *Header) ParseResident(row []string, r *hecha.Rules) (hecha.ResidentRecord, error) {
	p := rowParser{h: h, row: row, r: r}
	rec := hecha.ResidentRecord{
		ID:                p.text("id"),
		Name:              p.text("name"),
		Sex:               p.sex("sex"),
		BirthDate:         p.date("birth_date"),
		CitizenID:         p.id("citizen_id"),
		HouseholdDivision: p.code("household_division"),
		HouseholdAddress:  p.text("household_address"),
		Education:         p.education("education"),
		HukouType:         p.hukou("hukou_type"),
		Marital:           p.marital("marital"),
	}
	if p.any("outflow.date", "outflow.destination", "outflow.address", "outflow.reason") {
		rec.Outflow = &hecha.Outflow{
			Date:        p.date("outflow.date"),
			Destination: p.code("outflow.destination"),
			Address:     p.text("outflow.address"),
			Reason:      p.reason("outflow.reason", r),
		}
	}
	rec.Normalize()
	return rec, p.finish(rec.Validate(r))
}

// ParseFloating reads one row of a floating registry file, as ParseCase
// does, and validates the record (FloatingRecord.Validate). 退档 is 是 or
// 否 (also 1/0, Y/N, true/false); empty is 否.
func (h *Header) ParseFloating(row []string, r *hecha.Rules) (hecha.FloatingRecord, error) {
	p := rowParser{h: h, row: row, r: r}
	rec := hecha.FloatingRecord{
		ID:                p.text("id"),
		Name:              p.text("name"),
		Sex:               p.sex("sex"),
		BirthDate:         p.date("birth_date"),
		CitizenID:         p.id("citizen_id"),
		HouseholdDivision: p.code("household_division"),
		HouseholdAddress:  p.text("household_address"),
		InflowDivision:    p.code("inflow_division"),
		InflowAddress:     p.text("inflow_address"),
		InflowDate:        p.date("inflow_date"),
		Withdrawn:         p.bool("withdrawn"),
		Education:         p.education("education"),
		Marital:           p.marital("marital"),
		Reason:            p.reason("reason", r),
	}
	rec.Normalize()
	return rec, p.finish(rec.Validate(r))
}

// rowParser reads the cells of one row and collects the problems.
type rowParser struct {
	h   *Header
	row []string
	es  hecha.Errors
	// r gives the division table that division codes are read against
	// (DivisionTable.Canonical); nil reads codes by their form alone.
	r *hecha.Rules
}

// raw returns the cell of key, trimmed; "" when the file has no such
// column or the row is short. Text that could not be decoded, or that
// holds a control character other than a tab or line break, is an error.
func (p *rowParser) raw(key string) string {
	i, ok := p.h.index[key]
	if !ok || i >= len(p.row) {
		return ""
	}
	s := strings.TrimFunc(p.row[i], hecha.IsTrimmedSpace)
	if strings.ContainsRune(s, '\uFFFD') {
		p.es.Add(hecha.Invalid(key, "row.undecodable"))
		return ""
	}
	if strings.ContainsFunc(s, func(r rune) bool { return hecha.IsTextControl(r) && r != '\t' && r != '\n' && r != '\r' }) {
		// A NUL or other control byte: reported here, whatever the field.
		p.es.Add(hecha.Invalid(key, "text.control"))
		return ""
	}
	return s
}

// add records err (an *Error or Errors) as being about key.
func (p *rowParser) add(key string, err error) {
	for _, e := range hecha.AsErrors(err) {
		c := *e
		c.Field = key
		p.es = append(p.es, &c)
	}
}

func (p *rowParser) text(key string) string { return p.raw(key) }

func (p *rowParser) any(keys ...string) bool {
	for _, k := range keys {
		if p.raw(k) != "" {
			return true
		}
	}
	return false
}

func (p *rowParser) date(key string) hecha.Date {
	d, err := hecha.ParseDate(key, p.raw(key))
	p.add(key, err)
	return d
}

// code reads a division code, plain or padded, in the table's form: a
// city without counties (441900 东莞) as its county-level code, not as
// the city 4419 (DivisionTable.Canonical).
func (p *rowParser) code(key string) hecha.Code {
	c, err := hecha.ParseCode(key, p.raw(key))
	p.add(key, err)
	return p.r.DivisionTable().Canonical(c)
}

// id reads a citizen ID as written; Normalize converts it. A number that a
// spreadsheet turned into a float (4.10122E+17) has lost its last digits.
func (p *rowParser) id(key string) string {
	s := idCell(p.raw(key))
	if isFloatNotation(s) {
		p.es.Add(hecha.Invalid(key, "row.id_as_number", s))
		return ""
	}
	return s
}

// idCell drops the apostrophes a spreadsheet puts before a number kept as
// text ('410122…); they are never part of the number.
func idCell(s string) string {
	s = strings.TrimLeftFunc(s, func(r rune) bool { return r == '\'' || unicode.IsSpace(r) })
	return strings.TrimRightFunc(s, unicode.IsSpace)
}

func (p *rowParser) kind(key string) hecha.Kind {
	k, err := hecha.ParseKind(p.raw(key))
	p.add(key, err)
	if k == "" && err == nil {
		return hecha.KindCrossProvince
	}
	return k
}

func (p *rowParser) sex(key string) hecha.Sex {
	v, err := hecha.ParseSex(p.raw(key))
	p.add(key, err)
	return v
}

func (p *rowParser) education(key string) hecha.Education {
	v, err := hecha.ParseEducation(p.raw(key))
	p.add(key, err)
	return v
}

func (p *rowParser) hukou(key string) hecha.HukouType {
	v, err := hecha.ParseHukouType(p.raw(key))
	p.add(key, err)
	return v
}

func (p *rowParser) marital(key string) hecha.MaritalStatus {
	v, err := hecha.ParseMarital(p.raw(key))
	p.add(key, err)
	return v
}

func (p *rowParser) reason(key string, r *hecha.Rules) hecha.Reason {
	v, err := r.ParseReason(p.raw(key))
	p.add(key, err)
	return v
}

// bool reads 是/否; empty is false.
func (p *rowParser) bool(key string) bool {
	s := p.raw(key)
	switch strings.ToLower(s) {
	case "", "否", "0", "n", "no", "false", "未退档":
		return false
	case "是", "1", "y", "yes", "true", "已退档", "退档":
		return true
	}
	p.es.Add(hecha.Invalid(key, "row.bool", s))
	return false
}

// basic reads the four columns prefix.name, .sex, .birth_date and
// .citizen_id (hecha.BasicFields); nil when all four are empty.
func (p *rowParser) basic(prefix string) *hecha.Basic {
	b := &hecha.Basic{}
	filled := false
	for _, f := range hecha.BasicFields {
		key := prefix + "." + f.Path
		filled = filled || p.raw(key) != ""
		p.add(key, f.Set(b, p.item(key, f.Kind, f.Table)))
	}
	if !filled {
		return nil
	}
	return b
}

// item reads the cell of key as an item of kind (and code table t) and
// returns its text as hecha.Field.Set takes it: codes by code or name, a
// division code plain or padded in the table's form, an ID as written.
// A date is returned as written, for Set to read.
func (p *rowParser) item(key string, kind hecha.FieldKind, t *hecha.CodeTable) string {
	switch kind {
	case hecha.IDField:
		return p.id(key)
	case hecha.DivisionField:
		return string(p.code(key))
	case hecha.CodeField:
		v, err := t.Parse(p.raw(key))
		p.add(key, err)
		return v
	case hecha.ReasonField:
		return string(p.reason(key, p.r))
	case hecha.CheckField:
		if p.bool(key) {
			return "1"
		}
		return "0"
	}
	return p.raw(key)
}

// unused reports the filled columns among keys, which only cases of kind
// want may hold, in a row of kind got.
func (p *rowParser) unused(got, want hecha.Kind, keys ...string) {
	for _, k := range keys {
		if p.raw(k) != "" {
			p.es.Add(hecha.Invalid(k, "row.kind_column", want.Name(hecha.Chinese), want.Name(hecha.English), got.Name(hecha.Chinese), got.Name(hecha.English)))
		}
	}
}

// finish merges the validation errors into the parse errors: a field that
// could not be read is reported once, for why it could not be read, not
// again as missing.
func (p *rowParser) finish(verr error) error {
	seen := map[string]bool{}
	for _, e := range p.es {
		seen[e.Field] = true
	}
	for _, e := range hecha.AsErrors(verr) {
		if !seen[e.Field] {
			p.es = append(p.es, e)
		}
	}
	return p.es.Err()
}

// isFloatNotation reports whether s is a number in scientific notation,
// as a spreadsheet shows an 18-digit number stored as a number.
func isFloatNotation(s string) bool {
	i := strings.IndexAny(s, "eE")
	if i <= 0 || i == len(s)-1 {
		return false
	}
	mant, exp := s[:i], strings.TrimPrefix(s[i+1:], "+")
	if !allDigits(exp) {
		return false
	}
	mant = strings.Replace(mant, ".", "", 1)
	return allDigits(mant)
}

// Member columns: 姓名|与户主关系|公民身份证号|性别|出生日期.
const memberParts = 5

// splitMembers splits a 家庭户信息 cell into members (separated by ; or ；
// or line breaks) and each member into its parts (separated by | or ｜).
// Empty members are dropped.
func splitMembers(s string) [][]string {
	var out [][]string
	for _, m := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '；' || r == '\n' || r == '\r' }) {
		if strings.TrimFunc(m, hecha.IsTrimmedSpace) == "" {
			continue
		}
		parts := strings.Split(strings.ReplaceAll(m, "｜", "|"), "|")
		for i := range parts {
			parts[i] = strings.TrimFunc(parts[i], func(r rune) bool { return unicode.IsSpace(r) || r == '\uFEFF' })
		}
		out = append(out, parts)
	}
	return out
}

// members reads a 家庭户信息 cell.
func (p *rowParser) members(key string) []hecha.Member {
	s := p.raw(key)
	if s == "" {
		return nil
	}
	var out []hecha.Member
	for i, parts := range splitMembers(s) {
		field := indexField(key, i)
		if len(parts) > memberParts {
			p.es.Add(hecha.Invalid(field, "row.member_parts", len(parts)))
			out = append(out, hecha.Member{Name: parts[0]})
			continue
		}
		for len(parts) < memberParts {
			parts = append(parts, "")
		}
		var m hecha.Member
		var err error
		m.Name = parts[0]
		m.Relationship, err = hecha.ParseRelationship(parts[1])
		p.add(field+".relationship", err)
		m.CitizenID = idCell(parts[2])
		m.Sex, err = hecha.ParseSex(parts[3])
		p.add(field+".sex", err)
		m.BirthDate, err = hecha.ParseDate(field+".birth_date", parts[4])
		p.add(field+".birth_date", err)
		out = append(out, m)
	}
	return out
}
