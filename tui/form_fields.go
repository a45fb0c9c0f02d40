package tui

import (
	"strconv"
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

// view renders the form: a title, problems about no field, then the
// fields around the focused one, each with its problems beneath it.
func (f formModel) view(w, h int) string {
	e, s := f.env, f.env.st
	if !f.isOpen {
		return ""
	}
	head := " " + s.Title.Render(fit(e.t("tui.form."+string(f.form))+s.Dot+clean(f.c.ID)+s.Dot+clean(f.c.Person.Name), w-1))
	top := []string{head}
	for _, er := range f.general {
		if f.submit {
			top = append(top, " "+s.Err.Render(fit(s.ErrMark+clean(hecha.ErrorMessage(er, e.lang)), w-1)))
		}
	}
	lw := f.labelWidth(w)
	var body []string
	focusStart, focusEnd := 0, 0
	for i, fd := range f.fields {
		if fd.section != "" {
			title := e.t(fd.section)
			if m := memberIndex(fd.path); m >= 0 {
				title = e.t(fd.section, m+1)
			}
			body = append(body, section(s, title, w))
		}
		if i == f.focus {
			focusStart = len(body)
		}
		body = append(body, f.fieldLines(fd, i == f.focus, lw, w)...)
		if i == f.focus {
			focusEnd = len(body)
		}
	}
	room := max(h-len(top)-1, 1)
	off := 0
	if focusEnd > room {
		off = min(focusStart-room/3, focusEnd-room)
		off = min(max(off, 0), max(len(body)-room, 0))
	}
	body = body[off:]
	if len(body) > room {
		body = body[:room]
	}
	for len(body) < room {
		body = append(body, "")
	}
	return joinLines(append(append(top, body...), f.draftLine(w)))
}

// labelWidth is the label column's width: the widest label, at most a
// third of the screen.
func (f formModel) labelWidth(w int) int {
	lw := 8
	for _, fd := range f.fields {
		lw = max(lw, cellWidth(label(f.env, fd.path)))
	}
	return min(lw, max(w/3, 8))
}

// fieldLines renders one field: its label and value, a hint or pick list
// when focused, and its problems once the clerk has left it.
func (f formModel) fieldLines(fd field, focused bool, lw, w int) []string {
	e, s := f.env, f.env.st
	pointer := "  "
	lab := s.Label.Render(pad(label(e, fd.path), lw))
	if focused {
		pointer = s.Pointer + " "
		lab = s.LabelFocus.Render(pad(label(e, fd.path), lw))
	}
	v := f.values[fd.path]
	var val string
	switch fd.kind {
	case kindCheck:
		val = s.Unchecked
		if v == "1" {
			val = s.Checked
		}
	case kindEnum:
		name := glyphs.dash
		if v != "" {
			name = fd.table(e).Name(e.lang, v)
		}
		if focused {
			left, right := "‹ ", " ›"
			if s.ASCII {
				left, right = "< ", " >"
			}
			name = left + name + right
		}
		val = name
		if item, ok := strings.CutSuffix(strings.TrimPrefix(fd.path, "mismatch."), "_choice"); ok && f.c != nil {
			// A mismatch item's choice shows the value it keeps.
			res, out := mismatchValues(e, f.c, item)
			switch hecha.MismatchChoice(v) {
			case hecha.KeepResident:
				val += "  = " + res
			case hecha.KeepOutflow:
				val += "  = " + out
			}
		}
	default:
		if focused {
			ti := f.ti
			ti.Width = max(min(f.inputWidth(fd, w), cellWidth(v)+2), 12)
			val = inputView(s, ti)
		} else {
			val = orDash(v)
		}
		val += f.valueNote(fd, v)
	}
	lines := []string{fit(pointer+lab+" "+val, w)}
	if item, ok := strings.CutSuffix(strings.TrimPrefix(fd.path, "mismatch."), "_choice"); ok && fd.kind == kindEnum && f.c != nil {
		// The two values being chosen between, always in sight.
		res, out := mismatchValues(e, f.c, item)
		lines = append(lines, fit(spaces(lw+3)+s.Dim.Render(e.t("tui.form.mismatch_resident", res)+s.Dot+e.t("tui.form.mismatch_outflow", out)), w))
	}
	if focused {
		lines = append(lines, f.hintLines(fd, lw, w)...)
	}
	indent := spaces(lw + 3)
	// While a pick list is open the text is a search, not yet a value.
	if (f.touched[fd.path] || f.submit) && !(focused && f.pick.open) {
		for _, er := range f.problem[fd.path] {
			lines = append(lines, errLines(s, indent, er.Message(e.lang), w)...)
		}
	}
	if at, ok := f.countyAt[fd.path]; ok && at == v {
		for _, er := range f.county[fd.path] {
			lines = append(lines, errLines(s, indent, e.t("tui.form.county", clean(er.Message(e.lang))), w)...)
		}
	}
	return lines
}

// errLines shows an error message after indent, wrapped to w cells. The
// message may quote the value in error: it is cleaned.
func errLines(s Styles, indent, msg string, w int) []string {
	msg = clean(msg)
	room := max(w-cellWidth(indent)-cellWidth(s.ErrMark), 10)
	var out []string
	for i, part := range wrapText(msg, room) {
		mark := s.ErrMark
		if i > 0 {
			mark = spaces(cellWidth(s.ErrMark))
		}
		out = append(out, fit(indent+s.Err.Render(mark+part), w))
	}
	return out
}

// mismatchValues returns a mismatch case's resident and outflow values
// of a basic item (name, sex, birth_date, citizen_id), for display.
func mismatchValues(e *env, c *hecha.Case, item string) (string, string) {
	show := func(b *hecha.Basic) string {
		if b == nil {
			return glyphs.dash
		}
		switch item {
		case "name":
			return orDash(b.Name)
		case "sex":
			return orDash(hecha.SexCodes.Name(e.lang, string(b.Sex)))
		case "birth_date":
			return dateText(b.BirthDate)
		case "citizen_id":
			return orDash(b.CitizenID)
		}
		return glyphs.dash
	}
	return show(c.Resident), show(c.Outflow)
}

// valueNote explains a value: a division's full path, a compact date in
// its usual form, a 15-digit ID number converted to 18 digits.
func (f formModel) valueNote(fd field, v string) string {
	e, s := f.env, f.env.st
	switch fd.kind {
	case kindDivision:
		if c, err := hecha.ParseCode("", v); err == nil && c != "" {
			if e.rules.Divisions.Len() == 0 {
				return "  " + s.Err.Render(e.t("tui.form.no_divisions"))
			}
			if _, ok := e.rules.Divisions.Lookup(c); ok {
				return "  " + s.Dim.Render(clean(e.rules.Divisions.FullName(c)))
			}
			if e.rules.Divisions.Unchecked(c) {
				return "  " + s.Dim.Render(uncheckedPath(e, c)) + " " + s.Notice.Render(e.t("tui.division.unchecked"))
			}
		}
	case kindDate:
		if d, err := hecha.ParseDate("", v); err == nil && !d.IsZero() && d.String() != strings.TrimSpace(v) {
			return "  " + s.Dim.Render("= "+d.String())
		}
	case kindID:
		// A 15-digit number is saved converted to 18 digits.
		if id, err := hecha.ParseCitizenID("", v); err == nil && id.Legacy != "" {
			return "  " + s.Dim.Render("= "+id.Number)
		}
	}
	return ""
}

// hintLines are shown under the focused field: the pick list, or how to
// fill the field in.
func (f formModel) hintLines(fd field, lw, w int) []string {
	e, s := f.env, f.env.st
	indent := strings.Repeat(" ", lw+3)
	if f.pick.open {
		var out []string
		if fd.kind == kindEnum {
			hint := e.t("tui.form.hint.pick")
			if s.ASCII {
				hint = asciiArrows.Replace(hint)
			}
			out = append(out, fit(indent+s.Input.Render(clean(string(f.pick.query))+"_")+"  "+s.Dim.Render(hint), w))
		}
		if len(f.pick.options) == 0 {
			if fd.kind == kindDivision && e.rules.Divisions.Len() == 0 {
				return append(out, fit(indent+s.Err.Render(e.t("tui.form.no_divisions_hint")), w))
			}
			return append(out, indent+s.Dim.Render(e.t("tui.form.no_match")))
		}
		start := min(max(f.pick.cursor-pickerRows+1, 0), max(len(f.pick.options)-pickerRows, 0))
		for i := start; i < min(start+pickerRows, len(f.pick.options)); i++ {
			o := f.pick.options[i]
			line := "  " + o.code + " " + o.label
			if i == f.pick.cursor {
				line = s.Cursor.Render(s.Pointer + " " + o.code + " " + o.label)
			}
			out = append(out, fit(indent+line, w))
		}
		return out
	}
	var hint string
	switch fd.kind {
	case kindDate:
		hint = e.t("tui.form.hint.date")
	case kindDivision:
		hint = e.t("tui.form.hint.division")
		if fd.path == "not_found.destination" {
			// A bride's new home is often in another province, whose
			// townships the table does not hold.
			hint = e.t("tui.form.hint.destination")
		}
	case kindCheck:
		hint = e.t("tui.form.hint.check")
	case kindEnum:
		var parts []string
		for _, en := range fd.table(e).Entries {
			parts = append(parts, en.Code+" "+fd.table(e).Name(e.lang, en.Code))
		}
		hint = strings.Join(parts, s.Dot)
		if cellWidth(hint) > w-lw-3 {
			hint = e.t("tui.form.hint.enum", len(parts))
		}
	default:
		return nil
	}
	return []string{fit(indent+s.Dim.Render(hint), w)}
}

// draftLine says whether the draft is on disk.
func (f formModel) draftLine(w int) string {
	e, s := f.env, f.env.st
	switch {
	case f.saving:
		return " " + e.t("tui.form.saving")
	case f.draftErr != nil:
		return " " + s.Err.Render(fit(s.ErrMark+clean(hecha.ErrorMessage(f.draftErr, e.lang)), w-1))
	case f.pristine():
		// As the form opened: nothing to keep as a draft.
	case f.seq > f.savedSeq:
		return " " + s.Dim.Render(e.t("tui.form.unsaved"))
	case f.seq > 0:
		return " " + s.Dim.Render(e.t("tui.draft_saved"))
	}
	if n := f.problemCount(); n > 0 {
		return " " + s.Dim.Render(fit(e.t("tui.form.todo", strconv.Itoa(n)), w-1))
	}
	return " " + s.Notice.Render(fit(e.t("tui.form.ready"), w-1))
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
