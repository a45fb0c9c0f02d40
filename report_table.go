package hecha

import (
	"fmt"
	"strconv"
)

// ReportTable is a report laid out as a table, for a screen or a file.
type ReportTable struct {
	Header []string
	Rows   [][]string
	// Numeric marks the columns that hold numbers (and rates): a screen
	// aligns them right, a workbook stores the integers as numbers.
	Numeric []bool
}

// FormatRate writes a share (0 to 1) as a percentage with one decimal,
// "87.5%"; a row without cases has no rate: "-".
func FormatRate(rate float64, cases int) string {
	if cases == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", rate*100)
}

// Table lays the progress report out in lang. A screen table (short) has
// abbreviated headers and names the units by indented label; a file's
// table has the full headers and the unit's code in a column of its own.
func (p Progress) Table(lang Lang, short bool) ReportTable {
	var t ReportTable
	if !short {
		t.Header = append(t.Header, T(lang, "report.col.unit_code"))
	}
	t.Header = append(t.Header, T(lang, "report.col.unit"))
	sfx := ""
	if short {
		sfx = ".short"
	}
	t.Header = append(t.Header, T(lang, "report.col.assigned"+sfx), T(lang, "report.col.verified"+sfx),
		T(lang, "report.col.pending"+sfx), T(lang, "report.col.rate"+sfx))
	for _, f := range Forms[:6] {
		if short {
			t.Header = append(t.Header, string(f))
		} else {
			t.Header = append(t.Header, f.Label(lang))
		}
	}
	for _, r := range p {
		var row []string
		if !short {
			row = append(row, string(r.Unit))
		}
		row = append(row, r.Label(lang), reportInt(r.Assigned), reportInt(r.Verified), reportInt(r.Pending()), FormatRate(r.Rate(), r.Assigned))
		for _, n := range r.Forms {
			row = append(row, reportInt(n))
		}
		t.Rows = append(t.Rows, row)
	}
	t.Numeric = numericAfter(len(t.Header), len(t.Header)-10)
	return t
}

// Table lays the mismatch summary out in lang. A screen table (short)
// counts the cases by item; a file's table also counts, per item, the
// resolved ones.
func (m MismatchSummary) Table(lang Lang, short bool) ReportTable {
	var t ReportTable
	if !short {
		t.Header = append(t.Header, T(lang, "report.col.unit_code"))
	}
	sfx := ""
	if short {
		sfx = ".short"
	}
	t.Header = append(t.Header, T(lang, "report.col.unit"), T(lang, "report.col.mismatch"+sfx),
		T(lang, "report.col.resolved"+sfx), T(lang, "report.col.unresolved"+sfx))
	for _, item := range BasicItems {
		if short {
			t.Header = append(t.Header, T(lang, "report.item."+item))
		} else {
			name := FieldName(lang, item)
			t.Header = append(t.Header, T(lang, "report.col.item_differs", name), T(lang, "report.col.item_resolved", name))
		}
	}
	for _, r := range m {
		var row []string
		if !short {
			row = append(row, string(r.Unit))
		}
		row = append(row, r.Label(lang), reportInt(r.Cases), reportInt(r.Resolved), reportInt(r.Unresolved()))
		for _, ic := range r.Items {
			row = append(row, reportInt(ic.Cases))
			if !short {
				row = append(row, reportInt(ic.Resolved))
			}
		}
		t.Rows = append(t.Rows, row)
	}
	first := 2
	if short {
		first = 1
	}
	t.Numeric = numericAfter(len(t.Header), first)
	return t
}

// NotFoundTable lays the in-province no-such-person list out in lang. A
// file's table is one list with the inflow township in its first columns
// and every item the inflow township needs: the person, the inflow
// registration, the reason, where the person went, the remark, who
// checked and when. A screen table (short) leaves the township out (show
// one table per group under its name) and keeps what identifies the
// person and what was found.
func NotFoundTable(groups []NotFoundGroup, lang Lang, r *Rules, short bool) ReportTable {
	var t ReportTable
	if short {
		t.Header = []string{FieldName(lang, "case_id"), FieldName(lang, "name"), FieldName(lang, "citizen_id"),
			T(lang, "report.col.reason"), T(lang, "report.col.where")}
	} else {
		t.Header = []string{T(lang, "report.col.inflow_code"), T(lang, "report.col.inflow"),
			FieldName(lang, "case_id"), FieldName(lang, "name"), FieldName(lang, "sex"), FieldName(lang, "birth_date"),
			FieldName(lang, "citizen_id"), FieldName(lang, "household_division"), FieldName(lang, "inflow_address"),
			FieldName(lang, "inflow_date"), FieldName(lang, "not_found.reason"), T(lang, "report.col.destination"),
			T(lang, "report.col.dest_address"), T(lang, "report.col.remark"), T(lang, "report.col.township"),
			T(lang, "report.col.saved_at")}
	}
	for _, g := range groups {
		for _, cr := range g.Cases {
			c, res := cr.Case, cr.Result
			n := res.NotFound
			if n == nil {
				n = &NotFound{}
			}
			reason := ""
			if n.Reason != "" {
				reason = NotFoundReasons.Name(lang, string(n.Reason))
			}
			p := &c.Person
			if short {
				where := n.Remark
				if n.Destination != "" {
					where = divisionName(n.Destination, r)
					if n.DestAddress != "" {
						where += " " + n.DestAddress
					}
				}
				t.Rows = append(t.Rows, []string{c.ID, p.Name, p.CitizenID, reason, where})
				continue
			}
			t.Rows = append(t.Rows, []string{string(g.Inflow), g.Name, c.ID, p.Name, codeName(SexCodes, string(p.Sex)),
				p.BirthDate.String(), p.CitizenID, divisionCell(p.HouseholdDivision, r), c.InflowAddress,
				c.InflowDate.String(), reason, divisionCell(n.Destination, r), n.DestAddress, n.Remark,
				divisionCell(res.Township, r), formatTime(res.SavedAt)})
		}
	}
	t.Numeric = make([]bool, len(t.Header))
	return t
}

// divisionName is a division's own name, or its code when the table does
// not know it.
func divisionName(c Code, r *Rules) string {
	if d, ok := r.divisions().Lookup(c); ok {
		return d.Name
	}
	return string(c)
}

// numericAfter marks the columns from first on as numeric.
func numericAfter(n, first int) []bool {
	out := make([]bool, n)
	for i := first; i < n; i++ {
		out[i] = true
	}
	return out
}

func reportInt(n int) string { return strconv.Itoa(n) }
