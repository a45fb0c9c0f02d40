package tui

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"hecha"
)

// noVillage is the village filter's value for the cases whose household
// division stops at the township (未到村).
const noVillage hecha.Code = "-"

// villageOption is one entry of the village pick list.
type villageOption struct {
	code  hecha.Code // "": every village; noVillage: none
	label string
	count int
	full  string // pinyin, for filtering
	inits string
}

// villagePicker is the list's village pick list: every village the cases
// are in with its count, the cases at township level only, and all;
// typing a name, its pinyin or initials narrows it.
type villagePicker struct {
	open    bool
	all     []villageOption
	shown   []villageOption
	query   []rune
	cursor  int
	current hecha.Code
}

// start opens the pick list on list l's villages, counted under its
// status tab and kind filter, the current choice highlighted.
func (p villagePicker) start(l listModel) villagePicker {
	e, ix := l.env, l.ix
	f := l.filter()
	f.village = ""
	counts := map[hecha.Code]int{}
	total := 0
	for i := range ix.rows {
		if f.match(ix, i) {
			counts[ix.rows[i].village]++
			total++
		}
	}
	p = villagePicker{open: true, current: l.village}
	p.all = append(p.all, villageOption{label: e.t("tui.list.village_all"), count: total})
	if n := counts[""]; n > 0 || l.village == noVillage {
		p.all = append(p.all, villageOption{code: noVillage, label: e.t("tui.list.village_none"), count: n})
	}
	for _, v := range ix.villages {
		name := clean(string(v))
		if d, ok := e.rules.Divisions.Lookup(v); ok {
			name = clean(d.Name)
		}
		full, inits := hecha.PinyinKeys(name)
		p.all = append(p.all, villageOption{code: v, label: name, count: counts[v], full: full, inits: inits})
	}
	return p.filter()
}

// filter narrows the options to the query and keeps the cursor on the
// current choice when it is shown.
func (p villagePicker) filter() villagePicker {
	q := normQuery(string(p.query))
	p.shown = p.shown[:0:0]
	p.cursor = 0
	for _, o := range p.all {
		if q == "" || strings.Contains(strings.ToLower(o.label), q) || hecha.MatchesName(o.label, o.full, o.inits, q) ||
			strings.HasPrefix(string(o.code), q) {
			if o.code == p.current && q == "" {
				p.cursor = len(p.shown)
			}
			p.shown = append(p.shown, o)
		}
	}
	return p
}

// villageKey handles a key while the village pick list is open: ↑/↓
// move, enter takes the highlighted village, esc closes the list.
func (l listModel) villageKey(msg tea.KeyMsg) (listModel, tea.Cmd) {
	p := &l.vpick
	switch msg.Type {
	case tea.KeyEsc:
		p.open = false
	case tea.KeyUp:
		p.cursor = max(p.cursor-1, 0)
	case tea.KeyDown:
		p.cursor = min(p.cursor+1, max(len(p.shown)-1, 0))
	case tea.KeyEnter:
		if p.cursor < len(p.shown) {
			l.village = p.shown[p.cursor].code
			p.open = false
			return l.refilter(), nil
		}
	case tea.KeyBackspace:
		if len(p.query) > 0 {
			p.query = p.query[:len(p.query)-1]
			*p = p.filter()
		}
	case tea.KeyRunes, tea.KeySpace:
		p.query = append(p.query, msg.Runes...)
		*p = p.filter()
	}
	return l, nil
}

// villageLabel names the village filter's value.
func (l listModel) villageLabel() string {
	e := l.env
	switch l.village {
	case "":
		return e.t("tui.list.village_all")
	case noVillage:
		return e.t("tui.list.village_none")
	}
	if d, ok := e.rules.Divisions.Lookup(l.village); ok {
		return clean(d.Name)
	}
	return clean(string(l.village))
}

// villageLines renders the open pick list in h lines of w cells.
func (l listModel) villageLines(w, h int) []string {
	e, s, p := l.env, l.env.st, l.vpick
	lines := []string{" " + s.Title.Render(e.t("tui.list.village_pick")) + " " + s.Input.Render(clean(string(p.query))+"_")}
	if len(p.shown) == 0 {
		return append(lines, "   "+s.Dim.Render(e.t("tui.form.no_match")))
	}
	rows := max(h-len(lines), 1)
	start := min(max(p.cursor-rows+1, 0), max(len(p.shown)-rows, 0))
	cw := 4
	for _, o := range p.shown {
		cw = max(cw, cellWidth(o.label))
	}
	cw = min(cw, max(w-14, 8))
	for i := start; i < min(start+rows, len(p.shown)); i++ {
		o := p.shown[i]
		line := "  " + pad(o.label, cw) + " " + itoa(o.count)
		if i == p.cursor {
			line = s.Cursor.Render(s.Pointer + " " + pad(o.label, cw) + " " + itoa(o.count))
		}
		lines = append(lines, fit(" "+line, w))
	}
	return lines
}

var _ = hecha.Register(map[string]hecha.Msg{
	"tui.list.village_none": {Zh: "未到村", En: "no village"},
	"tui.list.village_pick": {Zh: "选择村（输入名称或拼音筛选，回车选定）：", En: "Choose a village (type a name or pinyin; enter picks):"},
})
