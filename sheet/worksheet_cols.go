package sheet

import (
	"slices"

	"hecha"
)

// The worksheet's columns are built from the field table (hecha.Field):
// one per item of a person and of each result part, named, written and
// read by the item's kind. Only the columns that are not items (the case
// number, the kind, the comparison, the export's bookkeeping) are written
// out here.

// widths are the column widths, in characters, of each kind of item;
// tableWidths and pathWidths are the exceptions.
var (
	widths = map[hecha.FieldKind]float64{
		hecha.TextField: 22, hecha.NameField: 9, hecha.IDField: 20, hecha.DateField: 11, hecha.DivisionField: 22,
		hecha.CodeField: 10, hecha.ReasonField: 9, hecha.CheckField: 10, hecha.MembersField: 34,
	}
	tableWidths = map[*hecha.CodeTable]float64{hecha.SexCodes: 5, hecha.HukouCodes: 7, hecha.MaritalCodes: 7, hecha.NotFoundReasons: 9}
	pathWidths  = map[string]float64{"not_found.remark": 20, "reregistration.withdrawn": 6}
)

// itemWidth returns the width of the column of item path.
func itemWidth(path string, kind hecha.FieldKind, t *hecha.CodeTable) float64 {
	if w, ok := pathWidths[path]; ok {
		return w
	}
	if w, ok := tableWidths[t]; ok && kind == hecha.CodeField {
		return w
	}
	return widths[kind]
}

// sheetText writes an item's text (as hecha.Field.Get returns it) as a
// worksheet shows it: codes by their Chinese names, division codes with
// their names, yes/no as 是/否, household members one per line.
func sheetText(kind hecha.FieldKind, t *hecha.CodeTable, v string, r *hecha.Rules) string {
	switch kind {
	case hecha.CodeField:
		return codeName(t, v)
	case hecha.ReasonField:
		return reasonName(r, hecha.Reason(v))
	case hecha.DivisionField:
		return r.DivisionTable().CodeAndName(hecha.Code(v))
	case hecha.CheckField:
		switch v {
		case "1":
			return "是"
		case "0":
			return "否"
		}
	}
	return v
}

// itemCol is the column of an item of kinds of case, Input for the clerk.
func itemCol(key, header string, w float64, aliases []string, kind hecha.FieldKind, t *hecha.CodeTable, kinds []hecha.Kind,
	cell func(c *hecha.Case, res *hecha.Result, r *hecha.Rules) string) WorksheetColumn {
	return WorksheetColumn{Key: key, Header: header, Input: true, Width: w, Wrap: w >= 20,
		kinds: kinds, aliases: aliases, item: kind, table: t, cell: cell}
}

// personCol is one of the 15 items: pre-filled from the case, read back as
// the field-verified information (verified.<item>). With a confirming
// result it shows the verified value.
func personCol(f hecha.Field[hecha.Person], verified hecha.Field[hecha.Result]) WorksheetColumn {
	get := func(p *hecha.Person, r *hecha.Rules) string {
		if f.Kind == hecha.MembersField {
			return worksheetMembers(p.Members)
		}
		return sheetText(f.Kind, f.Table, f.Get(p), r)
	}
	aliases := append([]string{f.Path, "person." + f.Path}, f.Aliases...)
	col := itemCol("verified."+f.Path, f.ColumnName(), itemWidth(f.Path, f.Kind, f.Table), aliases, f.Kind, f.Table, verifiedKinds,
		func(c *hecha.Case, res *hecha.Result, r *hecha.Rules) string {
			if res != nil && res.Verified != nil {
				return get(res.Verified, r)
			}
			return get(&c.Person, r)
		})
	col.part, col.set = "verified", verified.Set
	return col
}

// resultCol is an item of a part of the result.
func resultCol(p hecha.ResultPart, f hecha.Field[hecha.Result]) WorksheetColumn {
	col := itemCol(f.Path, f.ColumnName(), itemWidth(f.Path, f.Kind, f.Table), f.Aliases, f.Kind, f.Table, kindsOf(p.Forms),
		func(_ *hecha.Case, res *hecha.Result, r *hecha.Rules) string {
			if res == nil {
				return ""
			}
			return sheetText(f.Kind, f.Table, f.Get(res), r)
		})
	col.part, col.set = p.Name, f.Set
	return col
}

// basicCol is one basic item of a mismatch case's resident or outflow
// record: 常住姓名, 流出出生日期.
func basicCol(side, zh string, f hecha.Field[hecha.Basic]) WorksheetColumn {
	return WorksheetColumn{
		Key: side + "." + f.Path, Header: zh + hecha.FieldName(hecha.Chinese, f.Path), Width: itemWidth(f.Path, f.Kind, f.Table), kinds: kindsM,
		aliases: []string{side + "_" + f.Path},
		cell: func(c *hecha.Case, _ *hecha.Result, r *hecha.Rules) string {
			b := c.Resident
			if side == "outflow" {
				b = c.Outflow
			}
			if b == nil {
				return ""
			}
			return sheetText(f.Kind, f.Table, f.Get(b), r)
		},
	}
}

// verifiedPart is the result part of the 15 items; verifiedKinds the
// kinds of case whose results verify them.
var (
	verifiedPart = func() hecha.ResultPart {
		for _, p := range hecha.ResultParts {
			if p.Name == "verified" {
				return p
			}
		}
		panic("sheet: no verified part in hecha.ResultParts")
	}()
	verifiedKinds = kindsOf(verifiedPart.Forms)
)

// kindsOf returns the kinds of case of forms.
func kindsOf(forms []hecha.Form) []hecha.Kind {
	var out []hecha.Kind
	for _, f := range forms {
		if !slices.Contains(out, f.Kind()) {
			out = append(out, f.Kind())
		}
	}
	return out
}

// caseCol is a column of the case for reference.
func caseCol(key, header string, width float64, kinds []hecha.Kind, cell func(*hecha.Case, *hecha.Rules) string) WorksheetColumn {
	return WorksheetColumn{Key: key, Header: header, Width: width, Wrap: width >= 20, kinds: kinds,
		cell: func(c *hecha.Case, _ *hecha.Result, r *hecha.Rules) string { return cell(c, r) }}
}

// metaCol is a part of the result's bookkeeping, in the export only.
func metaCol(key, header string, width float64, get func(*hecha.Result, *hecha.Rules) string) WorksheetColumn {
	return WorksheetColumn{Key: key, Header: header, Width: width, export: true,
		cell: func(_ *hecha.Case, res *hecha.Result, r *hecha.Rules) string {
			if res == nil {
				return ""
			}
			return get(res, r)
		}}
}

// newWorksheetColumns returns every column, in order. The pre-filled items
// come first (the case number and the name stay in view and on every
// printed page), then the other references, then the result.
func newWorksheetColumns() []WorksheetColumn {
	cols := []WorksheetColumn{{Key: "case_id", Header: "个案编号", Width: 16, aliases: []string{"id"},
		cell: func(c *hecha.Case, _ *hecha.Result, _ *hecha.Rules) string { return c.ID }}}
	for i, f := range hecha.PersonFields {
		cols = append(cols, personCol(f, verifiedPart.Fields[i]))
	}
	cols = append(cols,
		caseCol("kind", "个案类型", 9, nil, func(c *hecha.Case, _ *hecha.Rules) string { return c.Kind.Name(hecha.Chinese) }),
		caseCol("inflow_division", "流入地行政区划", 22, kindsIn, func(c *hecha.Case, r *hecha.Rules) string {
			return r.DivisionTable().CodeAndName(c.InflowDivision)
		}),
		caseCol("inflow_address", "流入地地址", 22, kindsIn, func(c *hecha.Case, _ *hecha.Rules) string { return c.InflowAddress }),
		caseCol("inflow_date", "流入日期", 11, kindsIn, func(c *hecha.Case, _ *hecha.Rules) string { return c.InflowDate.String() }))
	for _, side := range basicSides {
		for _, f := range hecha.BasicFields {
			cols = append(cols, basicCol(side.key, side.zh, f))
		}
	}
	cols = append(cols,
		caseCol("comparison", "系统比对", 26, kindsCrossIn, func(c *hecha.Case, _ *hecha.Rules) string { return comparisonCell(c) }),
		itemCol("candidate_id", "比对记录编号", 14, []string{"选中的比对记录"}, hecha.TextField, nil, kindsCrossIn,
			func(_ *hecha.Case, res *hecha.Result, _ *hecha.Rules) string {
				if res == nil {
					return ""
				}
				return res.CandidateID
			}),
		// The result.
		itemCol("form", "核查结果", 16, nil, hecha.TextField, nil, nil, func(_ *hecha.Case, res *hecha.Result, _ *hecha.Rules) string {
			if res == nil {
				return ""
			}
			return res.Form.Label(hecha.Chinese)
		}))
	for _, p := range hecha.ResultParts {
		if p.Name == "verified" {
			continue // its items are the person's columns
		}
		for _, f := range p.Fields {
			cols = append(cols, resultCol(p, f))
		}
	}
	// The result's bookkeeping, in the export only.
	return append(cols,
		metaCol("result.id", "结果编号", 28, func(res *hecha.Result, _ *hecha.Rules) string { return res.ID }),
		metaCol("result.replaces", "更正的结果编号", 28, func(res *hecha.Result, _ *hecha.Rules) string { return res.Replaces }),
		metaCol("result.township", "核查单位", 22, func(res *hecha.Result, r *hecha.Rules) string { return r.DivisionTable().CodeAndName(res.Township) }),
		metaCol("result.clerk", "信息员", 9, func(res *hecha.Result, _ *hecha.Rules) string { return res.Clerk }),
		metaCol("result.saved_at", "核查时间", 19, func(res *hecha.Result, _ *hecha.Rules) string { return formatTime(res.SavedAt) }))
}
