package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
)

// View implements tea.Model: the status bar, the active screen, the
// message line and the help footer, never more than the terminal holds.
func (m Model) View() string {
	w, h := m.width, m.height
	if w <= 0 || h <= 0 {
		return ""
	}
	footerLines := m.footer()
	bodyH := max(h-2-len(footerLines), 0)
	lines := make([]string, 0, h)
	lines = append(lines, m.statusBar(w))
	lines = append(lines, strings.Split(m.body(w, bodyH), "\n")...)
	lines = lines[:min(len(lines), 1+bodyH)]
	for len(lines) < 1+bodyH {
		lines = append(lines, "")
	}
	lines = append(lines, m.messageLine(w))
	lines = append(lines, footerLines...)
	return fitLines(lines, w, h)
}

// body renders the active screen in w×h cells.
func (m Model) body(w, h int) string {
	switch m.active() {
	case scrList:
		return m.list.view(w, h)
	case scrDetail:
		return m.detail.view(w, h)
	case scrForm:
		return m.form.view(w, h)
	case scrProblems:
		return m.problems.view(w, h)
	case scrHistory:
		return m.history.view(w, h)
	case scrProgress:
		return m.progress.view(w, h, m.townshipName())
	case scrExport:
		return m.export.view(w, h)
	}
	return m.home.view(w, h, m.status, m.sync)
}

// messageLine is the error or notice line, or the sync progress bar.
func (m Model) messageLine(w int) string {
	if p := m.sync.progressLine(w); p != "" && (m.message == "" || !m.isErr) {
		return p
	}
	if m.message == "" {
		return ""
	}
	// Messages may quote what came from outside (a file name, the
	// server's words).
	if m.isErr {
		return m.env.st.Err.Render(fit(m.env.st.ErrMark+clean(m.message), w))
	}
	return m.env.st.Notice.Render(fit(clean(m.message), w))
}

// townshipName is the township's own name, or its code when the
// division table does not know it, or "".
func (m Model) townshipName() string {
	c := m.status.settings.Township
	if c == "" {
		return ""
	}
	if d, ok := m.env.rules.Divisions.Lookup(c); ok {
		return clean(d.Name)
	}
	return clean(string(c))
}

// statusBar shows the township, the connection, the last sync and the
// outbox.
func (m Model) statusBar(w int) string {
	e, st := m.env, m.env.st
	town := e.t("tui.app")
	if name := m.townshipName(); name != "" {
		town += st.Dot + name
	}
	last := e.t("tui.never_synced")
	if t := m.status.settings.LastSync; !t.IsZero() {
		last = e.t("tui.last_sync", t.In(e.now().Location()).Format("01-02 15:04"))
	}
	conn := m.sync.connText()
	parts := []string{town, conn, last, e.t("tui.outbox", m.status.outbox)}
	text := " " + strings.Join(parts, st.Sep)
	bar := st.Bar
	if m.sync.conn == connOffline {
		bar = st.BarOffline
	}
	return bar.Render(pad(text, w))
}

// keyMap returns the active screen's keys and the global ones for help.
func (m Model) keyMap() keyMap {
	var screen []key.Binding
	var more [][]key.Binding
	switch m.active() {
	case scrHome:
		screen = m.home.keyList()
	case scrList:
		screen, more = m.list.keyList()
	case scrDetail:
		screen, more = m.detail.keyList()
	case scrForm:
		screen, more = m.form.keyList()
	case scrProblems:
		screen = m.problems.keyList()
	case scrHistory:
		screen = m.history.keyList()
	case scrProgress:
		screen = m.progress.keyList()
	case scrExport:
		screen = m.export.keyList()
	}
	help := m.keys.Help
	if m.typing() {
		help = m.keys.HelpF1 // ? is text while typing
	}
	back := m.keys.Back
	if len(m.stack) == 1 {
		back.SetEnabled(false) // nothing to go back to from home
	}
	global := []key.Binding{back, m.keys.Sync, m.keys.Toggle, help, m.keys.Quit}
	full := append([][]key.Binding{screen}, more...)
	full = append(full, global)
	return keyMap{short: m.shortHelp(screen, global, help), full: full}
}

// shortHelp is the one-line footer: the screen's keys, then the global
// ones, each that still fits the width (a global key the screen already
// names under the same words left out); the key that shows all keys
// always ends the line, so nothing is out of reach on a narrow terminal.
func (m Model) shortHelp(screen, global []key.Binding, help key.Binding) []key.Binding {
	width := func(b key.Binding) int { return cellWidth(b.Help().Key) + 1 + cellWidth(b.Help().Desc) }
	sep := cellWidth(m.help.ShortSeparator)
	room := m.width - width(help) - sep
	said := map[string]bool{}
	var out []key.Binding
	add := func(b key.Binding) {
		if !b.Enabled() || said[b.Help().Desc] || b.Help().Desc == help.Help().Desc {
			return
		}
		if w := width(b) + sep; w <= room {
			out = append(out, b)
			room -= w
			said[b.Help().Desc] = true
		}
	}
	for _, b := range screen {
		add(b)
	}
	for _, b := range global {
		add(b)
	}
	return append(out, help)
}
