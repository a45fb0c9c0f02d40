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

// worksheetColumns are every column, in order. The pre-filled items come
// first (the case number and the name stay in view and on every printed
// page), then the other references, then the result.
var worksheetColumns = []WorksheetColumn{
	{Key: "case_id", Header: "个案编号", Width: 16, aliases: []string{"id"}, cell: func(c *hecha.Case, _ *hecha.Result, _ *hecha.Rules) string { return c.ID }},
	personCol("name", "姓名", 9, func(p *hecha.Person, _ *hecha.Rules) string { return p.Name }),
	personCol("sex", "性别", 5, func(p *hecha.Person, _ *hecha.Rules) string { return codeName(hecha.SexCodes, string(p.Sex)) }),
	personCol("current_address", "现居住地地址", 22, func(p *hecha.Person, _ *hecha.Rules) string { return p.CurrentAddress }),
	personCol("current_division", "现居住地行政区划", 22, func(p *hecha.Person, r *hecha.Rules) string { return r.DivisionTable().CodeAndName(p.CurrentDivision) }),
	personCol("household_address", "户籍所在地地址", 22, func(p *hecha.Person, _ *hecha.Rules) string { return p.HouseholdAddress }),
	personCol("household_division", "户籍地行政区划", 22, func(p *hecha.Person, r *hecha.Rules) string {
		return r.DivisionTable().CodeAndName(p.HouseholdDivision)
	}),
	personCol("citizen_id", "公民身份证号", 20, func(p *hecha.Person, _ *hecha.Rules) string { return p.CitizenID }),
	personCol("birth_date", "出生日期", 11, func(p *hecha.Person, _ *hecha.Rules) string { return p.BirthDate.String() }),
	personCol("education", "文化程度", 10, func(p *hecha.Person, _ *hecha.Rules) string {
		return codeName(hecha.EducationCodes, string(p.Education))
	}),
	personCol("hukou_type", "户口性质", 7, func(p *hecha.Person, _ *hecha.Rules) string { return codeName(hecha.HukouCodes, string(p.HukouType)) }),
	personCol("reason", "流动原因", 9, func(p *hecha.Person, r *hecha.Rules) string { return reasonName(r, p.Reason) }),
	personCol("outflow_date", "流出日期", 11, func(p *hecha.Person, _ *hecha.Rules) string { return p.OutflowDate.String() }),
	personCol("return_date", "返回日期", 11, func(p *hecha.Person, _ *hecha.Rules) string { return p.ReturnDate.String() }),
	personCol("marital", "婚姻状况", 7, func(p *hecha.Person, _ *hecha.Rules) string { return codeName(hecha.MaritalCodes, string(p.Marital)) }),
	personCol("members", "家庭户信息", 34, func(p *hecha.Person, _ *hecha.Rules) string { return worksheetMembers(p.Members) }),

	{Key: "kind", Header: "个案类型", Width: 9, cell: func(c *hecha.Case, _ *hecha.Result, _ *hecha.Rules) string { return c.Kind.Name(hecha.Chinese) }},
	{Key: "inflow_division", Header: "流入地行政区划", Width: 22, Wrap: true, kinds: kindsIn,
		cell: func(c *hecha.Case, _ *hecha.Result, r *hecha.Rules) string {
			return r.DivisionTable().CodeAndName(c.InflowDivision)
		}},
	{Key: "inflow_address", Header: "流入地地址", Width: 22, Wrap: true, kinds: kindsIn,
		cell: func(c *hecha.Case, _ *hecha.Result, _ *hecha.Rules) string { return c.InflowAddress }},
	{Key: "inflow_date", Header: "流入日期", Width: 11, kinds: kindsIn,
		cell: func(c *hecha.Case, _ *hecha.Result, _ *hecha.Rules) string { return c.InflowDate.String() }},
	basicCol("resident", "name", "常住姓名", 9), basicCol("resident", "sex", "常住性别", 5),
	basicCol("resident", "birth_date", "常住出生日期", 11), basicCol("resident", "citizen_id", "常住公民身份证号", 20),
	basicCol("outflow", "name", "流出姓名", 9), basicCol("outflow", "sex", "流出性别", 5),
	basicCol("outflow", "birth_date", "流出出生日期", 11), basicCol("outflow", "citizen_id", "流出公民身份证号", 20),
	{Key: "comparison", Header: "系统比对", Width: 26, Wrap: true, kinds: kindsCrossIn,
		cell: func(c *hecha.Case, _ *hecha.Result, _ *hecha.Rules) string { return comparisonCell(c) }},
	resultCol("candidate_id", "比对记录编号", 14, kindsCrossIn, func(res *hecha.Result, _ *hecha.Rules) string { return res.CandidateID }, "选中的比对记录"),

	// The result.
	resultCol("form", "核查结果", 16, nil, func(res *hecha.Result, _ *hecha.Rules) string { return res.Form.Label(hecha.Chinese) }),
	notFoundCol("reason", "查无此人原因", 9, func(n *hecha.NotFound, _ *hecha.Rules) string {
		return codeName(hecha.NotFoundReasons, string(n.Reason))
	}),
	notFoundCol("destination", "去向行政区划", 22, func(n *hecha.NotFound, r *hecha.Rules) string { return r.DivisionTable().CodeAndName(n.Destination) }, "婚出地/户口迁出地"),
	notFoundCol("dest_address", "去向地址", 22, func(n *hecha.NotFound, _ *hecha.Rules) string { return n.DestAddress }, "婚出地/户口迁出地地址"),
	notFoundCol("remark", "备注", 20, func(n *hecha.NotFound, _ *hecha.Rules) string { return n.Remark }, "查无此人备注"),
	reregCol("withdrawn", "已退档", 6, func(g *hecha.Reregistration, _ *hecha.Rules) string { return yesNo(g.Withdrawn) }),
	reregCol("inflow_division", "新流入地行政区划", 22, func(g *hecha.Reregistration, r *hecha.Rules) string {
		return r.DivisionTable().CodeAndName(g.InflowDivision)
	}),
	reregCol("inflow_address", "新流入地地址", 22, func(g *hecha.Reregistration, _ *hecha.Rules) string { return g.InflowAddress }),
	reregCol("date", "重新登记日期", 11, func(g *hecha.Reregistration, _ *hecha.Rules) string { return g.Date.String() }),
	correctionCol("destination", "更正去向行政区划", 22, func(o *hecha.OutflowCorrection, r *hecha.Rules) string {
		return r.DivisionTable().CodeAndName(o.Destination)
	}),
	correctionCol("address", "更正去向地址", 22, func(o *hecha.OutflowCorrection, _ *hecha.Rules) string { return o.Address }),
	correctionCol("date", "更正日期", 11, func(o *hecha.OutflowCorrection, _ *hecha.Rules) string { return o.Date.String() }),
	registrationCol("date", "流出登记日期", 11, func(o *hecha.Outflow, _ *hecha.Rules) string { return o.Date.String() }),
	registrationCol("destination", "流出登记去向", 22, func(o *hecha.Outflow, r *hecha.Rules) string { return r.DivisionTable().CodeAndName(o.Destination) }, "流出登记去向行政区划"),
	registrationCol("address", "流出登记地址", 22, func(o *hecha.Outflow, _ *hecha.Rules) string { return o.Address }),
	registrationCol("reason", "流出登记原因", 9, func(o *hecha.Outflow, r *hecha.Rules) string { return reasonName(r, o.Reason) }, "流出原因"),
	choiceCol("name", "姓名取值", func(m *hecha.MismatchResolution) hecha.MismatchChoice { return m.NameChoice }),
	choiceCol("sex", "性别取值", func(m *hecha.MismatchResolution) hecha.MismatchChoice { return m.SexChoice }),
	choiceCol("birth_date", "出生日期取值", func(m *hecha.MismatchResolution) hecha.MismatchChoice { return m.BirthDateChoice }),
	choiceCol("citizen_id", "身份证号取值", func(m *hecha.MismatchResolution) hecha.MismatchChoice { return m.CitizenIDChoice }),
	correctedCol("name", "更正姓名", 9, func(b *hecha.Basic) string { return b.Name }),
	correctedCol("sex", "更正性别", 5, func(b *hecha.Basic) string { return codeName(hecha.SexCodes, string(b.Sex)) }),
	correctedCol("birth_date", "更正出生日期", 11, func(b *hecha.Basic) string { return b.BirthDate.String() }),
	correctedCol("citizen_id", "更正身份证号", 20, func(b *hecha.Basic) string { return b.CitizenID }),
	resultCol("sign_off.confirmed", "常驻人口信息员确认", 10, nil, func(res *hecha.Result, _ *hecha.Rules) string {
		if res.SignOff == nil {
			return ""
		}
		return yesNo(res.SignOff.Confirmed)
	}, "常驻人口信息员已确认"),
	resultCol("sign_off.name", "确认人", 9, nil, func(res *hecha.Result, _ *hecha.Rules) string {
		if res.SignOff == nil {
			return ""
		}
		return res.SignOff.Name
	}, "常驻人口信息员"),

	// The result's bookkeeping, in the export only.
	metaCol("result.id", "结果编号", 28, func(res *hecha.Result, _ *hecha.Rules) string { return res.ID }),
	metaCol("result.replaces", "更正的结果编号", 28, func(res *hecha.Result, _ *hecha.Rules) string { return res.Replaces }),
	metaCol("result.township", "核查单位", 22, func(res *hecha.Result, r *hecha.Rules) string { return r.DivisionTable().CodeAndName(res.Township) }),
	metaCol("result.clerk", "信息员", 9, func(res *hecha.Result, _ *hecha.Rules) string { return res.Clerk }),
	metaCol("result.saved_at", "核查时间", 19, func(res *hecha.Result, _ *hecha.Rules) string { return formatTime(res.SavedAt) }),
}

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
	case col.Key == "not_found.reason":
		col.Choices = names(hecha.NotFoundReasons)
	case col.Key == "verified.reason" || col.Key == "registration.reason":
		col.Choices = names(r.ReasonTable())
	case col.Key == "sign_off.confirmed" || col.Key == "reregistration.withdrawn":
		col.Choices = []string{"是", "否"}
	case strings.HasSuffix(col.Key, "_choice"):
		col.Choices = names(hecha.MismatchChoices)
	case strings.HasPrefix(col.Key, "verified.") || strings.HasPrefix(col.Key, "mismatch.corrected."):
		if t := r.Table(col.Key); t != nil && col.Key != "verified.members" {
			col.Choices = names(t)
		}
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
