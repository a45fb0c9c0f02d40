package hecha

import (
	"strings"
	"unicode"
)

// MaxRecordIDLen is the longest person number (人员编号) of a registry
// record accepted, in characters.
const MaxRecordIDLen = 40

// Validate checks f as a record of the floating system, as imported into
// the county's registry, and returns every problem as Errors, each about
// the JSON name of its field:
//
//   - id (人员编号) is required, at most MaxRecordIDLen characters, no spaces;
//   - name (CleanName), sex and birth date (a real date, not in the
//     future) are required;
//   - the citizen ID is required, valid (placeholders rejected), with a
//     valid area, and agrees with the birth date and sex;
//   - the household division is in the table at township level;
//   - the inflow division is in the table (county level suffices: people
//     move anywhere in the country); the inflow date, when given, is real,
//     not in the future and not before birth;
//   - education, marital status and reason, when given, are known codes;
//     addresses are clean text of at most MaxAddressLen characters.
//
// Validate never changes f; see Normalize.
func (f *FloatingRecord) Validate(r *Rules) error {
	var es Errors
	today := r.Today()
	birthOK := validateRegistryPerson(&es, r, f.ID, f.Name, f.Sex, f.BirthDate, f.CitizenID, f.HouseholdDivision, f.HouseholdAddress)
	checkDivisionField(&es, r, "inflow_division", f.InflowDivision, LevelCounty, true)
	checkText(&es, "inflow_address", f.InflowAddress, MaxAddressLen, false)
	if checkDate(&es, "inflow_date", f.InflowDate, false, today) && birthOK && f.InflowDate.Before(f.BirthDate) {
		es.Add(Invalid("inflow_date", "form.before_birth", f.BirthDate.String()))
	}
	checkCode(&es, "education", string(f.Education), EducationCodes, false)
	checkCode(&es, "marital", string(f.Marital), MaritalCodes, false)
	checkCode(&es, "reason", string(f.Reason), r.ReasonTable(), false)
	return es.Err()
}

// Validate checks p as a record of the resident system, as imported into
// the county's registry, and returns every problem as Errors: the person
// as FloatingRecord.Validate checks it (id, name, sex, birth date, citizen
// ID agreeing with them, household division at township level, known
// codes for education, household type and marital status); and, for an
// outflow registration, a date (required, real, not in the future, not
// before birth) and a destination in the table (county level suffices:
// destinations are often in another province), its reason a known code
// when given. Errors about the registration are about "outflow.date",
// "outflow.destination" and so on. Validate never changes p.
func (p *ResidentRecord) Validate(r *Rules) error {
	var es Errors
	today := r.Today()
	birthOK := validateRegistryPerson(&es, r, p.ID, p.Name, p.Sex, p.BirthDate, p.CitizenID, p.HouseholdDivision, p.HouseholdAddress)
	checkCode(&es, "education", string(p.Education), EducationCodes, false)
	checkCode(&es, "hukou_type", string(p.HukouType), HukouCodes, false)
	checkCode(&es, "marital", string(p.Marital), MaritalCodes, false)
	if o := p.Outflow; o != nil {
		var oes Errors
		if checkDate(&oes, "date", o.Date, true, today) && birthOK && o.Date.Before(p.BirthDate) {
			oes.Add(Invalid("date", "form.outflow_before_birth", p.BirthDate.String()))
		}
		checkDivisionField(&oes, r, "destination", o.Destination, LevelCounty, true)
		checkText(&oes, "address", o.Address, MaxAddressLen, false)
		checkCode(&oes, "reason", string(o.Reason), r.ReasonTable(), false)
		es.AddField("outflow", oes.Err())
	}
	return es.Err()
}

// validateRegistryPerson checks the items both registries share and
// reports whether the birth date is given and valid.
func validateRegistryPerson(es *Errors, r *Rules, id, name string, sex Sex, birth Date, citizenID string, household Code, address string) bool {
	checkRecordID(es, "id", id)
	checkName(es, "name", name, true)
	checkCode(es, "sex", string(sex), SexCodes, true)
	birthOK := checkDate(es, "birth_date", birth, true, r.Today())
	checkCitizenID(es, r, "citizen_id", citizenID, true, agreement{
		sex: sex, birth: birth, birthOK: birthOK,
		sexField: "sex", birthField: "birth_date",
	})
	checkDivisionField(es, r, "household_division", household, LevelTownship, true)
	checkText(es, "household_address", address, MaxAddressLen, false)
	return birthOK
}

// checkRecordID checks a person number: required, clean text of at most
// MaxRecordIDLen characters, no spaces inside.
func checkRecordID(es *Errors, field, s string) {
	if strings.TrimSpace(s) == "" {
		es.Add(Invalid(field, "form.required"))
		return
	}
	v, err := CleanText(field, s, MaxRecordIDLen)
	if err != nil {
		es.Add(err)
		return
	}
	if strings.IndexFunc(v, unicode.IsSpace) >= 0 {
		es.Add(Invalid(field, "registry.id_spaces"))
	}
}

// Normalize rewrites f in the form Validate expects and the store keeps:
// text trimmed and cleaned (CleanText, CleanName), the citizen ID in its
// 18-digit form. Values that do not parse are left for Validate to report.
func (f *FloatingRecord) Normalize() {
	f.ID = strings.TrimSpace(f.ID)
	f.Name = normName(f.Name)
	f.CitizenID = normID(f.CitizenID)
	f.HouseholdAddress = normText(f.HouseholdAddress, MaxAddressLen)
	f.InflowAddress = normText(f.InflowAddress, MaxAddressLen)
}

// Normalize rewrites p as FloatingRecord.Normalize does.
func (p *ResidentRecord) Normalize() {
	p.ID = strings.TrimSpace(p.ID)
	p.Name = normName(p.Name)
	p.CitizenID = normID(p.CitizenID)
	p.HouseholdAddress = normText(p.HouseholdAddress, MaxAddressLen)
	if p.Outflow != nil {
		p.Outflow.Address = normText(p.Outflow.Address, MaxAddressLen)
	}
}
