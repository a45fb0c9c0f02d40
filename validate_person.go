package hecha

import (
	"strconv"
	"strings"
)

// What a Person must hold depends on where it comes from.
//
// A case imported from the national platform or found in the province
// (Case.Validate) needs only what the rules need: name, sex, citizen ID,
// birth date and household division (county level suffices: a county
// distributes the cases the platform did not send to a township). Real
// national data is incomplete, so education, marital status, addresses and
// the rest are checked only when given.
//
// The field-verified information (人工核查信息) of a confirming result
// (Person.Validate) needs all 15 items except the return date and the
// household members, with the household division at township level: the
// clerk has seen the person and the county applies these values to its
// records.
type personNeeds struct {
	// all requires every item but return_date and members, and a
	// relationship for each member.
	all bool
	// basics requires sex, citizen ID and birth date and checks the ID
	// against the birth date and sex. Off for a mismatch case's person,
	// whose basic items are the ones in doubt.
	basics bool
	// householdLevel is the level the household division must reach.
	householdLevel Level
}

var (
	needsVerified = personNeeds{all: true, basics: true, householdLevel: LevelTownship}
	needsImport   = personNeeds{basics: true, householdLevel: LevelCounty}
	needsMismatch = personNeeds{householdLevel: LevelCounty}
)

// Validate checks p as the field-verified information of a confirming
// result (DESIGN §7), and returns every problem as Errors, each about the
// JSON name of its item ("birth_date", "members[1].citizen_id"). All 15
// items are required except return_date and members; the household
// division must reach township level, the current division county level.
// The citizen ID must parse (a placeholder is an error) and have a valid
// area; when its birth date or sex differs from the items, the error
// (form.id_birth_mismatch, form.id_sex_mismatch) is about birth_date or
// sex. Each member needs a name and a relationship; a member's ID is
// optional but, when given, must agree with the member's sex and birth
// date. Validate never changes p; see Normalize.
func (p *Person) Validate(r *Rules) error {
	return p.validate(r, needsVerified).Err()
}

// Normalize rewrites p in the form Validate expects and the store keeps:
// text trimmed and cleaned as CleanText and CleanName do, a citizen ID in
// its 18-digit form (a 15-digit number converted, full-width digits and a
// lower-case x mapped). Items that do not parse are left as they are, for
// Validate to report.
func (p *Person) Normalize() {
	p.Name = normName(p.Name)
	p.CurrentAddress = normText(p.CurrentAddress, MaxAddressLen)
	p.HouseholdAddress = normText(p.HouseholdAddress, MaxAddressLen)
	p.CitizenID = normID(p.CitizenID)
	for i := range p.Members {
		m := &p.Members[i]
		m.Name = normName(m.Name)
		m.CitizenID = normID(m.CitizenID)
	}
}

func normName(s string) string {
	if v, err := CleanName("", s); err == nil {
		return v
	}
	return s
}

func normText(s string, max int) string {
	if v, err := CleanText("", s, max); err == nil {
		return v
	}
	return s
}

func normID(s string) string {
	if id, err := ParseCitizenID("", s); err == nil && id.Number != "" {
		return id.Number
	}
	return s
}

// validate checks p against n; see personNeeds.
func (p *Person) validate(r *Rules, n personNeeds) Errors {
	var es Errors
	today := r.Today()

	// Name, sex, birth date and citizen ID, the ID agreeing with the other two.
	checkName(&es, "name", p.Name, true)
	checkCode(&es, "sex", string(p.Sex), SexCodes, n.basics)
	birthOK := checkDate(&es, "birth_date", p.BirthDate, n.basics, today)
	if n.basics {
		checkCitizenID(&es, r, "citizen_id", p.CitizenID, true, agreement{
			sex: p.Sex, birth: p.BirthDate, birthOK: birthOK,
			sexField: "sex", birthField: "birth_date",
		})
	} else {
		checkText(&es, "citizen_id", p.CitizenID, 24, false)
	}

	// Divisions and addresses.
	checkDivisionField(&es, r, "household_division", p.HouseholdDivision, n.householdLevel, true)
	checkText(&es, "household_address", p.HouseholdAddress, MaxAddressLen, n.all)
	checkDivisionField(&es, r, "current_division", p.CurrentDivision, LevelCounty, n.all)
	checkText(&es, "current_address", p.CurrentAddress, MaxAddressLen, n.all)

	// Enumerations.
	checkCode(&es, "education", string(p.Education), EducationCodes, n.all)
	checkCode(&es, "hukou_type", string(p.HukouType), HukouCodes, n.all)
	checkCode(&es, "marital", string(p.Marital), MaritalCodes, n.all)
	checkCode(&es, "reason", string(p.Reason), r.ReasonTable(), n.all)

	// Outflow and return dates.
	outOK := checkDate(&es, "outflow_date", p.OutflowDate, n.all, today)
	if outOK && birthOK && p.OutflowDate.Before(p.BirthDate) {
		es.Add(Invalid("outflow_date", "form.outflow_before_birth", p.BirthDate.String()))
	}
	retOK := checkDate(&es, "return_date", p.ReturnDate, false, today)
	if retOK && outOK && p.ReturnDate.Before(p.OutflowDate) {
		es.Add(Invalid("return_date", "form.return_before_outflow", p.OutflowDate.String()))
	}

	// Household members.
	for i := range p.Members {
		es.AddField(indexField("members", i), p.Members[i].validate(r, n.all, today).Err())
	}
	return es
}

// validate checks one household member: a name; a relationship when
// required (and a known code when given); sex and birth date valid when
// given; the ID, when given, valid and agreeing with them.
func (m *Member) validate(r *Rules, needRelationship bool, today Date) Errors {
	var es Errors
	checkName(&es, "name", m.Name, true)
	checkCode(&es, "relationship", string(m.Relationship), RelationshipCodes, needRelationship)
	checkCode(&es, "sex", string(m.Sex), SexCodes, false)
	birthOK := checkDate(&es, "birth_date", m.BirthDate, false, today)
	checkCitizenID(&es, r, "citizen_id", m.CitizenID, false, agreement{
		sex: m.Sex, birth: m.BirthDate, birthOK: birthOK,
		sexField: "sex", birthField: "birth_date",
	})
	return es
}

// Validate checks b as a set of final basic items (DESIGN §3.3): all four
// required and valid, and the citizen ID agreeing with the birth date and
// sex. The two records of a mismatch case are checked more leniently by
// Case.Validate, since they are the values in doubt.
func (b *Basic) Validate(r *Rules) error {
	var es Errors
	checkName(&es, "name", b.Name, true)
	checkCode(&es, "sex", string(b.Sex), SexCodes, true)
	birthOK := checkDate(&es, "birth_date", b.BirthDate, true, r.Today())
	checkCitizenID(&es, r, "citizen_id", b.CitizenID, true, agreement{
		sex: b.Sex, birth: b.BirthDate, birthOK: birthOK,
		sexField: "sex", birthField: "birth_date",
	})
	return es.Err()
}

// validateRecord checks b as one of a mismatch case's two records: a name,
// and the other items well-formed when given (a sex code, a real date not
// in the future, an ID of plain text). The ID is not parsed and not
// compared with the birth date: a wrong or placeholder number is what the
// clerk is there to resolve.
func (b *Basic) validateRecord(r *Rules) Errors {
	var es Errors
	checkName(&es, "name", b.Name, true)
	checkCode(&es, "sex", string(b.Sex), SexCodes, false)
	checkDate(&es, "birth_date", b.BirthDate, false, r.Today())
	checkText(&es, "citizen_id", b.CitizenID, 24, false)
	return es
}

// agreement is what a citizen ID must agree with.
type agreement struct {
	sex                  Sex
	birth                Date
	birthOK              bool // birth is given and valid
	sexField, birthField string
	// msgID overrides the messages (form.mismatch_disagree for form M).
	msgID string
}

// checkCitizenID checks an ID number: required or not, parsed
// (placeholders rejected), its area a valid ID area, its birth date not
// after today (r.Today, the injected clock), and its birth date and sex
// equal to the given ones (when those are given and valid). It reports
// whether the number is given and valid.
func checkCitizenID(es *Errors, r *Rules, field, s string, required bool, a agreement) (CitizenID, bool) {
	if strings.TrimSpace(s) == "" {
		if required {
			es.Add(Invalid(field, "form.required"))
		}
		return CitizenID{}, false
	}
	id, err := ParseCitizenID(field, s)
	if err != nil {
		es.Add(err)
		return CitizenID{}, false
	}
	if err := r.DivisionTable().CheckIDArea(field, id.Area); err != nil {
		es.Add(err)
		return CitizenID{}, false
	}
	// GB 11643 §4.2.2: digits 7–14 are the actual date of birth, which
	// cannot lie in the future (DESIGN §7), birth-date item or not.
	if today := r.Today(); id.Birth.After(today) {
		es.Add(Invalid(field, "id.birth_future", id.Birth.String(), today.String()))
		return CitizenID{}, false
	}
	if a.birthOK && id.Birth != a.birth {
		if a.msgID != "" {
			es.Add(Invalid(a.birthField, a.msgID, id.Number))
		} else {
			es.Add(Invalid(a.birthField, "form.id_birth_mismatch", id.Birth.String(), a.birth.String()))
		}
	}
	if a.sex != "" && SexCodes.Has(string(a.sex)) && id.Sex != a.sex {
		switch {
		case a.msgID != "":
			es.Add(Invalid(a.sexField, a.msgID, id.Number))
		case id.Legacy != "":
			// The 17th digit is of the converted number: show it.
			es.Add(Invalid(a.sexField, "form.id_sex_mismatch_legacy", id.Number))
		default:
			es.Add(Invalid(a.sexField, "form.id_sex_mismatch"))
		}
	}
	return id, true
}

// checkName checks a person's name with CleanName.
func checkName(es *Errors, field, s string, required bool) {
	if strings.TrimSpace(s) == "" {
		if required {
			es.Add(Invalid(field, "form.required"))
		}
		return
	}
	if _, err := CleanName(field, s); err != nil {
		es.Add(err)
	}
}

// checkText checks free text with CleanText and max characters.
func checkText(es *Errors, field, s string, max int, required bool) {
	if strings.TrimSpace(s) == "" {
		if required {
			es.Add(Invalid(field, "form.required"))
		}
		return
	}
	if _, err := CleanText(field, s, max); err != nil {
		es.Add(err)
	}
}

// checkCode checks that code is one of the table's codes (the stored form;
// names are turned into codes on import).
func checkCode(es *Errors, field, code string, t *CodeTable, required bool) {
	if code == "" {
		if required {
			es.Add(Invalid(field, "form.required"))
		}
		return
	}
	if !t.Has(code) {
		es.Add(Invalid(field, "form.code_unknown", code))
	}
}

// checkDate checks that d is a real date and not after today. It reports
// whether d is given and valid, for the checks that compare it.
func checkDate(es *Errors, field string, d Date, required bool, today Date) bool {
	if d.IsZero() {
		if required {
			es.Add(Invalid(field, "form.required"))
		}
		return false
	}
	if !d.Valid() {
		es.Add(Invalid(field, "form.date_invalid", d.String()))
		return false
	}
	if d.After(today) {
		es.Add(Invalid(field, "form.date_future", today.String()))
		return false
	}
	return true
}

// checkDivisionField checks that c is in the division table and reaches level
// min. It reports whether c is given and valid.
func checkDivisionField(es *Errors, r *Rules, field string, c Code, min Level, required bool) bool {
	if c == "" {
		if required {
			es.Add(Invalid(field, "form.required"))
		}
		return false
	}
	if err := r.DivisionTable().Check(field, c, min); err != nil {
		es.Add(err)
		return false
	}
	return true
}

// DivisionTable returns r's division table; nil (for a nil r too) checks
// codes' form and level only.
func (r *Rules) DivisionTable() *DivisionTable {
	if r == nil {
		return nil
	}
	return r.Divisions
}

// indexField returns "name[i]".
func indexField(name string, i int) string {
	return name + "[" + strconv.Itoa(i) + "]"
}
