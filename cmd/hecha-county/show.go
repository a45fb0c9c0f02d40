package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"hecha"
	"hecha/cmd/internal/cli"
)

// candidatesPerTable is how many candidates sit beside the case in one
// comparison table, so that it fits 80 columns.
const candidatesPerTable = 2

// casesShow prints one case: its items, where it is assigned, and the
// comparison's candidates beside the case with the differing items marked.
func (m *Main) casesShow(ctx context.Context, id string) error {
	db, err := m.openDB()
	if err != nil {
		return err
	}
	m.noteCases(id)
	c, err := db.Case(ctx, id)
	if err != nil {
		return err
	}
	var b strings.Builder
	m.writeCaseHead(&b, c)
	m.writeItems(&b, c)
	if err := m.writeCandidates(&b, c); err != nil {
		return err
	}
	_, err = io.WriteString(m.Stdout, b.String())
	return err
}

// writeCaseHead writes the case's id, kind and assignment.
func (m *Main) writeCaseHead(b *strings.Builder, c *hecha.Case) {
	fmt.Fprintln(b, hecha.T(m.Lang, "county.cli.show.head", cli.Sanitize(c.ID), kindName(m.Lang, c.Kind), c.Rev))
	if c.Unit == "" {
		fmt.Fprintln(b, hecha.T(m.Lang, "county.cli.show.undistributed"))
	} else {
		at, by := "", ""
		if a := c.Assignment; a != nil {
			at, by = a.At.Local().Format("2006-01-02 15:04"), cli.Sanitize(a.By)
		}
		fmt.Fprintln(b, hecha.T(m.Lang, "county.cli.show.assigned", c.Unit, cli.Sanitize(m.Rules.Divisions.FullName(c.Unit))))
		fmt.Fprintln(b, hecha.T(m.Lang, "county.cli.show.assigned_by", at, by))
	}
	b.WriteByte('\n')
}

// item is one labelled line of the case's items.
type item struct{ label, value string }

// writeItems writes the 15 items (and the kind's own records) as
// "label  value" lines.
func (m *Main) writeItems(b *strings.Builder, c *hecha.Case) {
	p := c.Person
	f := func(name string) string { return hecha.FieldName(m.Lang, name) }
	items := []item{
		{f("name"), p.Name},
		{f("sex"), m.codeName("sex", string(p.Sex))},
		{f("current_address"), p.CurrentAddress},
		{f("current_division"), m.division(p.CurrentDivision)},
		{f("household_address"), p.HouseholdAddress},
		{f("household_division"), m.division(p.HouseholdDivision)},
		{f("citizen_id"), p.CitizenID},
		{f("birth_date"), dateText(p.BirthDate)},
		{f("education"), m.codeName("education", string(p.Education))},
		{f("hukou_type"), m.codeName("hukou_type", string(p.HukouType))},
		{f("reason"), m.codeName("reason", string(p.Reason))},
		{f("outflow_date"), dateText(p.OutflowDate)},
		{f("return_date"), dateText(p.ReturnDate)},
		{f("marital"), m.codeName("marital", string(p.Marital))},
	}
	for i, mem := range p.Members {
		label := f("members")
		if i > 0 {
			label = ""
		}
		items = append(items, item{label, strings.Join(nonEmpty(strconv.Itoa(i+1)+".", mem.Name,
			m.codeName("relationship", string(mem.Relationship)), mem.CitizenID,
			m.codeName("sex", string(mem.Sex)), dateText(mem.BirthDate)), " ")})
	}
	if len(p.Members) == 0 {
		items = append(items, item{f("members"), ""})
	}
	if c.Kind == hecha.KindInProvince {
		items = append(items,
			item{f("inflow_division"), m.division(c.InflowDivision)},
			item{f("inflow_address"), c.InflowAddress},
			item{f("inflow_date"), dateText(c.InflowDate)})
	}
	writeItemLines(b, items, m.width())
	if c.Kind == hecha.KindMismatch && (c.Resident != nil || c.Outflow != nil) {
		b.WriteByte('\n')
		m.writeMismatch(b, c)
	}
}

// writeItemLines writes label/value lines with the values lined up,
// wrapping long values within width.
func writeItemLines(b *strings.Builder, items []item, width int) {
	w := 0
	for _, it := range items {
		w = max(w, ansi.StringWidth(cli.Sanitize(it.label)))
	}
	indent := strings.Repeat(" ", w+2)
	for _, it := range items {
		value := cli.Sanitize(it.value)
		if room := width - w - 2; room >= 20 && ansi.StringWidth(value) > room {
			value = strings.ReplaceAll(ansi.Wrap(value, room, " /"), "\n", "\n"+indent)
		}
		b.WriteString(strings.TrimRight(cli.PadRight(cli.Sanitize(it.label), w)+"  "+value, " "))
		b.WriteByte('\n')
	}
}

// writeMismatch writes a mismatch case's two records side by side, with
// the items on which they differ marked.
func (m *Main) writeMismatch(b *strings.Builder, c *hecha.Case) {
	var res, out hecha.Basic
	if c.Resident != nil {
		res = *c.Resident
	}
	if c.Outflow != nil {
		out = *c.Outflow
	}
	differs := res.Differs(out)
	t := cli.Table{Header: []string{"", hecha.FieldName(m.Lang, "resident"), hecha.FieldName(m.Lang, "outflow")}}
	for _, row := range []struct {
		field    string
		res, out string
	}{
		{"name", res.Name, out.Name},
		{"sex", m.codeName("sex", string(res.Sex)), m.codeName("sex", string(out.Sex))},
		{"birth_date", dateText(res.BirthDate), dateText(out.BirthDate)},
		{"citizen_id", res.CitizenID, out.CitizenID},
	} {
		mark := markIf(slices.Contains(differs, row.field))
		t.Rows = append(t.Rows, []string{hecha.FieldName(m.Lang, row.field), mark + row.res, mark + row.out})
	}
	t.Render(b, m.width())
	fmt.Fprintln(b, hecha.T(m.Lang, "county.cli.show.legend"))
}

// writeCandidates writes the comparison: the case beside each candidate,
// candidatesPerTable at a time, differing cells marked with "*".
func (m *Main) writeCandidates(b *strings.Builder, c *hecha.Case) error {
	b.WriteByte('\n')
	if c.Kind == hecha.KindMismatch {
		fmt.Fprintln(b, hecha.T(m.Lang, "county.cli.show.form", formName(m.Lang, hecha.FormM)))
		return nil
	}
	if c.Unit == "" && len(c.Candidates) == 0 {
		fmt.Fprintln(b, hecha.T(m.Lang, "county.cli.show.no_comparison"))
		return nil
	}
	if len(c.Candidates) == 0 {
		fmt.Fprintln(b, hecha.T(m.Lang, "county.cli.show.no_candidates", formName(m.Lang, hecha.FormFor(c, nil))))
		return nil
	}
	fmt.Fprintln(b, hecha.T(m.Lang, "county.cli.show.candidates", len(c.Candidates)))
	for start := 0; start < len(c.Candidates); start += candidatesPerTable {
		end := min(start+candidatesPerTable, len(c.Candidates))
		t := m.comparisonTable(c, c.Candidates[start:end], start)
		if err := t.Render(b, m.width()); err != nil {
			return err
		}
		b.WriteByte('\n')
	}
	marked := false
	for _, cd := range c.Candidates {
		marked = marked || len(cd.Differs) > 0
	}
	if marked {
		fmt.Fprintln(b, hecha.T(m.Lang, "county.cli.show.legend"))
	}
	var forms []hecha.Form
	for _, cd := range c.Candidates {
		if !slices.Contains(forms, cd.Form) {
			forms = append(forms, cd.Form)
		}
	}
	for _, f := range forms {
		fmt.Fprintln(b, "  "+formName(m.Lang, f))
	}
	return nil
}

// comparisonTable lays out the case and some of its candidates: one row
// per item, one column per record.
func (m *Main) comparisonTable(c *hecha.Case, cands []hecha.Candidate, first int) *cli.Table {
	f := func(name string) string { return hecha.FieldName(m.Lang, name) }
	p := c.Person
	current := p.CurrentDivision
	if c.Kind == hecha.KindInProvince && c.InflowDivision != "" {
		current = c.InflowDivision
	}
	rows := []struct{ field, label, caseValue string }{
		{"source", hecha.T(m.Lang, "county.cli.show.row.source"), hecha.T(m.Lang, "county.cli.show.case")},
		{"id", hecha.T(m.Lang, "county.cli.show.row.record"), c.ID},
		{"form", hecha.T(m.Lang, "county.cli.show.row.form"), ""},
		{"name", f("name"), p.Name},
		{"sex", f("sex"), m.codeName("sex", string(p.Sex))},
		{"birth_date", f("birth_date"), dateText(p.BirthDate)},
		{"citizen_id", f("citizen_id"), p.CitizenID},
		{"household_division", f("household_division"), m.codeWithName(p.HouseholdDivision)},
		{"current_division", hecha.T(m.Lang, "county.cli.show.row.where"), m.codeWithName(current)},
		{"date", hecha.T(m.Lang, "county.cli.show.row.date"), ""},
	}
	t := &cli.Table{Header: []string{""}}
	for range rows {
		t.Rows = append(t.Rows, nil)
	}
	for i, r := range rows {
		t.Rows[i] = []string{r.label, r.caseValue}
	}
	t.Header = append(t.Header, hecha.T(m.Lang, "county.cli.show.case"))
	for n, cd := range cands {
		t.Header = append(t.Header, hecha.T(m.Lang, "county.cli.show.candidate", first+n+1))
		v := m.candidateValues(cd)
		for i, r := range rows {
			val := v[r.field]
			if slices.Contains(cd.Differs, r.field) {
				val = "*" + val
			}
			t.Rows[i] = append(t.Rows[i], val)
		}
	}
	return t
}

// candidateValues returns a candidate's values by the comparison table's
// row fields.
func (m *Main) candidateValues(cd hecha.Candidate) map[string]string {
	v := map[string]string{"form": string(cd.Form), "id": cd.RecordID()}
	byID := ""
	if cd.ByID {
		byID = hecha.T(m.Lang, "county.cli.show.by_id")
	}
	switch {
	case cd.Floating != nil:
		r := cd.Floating
		v["source"] = hecha.T(m.Lang, "county.cli.source.floating") + byID
		v["name"], v["sex"], v["birth_date"], v["citizen_id"] = r.Name, m.codeName("sex", string(r.Sex)), dateText(r.BirthDate), r.CitizenID
		v["household_division"] = m.codeWithName(r.HouseholdDivision)
		v["current_division"] = m.codeWithName(r.InflowDivision)
		v["date"] = hecha.T(m.Lang, "county.cli.show.inflow_on", dateText(r.InflowDate))
		if r.Withdrawn {
			v["date"] += hecha.T(m.Lang, "county.cli.show.withdrawn")
		}
	case cd.Resident != nil:
		r := cd.Resident
		v["source"] = hecha.T(m.Lang, "county.cli.source.resident") + byID
		v["name"], v["sex"], v["birth_date"], v["citizen_id"] = r.Name, m.codeName("sex", string(r.Sex)), dateText(r.BirthDate), r.CitizenID
		v["household_division"] = m.codeWithName(r.HouseholdDivision)
		if o := r.Outflow; o != nil {
			v["current_division"] = m.codeWithName(o.Destination)
			v["date"] = hecha.T(m.Lang, "county.cli.show.outflow_on", dateText(o.Date))
		} else {
			v["current_division"] = hecha.T(m.Lang, "county.cli.show.no_outflow")
		}
	}
	return v
}

// division is a code with its full name: "410102001 河南省/郑州市/中原区/林山寨街道".
func (m *Main) division(c hecha.Code) string {
	if c == "" {
		return ""
	}
	return string(c) + " " + m.Rules.Divisions.FullName(c)
}

// codeWithName is a code with its own name, for narrow cells.
func (m *Main) codeWithName(c hecha.Code) string {
	if c == "" {
		return ""
	}
	if d, ok := m.Rules.Divisions.Lookup(c); ok {
		return string(c) + " " + d.Name
	}
	return string(c)
}

// dateText writes a date, or "" for none.
func dateText(d hecha.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

// markIf returns "*" when b is set.
func markIf(b bool) string {
	if b {
		return "*"
	}
	return ""
}

// nonEmpty returns the non-empty strings of ss.
func nonEmpty(ss ...string) []string {
	out := ss[:0:0]
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
