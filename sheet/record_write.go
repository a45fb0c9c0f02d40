package sheet

import (
	"hecha"
	"strings"
)

// The writers produce rows that the Header parsers read back to the same
// record: dates as 2006-01-02, division codes padded (410122100000),
// enumerations of the national standards by their Chinese names (男, 初中,
// 已婚, 妻), the kind by name (跨省流出), the reason for moving by its code
// (the list of reasons is configurable, the code is what stays stable),
// 退档 as 是 or 否.

// CaseRow returns the cells of c in the order of CaseColumns.
func CaseRow(c *hecha.Case) []string {
	row := []string{c.ID, c.Kind.Name(hecha.Chinese)}
	for _, f := range hecha.PersonFields {
		if f.Kind == hecha.MembersField {
			row = append(row, FormatMembers(c.Person.Members))
			continue
		}
		row = append(row, fileText(f.Kind, f.Table, f.Get(&c.Person)))
	}
	row = append(row, c.InflowDivision.Padded(), c.InflowAddress, c.InflowDate.String())
	for _, b := range []*hecha.Basic{c.Resident, c.Outflow} {
		for _, f := range hecha.BasicFields {
			if b == nil {
				row = append(row, "")
			} else {
				row = append(row, fileText(f.Kind, f.Table, f.Get(b)))
			}
		}
	}
	return row
}

// fileText writes an item's text (as hecha.Field.Get returns it) as the
// import files hold it: codes of the national standards by their Chinese
// names, the reason for moving by its code, division codes padded.
func fileText(kind hecha.FieldKind, t *hecha.CodeTable, v string) string {
	switch kind {
	case hecha.CodeField:
		return codeName(t, v)
	case hecha.DivisionField:
		return hecha.Code(v).Padded()
	}
	return v
}

// ResidentRow returns the cells of rec in the order of ResidentColumns.
func ResidentRow(rec *hecha.ResidentRecord) []string {
	row := []string{
		rec.ID,
		rec.Name,
		codeName(hecha.SexCodes, string(rec.Sex)),
		rec.BirthDate.String(),
		rec.CitizenID,
		rec.HouseholdDivision.Padded(),
		rec.HouseholdAddress,
		codeName(hecha.EducationCodes, string(rec.Education)),
		codeName(hecha.HukouCodes, string(rec.HukouType)),
		codeName(hecha.MaritalCodes, string(rec.Marital)),
	}
	if o := rec.Outflow; o != nil {
		return append(row, o.Date.String(), o.Destination.Padded(), o.Address, string(o.Reason))
	}
	return append(row, "", "", "", "")
}

// FloatingRow returns the cells of rec in the order of FloatingColumns.
func FloatingRow(rec *hecha.FloatingRecord) []string {
	withdrawn := "否"
	if rec.Withdrawn {
		withdrawn = "是"
	}
	return []string{
		rec.ID,
		rec.Name,
		codeName(hecha.SexCodes, string(rec.Sex)),
		rec.BirthDate.String(),
		rec.CitizenID,
		rec.HouseholdDivision.Padded(),
		rec.HouseholdAddress,
		rec.InflowDivision.Padded(),
		rec.InflowAddress,
		rec.InflowDate.String(),
		withdrawn,
		codeName(hecha.EducationCodes, string(rec.Education)),
		codeName(hecha.MaritalCodes, string(rec.Marital)),
		string(rec.Reason),
	}
}

// FormatMembers writes household members as a 家庭户信息 cell: each member
// 姓名|与户主关系|公民身份证号|性别|出生日期 (relationship and sex by their
// Chinese names), members joined by ";". Trailing empty parts are left out.
func FormatMembers(ms []hecha.Member) string {
	parts := make([]string, 0, len(ms))
	for i := range ms {
		cells := make([]string, len(hecha.MemberFields))
		for j, f := range hecha.MemberFields {
			cells[j] = fileText(f.Kind, f.Table, f.Get(&ms[i]))
		}
		for len(cells) > 1 && cells[len(cells)-1] == "" {
			cells = cells[:len(cells)-1]
		}
		parts = append(parts, strings.Join(cells, "|"))
	}
	return strings.Join(parts, ";")
}

// codeName returns the Chinese name of code in t, or code itself when t
// does not know it (so the parser reports it rather than losing it).
func codeName(t *hecha.CodeTable, code string) string {
	if code == "" {
		return ""
	}
	return t.Name(hecha.Chinese, code)
}
