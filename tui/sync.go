package tui

import (
	"fmt"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"hecha"
)

// status is what the status bar and the home screen show, read from the
// store in a command.
type status struct {
	loaded   bool
	settings hecha.Settings
	counts   hecha.StatusCounts
	outbox   int // results waiting to upload
	problems int // results rejected or in conflict
}

type statusMsg struct {
	st  status
	err error
}

// loadStatus reads the settings, the counts and the outbox.
func loadStatus(e *env) tea.Cmd {
	return func() tea.Msg {
		var st status
		var err error
		if st.settings, err = e.cfg.Store.Settings(e.ctx); err != nil {
			return statusMsg{err: err}
		}
		if st.counts, err = e.cfg.Store.Counts(e.ctx); err != nil {
			return statusMsg{err: err}
		}
		waiting, err := e.cfg.Store.Outbox(e.ctx, hecha.OutboxPending, hecha.OutboxSending)
		if err != nil {
			return statusMsg{err: err}
		}
		st.outbox = len(waiting)
		st.problems = st.counts[hecha.StatusRejected] + st.counts[hecha.StatusConflict]
		st.loaded = true
		return statusMsg{st: st}
	}
}

// connState is what the TUI knows of the connection to the county.
type connState int

// The connection states. Offline is a normal state, not an error.
const (
	connUnknown connState = iota
	connOnline
	connOffline
)

// Sync messages; the root routes them to syncModel.
type (
	syncTickMsg     struct{ gen int }
	syncProgressMsg struct {
		p  SyncProgress
		ch <-chan SyncProgress
	}
	syncDoneMsg struct {
		rep SyncReport
		err error
		at  time.Time
	}
	connToggledMsg struct{ online bool }
	// probeTickMsg asks for a probe of the county; probeMsg is its answer.
	probeTickMsg struct{}
	probeMsg     struct{ err error }
)

// syncModel runs sync rounds in the background and on request, and owns
// the connection state and the progress bar.
type syncModel struct {
	env     *env
	running bool
	manual  bool // the running round was asked for by the clerk
	conn    connState
	prog    SyncProgress
	lastErr error
	gen     int // tick generation, so a restarted ticker replaces the old one
}

func newSyncModel(e *env) syncModel {
	return syncModel{env: e}
}

// configured reports whether there is a server to sync with.
func (s syncModel) configured() bool { return s.env.cfg.Syncer != nil }

// init starts the first round and the background ticker.
func (s syncModel) init() (syncModel, tea.Cmd) {
	if !s.configured() {
		return s, nil
	}
	s, cmd := s.start(false)
	return s, tea.Batch(cmd, s.tick(), s.probeTick())
}

// probeTick schedules the next probe, if probing is on.
func (s syncModel) probeTick() tea.Cmd {
	every := s.env.cfg.ProbeEvery
	if s.env.cfg.Probe == nil || every < 0 {
		return nil
	}
	if every == 0 {
		every = 5 * time.Second
	}
	return tea.Tick(every, func(time.Time) tea.Msg { return probeTickMsg{} })
}

// probe checks the county between rounds, in a command.
func (s syncModel) probe() tea.Cmd {
	e := s.env
	return func() tea.Msg { return probeMsg{err: e.cfg.Probe(e.ctx)} }
}

func (s syncModel) tick() tea.Cmd {
	every := s.env.cfg.SyncEvery
	if every < 0 {
		return nil
	}
	if every == 0 {
		every = 30 * time.Second
	}
	gen := s.gen
	return tea.Tick(every, func(time.Time) tea.Msg { return syncTickMsg{gen} })
}

// start begins a round unless one is running. The round runs in a
// command; its progress comes back through a channel that a second
// command waits on.
func (s syncModel) start(manual bool) (syncModel, tea.Cmd) {
	if !s.configured() {
		if manual {
			return s, send(noticeMsg{s.env.t("tui.sync.no_server")})
		}
		return s, nil
	}
	if s.running {
		s.manual = s.manual || manual
		return s, nil
	}
	s.running, s.manual, s.prog = true, manual, SyncProgress{}
	e := s.env
	ch := make(chan SyncProgress, 64)
	run := func() tea.Msg {
		defer close(ch)
		rep, err := e.cfg.Syncer.SyncRound(e.ctx, func(p SyncProgress) {
			select {
			case ch <- p:
			default: // the UI is behind; the next report supersedes this one
			}
		})
		return syncDoneMsg{rep: rep, err: err, at: e.now()}
	}
	return s, tea.Batch(run, waitProgress(ch))
}

// waitProgress waits for the next progress report of a round.
func waitProgress(ch <-chan SyncProgress) tea.Cmd {
	return func() tea.Msg {
		p, ok := <-ch
		if !ok {
			return nil
		}
		return syncProgressMsg{p: p, ch: ch}
	}
}

func (s syncModel) update(msg tea.Msg) (syncModel, tea.Cmd) {
	switch msg := msg.(type) {
	case syncTickMsg:
		if msg.gen != s.gen {
			return s, nil
		}
		s, cmd := s.start(false)
		return s, tea.Batch(cmd, s.tick())
	case syncProgressMsg:
		if s.running {
			s.prog = msg.p
		}
		return s, waitProgress(msg.ch)
	case syncDoneMsg:
		return s.done(msg)
	case probeTickMsg:
		if !s.configured() || s.env.cfg.Probe == nil || s.running {
			return s, s.probeTick()
		}
		return s, s.probe()
	case probeMsg:
		switch {
		case msg.err != nil:
			// The county is away: say so now, not at the next round.
			s.conn = connOffline
		case s.conn != connOnline:
			// It is back: sync now rather than at the next round.
			var cmd tea.Cmd
			s, cmd = s.start(false)
			return s, tea.Batch(cmd, s.probeTick())
		}
		return s, s.probeTick()
	case connToggledMsg:
		id := "tui.sync.conn_off"
		if msg.online {
			id = "tui.sync.conn_on"
		}
		// Try at once, so the status bar follows the switch.
		s.gen++
		s, cmd := s.start(false)
		return s, tea.Batch(cmd, s.tick(), send(noticeMsg{s.env.t(id)}))
	}
	return s, nil
}

// done records the end of a round.
func (s syncModel) done(msg syncDoneMsg) (syncModel, tea.Cmd) {
	manual := s.manual
	s.running, s.manual = false, false
	s.lastErr = msg.err
	var cmds []tea.Cmd
	switch {
	case msg.err == nil:
		s.conn = connOnline
		r := msg.rep
		if manual || r.Uploaded > 0 || r.Downloaded > 0 {
			cmds = append(cmds, send(noticeMsg{s.env.t("tui.sync.done", r.Uploaded, r.Accepted, r.Rejected, r.Conflicts, r.Downloaded)}))
		}
		if r.Uploaded > 0 || r.Downloaded > 0 {
			cmds = append(cmds, send(changedMsg{reload: true}))
		}
	case hecha.ErrorCode(msg.err) == hecha.EUNAVAILABLE:
		s.conn = connOffline
		if manual {
			cmds = append(cmds, send(noticeMsg{s.env.t("tui.sync.offline")}))
		}
	default:
		s.conn = connOffline
		// Said as the county's answer, with its code, not as an
		// internal error of the program.
		cmds = append(cmds, send(errMsg{&hecha.Error{Code: hecha.ErrorCode(msg.err),
			Detail: s.env.t("tui.sync.failed", hecha.ErrorMessage(msg.err, s.env.lang))}}))
	}
	// Statuses may have changed either way (items sent and set back).
	cmds = append(cmds, loadStatus(s.env))
	return s, tea.Batch(cmds...)
}

// refusal returns the last round's error when the county refused the
// terminal (a revoked token, a certificate that is not the pinned one):
// unlike being offline, it does not pass by itself, and its message says
// what to do, so the home screen shows it whole.
func (s syncModel) refusal() error {
	if s.running || s.conn != connOffline || hecha.ErrorCode(s.lastErr) != hecha.EUNAUTHORIZED {
		return nil
	}
	return s.lastErr
}

// connText returns the connection state for the status bar.
func (s syncModel) connText() string {
	switch {
	case !s.configured():
		return s.env.t("tui.unconfigured")
	case s.running:
		return s.env.t("tui.syncing")
	case s.refusal() != nil:
		return s.env.t("tui.refused")
	case s.conn == connOffline:
		return s.env.t("tui.offline")
	case s.conn == connOnline:
		return s.env.t("tui.online")
	}
	return s.env.t("tui.offline")
}

// progressLine returns the running round's phase and bar in width cells,
// or "" when no round is running.
func (s syncModel) progressLine(width int) string {
	if !s.running {
		return ""
	}
	label := s.env.t("tui.syncing")
	if s.prog.Phase != "" {
		label = s.env.t(s.prog.Phase)
	}
	count := fmt.Sprintf(" %d", s.prog.Done)
	pct := 0.0
	if s.prog.Total > 0 {
		count = fmt.Sprintf(" %d/%d", s.prog.Done, s.prog.Total)
		pct = float64(s.prog.Done) / float64(s.prog.Total)
	}
	barW := width - cellWidth(label) - cellWidth(count) - 1
	if barW < 5 {
		return fit(label+count, width)
	}
	return label + " " + s.env.st.bar(pct, barW) + count
}
