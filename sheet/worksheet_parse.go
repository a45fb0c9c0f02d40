package sheet

import (
	"hecha"

	"strings"
	"unicode"
)

// worksheetFile marks a Header built for a worksheet.
const worksheetFile recordFile = 16

// WorksheetHeader maps the columns of a filled worksheet's header row to
// fields. Build it with NewWorksheetHeader; it is read-only once built.
type WorksheetHeader struct {
	h *Header
}

// NewWorksheetHeader reads the header row of a filled worksheet (or of the
// county's export of results). Columns are matched by their Chinese name
// or their key ("verified.name"), in any order; other columns are not
// read, and Unknown lists them. Required: 个案编号 and 核查结果. Errors
// are EINVALID, as NewCaseHeader's: file.missing_columns,
// file.duplicate_column, file.misspelt_column or file.no_columns.
func NewWorksheetHeader(cells []string) (*WorksheetHeader, error) {
	cols := make([]column, 0, len(worksheetColumns))
	for _, c := range worksheetColumns {
		// The export's bookkeeping columns are known but not read.
		cols = append(cols, column{key: c.Key, zh: c.Header, aliases: c.aliases,
			required: c.Key == "case_id" || c.Key == "form", ignored: c.export})
	}
	h, err := newHeader(worksheetFile, cols, cells)
	if err != nil {
		return nil, err
	}
	return &WorksheetHeader{h: h}, nil
}

// Unknown returns the header cells that name no known column, as
// Header.Unknown.
func (w *WorksheetHeader) Unknown() []UnknownColumn { return w.h.Unknown() }

// Has reports whether the sheet has the column of key.
func (w *WorksheetHeader) Has(key string) bool { return w.h.Has(key) }

// CaseID returns the case number of a row, trimmed.
func (w *WorksheetHeader) CaseID(row []string) string {
	return wsUnguard(w.cell(row, "case_id"))
}

// Filled reports whether the row's 核查结果 is filled in; a row without
// it has not been worked on and is skipped.
func (w *WorksheetHeader) Filled(row []string) bool {
	return w.cell(row, "form") != ""
}

func (w *WorksheetHeader) cell(row []string, key string) string {
	i, ok := w.h.index[key]
	if !ok || i >= len(row) {
		return ""
	}
	return strings.TrimFunc(row[i], hecha.IsTrimmedSpace)
}

// ParseResult reads one filled row as a final result for case c (the case
// the row's 个案编号 names): the form from 核查结果 (ParseForm), and the
// parts the form takes from their columns — 查无此人原因 and the
// destination for R1 and P2; the 15 items as the field-verified
// information, the sign-off and the form's corrective action for the
// confirming forms; the choices, corrected values and sign-off for M.
// Enumerations are read by code or name, dates in any form ParseDate
// reads, division codes with or without the name after them. When the
// 比对记录编号 is empty and the comparison found exactly one record that
// leads to the form (FormFor), that record is the one picked.
//
// The result is then validated by Result.Validate against c and r, so the
// rules are exactly the form's. The error, when not nil, is Errors with
// every problem of the row, each about its field path: the problems of
// reading ("verified.birth_date": date.format), a column filled that the
// form does not take (worksheet.unused_column; for 查无此人 also one its
// reason does not take, worksheet.unused_for_reason), then Validate's. The
// result holds what could be read even when there are errors.
func (w *WorksheetHeader) ParseResult(row []string, c *hecha.Case, r *hecha.Rules) (hecha.Result, error) {
	p := &rowParser{h: w.h, row: row, r: r}
	form, err := hecha.ParseForm(p.raw("form"), c.Kind)
	p.add("form", err)
	res := hecha.Result{CaseID: c.ID, Form: form, CandidateID: p.wsText("candidate_id")}
	if res.CandidateID == "" {
		res.CandidateID = pickedCandidate(c, form)
	}

	// The parts the form takes, each item read from its column by kind.
	taken := map[string]bool{}
	for _, part := range form.Parts() {
		taken[part.Name] = true
		part.Make(&res)
	}
	for _, col := range worksheetColumns {
		if taken[col.part] {
			p.wsItem(col, &res)
		}
	}
	if res.Verified != nil {
		res.Verified.Normalize()
	}
	if form != "" {
		p.wsUnused(form, taken)
	}
	if n := res.NotFound; n != nil && hecha.NotFoundReasons.Has(string(n.Reason)) {
		p.wsUnusedForReason(n.Reason)
	}
	return res, p.finish(res.Validate(c, r))
}

// pickedCandidate returns the record id of the only candidate of c that
// leads to form, or "" when none or several do.
func pickedCandidate(c *hecha.Case, form hecha.Form) string {
	id := ""
	for i := range c.Candidates {
		cd := &c.Candidates[i]
		if hecha.FormFor(c, cd) != form {
			continue
		}
		if id != "" {
			return ""
		}
		id = cd.RecordID()
	}
	return id
}

// wsItem reads the cell of an item of the result into res, by the
// item's kind, normalised as the store keeps it.
func (p *rowParser) wsItem(col WorksheetColumn, res *hecha.Result) {
	key := col.Key
	var v string
	switch col.item {
	case hecha.MembersField:
		res.Verified.Members = p.members(key)
		return
	case hecha.TextField:
		v = p.wsText(key)
	case hecha.NameField:
		v = normName(p.wsText(key))
	case hecha.IDField:
		v = normID(p.id(key))
	case hecha.DateField:
		v = p.raw(key)
	case hecha.DivisionField:
		v = string(p.wsCode(key))
	case hecha.CodeField:
		v = p.wsEnum(key, col.table)
	case hecha.ReasonField:
		v = string(p.reason(key, p.r))
	case hecha.CheckField:
		v = "0"
		if p.wsBool(key) {
			v = "1"
		}
	}
	p.add(key, col.set(res, v))
}

// wsUnused reports each filled column of a result part the form does not
// take: what the clerk wrote there would otherwise be lost. The 15 items
// (pre-filled), the comparison record and the sign-off are not checked.
func (p *rowParser) wsUnused(form hecha.Form, taken map[string]bool) {
	for _, col := range worksheetColumns {
		if col.part == "" || col.part == "verified" {
			continue
		}
		if !taken[col.part] && p.raw(col.Key) != "" {
			p.es.Add(hecha.Invalid(col.Key, "worksheet.unused_column", col.Header, form.Label(hecha.Chinese), form.Label(hecha.English)))
		}
	}
}

// wsUnusedForReason reports each 查无此人 column filled that reason does
// not use (NotFoundReason.Uses): a destination under 死亡, say.
func (p *rowParser) wsUnusedForReason(reason hecha.NotFoundReason) {
	for _, col := range worksheetColumns {
		item, ok := strings.CutPrefix(col.Key, "not_found.")
		if !ok || reason.Uses(item) || p.raw(col.Key) == "" {
			continue
		}
		p.es.Add(hecha.Invalid(col.Key, "worksheet.unused_for_reason", col.Header,
			hecha.NotFoundReasons.Name(hecha.Chinese, string(reason)), hecha.NotFoundReasons.Name(hecha.English, string(reason))))
	}
}

// wsText reads free text; a leading apostrophe that an export put in
// front of =, +, - or @ (so a spreadsheet does not take the text for a
// formula) is removed.
func (p *rowParser) wsText(key string) string {
	return wsUnguard(p.raw(key))
}

// wsUnguard removes the apostrophe an export puts in front of text that
// starts like a formula.
func wsUnguard(s string) string {
	if len(s) >= 2 && s[0] == '\'' && strings.ContainsRune("=+-@", rune(s[1])) {
		return s[1:]
	}
	return s
}

// wsCode reads a division code written alone or followed by its name
// ("410102001000 河南省/郑州市/中原区/林山寨街道"): the leading digits.
func (p *rowParser) wsCode(key string) hecha.Code {
	s := p.raw(key)
	if i := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsDigit(r) }); i > 0 {
		s = s[:i]
	}
	c, err := hecha.ParseCode(key, s)
	p.add(key, err)
	return p.r.DivisionTable().Canonical(c)
}

// wsEnum reads a code of t by code or name.
func (p *rowParser) wsEnum(key string, t *hecha.CodeTable) string {
	v, err := t.Parse(p.raw(key))
	p.add(key, err)
	return v
}

// wsBool reads a yes/no cell as a clerk fills it: 是/否, a tick or a
// cross, 1/0, y/n, yes/no, true/false; empty is false.
func (p *rowParser) wsBool(key string) bool {
	s := p.raw(key)
	switch strings.ToLower(s) {
	case "", "否", "0", "n", "no", "false", "×", "✗", "✘", "x", "未确认", "未退档":
		return false
	case "是", "1", "y", "yes", "true", "√", "✓", "✔", "对", "已确认", "确认", "已退档", "退档":
		return true
	}
	p.es.Add(hecha.Invalid(key, "row.bool", s))
	return false
}
