package hecha

import (
	"strings"
	"unicode"
)

// MaxCaseIDLen is the longest case number (个案编号) accepted, in characters.
const MaxCaseIDLen = 40

// Validate checks c as imported or received (DESIGN §3, §7) and returns
// every problem as Errors; person items are about "person.<item>". It
// never changes c (see Normalize).
//
//   - id (个案编号) is required: at most MaxCaseIDLen characters, no spaces.
//   - kind is one of the three kinds.
//   - The person needs name, sex, citizen ID, birth date and household
//     division (county level suffices; the county distributes what did not
//     come to a township); other items are checked when given. See
//     personNeeds.
//   - Cross-province: the case comes from the national platform, so the
//     current division is required and lies in another province than the
//     household division; the table holds other provinces to county level,
//     and county level suffices. The comparison needs it to pick R2 or R3.
//   - In-province: inflow_division is required, in the table, at least at
//     township level, and in the household division's province.
//   - Mismatch: the resident and outflow records are both present, each
//     with a name and well-formed items, and they differ in at least one
//     of the four items. The person's own basic items are not checked
//     against each other: they are the values in doubt.
//   - unit, when assigned, is a township or village in the table.
func (c *Case) Validate(r *Rules) error {
	var es Errors
	today := r.Today()
	checkCaseID(&es, "id", c.ID)

	needs := needsImport
	switch c.Kind {
	case KindCrossProvince, KindInProvince:
	case KindMismatch:
		needs = needsMismatch
	case "":
		es.Add(Invalid("kind", "form.required"))
	default:
		es.Add(Invalid("kind", "case.kind_unknown", string(c.Kind)))
	}
	es.AddField("person", c.Person.validate(r, needs).Err())
	home := c.Person.HouseholdDivision.Province()

	switch c.Kind {
	case KindCrossProvince:
		cur := c.Person.CurrentDivision
		if cur == "" {
			es.Add(Invalid("person.current_division", "form.required"))
		} else if home != "" && cur.Province() == home && !hasField(es, "person.current_division") {
			es.Add(Invalid("person.current_division", "case.current_in_home_province", string(cur)))
		}
	case KindInProvince:
		if checkDivisionField(&es, r, "inflow_division", c.InflowDivision, LevelTownship, true) &&
			home != "" && c.InflowDivision.Province() != home {
			es.Add(Invalid("inflow_division", "case.inflow_other_province", string(c.InflowDivision)))
		}
		checkText(&es, "inflow_address", c.InflowAddress, MaxAddressLen, false)
		if checkDate(&es, "inflow_date", c.InflowDate, false, today) &&
			c.Person.BirthDate.Valid() && c.InflowDate.Before(c.Person.BirthDate) {
			es.Add(Invalid("inflow_date", "form.before_birth", c.Person.BirthDate.String()))
		}
	case KindMismatch:
		if c.Resident == nil {
			es.Add(Invalid("resident", "form.required"))
		} else {
			es.AddField("resident", c.Resident.validateRecord(r).Err())
		}
		if c.Outflow == nil {
			es.Add(Invalid("outflow", "form.required"))
		} else {
			es.AddField("outflow", c.Outflow.validateRecord(r).Err())
		}
		if c.Resident != nil && c.Outflow != nil && len(c.Resident.Differs(*c.Outflow)) == 0 {
			es.Add(Invalid("outflow", "case.mismatch_none"))
		}
	}

	if c.Unit != "" {
		checkDivisionField(&es, r, "unit", c.Unit, LevelTownship, false)
	}
	if c.Rev < 0 {
		es.Add(Invalid("rev", "case.rev_negative"))
	}
	return es.Err()
}

// Normalize rewrites c in the form the store keeps: the case number
// trimmed, the person normalised (Person.Normalize), the inflow address
// and the mismatch records' names and numbers cleaned. Values that do not
// parse are left for Validate to report.
func (c *Case) Normalize() {
	c.ID = strings.TrimSpace(c.ID)
	c.Person.Normalize()
	c.InflowAddress = normText(c.InflowAddress, MaxAddressLen)
	for _, b := range []*Basic{c.Resident, c.Outflow} {
		if b != nil {
			b.Name = normName(b.Name)
			b.CitizenID = normID(b.CitizenID)
		}
	}
}

// Differs returns the JSON names of the basic items on which b and o
// differ: names compared trimmed, citizen IDs in their 18-digit form when
// both parse (so a 15-digit number equals its conversion), as written
// otherwise.
func (b Basic) Differs(o Basic) []string {
	var out []string
	if strings.TrimSpace(b.Name) != strings.TrimSpace(o.Name) {
		out = append(out, "name")
	}
	if b.Sex != o.Sex {
		out = append(out, "sex")
	}
	if b.BirthDate != o.BirthDate {
		out = append(out, "birth_date")
	}
	if !sameCitizenID(b.CitizenID, o.CitizenID) {
		out = append(out, "citizen_id")
	}
	return out
}

// sameCitizenID reports whether a and b are the same ID number.
func sameCitizenID(a, b string) bool {
	return idKey(a) == idKey(b)
}

// idKey returns the 18-digit form of an ID number when it parses, else
// the number trimmed and upper-cased.
func idKey(s string) string {
	if id, err := ParseCitizenID("", s); err == nil {
		return id.Number
	}
	return strings.ToUpper(strings.TrimSpace(s))
}

// checkCaseID checks a case number: required, clean text of at most
// MaxCaseIDLen characters, no spaces inside.
func checkCaseID(es *Errors, field, s string) {
	if strings.TrimSpace(s) == "" {
		es.Add(Invalid(field, "form.required"))
		return
	}
	v, err := CleanText(field, s, MaxCaseIDLen)
	if err != nil {
		es.Add(err)
		return
	}
	if strings.IndexFunc(v, unicode.IsSpace) >= 0 {
		es.Add(Invalid(field, "case.id_spaces"))
	}
}

// hasField reports whether es already holds an error about field.
func hasField(es Errors, field string) bool {
	return len(es.ForField(field)) > 0
}
