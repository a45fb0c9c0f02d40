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
	p := &c.Person
	row := []string{
		c.ID,
		c.Kind.Name(hecha.Chinese),
		p.Name,
		codeName(hecha.SexCodes, string(p.Sex)),
		p.CurrentAddress,
		p.CurrentDivision.Padded(),
		p.HouseholdAddress,
		p.HouseholdDivision.Padded(),
		p.CitizenID,
		p.BirthDate.String(),
		codeName(hecha.EducationCodes, string(p.Education)),
		codeName(hecha.HukouCodes, string(p.HukouType)),
		string(p.Reason),
		p.OutflowDate.String(),
		p.ReturnDate.String(),
		codeName(hecha.MaritalCodes, string(p.Marital)),
		FormatMembers(p.Members),
		c.InflowDivision.Padded(),
		c.InflowAddress,
		c.InflowDate.String(),
	}
	row = append(row, basicCells(c.Resident)...)
	return append(row, basicCells(c.Outflow)...)
}

func basicCells(b *hecha.Basic) []string {
	if b == nil {
		return []string{"", "", "", ""}
	}
	return []string{b.Name, codeName(hecha.SexCodes, string(b.Sex)), b.BirthDate.String(), b.CitizenID}
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
	for _, m := range ms {
		cells := []string{
			m.Name,
			codeName(hecha.RelationshipCodes, string(m.Relationship)),
			m.CitizenID,
			codeName(hecha.SexCodes, string(m.Sex)),
			m.BirthDate.String(),
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
