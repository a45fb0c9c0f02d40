package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"hecha"
	"hecha/report"
)

// progressMsg carries the township's progress table, computed in a
// command from a snapshot of the list's summaries.
type progressMsg struct {
	gen   int
	table report.Table
	kinds []report.RowKind // each row's kind, for the styles
}

func (progressMsg) owner() screenID { return scrProgress }

// progressModel is the township's own progress table (核查进度表, DESIGN
// §6): per village, the cases assigned, verified and not, the rate and
// the count of each result, computed with report.ProgressOf from the
// summaries the case list holds in memory, so it follows every save and
// sync without reading the database again. The table is the report's
// short (screen) layout, fitted to the terminal; its header and total row
// stay on screen while the rows between scroll.
type progressModel struct {
	env  *env
	keys progressKeys

	gen     int
	loaded  bool
	table   report.Table
	kinds   []report.RowKind
	natural []int // each column's natural width, in cells
	offset  int
	height  int
}

func newProgressModel(e *env) progressModel {
	return progressModel{env: e, keys: newProgressKeys(e), height: 20}
}

// rebuild computes the table from the list's index, in a command; the
// summaries are copied first, as the list changes them in place.
func (p progressModel) rebuild(ix *caseIndex, township hecha.Code) (progressModel, tea.Cmd) {
	if ix == nil {
		return p, nil
	}
	p.gen++
	items := make([]report.ProgressItem, len(ix.rows))
	for i := range ix.rows {
		items[i] = ix.progressItem(i)
	}
	e, gen := p.env, p.gen
	return p, func() tea.Msg {
		rep := report.ProgressOf(items, township, e.rules.Divisions)
		kinds := make([]report.RowKind, len(rep))
		for i, r := range rep {
			kinds[i] = r.Kind
		}
		return progressMsg{gen: gen, table: rep.Table(e.lang, true), kinds: kinds}
	}
}

func (p progressModel) resize(h int) progressModel {
	p.height = h
	return p.clamp()
}

// bodyRows is how many rows scroll between the header and the total.
func (p progressModel) bodyRows() int { return max(p.height-5, 1) }

// scrolled returns the rows that scroll (all but the total, the last).
func (p progressModel) scrolled() [][]string {
	if n := len(p.table.Rows); n > 0 {
		return p.table.Rows[:n-1]
	}
	return nil
}

func (p progressModel) clamp() progressModel {
	p.offset = min(max(p.offset, 0), max(len(p.scrolled())-p.bodyRows(), 0))
	return p
}

func (p progressModel) update(msg tea.Msg) (progressModel, tea.Cmd) {
	switch msg := msg.(type) {
	case progressMsg:
		if msg.gen != p.gen {
			return p, nil
		}
		p.loaded, p.table, p.kinds = true, msg.table, msg.kinds
		p.natural = naturalWidths(p.table)
		return p.clamp(), nil
	case tea.KeyMsg:
		k := p.keys
		switch {
		case key.Matches(msg, k.Up):
			p.offset--
		case key.Matches(msg, k.Down):
			p.offset++
		case key.Matches(msg, k.PageUp):
			p.offset -= p.bodyRows()
		case key.Matches(msg, k.PageDown):
			p.offset += p.bodyRows()
		case key.Matches(msg, k.Top):
			p.offset = 0
		case key.Matches(msg, k.Bottom):
			p.offset = len(p.table.Rows)
		}
		return p.clamp(), nil
	}
	return p, nil
}

func (p progressModel) keyList() []key.Binding {
	k := p.keys
	return []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown}
}

// naturalWidths returns the width each column needs for its widest cell.
func naturalWidths(t report.Table) []int {
	w := make([]int, len(t.Header))
	measure := func(row []string) {
		for i, c := range row {
			if i < len(w) {
				w[i] = max(w[i], cellWidth(clean(c)))
			}
		}
	}
	measure(t.Header)
	for _, r := range t.Rows {
		measure(r)
	}
	return w
}

// tableLayout is how the table fits a width: each column's width (0: not
// shown) and the gap between columns.
type tableLayout struct {
	widths []int
	gap    int
	cut    bool // some columns are not shown
}

// minLabel is the narrowest the unit column is squeezed to.
const minLabel = 8

// layout fits the columns into w cells after a one-cell margin: the unit
// column (the first) gives up cells first, down to minLabel; then the
// result columns are left out from the right. Two cells between columns
// when there is room, else one.
func (p progressModel) layout(w int) tableLayout {
	n := len(p.natural)
	if n == 0 {
		return tableLayout{}
	}
	for _, gap := range []int{2, 1} {
		l := tableLayout{widths: append([]int(nil), p.natural...), gap: gap}
		rest := func() int {
			s := 1
			for i := 1; i < n; i++ {
				if l.widths[i] > 0 {
					s += l.widths[i] + gap
				}
			}
			return s
		}
		l.widths[0] = min(p.natural[0], w-rest())
		if l.widths[0] >= p.natural[0] || gap == 1 && l.widths[0] >= minLabel {
			return l
		}
		if gap == 2 {
			continue
		}
		// Leave out result columns (the last ones) until the unit fits.
		for i := n - 1; i > 1 && w-rest() < minLabel; i-- {
			if p.table.Numeric[i] && strings.HasPrefix(p.table.Header[i], "R") {
				l.widths[i], l.cut = 0, true
			}
		}
		l.widths[0] = max(min(p.natural[0], w-rest()), 1)
		return l
	}
	return tableLayout{}
}

// line renders one row of the table in the layout.
func (l tableLayout) line(row []string, numeric []bool) string {
	var b strings.Builder
	b.WriteByte(' ')
	first := true
	for i, cw := range l.widths {
		if cw == 0 {
			continue
		}
		if !first {
			b.WriteString(spaces(l.gap))
		}
		first = false
		c := ""
		if i < len(row) {
			c = clean(row[i])
		}
		if i < len(numeric) && numeric[i] {
			c = fit(c, cw)
			b.WriteString(spaces(cw - cellWidth(c)))
			b.WriteString(c)
		} else {
			b.WriteString(pad(c, cw))
		}
	}
	return strings.TrimRight(b.String(), " ")
}

func (p progressModel) view(w, h int, township string) string {
	e, s := p.env, p.env.st
	title := e.t("report.title.progress")
	if township != "" {
		title += s.Dot + township
	}
	lines := []string{" " + s.Title.Render(fit(title, w-1))}
	if !p.loaded {
		return joinLines(append(lines, " "+e.t("tui.home.loading")))
	}
	l := p.layout(w)
	numeric := p.table.Numeric
	lines = append(lines, s.Heading.Render(fit(l.line(p.table.Header, numeric), w)))
	rule := make([]string, len(l.widths))
	for i, cw := range l.widths {
		rule[i] = strings.Repeat(s.Rule, cw)
	}
	lines = append(lines, s.Dim.Render(fit(l.line(rule, nil), w)))
	rows := p.scrolled()
	room := max(h-len(lines)-2, 1)
	off := min(p.offset, max(len(rows)-room, 0))
	for i := off; i < min(off+room, len(rows)); i++ {
		text := fit(l.line(rows[i], numeric), w)
		if p.kinds[i] != report.RowUnit {
			text = s.Dim.Render(text)
		}
		lines = append(lines, text)
	}
	if n := len(p.table.Rows); n > 0 {
		lines = append(lines, s.Title.Render(fit(l.line(p.table.Rows[n-1], numeric), w)))
	}
	// What the screen leaves out: rows above or below, result columns.
	var notes []string
	if off > 0 || off+room < len(rows) {
		notes = append(notes, e.t("tui.progress.rows", off+1, min(off+room, len(rows)), len(rows)))
	}
	if l.cut {
		notes = append(notes, e.t("tui.progress.cut"))
	}
	notes = append(notes, e.t("tui.progress.note"))
	lines = append(lines, " "+s.Dim.Render(fit(strings.Join(notes, s.Dot), w-1)))
	if len(lines) > h {
		lines = lines[:h]
	}
	return joinLines(lines)
}

// progressKeys are the progress table's keys.
type progressKeys struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
}

func newProgressKeys(e *env) progressKeys {
	return progressKeys{
		Up:       bind(e, "↑/k", "tui.key.scroll_up", "up", "k"),
		Down:     bind(e, "↓/j", "tui.key.scroll_down", "down", "j"),
		PageUp:   bind(e, "pgup", "tui.key.pgup", "pgup", "ctrl+b"),
		PageDown: bind(e, "pgdn", "tui.key.pgdn", "pgdown", "ctrl+f", " "),
		Top:      bind(e, "home/g", "tui.key.top", "home", "g"),
		Bottom:   bind(e, "end/G", "tui.key.bottom", "end", "G"),
	}
}

var _ = hecha.Register(map[string]hecha.Msg{
	"tui.key.progress":  {Zh: "进度表", En: "progress"},
	"tui.progress.rows": {Zh: "第 %d-%d 行，共 %d 行", En: "rows %d-%d of %d"},
	"tui.progress.cut":  {Zh: "终端太窄，部分结果列未显示", En: "too narrow: some result columns are not shown"},
	"tui.progress.note": {Zh: "只计跨省流出个案", En: "cross-province cases only"},
})
