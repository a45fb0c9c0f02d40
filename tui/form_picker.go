package tui

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"hecha"
)

// option is one entry of a pick list.
type option struct {
	code  string
	label string
}

// picker is the pick list under a division or enumeration field.
type picker struct {
	open    bool
	query   []rune // an enumeration's filter (a division's is its text)
	options []option
	cursor  int
}

// pickerRows is how many options a pick list shows.
const pickerRows = 6

// divisions fills the list with the divisions matching q: a code prefix,
// a name or its pinyin (hecha's DivisionTable.Search), each with its full
// path 省/市/县/乡/村.
func (p picker) divisions(e *env, q string) picker {
	q = strings.TrimSpace(q)
	p.open, p.cursor, p.options = q != "", 0, nil
	if !p.open {
		return p
	}
	// A township code of another province (the table holds it to county
	// level only) is offered as typed, marked not checked.
	if c, err := hecha.ParseCode("", q); err == nil && e.rules.Divisions.Unchecked(c) {
		p.options = append(p.options, option{code: string(c), label: uncheckedPath(e, c) + "  " + e.t("tui.division.unchecked")})
	}
	for _, d := range e.rules.Divisions.Search(q, "", 30) {
		p.options = append(p.options, option{code: string(d.Code), label: clean(e.rules.Divisions.FullName(d.Code))})
	}
	return p
}

// codes fills the list with the entries of t matching q by code, name or
// pinyin initials (all of them for an empty q).
func (p picker) codes(e *env, t *hecha.CodeTable, q string) picker {
	q = normQuery(q)
	p.cursor, p.options = 0, nil
	for _, en := range t.Entries {
		name := en.Zh
		if e.lang == hecha.English {
			name = en.En
		}
		full, initials := hecha.PinyinKeys(en.Zh)
		if q == "" || strings.HasPrefix(en.Code, q) || strings.Contains(strings.ToLower(en.En), q) ||
			hecha.MatchesName(en.Zh, full, initials, q) {
			p.options = append(p.options, option{code: en.Code, label: name})
		}
	}
	return p
}

// pickerKey handles a key while a pick list is open; done reports that
// the key was used.
//
// An enumeration's list (opened by typing a code or a name, or by enter)
// works as the field does when closed: ←/→ move the highlight, and enter,
// tab or ↓ take the highlighted entry and go on to the next field (shift+tab
// or ↑ to the previous one); digits that leave a single entry take it at
// once. A division's list holds long paths: ↑/↓ move the highlight, enter
// takes it, and tab takes it too unless the text is already a division's
// code.
func (f formModel) pickerKey(msg tea.KeyMsg, fd field) (formModel, tea.Cmd, bool) {
	if fd.kind == kindEnum {
		return f.enumPickerKey(msg, fd)
	}
	switch msg.Type {
	case tea.KeyUp:
		f.pick.cursor = max(f.pick.cursor-1, 0)
		return f, nil, true
	case tea.KeyDown:
		f.pick.cursor = min(f.pick.cursor+1, max(len(f.pick.options)-1, 0))
		return f, nil, true
	case tea.KeyEsc:
		f.pick = picker{}
		return f, nil, true
	case tea.KeyTab, tea.KeyShiftTab:
		// Take the highlighted division unless the text is a code the
		// table knows (a code typed in full stays as typed); the key then
		// moves on.
		v := f.values[fd.path]
		if c, err := hecha.ParseCode("", v); err == nil && c != "" {
			if _, ok := f.env.rules.Divisions.Lookup(c); ok || f.env.rules.Divisions.Unchecked(c) {
				f.pick = picker{}
				return f, nil, false
			}
		}
		f, cmd := f.takePick(fd)
		next := 1
		if msg.Type == tea.KeyShiftTab {
			next = -1
		}
		return f.move(next), cmd, true
	case tea.KeyEnter:
		f, cmd := f.takePick(fd)
		return f, cmd, true
	}
	return f, nil, false
}

// enumPickerKey handles a key while an enumeration's list is open.
func (f formModel) enumPickerKey(msg tea.KeyMsg, fd field) (formModel, tea.Cmd, bool) {
	switch {
	case msg.Type == tea.KeyLeft:
		f.pick.cursor = max(f.pick.cursor-1, 0)
		return f, nil, true
	case msg.Type == tea.KeyRight:
		f.pick.cursor = min(f.pick.cursor+1, max(len(f.pick.options)-1, 0))
		return f, nil, true
	case msg.Type == tea.KeyEsc:
		f.pick = picker{}
		return f, nil, true
	case msg.Type == tea.KeyEnter, msg.Type == tea.KeyTab, msg.Type == tea.KeyDown:
		f, cmd := f.takePick(fd)
		return f.move(1), cmd, true
	case msg.Type == tea.KeyShiftTab, msg.Type == tea.KeyUp:
		f, cmd := f.takePick(fd)
		return f.move(-1), cmd, true
	case msg.Type == tea.KeyRunes:
		f.pick.query = append(f.pick.query, msg.Runes...)
	case msg.Type == tea.KeyBackspace:
		if len(f.pick.query) == 0 {
			f.pick = picker{}
			return f, nil, true
		}
		f.pick.query = f.pick.query[:len(f.pick.query)-1]
	default:
		return f, nil, false
	}
	f.pick = f.pick.codes(f.env, fd.table(f.env), string(f.pick.query))
	f, cmd := f.pickSingleCode(fd)
	return f, cmd, true
}

// pickSingleCode takes the only entry a query of digits leaves: typing a
// code in full chooses it.
func (f formModel) pickSingleCode(fd field) (formModel, tea.Cmd) {
	q := string(f.pick.query)
	if len(f.pick.options) != 1 || q == "" || strings.Trim(q, "0123456789") != "" {
		return f, nil
	}
	return f.takePick(fd)
}

// takePick sets the field to the highlighted entry of the list, if any,
// and closes the list.
func (f formModel) takePick(fd field) (formModel, tea.Cmd) {
	if f.pick.cursor >= len(f.pick.options) {
		f.pick = picker{}
		return f, nil
	}
	f.values[fd.path] = f.pick.options[f.pick.cursor].code
	f.pick = picker{}
	f.ti.SetValue(f.values[fd.path])
	f.ti.CursorEnd()
	return f.changed()
}

var _ = hecha.Register(map[string]hecha.Msg{
	"tui.form.no_match":          {Zh: "没有匹配的选项", En: "nothing matches"},
	"tui.form.mismatch_resident": {Zh: "常住：%v", En: "resident: %v"},
	"tui.form.mismatch_outflow":  {Zh: "流出：%v", En: "outflow: %v"},
	// A township of another province: the table holds it to county level.
	"tui.division.unchecked":    {Zh: "（乡镇未核对）", En: "(township not checked)"},
	"tui.form.hint.date":        {Zh: "如 20230105 或 2023-01-05", En: "e.g. 20230105 or 2023-01-05"},
	"tui.form.hint.division":    {Zh: "输入代码、名称或拼音，回车选定", En: "type a code, a name or its pinyin; enter picks"},
	"tui.form.hint.destination": {Zh: "输入代码、名称或拼音；外省的乡镇可直接输入 9 位代码", En: "a code, a name or its pinyin; another province's township by its 9-digit code"},
	"tui.form.hint.check":       {Zh: "空格勾选", En: "space ticks it"},
	"tui.form.hint.enum":        {Zh: "左右方向键选择，或输入代码、名称筛选（共 %d 项）", En: "left/right to choose, or type a code or name (%d in all)"},
	"tui.form.hint.pick":        {Zh: "←/→ 选择，回车/tab/↓ 选定并到下一项", En: "←/→ choose; enter/tab/↓ take it and go on"},
	"tui.form.saving":           {Zh: "正在保存…", En: "Saving…"},
	"tui.form.unsaved":          {Zh: "草稿保存中…", En: "saving draft…"},
	"tui.form.county":           {Zh: "县里退回：%v", En: "county: %v"},
	"tui.form.ready":            {Zh: "已填好，可以保存（ctrl+s）", En: "complete: save it with ctrl+s"},
	"tui.form.todo":             {Zh: "还有 %v 处待填写或改正", En: "%v left to fill in or fix"},
})
