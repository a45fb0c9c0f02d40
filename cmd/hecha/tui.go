package main

import (
	"context"
	"errors"
	"os"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"hecha"
	hsync "hecha/sync"
	"hecha/tui"
)

func init() { runTUI, runUnlock = runInterface, runUnlockScreen }

// runInterface runs the clerk's interface over the open township
// database, syncing in the background when the terminal is set up.
func runInterface(ctx context.Context, m *Main) error {
	cfg := tui.Config{
		Store:    m.DB,
		Registry: m.DB,
		Rules:    m.Rules,
		Lang:     m.Lang,
		ASCII:    m.ASCII,
		Now:      m.Clock,
	}
	if m.DB.Encrypted() {
		cfg.Unlock, cfg.LockAfter = m.DB.VerifyPassphrase, lockAfter(m.LockAfter)
	}
	exports(m, &cfg)
	s, err := m.NewSyncer(ctx)
	switch {
	case err == nil:
		defer s.Client.CloseIdle()
		ts := newTUISyncer(s)
		cfg.Syncer, cfg.Probe = ts, ts.Probe
	case hecha.ErrorCode(err) != hecha.EINVALID:
		return err
	}
	// Not set up yet (no server or token): the interface works offline.
	return runProgram(ctx, m, cfg)
}

// lockAfter turns --lock-after into tui.Config.LockAfter (0 there is
// the default, never is negative).
func lockAfter(d time.Duration) time.Duration {
	if d <= 0 {
		return -1
	}
	return d
}

// runUnlockScreen shows the interface's lock screen until try accepts a
// passphrase, or the clerk quits (ctrl+c): then EUNAUTHORIZED.
func runUnlockScreen(m *Main, try func(string) error) error {
	final, err := tea.NewProgram(tui.NewUnlock(tui.UnlockConfig{Lang: m.Lang, ASCII: m.ASCII, Now: m.Clock, Open: try}),
		programOptions(m)...).Run()
	if err != nil {
		return err
	}
	if u, ok := final.(tui.UnlockModel); !ok || !u.Unlocked() {
		return hecha.Errorf(hecha.EUNAUTHORIZED, "", "cli.passphrase.not_unlocked")
	}
	return nil
}

// programOptions are the Bubble Tea options of m's terminal.
func programOptions(m *Main) []tea.ProgramOption {
	opts := []tea.ProgramOption{tea.WithAltScreen(), tea.WithoutSignalHandler()}
	if m.Stdin != nil && m.Stdin != os.Stdin {
		opts = append(opts, tea.WithInput(m.Stdin))
	}
	if m.Stdout != nil && m.Stdout != os.Stdout {
		opts = append(opts, tea.WithOutput(m.Stdout))
	}
	if m.FPS > 0 {
		opts = append(opts, tea.WithFPS(m.FPS))
	}
	return opts
}

// exports gives the interface the field worksheet and the offline batch
// of the database m has open, as "hecha export pending" and "hecha export
// batch" write them.
func exports(m *Main, cfg *tui.Config) {
	cfg.ExportWorksheet = func(ctx context.Context, path string) (int, error) {
		o, err := parseWorksheetOptions(path, "", "utf8", "")
		if err != nil {
			return 0, err
		}
		return m.ExportPending(ctx, o)
	}
	cfg.ExportBatch = func(ctx context.Context, path string) (int, string, error) {
		n, h, err := m.ExportBatchFile(ctx, path)
		return n, h.ID, err
	}
}

// runProgram runs the Bubble Tea program on the terminal. When the
// process is told to stop (ctx ends: an interrupt, a termination, the
// terminal hanging up, as cli.SignalContext catches them) the interface
// quits as on ctrl+c, writing a form in progress to its draft; if it does
// not within a few seconds it is killed.
func runProgram(ctx context.Context, m *Main, cfg tui.Config) error {
	opts := programOptions(m)
	// The interface's own I/O outlives the signal long enough to write
	// the draft.
	p := tea.NewProgram(tui.New(context.WithoutCancel(ctx), cfg), opts...)
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-done:
			return
		case <-ctx.Done():
		}
		p.Send(tui.QuitMsg{})
		select {
		case <-done:
		case <-time.After(3 * time.Second):
			p.Kill()
		}
	}()
	_, err := p.Run()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return nil // stopped by a signal
	}
	return err
}

// tuiSyncer runs the sync package's rounds for the interface, which knows
// sync only through tui.Syncer.
type tuiSyncer struct {
	mu sync.Mutex
	s  *hsync.Syncer
}

func newTUISyncer(s *hsync.Syncer) *tuiSyncer { return &tuiSyncer{s: s} }

// Probe asks the county whether it answers (its health check, no data),
// for the interface's connection state between rounds. It does not wait
// for a round in progress.
func (t *tuiSyncer) Probe(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	return t.s.Client.Health(ctx)
}

// SyncRound implements tui.Syncer: a quick check that the county answers,
// then a round reporting its phases.
func (t *tuiSyncer) SyncRound(ctx context.Context, progress func(tui.SyncProgress)) (tui.SyncReport, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	hctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	err := t.s.Client.Health(hctx)
	cancel()
	if err != nil {
		return tui.SyncReport{}, err
	}
	t.s.Progress = func(p hsync.Progress) {
		progress(tui.SyncProgress{Phase: "sync.phase." + string(p.Phase), Done: p.Done, Total: p.Total})
	}
	defer func() { t.s.Progress = nil }()
	rep, err := t.s.Round(ctx)
	return tui.SyncReport{
		Uploaded:   rep.Pushed,
		Accepted:   rep.Accepted + rep.Duplicate,
		Rejected:   rep.Rejected,
		Conflicts:  rep.Conflict,
		Downloaded: rep.PulledCases,
	}, err
}
