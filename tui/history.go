package tui

import (
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

// historyModel shows every result saved for a case, newest last, with
// what the county said of each.
type historyModel struct {
	env      *env
	keys     problemsKeys
	c        *hecha.Case
	versions []hecha.ResultVersion
	loaded   bool
	offset   int
}

func newHistoryModel(e *env) historyModel {
	return historyModel{env: e, keys: newProblemsKeys(e)}
}

// open shows case c's history, loading it in a command.
func (h historyModel) open(c *hecha.Case) (historyModel, tea.Cmd) {
	h.c, h.versions, h.loaded, h.offset = c, nil, false, 0
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
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, h.keys.Up):
			h.offset = max(h.offset-1, 0)
		case key.Matches(msg, h.keys.Down):
			h.offset++
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
	for i := len(h.versions) - 1; i >= 0; i-- {
		v := h.versions[i]
		r := v.Result
		when := r.SavedAt.In(e.now().Location()).Format("2006-01-02 15:04")
		lines = append(lines, "", " "+fit(e.t("tui.history.row", v.Seq, e.t("tui.form."+string(r.Form)), when, outcomeText(e, v.Upload)), w-1))
		lines = append(lines, "   "+s.Dim.Render(fit(clean(r.ID)+" "+clean(r.Clerk), w-3)))
		for _, er := range v.Upload.Errors {
			lines = append(lines, "   "+s.Err.Render(fit(s.ErrMark+clean(hecha.ErrorMessage(er, e.lang)), w-3)))
		}
	}
	off := min(h.offset, max(len(lines)-ht, 0))
	lines = lines[off:]
	if len(lines) > ht {
		lines = lines[:ht]
	}
	return joinLines(lines)
}
