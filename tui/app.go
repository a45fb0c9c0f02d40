// Package tui is the township clerk's terminal UI (Bubble Tea): the
// pending cases, each case's comparison and result form, drafts, and sync
// with the county.
//
// One root Model handles only the window size, the global keys, switching
// screens and the message line; everything else goes to the screen it
// belongs to. Each screen is a concrete type in its own file whose update
// returns its own type. All I/O happens in commands.
package tui

import (
	"context"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"hecha"
)

// Model is the root model of the TUI.
type Model struct {
	env    *env
	keys   globalKeys
	width  int
	height int
	stack  []screenID
	status status
	sync   syncModel
	help   help.Model

	home     homeModel
	list     listModel
	detail   detailModel
	form     formModel
	problems problemsModel
	history  historyModel
	progress progressModel
	export   exportModel
	lock     lockModel

	message string // the message line: an error or a notice
	isErr   bool
}

// New returns the root model. ctx bounds every command's I/O. It panics
// when cfg.Now is nil: the interface never reads the clock itself.
func New(ctx context.Context, cfg Config) Model {
	if cfg.Now == nil {
		panic("tui: Config.Now is not set")
	}
	if cfg.Rules == nil {
		cfg.Rules = &hecha.Rules{Now: cfg.Now}
	}
	// Where the terminal draws ambiguous characters wide, the interface's
	// own glyphs (lines, arrows, ticks, most of them ambiguous) are drawn
	// in ASCII, as with --ascii; the clerks' data keeps its characters,
	// measured two cells each.
	wide := ambiguousWide()
	setAmbiguousWidth(wide)
	ascii := cfg.ASCII || wide
	e := &env{cfg: cfg, lang: cfg.Lang, st: NewStyles(ascii), ctx: ctx, rules: cfg.Rules}
	setGlyphs(ascii)
	if e.lang == "" {
		e.lang = hecha.Chinese
	}
	h := help.New()
	h.Styles = e.st.Help
	if ascii {
		h.ShortSeparator, h.FullSeparator, h.Ellipsis = " | ", "   ", "..."
	}
	return Model{
		env:      e,
		keys:     newGlobalKeys(e, cfg.ToggleConnection != nil),
		width:    80,
		height:   24,
		stack:    []screenID{scrHome},
		sync:     newSyncModel(e),
		help:     h,
		home:     newHomeModel(e),
		list:     newListModel(e),
		detail:   newDetailModel(e),
		form:     newFormModel(e),
		problems: newProblemsModel(e),
		history:  newHistoryModel(e),
		progress: newProgressModel(e),
		export:   newExportModel(e),
		lock:     newLockModel(e, cfg.Unlock, cfg.LockAfter),
	}
}

// Init implements tea.Model: it loads the status and starts the
// background sync.
func (m Model) Init() tea.Cmd {
	// Init cannot change the model, so the sync starts on a message.
	return tea.Batch(loadStatus(m.env), send(syncStartMsg{}), m.lock.start())
}

// syncStartMsg starts the background sync.
type syncStartMsg struct{}

// active returns the screen on top of the stack.
func (m Model) active() screenID { return m.stack[len(m.stack)-1] }

// Update implements tea.Model.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.help.Width = msg.Width
		return m.layout(), nil
	case tea.KeyMsg:
		if m.lock.locked {
			return m.lockedKey(msg)
		}
		m.lock = m.lock.touch()
		return m.key(msg)
	case lockTickMsg:
		lock, cmd, locked := m.lock.idle()
		m.lock = lock
		if locked {
			// The form stays as it is under the lock; its draft is
			// written now all the same.
			cmd = tea.Batch(cmd, m.form.flush(m.active() == scrForm))
		}
		return m, cmd
	case unlockMsg:
		m.lock = m.lock.answered(msg.err)
		return m, nil
	case QuitMsg:
		return m, tea.Sequence(m.form.flush(m.active() == scrForm), tea.Quit)
	case syncStartMsg:
		var cmd tea.Cmd
		m.sync, cmd = m.sync.init()
		return m, cmd
	case statusMsg:
		if msg.err != nil {
			return m.setErr(msg.err), nil
		}
		town := m.status.settings.Township
		m.status = msg.st
		if msg.st.settings.Township != town && m.onStack(scrProgress) {
			// The table is per village of the township, now known.
			var cmd tea.Cmd
			m.progress, cmd = m.progress.rebuild(m.list.ix, msg.st.settings.Township)
			return m, cmd
		}
		return m, nil
	case syncTickMsg, syncProgressMsg, syncDoneMsg, connToggledMsg, probeTickMsg, probeMsg:
		var cmd tea.Cmd
		m.sync, cmd = m.sync.update(msg)
		return m, cmd
	case syncNowMsg:
		var cmd tea.Cmd
		m.sync, cmd = m.sync.start(true)
		return m, cmd
	case errMsg:
		return m.setErr(msg.err), nil
	case noticeMsg:
		m.message, m.isErr = msg.text, false
		return m, nil
	case changedMsg:
		if !msg.reload {
			return m, loadStatus(m.env)
		}
		var lc, pc tea.Cmd
		m.list, lc = m.list.reload()
		if m.problems.loaded || m.active() == scrProblems {
			m.problems, pc = m.problems.reload()
		}
		return m, tea.Batch(loadStatus(m.env), lc, pc)
	}
	if m, cmd, ok := m.navigate(msg); ok {
		return m.layout(), cmd
	}
	return m.route(msg)
}

// key handles the global keys and passes the rest to the active screen.
func (m Model) key(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	typing := m.typing()
	switch {
	case key.Matches(msg, m.keys.Quit):
		// A form in progress is written to its draft before quitting.
		return m, tea.Sequence(m.form.flush(m.active() == scrForm), tea.Quit)
	case key.Matches(msg, m.keys.Toggle):
		toggle := m.env.cfg.ToggleConnection
		return m, func() tea.Msg { return connToggledMsg{online: toggle()} }
	case key.Matches(msg, m.keys.Sync):
		var cmd tea.Cmd
		m.sync, cmd = m.sync.start(true)
		return m, cmd
	case key.Matches(msg, m.keys.Help) && (!typing || msg.String() == "f1"):
		m.help.ShowAll = !m.help.ShowAll
		return m.layout(), nil
	case key.Matches(msg, m.keys.Back) && !m.wantsEsc():
		m.message = ""
		mm, cmd := m.back()
		return mm.(Model).layout(), cmd
	}
	m.message = ""
	return m.route(msg)
}

// lockedKey handles a key while the lock screen is up: ctrl+c quits
// (writing the draft), everything else goes to the lock screen.
func (m Model) lockedKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	if msg.Type == tea.KeyCtrlC {
		return m, tea.Sequence(m.form.flush(m.active() == scrForm), tea.Quit)
	}
	var cmd tea.Cmd
	m.lock, cmd = m.lock.update(msg)
	return m, cmd
}

// typing reports whether the active screen takes letters as text.
func (m Model) typing() bool {
	switch m.active() {
	case scrList:
		return m.list.typing()
	case scrDetail:
		return m.detail.typing()
	case scrForm, scrExport:
		return true
	}
	return false
}

// wantsEsc reports whether the active screen uses esc itself (to close a
// search box or a picker) rather than going back.
func (m Model) wantsEsc() bool {
	switch m.active() {
	case scrList:
		return m.list.wantsEsc()
	case scrDetail:
		return m.detail.wantsEsc()
	case scrForm:
		return m.form.wantsEsc()
	}
	return false
}

// back leaves the active screen. Home is the bottom of the stack: esc
// there does not quit (q does) but says how to.
func (m Model) back() (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	if m.active() == scrForm {
		cmd = m.form.flush(true)
		m.form = m.form.close()
	}
	if len(m.stack) == 1 {
		m.message, m.isErr = m.env.t("tui.home.quit_hint"), false
		return m, cmd
	}
	m.stack = m.stack[:len(m.stack)-1]
	return m, tea.Batch(cmd, m.enter())
}

// enter returns what a screen needs when it comes back on top.
func (m Model) enter() tea.Cmd {
	switch m.active() {
	case scrHome:
		return loadStatus(m.env)
	case scrDetail:
		return m.detail.refresh()
	}
	return nil
}

// push puts a screen on top of the stack, once: opening a screen that is
// already on the stack returns to it.
func (m Model) push(s screenID) Model {
	for i, t := range m.stack {
		if t == s {
			m.stack = m.stack[:i+1]
			return m
		}
	}
	m.stack = append(m.stack, s)
	return m
}

// navigate handles the screen-switching messages.
func (m Model) navigate(msg tea.Msg) (Model, tea.Cmd, bool) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case openListMsg:
		m = m.push(scrList)
		m.list, cmd = m.list.ensureLoaded()
	case openProblemsMsg:
		m = m.push(scrProblems)
		m.problems, cmd = m.problems.reload()
	case openProgressMsg:
		// The table is computed from the list's summaries, loaded for it
		// the first time.
		m = m.push(scrProgress)
		var lc, pc tea.Cmd
		m.list, lc = m.list.ensureLoaded()
		m.progress, pc = m.progress.rebuild(m.list.ix, m.status.settings.Township)
		cmd = tea.Batch(lc, pc)
	case openExportMsg:
		if m.env.cfg.ExportWorksheet == nil && m.env.cfg.ExportBatch == nil {
			return m, nil, true
		}
		m = m.push(scrExport)
		m.export = m.export.open()
	case openCaseMsg:
		m = m.push(scrDetail)
		m.detail, cmd = m.detail.open(msg.id)
	case openHistoryMsg:
		m = m.push(scrHistory)
		m.history, cmd = m.history.open(msg.c)
	case openFormMsg:
		m = m.push(scrForm)
		msg.signName = m.status.settings.ResidentClerk
		m.form, cmd = m.form.open(msg)
	case backMsg:
		mm, c := m.back()
		return mm.(Model), c, true
	case savedMsg:
		// Back to the list (or wherever the case was opened from), the
		// case now waiting for upload.
		m.form = m.form.close()
		for len(m.stack) > 1 && (m.active() == scrForm || m.active() == scrDetail || m.active() == scrHistory) {
			m.stack = m.stack[:len(m.stack)-1]
		}
		if m.active() == scrHome {
			m = m.push(scrList)
		}
		m.message, m.isErr = m.env.t("tui.saved", msg.res.CaseID), false
		m.list = m.list.markSaved(msg.res.CaseID, msg.res.Form)
		var sc tea.Cmd
		m.sync, sc = m.sync.start(false)
		cmd = tea.Batch(send(changedMsg{}), sc)
	default:
		return m, nil, false
	}
	return m, cmd, true
}

// route gives a message to the screen that owns it: a screen's background
// results go to that screen even when another is on top; anything else
// (keys, cursor blinks) to the active screen.
func (m Model) route(msg tea.Msg) (tea.Model, tea.Cmd) {
	target := m.active()
	if o, ok := msg.(interface{ owner() screenID }); ok {
		target = o.owner()
	}
	var cmd tea.Cmd
	switch target {
	case scrHome:
		m.home, cmd = m.home.update(msg, m.status)
	case scrList:
		before := m.list.ix
		m.list, cmd = m.list.update(msg)
		if m.list.ix != before && m.onStack(scrProgress) {
			// The summaries changed: the progress table follows.
			var pc tea.Cmd
			m.progress, pc = m.progress.rebuild(m.list.ix, m.status.settings.Township)
			cmd = tea.Batch(cmd, pc)
		}
	case scrDetail:
		m.detail, cmd = m.detail.update(msg)
	case scrForm:
		m.form, cmd = m.form.update(msg)
	case scrProblems:
		m.problems, cmd = m.problems.update(msg)
	case scrHistory:
		m.history, cmd = m.history.update(msg)
	case scrProgress:
		m.progress, cmd = m.progress.update(msg)
	case scrExport:
		m.export, cmd = m.export.update(msg)
	}
	return m, cmd
}

// onStack reports whether screen s is open.
func (m Model) onStack(s screenID) bool {
	for _, t := range m.stack {
		if t == s {
			return true
		}
	}
	return false
}

func (m Model) setErr(err error) Model {
	m.message, m.isErr = m.env.t("tui.error", clean(hecha.ErrorMessage(err, m.env.lang))), true
	return m
}

// footer returns the help footer's lines, at most half the screen.
func (m Model) footer() []string {
	km := m.keyMap()
	view := m.help.View(km)
	if m.help.ShowAll {
		view = m.fullHelp(km.full)
	}
	lines := strings.Split(view, "\n")
	if len(lines) > m.height/2 {
		lines = lines[:m.height/2]
	}
	return lines
}

// fullHelp lays the groups of keys out in columns, as many side by side
// as the width holds; the columns that do not fit go on below, rather
// than being cut to an ellipsis.
func (m Model) fullHelp(groups [][]key.Binding) string {
	wide := m.help
	wide.Width = 0 // measure without cutting
	var bands []string
	var band [][]key.Binding
	for _, g := range groups {
		next := append(append([][]key.Binding(nil), band...), g)
		if len(band) > 0 && lipgloss.Width(wide.FullHelpView(next)) > m.width {
			bands = append(bands, m.help.FullHelpView(band))
			next = [][]key.Binding{g}
		}
		band = next
	}
	if len(band) > 0 {
		bands = append(bands, m.help.FullHelpView(band))
	}
	return strings.Join(bands, "\n")
}

// bodyHeight is the height left to the screen between the status bar
// and the message line and footer.
func (m Model) bodyHeight() int { return max(m.height-2-len(m.footer()), 0) }

// layout tells the screens that page how tall they are.
func (m Model) layout() Model {
	h := m.bodyHeight()
	m.list = m.list.resize(h)
	m.detail = m.detail.resize(h)
	m.progress = m.progress.resize(h)
	m.form = m.form.resize(m.width)
	return m
}

// View implements tea.Model: the status bar, the active screen, the
// message line and the help footer, never more than the terminal holds.
func (m Model) View() string {
	w, h := m.width, m.height
	if w <= 0 || h <= 0 {
		return ""
	}
	if m.lock.locked {
		return fitLines(m.lock.view(w, h, m.env.t("tui.app")), w, h)
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
