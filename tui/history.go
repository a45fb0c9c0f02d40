package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"hecha"
)

// historyMsg carries a case's result history.
type historyMsg struct {
	caseID   string
	versions []hecha.ResultVersion
	err      error
}

func (historyMsg) owner() screenID { return scrHistory }

// historyModel shows every result saved for a case, newest first, with
// what the county said of each; the chosen one (the newest at first)
// shows what was saved, read-only: looking at a result makes no draft.
type historyModel struct {
	env      *env
	keys     historyKeys
	c        *hecha.Case
	versions []hecha.ResultVersion
	loaded   bool
	sel      int // index into versions of the one whose content shows
	offset   int // first line on screen
}

func newHistoryModel(e *env) historyModel {
	return historyModel{env: e, keys: newHistoryKeys(e)}
}

// open shows case c's history, loading it in a command.
func (h historyModel) open(c *hecha.Case) (historyModel, tea.Cmd) {
	h.c, h.versions, h.loaded, h.offset, h.sel = c, nil, false, 0, 0
	e := h.env
	return h, func() tea.Msg {
		vs, err := e.cfg.Store.History(e.ctx, c.ID)
		return historyMsg{caseID: c.ID, versions: vs, err: err}
	}
}

func (h historyModel) update(msg tea.Msg) (historyModel, tea.Cmd) {
	switch msg := msg.(type) {
	case historyMsg:
		if h.c == nil || msg.caseID != h.c.ID {
			return h, nil
		}
		if msg.err != nil {
			return h, fail(msg.err)
		}
		h.versions, h.loaded = msg.versions, true
		h.sel, h.offset = len(msg.versions)-1, 0
	case tea.KeyMsg:
		// The newest is listed first: up goes to a newer version.
		switch {
		case key.Matches(msg, h.keys.Up) && h.sel < len(h.versions)-1:
			h.sel++
			h.offset = -1 // to the chosen version's heading
		case key.Matches(msg, h.keys.Down) && h.sel > 0:
			h.sel--
			h.offset = -1
		case key.Matches(msg, h.keys.PageUp):
			h.offset = max(h.offset-10, 0)
		case key.Matches(msg, h.keys.PageDown):
			h.offset += 10
		}
	}
	return h, nil
}

// outcomeText says what the county said of a result.
func outcomeText(e *env, o hecha.Outcome) string {
	if o.Status == "" {
		return e.t("tui.upload.none")
	}
	return e.t("tui.upload." + string(o.Status))
}

func (h historyModel) view(w, ht int) string {
	e, s := h.env, h.env.st
	if h.c == nil {
		return ""
	}
	var lines []string
	lines = append(lines, " "+s.Title.Render(fit(e.t("tui.history.title", clean(h.c.ID)), w-1)))
	switch {
	case !h.loaded:
		lines = append(lines, " "+e.t("tui.detail.loading"))
	case len(h.versions) == 0:
		lines = append(lines, " "+e.t("tui.history.empty"))
	}
	head := 0
	for i := len(h.versions) - 1; i >= 0; i-- {
		v := h.versions[i]
		r := v.Result
		when := r.SavedAt.In(e.now().Location()).Format("2006-01-02 15:04")
		pointer := "  "
		if i == h.sel {
			pointer = s.Pointer + " "
			head = len(lines)
		}
		row := pointer + e.t("tui.history.row", v.Seq, e.t("tui.form."+string(r.Form)), when, outcomeText(e, v.Upload))
		if i == h.sel {
			row = s.Picked.Render(row)
		}
		lines = append(lines, "", fit(row, w))
		about := clean(r.ID) + " " + clean(r.Clerk)
		if r.CandidateID != "" {
			about += s.Dot + e.t("tui.history.record", clean(r.CandidateID))
		}
		lines = append(lines, "    "+s.Dim.Render(fit(about, w-4)))
		for _, er := range v.Upload.Errors {
			lines = append(lines, "    "+s.Err.Render(fit(s.ErrMark+clean(hecha.ErrorMessage(er, e.lang)), w-4)))
		}
		if i == h.sel {
			lines = append(lines, resultLines(e, h.c, &r, w)...)
		}
	}
	off := h.offset
	if off < 0 {
		off = head
	}
	off = min(off, max(len(lines)-ht, 0))
	total := len(lines)
	lines = lines[off:]
	if len(lines) > ht {
		lines = lines[:ht]
		if ht > 1 {
			lines[ht-1] = moreBelow(e, total-off-ht+1, w)
		}
	}
	return joinLines(lines)
}

// resultLines show what a saved result holds, as its form lays it out:
// each field that applies, with its value as the clerk chose it (names,
// not codes; a division with its full name).
func resultLines(e *env, c *hecha.Case, r *hecha.Result, w int) []string {
	s := e.st
	v := resultValues(r)
	fields := visibleFields(r.Form, v)
	lw := 8
	for _, fd := range fields {
		lw = max(lw, cellWidth(label(e, fd.path)))
	}
	lw = min(lw, max(w/3, 8))
	var out []string
	for _, fd := range fields {
		if fd.section != "" {
			title := e.t(fd.section)
			if m := memberIndex(fd.path); m >= 0 {
				title = e.t(fd.section, m+1)
			}
			out = append(out, section(s, title, w))
		}
		val := savedValue(e, fd, v[fd.path])
		if item, ok := strings.CutSuffix(strings.TrimPrefix(fd.path, "mismatch."), "_choice"); ok && fd.kind == kindEnum {
			// A mismatch item's choice with the value it kept.
			res, outflow := mismatchValues(e, c, item)
			switch hecha.MismatchChoice(v[fd.path]) {
			case hecha.KeepResident:
				val += "  = " + res
			case hecha.KeepOutflow:
				val += "  = " + outflow
			}
		}
		out = append(out, pair(w, lw+2, " "+label(e, fd.path), val, "", "")...)
	}
	return out
}

// savedValue shows a saved field's value read-only.
func savedValue(e *env, fd field, v string) string {
	s := e.st
	switch fd.kind {
	case kindCheck:
		if v == "1" {
			return s.Checked
		}
		return s.Unchecked
	case kindEnum:
		if v == "" {
			return glyphs.dash
		}
		return clean(fd.table(e).Name(e.lang, v))
	case kindDivision:
		return divText(e, hecha.Code(v))
	}
	return orDash(v)
}

var _ = hecha.Register(map[string]hecha.Msg{
	"tui.history.record": {Zh: "所选记录 %v", En: "record %v"},
})

func (h historyModel) keyList() []key.Binding {
	if len(h.versions) < 2 {
		return []key.Binding{h.keys.PageUp, h.keys.PageDown}
	}
	return []key.Binding{h.keys.Up, h.keys.Down, h.keys.PageUp, h.keys.PageDown}
}
