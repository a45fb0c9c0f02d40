package tui

import (
	"strconv"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"hecha"
)

// draftChecksMsg holds, for each case with a draft, how many problems the
// draft would meet if saved as final (0: it would pass).
type draftChecksMsg struct {
	gen    int
	issues map[string]int
}

func (draftChecksMsg) owner() screenID { return scrList }

// checkDrafts counts every draft's problems, in a command.
func checkDrafts(e *env, ix *caseIndex, gen int) tea.Cmd {
	var ids []string
	for i := range ix.rows {
		if ix.status(i) == hecha.StatusDraft {
			ids = append(ids, ix.rows[i].id)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	return func() tea.Msg {
		issues := make(map[string]int, len(ids))
		for _, id := range ids {
			d, err := e.cfg.Store.Draft(e.ctx, id)
			if err != nil {
				continue // a draft removed meanwhile
			}
			c, err := e.cfg.Store.Case(e.ctx, id)
			if err != nil {
				continue
			}
			if d.Values != nil {
				// As the form counts them: a value it cannot read (a date
				// with no such day) is a problem even where the field may
				// be left empty.
				_, errs := check(e, c, d.Form, d.Values)
				issues[id] = len(errs)
				continue
			}
			res := d.Result
			if res == nil {
				res = &hecha.Result{CaseID: id, Form: d.Form}
			}
			issues[id] = len(hecha.DraftProblems(c, res, e.rules))
		}
		return draftChecksMsg{gen: gen, issues: issues}
	}
}

// view renders the list in w×h cells: tabs, filters, a header and only
// the rows that fit.
func (l listModel) view(w, h int) string {
	e, s := l.env, l.env.st
	lines := make([]string, 0, h)
	lines = append(lines, l.tabLine(w), l.filterLine(w))
	if l.vpick.open {
		// The village pick list takes the rows' place.
		lines = append(lines, l.villageLines(w, h-len(lines))...)
		if len(lines) > h {
			lines = lines[:h]
		}
		return joinLines(lines)
	}
	cols := l.columns(w)
	lines = append(lines, s.Dim.Render(fit(cols.header(e), w)))
	switch {
	case l.ix == nil:
		lines = append(lines, " "+e.t("tui.list.loading"))
	case len(l.shown) == 0:
		lines = append(lines, " "+e.t("tui.list.empty"))
	default:
		markers := e.markers()
		// The rows that fit; should the footer have grown since the last
		// resize, start lower so the cursor stays on screen.
		rows := max(min(l.rows, h-len(lines)), 1)
		start := max(l.offset, l.cursor-rows+1)
		end := min(start+rows, len(l.shown))
		for n := start; n < end; n++ {
			lines = append(lines, l.row(cols, markers, int(l.shown[n]), n == l.cursor, w))
		}
	}
	if len(lines) > h {
		lines = lines[:h]
	}
	return joinLines(lines)
}

// tabLine shows the tabs with their counts, the active one bracketed
// (not only styled); where that is too wide, with less space between.
func (l listModel) tabLine(w int) string {
	s := l.env.st
	line := func(before, after string) (string, int) {
		var b strings.Builder
		width := 0
		for i := range listTabs {
			label := l.tabLabel(i)
			if l.ix != nil {
				label += " " + itoa(l.tabCount(i))
			}
			if i == l.tab {
				b.WriteString(s.TabActive.Render("[" + label + "]"))
				width += cellWidth(label) + 2
			} else {
				b.WriteString(before + label + after)
				width += cellWidth(label) + len(before) + len(after)
			}
		}
		return b.String(), width
	}
	if out, width := line(" ", " "); width <= w {
		return out
	}
	out, _ := line(" ", "")
	return fit(out, w)
}

// filterLine shows the kind and village filters, the search box and the
// position.
func (l listModel) filterLine(w int) string {
	e, s := l.env, l.env.st
	kind := e.t("tui.kind.all")
	if k := listKinds[l.kind]; k != "" {
		kind = e.t("tui.kind." + string(k))
	}
	village := l.villageLabel()
	left := " " + kind + s.Dot + village + s.Dot + e.t("tui.list.search")
	query := clean(string(l.input))
	if l.search {
		query += "_"
	} else if query == "" {
		query = s.Dim.Render(e.t("tui.list.search_hint"))
	}
	pos := l.position()
	room := w - cellWidth(left) - cellWidth(pos) - 1
	if room < 4 {
		return fit(left+query, w)
	}
	if l.search {
		return left + s.Input.Render(pad(query, room)) + " " + pos
	}
	return left + pad(query, room) + " " + pos
}

// listColumns are the widths of a row's columns for one terminal width.
type listColumns struct {
	state, id, name, sex, kind, birth, citizen, extra int
}

// columns fits the columns into w cells: the name at least as wide as
// 12 cells (or the widest name), then the ID number when it fits (else
// the birth date), the case's kind while every kind is listed, then the
// name grows to the widest (up to 24 cells) while the result column keeps
// 10, then the birth date beside the ID number (which holds it) if room
// is left, and the result column takes the rest. On 80 columns
// 阿依古丽·买买提 is not cut.
func (l listModel) columns(w int) listColumns {
	const resultMin = 10 // "R2 2处待改"
	e := l.env
	c := listColumns{state: max(4, cellWidth(e.t("tui.list.h.state"))), id: 12, name: 12, birth: 10, citizen: 18}
	c.sex = cellWidth(e.t("tui.list.h.sex"))
	for _, sex := range []hecha.Sex{hecha.SexMale, hecha.SexFemale} {
		c.sex = max(c.sex, cellWidth(hecha.SexCodes.Name(e.lang, string(sex))))
	}
	natural := 12
	if l.ix != nil {
		c.id = min(max(l.ix.idWidth, cellWidth(l.env.t("field.id"))), 24)
		natural = min(max(l.ix.nameWdth, 8, cellWidth(l.env.t("field.name"))), 24)
		c.name = min(natural, 12)
	}
	rest := w - (2 + c.state + 1 + c.id + 1 + c.name + 1 + c.sex + 1)
	take := func(width *int, keep int) {
		if rest >= *width+1+keep {
			rest -= *width + 1
		} else {
			*width = 0
		}
	}
	take(&c.citizen, 0)
	birthLater := c.citizen > 0
	if !birthLater {
		take(&c.birth, 0)
	}
	if listKinds[l.kind] == "" {
		c.kind = cellWidth(e.t("tui.list.h.kind"))
		for _, k := range listKinds[1:] {
			c.kind = max(c.kind, cellWidth(e.t("tui.kind.short."+string(k))))
		}
		take(&c.kind, 0)
	}
	grow := min(natural-c.name, max(rest-resultMin, 0))
	c.name += grow
	rest -= grow
	if birthLater {
		take(&c.birth, resultMin)
	}
	c.extra = max(rest, 0)
	return c
}

func (c listColumns) header(e *env) string {
	h := "  " + pad(e.t("tui.list.h.state"), c.state) + " " + pad(e.t("field.id"), c.id) + " " +
		pad(e.t("field.name"), c.name) + " " + pad(e.t("tui.list.h.sex"), c.sex) + " "
	if c.birth > 0 {
		h += pad(e.t("field.birth_date"), c.birth) + " "
	}
	if c.citizen > 0 {
		h += pad(e.t("field.citizen_id"), c.citizen) + " "
	}
	if c.kind > 0 {
		h += pad(e.t("tui.list.h.kind"), c.kind) + " "
	}
	if c.extra > 0 {
		h += pad(e.t("tui.list.h.result"), c.extra)
	}
	return h
}

// row renders case i of the index; markers are the styled state markers.
func (l listModel) row(c listColumns, markers map[hecha.Status]string, i int, cursor bool, w int) string {
	e, s := l.env, l.env.st
	ix, r := l.ix, &l.ix.rows[i]
	status := ix.status(i)
	pointer := "  "
	if cursor {
		pointer = s.Pointer + " "
	}
	marker, ok := markers[status]
	if !ok {
		marker = pad(s.Marker(e.lang, status), 4)
	}
	if c.state > 4 {
		marker += spaces(c.state - 4)
	}
	var b strings.Builder
	b.Grow(128)
	b.WriteString(pad(clean(r.id), c.id))
	b.WriteByte(' ')
	b.WriteString(pad(r.name, c.name))
	b.WriteByte(' ')
	b.WriteString(pad(hecha.SexCodes.Name(e.lang, string(ix.sex(i))), c.sex))
	b.WriteByte(' ')
	if c.birth > 0 {
		b.WriteString(pad(ix.birth(i).String(), c.birth))
		b.WriteByte(' ')
	}
	if c.citizen > 0 {
		b.WriteString(pad(clean(r.citizen), c.citizen))
		b.WriteByte(' ')
	}
	if c.kind > 0 {
		b.WriteString(pad(e.t("tui.kind.short."+string(ix.kind(i))), c.kind))
		b.WriteByte(' ')
	}
	if c.extra > 0 {
		b.WriteString(pad(l.extra(i), c.extra))
	}
	text := b.String()
	if cursor {
		text = s.Cursor.Render(text)
	}
	row := pointer + marker + " " + text
	if c.total() > w {
		return fit(row, w)
	}
	return row
}

// total is the width of a row with these columns.
func (c listColumns) total() int {
	n := 2 + c.state + 1 + c.id + 1 + c.name + 1 + c.sex + 1 + c.extra
	if c.birth > 0 {
		n += c.birth + 1
	}
	if c.citizen > 0 {
		n += c.citizen + 1
	}
	if c.kind > 0 {
		n += c.kind + 1
	}
	return n
}

// extra is the last column: the result's form and, for a draft, whether
// it would pass.
func (l listModel) extra(i int) string {
	out := string(l.ix.form(i))
	if l.ix.status(i) == hecha.StatusDraft {
		if n, ok := l.draftIssues[l.ix.rows[i].id]; ok {
			if n == 0 {
				out += " " + l.env.t("tui.list.draft_ok")
			} else {
				out += " " + l.env.t("tui.list.draft_bad", n)
			}
		}
	}
	return clean(strings.TrimSpace(out))
}

// itoa formats a count.
func itoa(n int) string { return strconv.Itoa(n) }

var _ = hecha.Register(map[string]hecha.Msg{
	"tui.list.h.state":  {Zh: "状态", En: "state"},
	"tui.list.h.sex":    {Zh: "性别", En: "sex"},
	"tui.list.h.result": {Zh: "结果", En: "result"},
	"tui.list.h.kind":   {Zh: "类型", En: "kind"},
	"tui.kind.short.1":  {Zh: "跨省", En: "cross"},
	"tui.kind.short.2":  {Zh: "省内", En: "in-prov"},
	"tui.kind.short.3":  {Zh: "不一致", En: "mismatch"},
})
