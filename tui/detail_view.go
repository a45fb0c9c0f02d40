package tui

import (
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"hecha"
)

// view renders the case detail; the content scrolls, and only the lines
// that fit are drawn.
func (d detailModel) view(w, h int) string {
	e, s := d.env, d.env.st
	if !d.loaded {
		return " " + e.t("tui.detail.loading")
	}
	c := d.c
	head := " " + s.Title.Render(fit(e.t("tui.detail.title", clean(c.ID))+s.Dot+e.t("tui.kind."+string(c.Kind)), w-1))
	// What decides the form comes first: the records in question and the
	// comparison; the full 15 items follow.
	var body []string
	switch c.Kind {
	case hecha.KindMismatch:
		body = append(body, d.mismatchLines(w)...)
	case hecha.KindInProvince:
		body = append(body, " "+fit(e.t("tui.detail.inflow", divText(e, c.InflowDivision), clean(c.InflowAddress), dateText(c.InflowDate)), w-1))
	}
	if c.Kind != hecha.KindMismatch {
		// A mismatch case's records are the case's own; it has one form.
		body = append(body, d.compareLines(w)...)
	}
	body = append(body, d.personLines(w)...)

	// The form line and the lookup box stay on screen below the scrolling part.
	var foot []string
	if d.lookup {
		foot = append(foot, " "+e.t("tui.detail.search")+s.Input.Render(pad(clean(string(d.input))+"_", max(w-12, 4))))
		foot = append(foot, " "+s.Dim.Render(fit(e.t("tui.detail.search_hint"), w-1)))
	} else {
		foot = append(foot, d.formLine(w))
		if n := len(d.versions); n > 0 {
			v := d.versions[n-1]
			foot = append(foot, " "+fit(e.t("tui.detail.result", e.t("tui.form."+string(v.Result.Form)), outcomeText(e, v.Upload)), w-1))
		}
		if d.draft != nil {
			foot = append(foot, " "+fit(e.t("tui.detail.draft", d.draft.SavedAt.In(e.now().Location()).Format("01-02 15:04")), w-1))
		}
	}
	room := max(h-1-len(foot), 1)
	off := min(d.scroll, max(len(body)-room, 0))
	total := len(body)
	body = body[off:]
	if len(body) > room {
		body = body[:room]
		if room > 1 {
			body[room-1] = moreBelow(e, total-off-room+1, w)
		}
	}
	for len(body) < room {
		body = append(body, "")
	}
	lines := append([]string{head}, body...)
	return joinLines(append(lines, foot...))
}

// moreBelow is the line that stands in for the last one on screen when n
// lines do not fit: it says how much is below and how to see it.
func moreBelow(e *env, n, w int) string {
	more := e.t("tui.detail.more", n)
	if e.st.ASCII {
		more = asciiArrows.Replace(more)
	}
	return " " + e.st.Dim.Render(fit(more, w-1))
}

// section returns a heading line with a rule after it.
func section(s Styles, title string, w int) string {
	t := " " + s.Heading.Render(title) + " "
	return fit(t+s.rule(w-cellWidth(t)), w)
}

// divText names a division by its full path and code, or "—".
func divText(e *env, c hecha.Code) string {
	if c == "" {
		return glyphs.dash
	}
	if e.rules.Divisions.Unchecked(c) {
		return uncheckedPath(e, c) + " (" + clean(string(c)) + ") " + e.t("tui.division.unchecked")
	}
	return clean(e.rules.Divisions.FullName(c)) + " (" + clean(string(c)) + ")"
}

// uncheckedPath names the divisions the table knows above an unchecked
// township code (another province's county and up).
func uncheckedPath(e *env, c hecha.Code) string {
	return clean(strings.TrimSuffix(e.rules.Divisions.FullName(c), "/"+string(c)))
}

// divShort names a division by its code and its own name, for tables.
func divShort(e *env, c hecha.Code) string {
	if c == "" {
		return glyphs.dash
	}
	if d, ok := e.rules.Divisions.Lookup(c); ok {
		return clean(string(c)) + " " + clean(d.Name)
	}
	if e.rules.Divisions.Unchecked(c) {
		return clean(string(c)) + " " + e.t("tui.division.unchecked")
	}
	return clean(string(c))
}

// dateText shows a date, or "—" when not given.
func dateText(d hecha.Date) string {
	if d.IsZero() {
		return glyphs.dash
	}
	return d.String()
}

// orDash is s, or "—" when empty.
func orDash(s string) string {
	if s == "" {
		return glyphs.dash
	}
	return clean(s)
}

// pair lays out two label-value pairs side by side when they fit, else
// one per line.
func pair(w, lw int, l1, v1, l2, v2 string) []string {
	half := (w - 2) / 2
	a := " " + pad(l1, lw) + " " + v1
	if l2 == "" {
		if cellWidth(a) <= w {
			return []string{a}
		}
		// A long value (a division's path and code, an address) wraps
		// under itself, at a "/" or a space where it can, rather than lose
		// its end.
		room := max(w-lw-2, 8)
		var out []string
		for i, part := range strings.Split(ansi.Wrap(v1, room, "/ "), "\n") {
			label := l1
			if i > 0 {
				label = ""
			}
			out = append(out, fit(" "+pad(label, lw)+" "+strings.TrimRight(part, " "), w))
		}
		return out
	}
	b := pad(l2, lw) + " " + v2
	if l2 != "" && cellWidth(a) < half && cellWidth(b) <= w-half-1 {
		return []string{pad(a, half) + " " + b}
	}
	return []string{fit(a, w), fit(" "+b, w)}
}

// labelCol returns the width of a label column for the given fields
// display names, at most 16 cells.
func labelCol(e *env, fields ...string) int {
	lw := 4
	for _, f := range fields {
		lw = max(lw, cellWidth(e.t("field."+f)))
	}
	return min(lw, 16)
}

// personLines shows the 15 items and the household members.
func (d detailModel) personLines(w int) []string {
	e, s, p := d.env, d.env.st, &d.c.Person
	f := func(id string) string { return e.t("field." + id) }
	lines := []string{section(s, e.t("tui.detail.items"), w)}
	lw := labelCol(e, "name", "sex", "citizen_id", "birth_date", "current_division", "current_address",
		"household_division", "household_address", "education", "hukou_type", "marital", "reason",
		"outflow_date", "return_date")
	lines = append(lines, pair(w, lw, f("name"), orDash(p.Name), f("sex"), orDash(hecha.SexCodes.Name(e.lang, string(p.Sex))))...)
	lines = append(lines, pair(w, lw, f("citizen_id"), orDash(p.CitizenID), f("birth_date"), dateText(p.BirthDate))...)
	lines = append(lines, pair(w, lw, f("current_division"), divText(e, p.CurrentDivision), "", "")...)
	lines = append(lines, pair(w, lw, f("current_address"), orDash(p.CurrentAddress), "", "")...)
	lines = append(lines, pair(w, lw, f("household_division"), divText(e, p.HouseholdDivision), "", "")...)
	lines = append(lines, pair(w, lw, f("household_address"), orDash(p.HouseholdAddress), "", "")...)
	lines = append(lines, pair(w, lw, f("education"), orDash(hecha.EducationCodes.Name(e.lang, string(p.Education))),
		f("hukou_type"), orDash(hecha.HukouCodes.Name(e.lang, string(p.HukouType))))...)
	lines = append(lines, pair(w, lw, f("marital"), orDash(hecha.MaritalCodes.Name(e.lang, string(p.Marital))),
		f("reason"), orDash(e.rules.ReasonTable().Name(e.lang, string(p.Reason))))...)
	lines = append(lines, pair(w, lw, f("outflow_date"), dateText(p.OutflowDate), f("return_date"), dateText(p.ReturnDate))...)
	lines = append(lines, " "+f("members")+":")
	if len(p.Members) == 0 {
		lines = append(lines, "   "+e.t("tui.detail.no_members"))
	}
	for _, m := range p.Members {
		row := "   " + clean(m.Name) + " " + orDash(hecha.RelationshipCodes.Name(e.lang, string(m.Relationship))) +
			" " + hecha.SexCodes.Name(e.lang, string(m.Sex)) + " " + dateText(m.BirthDate) + " " + clean(m.CitizenID)
		lines = append(lines, fit(row, w))
	}
	return lines
}

// mismatchLines shows a mismatch case's two records side by side, the
// differing items marked.
func (d detailModel) mismatchLines(w int) []string {
	e, s, c := d.env, d.env.st, d.c
	lines := []string{section(s, e.t("tui.detail.mismatch"), w)}
	var r, o hecha.Basic
	if c.Resident != nil {
		r = *c.Resident
	}
	if c.Outflow != nil {
		o = *c.Outflow
	}
	differs := r.Differs(o)
	lw := labelCol(e, "name", "sex", "birth_date", "citizen_id")
	colW := max((w-lw-5)/2, 8)
	lines = append(lines, fit("   "+pad("", lw)+" "+pad(e.t("field.resident"), colW)+" "+pad(e.t("field.outflow"), colW), w))
	row := func(field, a, b string) {
		mark := " "
		if slices.Contains(differs, field) {
			mark = s.Differs
		}
		line := " " + mark + " " + pad(e.t("field."+field), lw) + " " + pad(orDash(a), colW) + " " + pad(orDash(b), colW)
		if mark != " " {
			line = s.Differ.Render(line)
		}
		lines = append(lines, fit(line, w))
	}
	row("name", r.Name, o.Name)
	row("sex", hecha.SexCodes.Name(e.lang, string(r.Sex)), hecha.SexCodes.Name(e.lang, string(o.Sex)))
	row("birth_date", dateText(r.BirthDate), dateText(o.BirthDate))
	row("citizen_id", r.CitizenID, o.CitizenID)
	return lines
}

// compareLines shows the candidates, the picked one's items beside the
// case's with the differing ones marked, and the "none" choice.
func (d detailModel) compareLines(w int) []string {
	e, s := d.env, d.env.st
	lines := []string{section(s, e.t("tui.detail.compare", d.precision.Label(e.lang)), w)}
	if d.comparing {
		return append(lines, " "+e.t("tui.detail.comparing"))
	}
	if d.note != "" {
		lines = append(lines, " "+fit(d.note, w-1))
	}
	if len(d.cands) == 0 {
		lines = append(lines, " "+e.t("tui.detail.none_found"))
	}
	for i, cd := range d.cands {
		pointer := "  "
		if i == d.pick {
			pointer = s.Pointer + " "
		}
		byID := ""
		if cd.ByID {
			byID = e.t("tui.detail.by_id")
		}
		name, birth, id := candidateBasics(cd)
		line := pointer + itoa(i+1) + ". " + e.t("tui.source."+string(cd.Source)) + byID + "  " +
			clean(name) + " " + dateText(birth) + " " + clean(id) + "  " + s.Arrow + " " + string(hecha.FormFor(d.c, &cd))
		if cellWidth(line) > w {
			// The form it leads to matters more than the ID number (the
			// table below shows the picked record's).
			line = pointer + itoa(i+1) + ". " + e.t("tui.source."+string(cd.Source)) + byID + "  " +
				clean(name) + " " + dateText(birth) + "  " + s.Arrow + " " + string(hecha.FormFor(d.c, &cd))
		}
		if i == d.pick {
			line = s.Picked.Render(line)
		}
		lines = append(lines, fit(line, w))
	}
	none := "  "
	if d.pick < 0 {
		none = s.Pointer + " "
	}
	lines = append(lines, fit(none+"0. "+e.t("tui.detail.pick_none")+"  "+s.Arrow+" "+string(hecha.FormFor(d.c, nil)), w))
	if cd := d.picked(); cd != nil {
		lines = append(lines, d.candidateTable(*cd, w)...)
	}
	return lines
}

// candidateBasics returns a candidate record's name, birth date and ID.
func candidateBasics(cd hecha.Candidate) (string, hecha.Date, string) {
	switch {
	case cd.Floating != nil:
		return cd.Floating.Name, cd.Floating.BirthDate, cd.Floating.CitizenID
	case cd.Resident != nil:
		return cd.Resident.Name, cd.Resident.BirthDate, cd.Resident.CitizenID
	}
	return "", hecha.Date{}, ""
}

// candidateTable shows the picked record's items beside the case's; an
// item in Differs is marked with * (and the differ style).
func (d detailModel) candidateTable(cd hecha.Candidate, w int) []string {
	e, s, p := d.env, d.env.st, &d.c.Person
	lw := min(max(labelCol(e, "name", "sex", "birth_date", "citizen_id", "household_division"),
		cellWidth(e.t("tui.detail.where.floating")), cellWidth(e.t("tui.detail.where.resident"))), 16)
	colW := max((w-lw-5)/2, 8)
	lines := []string{fit("   "+pad("", lw)+" "+pad(e.t("tui.detail.case_value"), colW)+" "+pad(e.t("tui.detail.rec_value"), colW), w)}
	row := func(field, label, a, b string) {
		mark := " "
		if slices.Contains(cd.Differs, field) {
			mark = s.Differs
		}
		line := " " + mark + " " + pad(label, lw) + " " + pad(a, colW) + " " + pad(b, colW)
		if mark != " " {
			line = s.Differ.Render(line)
		}
		lines = append(lines, fit(line, w))
	}
	sex := func(x hecha.Sex) string { return orDash(hecha.SexCodes.Name(e.lang, string(x))) }
	name, birth, id := candidateBasics(cd)
	var rsex hecha.Sex
	var household, where hecha.Code
	whereLabel := e.t("tui.detail.where.case")
	switch {
	case cd.Floating != nil:
		rsex, household, where = cd.Floating.Sex, cd.Floating.HouseholdDivision, cd.Floating.InflowDivision
		whereLabel = e.t("tui.detail.where.floating")
	case cd.Resident != nil:
		rsex, household = cd.Resident.Sex, cd.Resident.HouseholdDivision
		if o := cd.Resident.Outflow; o != nil {
			where = o.Destination
		}
		whereLabel = e.t("tui.detail.where.resident")
	}
	caseWhere := p.CurrentDivision
	if d.c.Kind == hecha.KindInProvince {
		caseWhere = d.c.InflowDivision
	}
	row("name", e.t("field.name"), orDash(p.Name), orDash(name))
	row("sex", e.t("field.sex"), sex(p.Sex), sex(rsex))
	row("birth_date", e.t("field.birth_date"), dateText(p.BirthDate), dateText(birth))
	row("citizen_id", e.t("field.citizen_id"), orDash(p.CitizenID), orDash(id))
	row("household_division", e.t("field.household_division"), divShort(e, p.HouseholdDivision), divShort(e, household))
	row("current_division", whereLabel, divShort(e, caseWhere), divShort(e, where))
	switch {
	case cd.Floating != nil && cd.Floating.Withdrawn:
		lines = append(lines, "   "+e.t("tui.detail.withdrawn"))
	case cd.Resident != nil && cd.Resident.Outflow == nil:
		lines = append(lines, "   "+e.t("tui.detail.no_outflow"))
	}
	if len(cd.Differs) > 0 {
		lines = append(lines, "   "+s.Dim.Render(fit(e.t("tui.detail.differs"), w-3)))
	}
	return lines
}

// formLine names the form that applies to the picked candidate.
func (d detailModel) formLine(w int) string {
	e := d.env
	return " " + d.env.st.Title.Render(fit(e.t("tui.detail.form", e.t("tui.form."+string(d.form()))), w-1))
}

var _ = hecha.Register(map[string]hecha.Msg{
	"tui.detail.where.case":     {Zh: "现居住地", En: "lives in"},
	"tui.detail.more":           {Zh: "下面还有 %d 行（↓ 或 PgDn 翻看）", En: "%d more lines below (↓ or PgDn)"},
	"tui.detail.where.floating": {Zh: "现居住地/流入地", En: "lives/inflow"},
	"tui.detail.where.resident": {Zh: "现居住地/流出地", En: "lives/outflow to"},
})
