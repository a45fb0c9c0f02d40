package tui

import (
	"maps"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"hecha"
)

// formModel is a result form (DESIGN §5). It is made by hand on
// bubbles/textinput rather than with huh: the fields shown depend on
// other fields' values, the errors come from hecha's Validate for the whole
// result (an ID number disagreeing with the birth date is the ID's error)
// and are shown at their field when it is left, the household members are
// a list the clerk can grow, and every change is written as a draft that
// reopens at the field that had focus.
type formModel struct {
	env  *env
	keys formKeys

	isOpen   bool
	session  int
	c        *hecha.Case
	form     hecha.Form
	cand     *hecha.Candidate
	replaces string

	width  int // the terminal's: the focused input scrolls within its share
	values map[string]string
	// base holds the values the form opened with when it did not open
	// from a draft (pre-filled, or the result being corrected): while the
	// values equal them there is nothing to keep, so no draft is written
	// (and one written meanwhile is removed).
	base    map[string]string
	fields  []field // the visible fields, in order
	focus   int
	ti      textinput.Model
	pick    picker
	problem map[string]hecha.Errors // current problems by field
	general hecha.Errors            // problems about no field on screen
	touched map[string]bool         // fields the clerk has left
	submit  bool                    // a save was tried: show every problem
	// county holds what the county said of the result being corrected,
	// by field, shown while the field keeps the value it had (countyAt).
	county   map[string]hecha.Errors
	countyAt map[string]string
	saving   bool

	saver       *draftSaver
	seq         int // changes made
	savedSeq    int // changes on disk
	tickPending bool
	draftErr    error
}

func newFormModel(e *env) formModel {
	return formModel{env: e, keys: newFormKeys(e), width: 80}
}

// resize sets the terminal width the form is drawn in.
func (f formModel) resize(w int) formModel {
	f.width = w
	return f.fitInput()
}

// inputWidth is how many cells the focused text input has in a form w
// cells wide: the value column, at most 40 where a note follows the value
// (a division's name, a date in its usual form), at least 12.
func (f formModel) inputWidth(fd field, w int) int {
	vw := max(w-f.labelWidth(w)-3, 4)
	limit := vw - 1
	if fd.kind != kindText && fd.kind != kindName {
		limit = min(limit, 40)
	}
	return max(limit, 12)
}

// fitInput gives the text input its width before it handles a key, so it
// scrolls the text around the cursor (the end of a long address is then
// seen and edited).
func (f formModel) fitInput() formModel {
	fd, ok := f.focused()
	if !ok {
		return f
	}
	if w := f.inputWidth(fd, f.width); w != f.ti.Width {
		f.ti.Width = w
		f.ti.SetCursor(f.ti.Position()) // the visible part follows the width
	}
	return f
}

// open starts the form a request names: from its draft when there is one,
// else pre-filled from the case.
func (f formModel) open(req openFormMsg) (formModel, tea.Cmd) {
	session := f.session + 1
	f = formModel{env: f.env, keys: f.keys, session: session, isOpen: true,
		c: req.c, form: req.form, cand: req.candidate, replaces: req.replaces,
		touched: map[string]bool{}, saver: &draftSaver{}}
	focusPath := ""
	if req.draft != nil && req.draft.Values != nil {
		f.values = maps.Clone(req.draft.Values)
		focusPath = req.draft.Focus
		// The reopened draft's problems show at once, as they did.
		for k := range f.values {
			f.touched[k] = true
		}
	} else if req.prev != nil {
		f.values = resultValues(req.prev)
		f.county = map[string]hecha.Errors{}
		f.countyAt = map[string]string{}
		for _, er := range req.county {
			f.county[er.Field] = append(f.county[er.Field], er)
			f.countyAt[er.Field] = f.values[er.Field]
		}
	} else {
		f.values = prefillValues(req.c, req.form)
		if req.signName != "" && (req.form.Confirms() || req.form == hecha.FormM) {
			// The resident clerk who signed last signs again, most likely.
			f.values[pathSignName] = req.signName
		}
	}
	if req.draft == nil || req.draft.Values == nil {
		f.base = maps.Clone(f.values)
	}
	f.ti = textinput.New()
	f.ti.Prompt = ""
	f.ti.Cursor.SetMode(cursor.CursorStatic)
	f.ti.TextStyle = f.env.st.Input
	f = f.recheck()
	for i, fd := range f.fields {
		if fd.path == focusPath {
			f.focus = i
		}
	}
	return f.focusField(), prepareSearch(f.env)
}

// prepareSearch computes the division table's search keys in the
// background (the store leaves them to the first search, so that launch
// need not wait for them), so the form's first division search does not
// wait some 100 ms for them.
func prepareSearch(e *env) tea.Cmd {
	return func() tea.Msg {
		e.rules.Divisions.PrepareSearch()
		return nil
	}
}

// close ends the form session; late messages of it are ignored.
func (f formModel) close() formModel {
	f.isOpen = false
	f.values = nil
	return f
}

func (f formModel) wantsEsc() bool { return f.pick.open }

// pristine reports whether the values are those the form opened with
// (not from a draft): nothing to keep as a draft.
func (f formModel) pristine() bool {
	if f.base == nil {
		return false
	}
	// A field emptied again is as it was when the form opened without it.
	for k, v := range f.values {
		if f.base[k] != v {
			return false
		}
	}
	for k, v := range f.base {
		if f.values[k] != v {
			return false
		}
	}
	return true
}

// focused returns the field with focus.
func (f formModel) focused() (field, bool) {
	if f.focus < 0 || f.focus >= len(f.fields) {
		return field{}, false
	}
	return f.fields[f.focus], true
}

// recheck recomputes the visible fields and the problems.
func (f formModel) recheck() formModel {
	cur, _ := f.focused()
	f.fields = visibleFields(f.form, f.values)
	for i, fd := range f.fields {
		if fd.path == cur.path {
			f.focus = i
		}
	}
	f.focus = min(max(f.focus, 0), max(len(f.fields)-1, 0))
	_, errs := check(f.env, f.c, f.form, f.values)
	return f.setProblems(errs)
}

// setProblems files errors under their fields; those about a field not on
// the form are general.
func (f formModel) setProblems(errs hecha.Errors) formModel {
	onForm := map[string]bool{}
	for _, fd := range f.fields {
		onForm[fd.path] = true
	}
	f.problem = map[string]hecha.Errors{}
	f.general = nil
	for _, er := range errs {
		if onForm[er.Field] {
			f.problem[er.Field] = append(f.problem[er.Field], er)
		} else {
			f.general = append(f.general, er)
		}
	}
	return f
}

// problemCount is the number of problems saving would meet now.
func (f formModel) problemCount() int {
	n := len(f.general)
	for _, errs := range f.problem {
		n += len(errs)
	}
	return n
}

// focusField loads the focused field into the text input.
func (f formModel) focusField() formModel {
	f.pick = picker{}
	fd, ok := f.focused()
	if !ok {
		return f
	}
	f.ti.Reset()
	f.ti.CharLimit = charLimit(fd.kind)
	f.ti.Width = f.inputWidth(fd, f.width)
	f.ti.SetValue(clean(f.values[fd.path]))
	f.ti.CursorEnd()
	f.ti.Focus()
	return f
}

// charLimit bounds what a field takes.
func charLimit(k fieldKind) int {
	switch k {
	case kindName:
		return hecha.MaxNameLen
	case kindID:
		return 20
	case kindDate:
		return 10
	case kindDivision:
		return 40 // a code, or a name being searched for
	}
	return hecha.MaxRemarkLen
}

// move leaves the focused field (its problems now show) for another.
func (f formModel) move(delta int) formModel {
	if fd, ok := f.focused(); ok {
		f.touched[fd.path] = true
	}
	if n := len(f.fields); n > 0 {
		f.focus = min(max(f.focus+delta, 0), n-1)
	}
	return f.focusField()
}

func (f formModel) update(msg tea.Msg) (formModel, tea.Cmd) {
	switch msg := msg.(type) {
	case draftTickMsg:
		if msg.session != f.session || !f.isOpen {
			return f, nil
		}
		f.tickPending = false
		if f.seq == f.savedSeq {
			return f, nil
		}
		return f, f.writeDraft()
	case draftSavedMsg:
		if msg.session != f.session {
			return f, nil
		}
		f.draftErr = msg.err
		if msg.err != nil {
			return f, fail(msg.err)
		}
		if msg.seq > f.savedSeq {
			f.savedSeq = msg.seq
		}
		if msg.removed {
			// Back as it was: the lists show the case's state again.
			return f, send(changedMsg{reload: true})
		}
		if msg.skipped {
			return f, nil
		}
		return f, send(caseStatusMsg{id: f.c.ID, status: hecha.StatusDraft, form: f.form, ifPending: true, issues: f.problemCount()})
	case resultMsg:
		if msg.session != f.session {
			return f, nil
		}
		f.saving = false
		if msg.err != nil {
			if hecha.ErrorCode(msg.err) == hecha.EINVALID {
				f.submit = true
				f = f.setProblems(hecha.AsErrors(msg.err))
				return f, send(errMsg{hecha.Errorf(hecha.EINVALID, "", countID("tui.save_blocked", len(hecha.AsErrors(msg.err))), len(hecha.AsErrors(msg.err)))})
			}
			return f, fail(msg.err)
		}
		return f, send(savedMsg{res: msg.res})
	case tea.KeyMsg:
		if !f.isOpen || f.saving {
			return f, nil
		}
		return f.key(msg)
	}
	return f, nil
}

// key handles a key in the form.
func (f formModel) key(msg tea.KeyMsg) (formModel, tea.Cmd) {
	k := f.keys
	fd, ok := f.focused()
	if f.pick.open {
		if f, cmd, done := f.pickerKey(msg, fd); done {
			return f, cmd
		}
	}
	switch {
	case key.Matches(msg, k.Save):
		return f.save()
	case key.Matches(msg, k.AddMember) && f.form.Confirms():
		return f.addMember()
	case key.Matches(msg, k.DelMember) && memberIndex(fd.path) >= 0:
		return f.delMember(memberIndex(fd.path))
	case key.Matches(msg, k.Next):
		return f.move(1), nil
	case key.Matches(msg, k.Prev):
		return f.move(-1), nil
	case !ok:
		return f, nil
	}
	switch fd.kind {
	case kindCheck:
		if msg.Type == tea.KeySpace || msg.Type == tea.KeyEnter || msg.String() == "x" {
			if f.values[fd.path] == "1" {
				f.values[fd.path] = ""
			} else {
				f.values[fd.path] = "1"
			}
			return f.changed()
		}
		return f, nil
	case kindEnum:
		return f.enumKey(msg, fd)
	}
	if msg.Type == tea.KeyEnter {
		return f.move(1), nil
	}
	var cmd tea.Cmd
	f = f.fitInput() // the label column may have changed with the fields shown
	f.ti, cmd = f.ti.Update(msg)
	f.ti = cleanInput(f.ti)
	if v := f.ti.Value(); v != f.values[fd.path] {
		f.values[fd.path] = v
		if fd.kind == kindDivision {
			f.pick = f.pick.divisions(f.env, v)
		}
		f, c2 := f.changed()
		return f, tea.Batch(cmd, c2)
	}
	return f, cmd
}

// save validates the whole form and, when it passes, saves the result as
// final in a command; otherwise every problem shows at its field and the
// focus goes to the first.
func (f formModel) save() (formModel, tea.Cmd) {
	f.submit = true
	if fd, ok := f.focused(); ok {
		f.touched[fd.path] = true
	}
	res, errs := check(f.env, f.c, f.form, f.values)
	f = f.setProblems(errs)
	if len(errs) > 0 {
		for i, fd := range f.fields {
			if len(f.problem[fd.path]) > 0 {
				f.focus = i
				f = f.focusField()
				break
			}
		}
		return f, send(errMsg{hecha.Errorf(hecha.EINVALID, "", countID("tui.save_blocked", len(errs)), len(errs))})
	}
	res.CandidateID = f.candidateID()
	res.Replaces = f.replaces
	f.saving = true
	return f, f.saver.saveResult(f.env, f.session, res)
}

func (f formModel) keyList() ([]key.Binding, [][]key.Binding) {
	k := f.keys
	fd, _ := f.focused()
	short := []key.Binding{k.Save, k.Next, k.Prev}
	switch fd.kind {
	case kindEnum:
		short = append(short, k.Left)
	case kindCheck:
		short = append(short, k.Toggle)
	case kindDivision:
		short = append(short, k.Pick)
	}
	more := []key.Binding{k.Left, k.Toggle, k.Pick}
	if f.form.Confirms() {
		more = append(more, k.AddMember, k.DelMember)
	}
	return short, [][]key.Binding{more}
}

// enumKey: ←/→ step through the codes, enter opens the pick list, typing
// filters it.
func (f formModel) enumKey(msg tea.KeyMsg, fd field) (formModel, tea.Cmd) {
	t := fd.table(f.env)
	switch {
	case key.Matches(msg, f.keys.Left), key.Matches(msg, f.keys.Right):
		step := 1
		if key.Matches(msg, f.keys.Left) {
			step = -1
		}
		f.values[fd.path] = stepCode(t, f.values[fd.path], step)
		return f.changed()
	case msg.Type == tea.KeyEnter:
		f.pick = picker{open: true}.codes(f.env, t, "")
	case msg.Type == tea.KeyRunes:
		f.pick = picker{open: true, query: msg.Runes}.codes(f.env, t, string(msg.Runes))
		return f.pickSingleCode(fd)
	case msg.Type == tea.KeyBackspace || msg.Type == tea.KeyDelete:
		f.values[fd.path] = ""
		return f.changed()
	}
	return f, nil
}

// stepCode returns the code step places from cur in t (wrapping; from
// none, the first or last).
func stepCode(t *hecha.CodeTable, cur string, step int) string {
	n := len(t.Entries)
	if n == 0 {
		return cur
	}
	at := -1
	for i, e := range t.Entries {
		if e.Code == cur {
			at = i
		}
	}
	if at < 0 {
		if step > 0 {
			return t.Entries[0].Code
		}
		return t.Entries[n-1].Code
	}
	return t.Entries[(at+step+n)%n].Code
}

// addMember appends an empty household member and focuses its name.
func (f formModel) addMember() (formModel, tea.Cmd) {
	n := memberCount(f.values)
	f.values[pathMembers] = strconv.Itoa(n + 1)
	f.fields = visibleFields(f.form, f.values)
	name := memberFields(n)[0].path
	for i, fd := range f.fields {
		if fd.path == name {
			f.focus = i
		}
	}
	f = f.focusField()
	return f.changed()
}

// delMember removes member i, moving the later ones up.
func (f formModel) delMember(i int) (formModel, tea.Cmd) {
	n := memberCount(f.values)
	at := func(j int, part string) string { return pathMembers + "[" + strconv.Itoa(j) + "]." + part }
	for j := i; j < n; j++ {
		for _, it := range hecha.MemberFields {
			if j+1 < n {
				f.values[at(j, it.Path)] = f.values[at(j+1, it.Path)]
			} else {
				delete(f.values, at(j, it.Path))
			}
		}
	}
	f.values[pathMembers] = strconv.Itoa(n - 1)
	f = f.recheck().focusField()
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
