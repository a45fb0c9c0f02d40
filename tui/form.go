package tui

import (
	"maps"

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
	return f.focusField(), nil
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
