package sheet

import (
	"hecha"

	"slices"
	"strings"
	"time"
)

// The field worksheet (导出 → 人工核查 → 录入): the township exports its
// cases not yet verified as a table to print or fill in on a computer, the
// clerk checks each person door to door and writes the result into the
// row, and the filled sheet is read back, each row becoming a Result that
// is validated exactly as the form validates it (Result.Validate).
//
// A worksheet row holds, for reference, the case number and its items:
// the 15 items pre-filled with the case's values (they are also the
// field-verified information of a confirming result, so the clerk corrects
// only what differs), the inflow registration of an in-province case, the
// two records of a mismatch case and what the system comparison found.
// The result columns are empty. The county's export of results has the
// same columns, filled, and the result's bookkeeping after them.

// WorksheetColumn is one column of the field worksheet or of the county's
// export of results.
type WorksheetColumn struct {
	// Key is the field path the column holds, as errors name it:
	// "case_id", "verified.birth_date", "not_found.reason", "sign_off.name".
	Key string
	// Header is the column's Chinese name, the header row's cell.
	Header string
	// Input marks the columns the clerk fills in (the result) or corrects
	// (the pre-filled items); the others are for reference.
	Input bool
	// Width is a width in characters that prints the column's usual
	// content; Wrap says long content should wrap inside the cell.
	Width float64
	Wrap  bool
	// Choices are the values a workbook offers in the column's drop-down
	// list; nil for free text. Other values stay allowed (codes, aliases).
	Choices []string

	aliases []string
	kinds   []hecha.Kind // the kinds of case the column serves; nil: every kind
	export  bool         // only in the export of results
	cell    func(c *hecha.Case, res *hecha.Result, r *hecha.Rules) string

	// An item of the field table: its kind and code table, the result part
	// it belongs to ("verified", "not_found") and, for a result part's
	// item, how to store its text in a result.
	item  hecha.FieldKind
	table *hecha.CodeTable
	part  string
	set   func(*hecha.Result, string) error
}

// Is reports whether the column serves cases of kind k.
func (col WorksheetColumn) Is(k hecha.Kind) bool {
	return col.kinds == nil || slices.Contains(col.kinds, k)
}

var (
	kindsCrossIn = []hecha.Kind{hecha.KindCrossProvince, hecha.KindInProvince}
	kindsCross   = []hecha.Kind{hecha.KindCrossProvince}
	kindsIn      = []hecha.Kind{hecha.KindInProvince}
	kindsM       = []hecha.Kind{hecha.KindMismatch}
)

// worksheetColumns are every column, in order (newWorksheetColumns).
var worksheetColumns = newWorksheetColumns()

// WorksheetColumns returns the columns of a worksheet holding cases of
// the given kinds (every kind when none is given): each column that serves
// one of them, in order. The drop-down choices of the reason for leaving
// come from r's list of reasons.
func WorksheetColumns(r *hecha.Rules, kinds ...hecha.Kind) []WorksheetColumn {
	if len(kinds) == 0 {
		kinds = []hecha.Kind{hecha.KindCrossProvince, hecha.KindInProvince, hecha.KindMismatch}
	}
	var out []WorksheetColumn
	for _, col := range worksheetColumns {
		if col.export || !slices.ContainsFunc(kinds, col.Is) {
			continue
		}
		out = append(out, withChoices(col, r, kinds))
	}
	return out
}

// ResultColumns returns the columns of the county's export of results:
// every column of a worksheet for all kinds, then the result's id, the id
// of the result it corrects, the township, the clerk and the time saved.
func ResultColumns(r *hecha.Rules) []WorksheetColumn {
	out := make([]WorksheetColumn, 0, len(worksheetColumns))
	for _, col := range worksheetColumns {
		out = append(out, withChoices(col, r, nil))
	}
	return out
}

// WorksheetHeaderRow returns the header cells of cols.
func WorksheetHeaderRow(cols []WorksheetColumn) []string {
	out := make([]string, len(cols))
	for i, col := range cols {
		out[i] = col.Header
	}
	return out
}

// WorksheetRow returns the cells of case c under cols: the reference
// columns and the 15 items filled from the case (a mismatch case leaves
// the 15 items empty: its two records are in their own columns), and every
// result column empty — the record picked too: reading the row back picks
// the only record the comparison found for the form written (see
// WorksheetHeader.ParseResult), and a record named there would refuse 查无此人.
func WorksheetRow(cols []WorksheetColumn, c *hecha.Case, r *hecha.Rules) []string {
	out := make([]string, len(cols))
	for i, col := range cols {
		switch {
		case !col.Is(c.Kind), col.Input && !strings.HasPrefix(col.Key, "verified."):
			// Not this kind's column, or a result column: left empty.
		default:
			out[i] = col.cell(c, nil, r)
		}
	}
	return out
}

// ResultRow returns the cells of case c and its result res under cols:
// the 15 items as the result verified them (a result that verifies none
// shows the case's), the case's other items and the result's parts. It
// is the inverse of WorksheetHeader.ParseResult for a worksheet's columns.
func ResultRow(cols []WorksheetColumn, c *hecha.Case, res *hecha.Result, r *hecha.Rules) []string {
	out := make([]string, len(cols))
	for i, col := range cols {
		out[i] = col.cell(c, res, r)
	}
	return out
}

// FormChoices returns the labels of the forms a case of kind k can take,
// as a worksheet's drop-down list offers them.
func FormChoices(k hecha.Kind) []string {
	forms := hecha.FormsFor(k)
	out := make([]string, len(forms))
	for i, f := range forms {
		out[i] = f.Label(hecha.Chinese)
	}
	return out
}

// withChoices sets the drop-down choices of the columns that have them.
func withChoices(col WorksheetColumn, r *hecha.Rules, kinds []hecha.Kind) WorksheetColumn {
	names := func(t *hecha.CodeTable) []string {
		out := make([]string, len(t.Entries))
		for i, e := range t.Entries {
			out[i] = e.Zh
		}
		return out
	}
	switch {
	case col.Key == "form":
		col.Choices = nil
		for _, k := range []hecha.Kind{hecha.KindCrossProvince, hecha.KindInProvince, hecha.KindMismatch} {
			if kinds == nil || slices.Contains(kinds, k) {
				col.Choices = append(col.Choices, FormChoices(k)...)
			}
		}
	case !col.Input:
	case col.item == hecha.CodeField:
		col.Choices = names(col.table)
	case col.item == hecha.ReasonField:
		col.Choices = names(r.ReasonTable())
	case col.item == hecha.CheckField:
		col.Choices = []string{"是", "否"}
	}
	return col
}

// reasonName is the name of a reason for moving in r's list, or its code.
func reasonName(r *hecha.Rules, code hecha.Reason) string {
	if code == "" {
		return ""
	}
	return r.ReasonTable().Name(hecha.Chinese, string(code))
}

// worksheetMembers writes household members as FormatMembers does, one
// member per line, so a printed cell reads as a list.
func worksheetMembers(ms []hecha.Member) string {
	parts := make([]string, len(ms))
	for i := range ms {
		parts[i] = FormatMembers(ms[i : i+1])
	}
	return strings.Join(parts, "\n")
}

// comparisonCell says what the system comparison found for case c: each
// candidate as the form it leads to, its system, record id and the items
// on which it differs; or the form for nobody found.
func comparisonCell(c *hecha.Case) string {
	if len(c.Candidates) == 0 {
		return hecha.FormFor(c, nil).Label(hecha.Chinese) + "（未找到）"
	}
	lines := make([]string, len(c.Candidates))
	for i, cd := range c.Candidates {
		src := "流动人口系统"
		if cd.Source == hecha.SourceResident {
			src = "常住人口系统"
		}
		line := string(cd.Form) + " " + src + " " + cd.RecordID()
		if cd.ByID {
			line += "（身份证号相同）"
		}
		if len(cd.Differs) > 0 {
			names := make([]string, len(cd.Differs))
			for j, d := range cd.Differs {
				names[j] = hecha.FieldName(hecha.Chinese, d)
			}
			line += "（" + strings.Join(names, "、") + "不同）"
		}
		lines[i] = line
	}
	return strings.Join(lines, "\n")
}

// yesNo writes a flag as 是 or 否.
func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

// formatTime writes a time to the second in its own zone; "" for zero.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02 15:04:05")
}
