package report

import (
	"fmt"
	"strconv"
	"time"

	"hecha"
)

// Table is a report laid out as a table, for a screen or a file.
type Table struct {
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
func (p Progress) Table(lang hecha.Lang, short bool) Table {
	var t Table
	if !short {
		t.Header = append(t.Header, hecha.T(lang, "report.col.unit_code"))
	}
	t.Header = append(t.Header, hecha.T(lang, "report.col.unit"))
	sfx := ""
	if short {
		sfx = ".short"
	}
	t.Header = append(t.Header, hecha.T(lang, "report.col.assigned"+sfx), hecha.T(lang, "report.col.verified"+sfx),
		hecha.T(lang, "report.col.pending"+sfx), hecha.T(lang, "report.col.rate"+sfx))
	for _, f := range hecha.Forms[:6] {
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
func (m MismatchSummary) Table(lang hecha.Lang, short bool) Table {
	var t Table
	if !short {
		t.Header = append(t.Header, hecha.T(lang, "report.col.unit_code"))
	}
	sfx := ""
	if short {
		sfx = ".short"
	}
	t.Header = append(t.Header, hecha.T(lang, "report.col.unit"), hecha.T(lang, "report.col.mismatch"+sfx),
		hecha.T(lang, "report.col.resolved"+sfx), hecha.T(lang, "report.col.unresolved"+sfx))
	for _, item := range BasicItems {
		if short {
			t.Header = append(t.Header, hecha.T(lang, "report.item."+item))
		} else {
			name := hecha.FieldName(lang, item)
			t.Header = append(t.Header, hecha.T(lang, "report.col.item_differs", name), hecha.T(lang, "report.col.item_resolved", name))
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
func NotFoundTable(groups []NotFoundGroup, lang hecha.Lang, r *hecha.Rules, short bool) Table {
	var t Table
	if short {
		t.Header = []string{hecha.FieldName(lang, "case_id"), hecha.FieldName(lang, "name"), hecha.FieldName(lang, "citizen_id"),
			hecha.T(lang, "report.col.reason"), hecha.T(lang, "report.col.where")}
	} else {
		t.Header = []string{hecha.T(lang, "report.col.inflow_code"), hecha.T(lang, "report.col.inflow"),
			hecha.FieldName(lang, "case_id"), hecha.FieldName(lang, "name"), hecha.FieldName(lang, "sex"), hecha.FieldName(lang, "birth_date"),
			hecha.FieldName(lang, "citizen_id"), hecha.FieldName(lang, "household_division"), hecha.FieldName(lang, "inflow_address"),
			hecha.FieldName(lang, "inflow_date"), hecha.FieldName(lang, "not_found.reason"), hecha.T(lang, "report.col.destination"),
			hecha.T(lang, "report.col.dest_address"), hecha.T(lang, "report.col.remark"), hecha.T(lang, "report.col.township"),
			hecha.T(lang, "report.col.saved_at")}
	}
	for _, g := range groups {
		for _, cr := range g.Cases {
			c, res := cr.Case, cr.Result
			n := res.NotFound
			if n == nil {
				n = &hecha.NotFound{}
			}
			reason := ""
			if n.Reason != "" {
				reason = hecha.NotFoundReasons.Name(lang, string(n.Reason))
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
			t.Rows = append(t.Rows, []string{string(g.Inflow), g.Name, c.ID, p.Name, codeName(hecha.SexCodes, string(p.Sex)),
				p.BirthDate.String(), p.CitizenID, r.DivisionTable().CodeAndName(p.HouseholdDivision), c.InflowAddress,
				c.InflowDate.String(), reason, r.DivisionTable().CodeAndName(n.Destination), n.DestAddress, n.Remark,
				r.DivisionTable().CodeAndName(res.Township), formatTime(res.SavedAt)})
		}
	}
	t.Numeric = make([]bool, len(t.Header))
	return t
}

// divisionName is a division's own name, or its code when the table does
// not know it.
func divisionName(c hecha.Code, r *hecha.Rules) string {
	if d, ok := r.DivisionTable().Lookup(c); ok {
		return d.Name
	}
	return string(c)
}

// codeName returns the Chinese name of code in t, or code itself when t
// does not know it; "" for no code.
func codeName(t *hecha.CodeTable, code string) string {
	if code == "" {
		return ""
	}
	return t.Name(hecha.Chinese, code)
}

// formatTime writes a time to the second in its own zone; "" for zero.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02 15:04:05")
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
