package tui

import (
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"hecha"
)

// The lock screen: the township database is encrypted, so the terminal
// asks for the clerk's passphrase when it starts (UnlockModel, a program
// of its own that runs before the interface) and again after
// Config.LockAfter without a key pressed (lockModel inside Model). The
// idle lock covers the whole screen, personal data included, but leaves
// every screen under it as it was: a form half filled in is there again
// after unlocking (and its draft is written to disk as the lock comes
// on). Background work (sync, draft writes) goes on while locked.
//
// A wrong passphrase says so; from the fifth wrong one in a row each
// further try must wait, 5 seconds after the fifth and twice as long after
// each one more, up to 5 minutes. The clock is Config.Now.

// Lock timings.
const (
	// DefaultLockAfter is how long the interface waits without a key
	// before it locks, when Config.LockAfter is 0.
	DefaultLockAfter = 15 * time.Minute
	// lockCheckEvery is how often the idle time is checked.
	lockCheckEvery = 30 * time.Second
	// lockFreeTries wrong passphrases are allowed without waiting.
	lockFreeTries = 5
	lockFirstWait = 5 * time.Second
	lockMaxWait   = 5 * time.Minute
)

// lockTickMsg asks the lock whether the terminal has been idle too long.
type lockTickMsg struct{}

// unlockMsg is the answer of the passphrase check.
type unlockMsg struct{ err error }

// lockModel is the lock screen and the idle timer.
type lockModel struct {
	env    *env
	verify func(passphrase string) error // nil: never locks
	after  time.Duration
	ti     textinput.Model

	locked    bool
	checking  bool
	failures  int
	waitUntil time.Time
	message   string
	isErr     bool
	lastKey   time.Time
	// tick schedules the next idle check (tests replace it).
	tick func() tea.Cmd
}

// newLockModel returns the lock of the interface: verify checks a
// passphrase (nil: the interface never locks); after is Config.LockAfter.
func newLockModel(e *env, verify func(string) error, after time.Duration) lockModel {
	if after == 0 {
		after = DefaultLockAfter
	}
	ti := textinput.New()
	ti.Prompt = ""
	ti.EchoMode = textinput.EchoPassword
	ti.EchoCharacter = '*'
	ti.CharLimit = 256
	ti.Cursor.SetMode(cursor.CursorStatic)
	ti.TextStyle = e.st.Input
	ti.Focus()
	return lockModel{
		env: e, verify: verify, after: after, ti: ti, lastKey: e.now(),
		tick: func() tea.Cmd { return tea.Tick(lockCheckEvery, func(time.Time) tea.Msg { return lockTickMsg{} }) },
	}
}

// enabled reports whether the interface locks when idle.
func (l lockModel) enabled() bool { return l.verify != nil && l.after > 0 }

// start returns the first idle check.
func (l lockModel) start() tea.Cmd {
	if !l.enabled() {
		return nil
	}
	return l.tick()
}

// touch records a key pressed.
func (l lockModel) touch() lockModel {
	l.lastKey = l.env.now()
	return l
}

// idle checks the idle time on a lockTickMsg; it reports whether the lock
// came on now.
func (l lockModel) idle() (lockModel, tea.Cmd, bool) {
	if !l.enabled() {
		return l, nil, false
	}
	if l.locked || l.env.now().Sub(l.lastKey) < l.after {
		return l, l.tick(), false
	}
	return l.lock(), l.tick(), true
}

// lock puts the lock screen up.
func (l lockModel) lock() lockModel {
	l.locked, l.checking = true, false
	l.message, l.isErr = "", false
	l.ti.Reset()
	return l
}

// update handles keys while locked and the check's answer.
func (l lockModel) update(msg tea.Msg) (lockModel, tea.Cmd) {
	switch msg := msg.(type) {
	case unlockMsg:
		return l.answered(msg.err), nil
	case tea.KeyMsg:
		if msg.Type != tea.KeyEnter {
			var cmd tea.Cmd
			l.ti, cmd = l.ti.Update(msg)
			return l, cmd
		}
		if l.checking || l.ti.Value() == "" {
			return l, nil
		}
		if wait := l.waitUntil.Sub(l.env.now()); wait > 0 {
			l.message, l.isErr = l.env.t("tui.lock.wait", int((wait+time.Second-1)/time.Second)), true
			l.ti.Reset()
			return l, nil
		}
		l.checking, l.message, l.isErr = true, l.env.t("tui.lock.checking"), false
		p, verify := l.ti.Value(), l.verify
		l.ti.Reset()
		return l, func() tea.Msg { return unlockMsg{err: verify(p)} }
	}
	return l, nil
}

// answered takes the check's answer: unlocked, or a wrong passphrase
// counted (and the wait from the fifth on), or another error shown.
func (l lockModel) answered(err error) lockModel {
	l.checking = false
	if err == nil {
		l.locked, l.failures, l.waitUntil = false, 0, time.Time{}
		l.message, l.isErr = "", false
		l.lastKey = l.env.now()
		return l
	}
	l.message, l.isErr = clean(hecha.ErrorMessage(err, l.env.lang)), true
	if hecha.ErrorCode(err) != hecha.EUNAUTHORIZED {
		return l
	}
	l.failures++
	if l.failures >= lockFreeTries {
		wait := lockFirstWait << min(l.failures-lockFreeTries, 16)
		wait = min(wait, lockMaxWait)
		l.waitUntil = l.env.now().Add(wait)
		l.message = l.env.t("tui.lock.wrong_wait", l.failures, int(wait/time.Second))
	}
	return l
}

// view is the lock screen, w×h cells, nothing of the screen under it.
func (l lockModel) view(w, h int, title string) []string {
	st := l.env.st
	lines := []string{st.Bar.Render(pad(" "+title, w)), ""}
	lines = append(lines, " "+st.Title.Render(l.env.t("tui.lock.title")), "")
	for _, s := range strings.Split(l.env.t("tui.lock.why"), "\n") {
		lines = append(lines, " "+fit(s, w-1))
	}
	lines = append(lines, "", " "+l.env.t("tui.lock.prompt")+" "+l.ti.View())
	switch {
	case l.message != "" && l.isErr:
		lines = append(lines, "", " "+st.Err.Render(fit(st.ErrMark+l.message, w-1)))
	case l.message != "":
		lines = append(lines, "", " "+st.Notice.Render(fit(l.message, w-1)))
	}
	for len(lines) < h-1 {
		lines = append(lines, "")
	}
	lines = append(lines[:min(len(lines), h-1)], " "+st.Dim.Render(fit(l.env.t("tui.lock.keys", st.Dot), w-1)))
	return lines
}

// UnlockConfig is what NewUnlock needs.
type UnlockConfig struct {
	Lang  hecha.Lang
	ASCII bool
	// Now returns the time; it must be set.
	Now func() time.Time
	// Open tries a passphrase: nil when it unlocks the database, an
	// EUNAUTHORIZED error when it is wrong, any other error to show.
	Open func(passphrase string) error
}

// UnlockModel asks for the passphrase when the terminal starts, as a
// program of its own: it quits once Open accepts one (Unlocked then
// reports true) or when the clerk presses ctrl+c.
type UnlockModel struct {
	lock          lockModel
	width, height int
	unlocked      bool
}

// NewUnlock returns the start's lock screen.
func NewUnlock(cfg UnlockConfig) UnlockModel {
	if cfg.Now == nil {
		panic("tui: UnlockConfig.Now is not set")
	}
	wide := ambiguousWide()
	setAmbiguousWidth(wide)
	ascii := cfg.ASCII || wide
	setGlyphs(ascii)
	e := &env{cfg: Config{Now: cfg.Now}, lang: cfg.Lang, st: NewStyles(ascii)}
	if e.lang == "" {
		e.lang = hecha.Chinese
	}
	l := newLockModel(e, cfg.Open, -1).lock()
	return UnlockModel{lock: l, width: 80, height: 24}
}

// Unlocked reports whether a passphrase was accepted.
func (u UnlockModel) Unlocked() bool { return u.unlocked }

// Init implements tea.Model.
func (u UnlockModel) Init() tea.Cmd { return nil }

// Update implements tea.Model.
func (u UnlockModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		u.width, u.height = msg.Width, msg.Height
		return u, nil
	case tea.KeyMsg:
		if msg.Type == tea.KeyCtrlC {
			return u, tea.Quit
		}
	case unlockMsg:
		u.lock = u.lock.answered(msg.err)
		if msg.err == nil {
			u.unlocked = true
			return u, tea.Quit
		}
		return u, nil
	}
	var cmd tea.Cmd
	u.lock, cmd = u.lock.update(msg)
	return u, cmd
}

// View implements tea.Model.
func (u UnlockModel) View() string {
	if u.width <= 0 || u.height <= 0 {
		return ""
	}
	return fitLines(u.lock.view(u.width, u.height, u.lock.env.t("tui.app")), u.width, u.height)
}
