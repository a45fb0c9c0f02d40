package tui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"hecha"
)

// problemsMsg carries the rejected and conflicting results still to fix.
type problemsMsg struct {
	gen   int
	items []hecha.OutboxItem
	err   error
}

func (problemsMsg) owner() screenID { return scrProblems }

// problemsModel lists the results the county rejected or found in
// conflict, with the county's messages; the clerk opens a case from here,
// corrects it and saves a new result that replaces the old one.
type problemsModel struct {
	env     *env
	keys    problemsKeys
	items   []hecha.OutboxItem
	loaded  bool
	loading bool
	gen     int
	cursor  int
}

func newProblemsModel(e *env) problemsModel {
	return problemsModel{env: e, keys: newProblemsKeys(e)}
}

// reload reads the outbox's rejected and conflicting items, leaving out
// those already corrected (a newer result replaced them).
func (p problemsModel) reload() (problemsModel, tea.Cmd) {
	p.gen++
	p.loading = true
	e, gen := p.env, p.gen
	return p, func() tea.Msg {
		items, err := e.cfg.Store.Outbox(e.ctx, hecha.OutboxRejected, hecha.OutboxConflict)
		if err != nil {
			return problemsMsg{gen: gen, err: err}
		}
		var open []hecha.OutboxItem
		for _, it := range items {
			vs, err := e.cfg.Store.History(e.ctx, it.CaseID)
			if err != nil {
				return problemsMsg{gen: gen, err: err}
			}
			if len(vs) > 0 && vs[len(vs)-1].Result.ID != it.ResultID {
				continue // corrected since
			}
			open = append(open, it)
		}
		return problemsMsg{gen: gen, items: open}
	}
}

func (p problemsModel) update(msg tea.Msg) (problemsModel, tea.Cmd) {
	switch msg := msg.(type) {
	case problemsMsg:
		if msg.gen != p.gen {
			return p, nil
		}
		p.loading = false
		if msg.err != nil {
			return p, fail(msg.err)
		}
		p.items, p.loaded = msg.items, true
		p.cursor = min(p.cursor, max(len(p.items)-1, 0))
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, p.keys.Up):
			p.cursor = max(p.cursor-1, 0)
		case key.Matches(msg, p.keys.Down):
			p.cursor = min(p.cursor+1, max(len(p.items)-1, 0))
		case key.Matches(msg, p.keys.Open):
			if p.cursor < len(p.items) {
				return p, send(openCaseMsg{p.items[p.cursor].CaseID})
			}
		case key.Matches(msg, p.keys.Sync):
			return p, send(syncNowMsg{})
		}
	}
	return p, nil
}

func (p problemsModel) keyList() []key.Binding {
	return []key.Binding{p.keys.Open, p.keys.Up, p.keys.Down, p.keys.Sync}
}

func (p problemsModel) view(w, h int) string {
	e, s := p.env, p.env.st
	lines := []string{" " + s.Title.Render(e.t("tui.problems.title"))}
	switch {
	case !p.loaded:
		lines = append(lines, " "+e.t("tui.home.loading"))
	case len(p.items) == 0:
		lines = append(lines, " "+e.t("tui.problems.empty"))
	}
	// Each item takes a line and one per county message; keep the cursor
	// on screen by starting from the item that makes it fit.
	var blocks [][]string
	for i, it := range p.items {
		st := hecha.StatusRejected
		if it.State == hecha.OutboxConflict {
			st = hecha.StatusConflict
		}
		pointer := "  "
		if i == p.cursor {
			pointer = s.Pointer + " "
		}
		head := pointer + e.markers()[st] + " " +
			pad(e.t("tui.status."+string(st)), 6) + " " + clean(it.CaseID)
		if i == p.cursor {
			head = s.Cursor.Render(head)
		}
		block := []string{fit(head, w)}
		for _, er := range it.Outcome.Errors {
			block = append(block, "       "+s.Err.Render(fit(s.ErrMark+clean(hecha.ErrorMessage(er, e.lang)), w-7)))
		}
		blocks = append(blocks, block)
	}
	start := 0
	for start < p.cursor {
		n := 0
		for _, b := range blocks[start : p.cursor+1] {
			n += len(b)
		}
		if n <= h-len(lines) {
			break
		}
		start++
	}
	for _, b := range blocks[start:] {
		lines = append(lines, b...)
	}
	if len(lines) > h {
		lines = lines[:h]
	}
	return joinLines(lines)
}
