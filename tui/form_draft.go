package tui

import (
	"maps"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"hecha"
)

// Messages owned by the form.
type (
	// draftTickMsg fires a short while after a change: the values are
	// then written as the case's draft.
	draftTickMsg struct{ session int }
	// draftSavedMsg reports a draft write.
	draftSavedMsg struct {
		session int
		seq     int
		err     error
		// skipped says nothing was written (the values are as the form
		// opened); removed that the session's earlier draft was removed.
		skipped, removed bool
	}
	// resultMsg reports saving the final result.
	resultMsg struct {
		session int
		res     *hecha.Result
		err     error
	}
)

func (draftTickMsg) owner() screenID  { return scrForm }
func (draftSavedMsg) owner() screenID { return scrForm }
func (resultMsg) owner() screenID     { return scrForm }

// draftSaver serialises one form session's writes. Commands run
// concurrently, so two draft writes could land in either order; the saver
// writes under a lock and skips a write older than the last one written,
// so the draft on disk is always the newest. Once the final result is
// saved (which removes the draft) no draft is written again.
type draftSaver struct {
	mu      sync.Mutex
	last    int
	final   bool
	written bool // a draft was written in this session
}

// saveDraft returns a command writing the draft made at change seq.
func (s *draftSaver) saveDraft(e *env, session, seq int, d *hecha.Draft) tea.Cmd {
	return func() tea.Msg {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.final || seq <= s.last {
			return draftSavedMsg{session: session, seq: seq}
		}
		if err := e.cfg.Store.SaveDraft(e.ctx, d); err != nil {
			return draftSavedMsg{session: session, seq: seq, err: err}
		}
		s.last = seq
		s.written = true
		return draftSavedMsg{session: session, seq: seq}
	}
}

// dropDraft returns a command for change seq, which brought the values
// back to what the form opened with: the draft this session wrote, if
// any, is removed; otherwise nothing is written.
func (s *draftSaver) dropDraft(e *env, session, seq int, caseID string) tea.Cmd {
	return func() tea.Msg {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.final || seq <= s.last || !s.written {
			if seq > s.last && !s.final {
				s.last = seq
			}
			return draftSavedMsg{session: session, seq: seq, skipped: true}
		}
		if err := e.cfg.Store.DeleteDraft(e.ctx, caseID); err != nil {
			return draftSavedMsg{session: session, seq: seq, err: err}
		}
		s.last, s.written = seq, false
		return draftSavedMsg{session: session, seq: seq, removed: true}
	}
}

// saveResult returns a command saving res as final.
func (s *draftSaver) saveResult(e *env, session int, res *hecha.Result) tea.Cmd {
	return func() tea.Msg {
		s.mu.Lock()
		defer s.mu.Unlock()
		saved, err := e.cfg.Store.SaveResult(e.ctx, res)
		if err == nil {
			s.final = true
		}
		return resultMsg{session: session, res: saved, err: err}
	}
}

// draftDelay is how long after a change the draft is written.
func (f formModel) draftDelay() time.Duration {
	if d := f.env.cfg.DraftDelay; d > 0 {
		return d
	}
	return 300 * time.Millisecond
}

// changed records a change of the values and schedules a draft write, at
// most one at a time: a change while one is scheduled rides along with
// it, so a draft is on disk at most the delay plus one write after any
// keystroke.
func (f formModel) changed() (formModel, tea.Cmd) {
	f.seq++
	f = f.recheck()
	if f.tickPending {
		return f, nil
	}
	f.tickPending = true
	session := f.session
	return f, tea.Tick(f.draftDelay(), func(time.Time) tea.Msg { return draftTickMsg{session} })
}

// draft returns the draft of the current values.
func (f formModel) draft() *hecha.Draft {
	res, _ := build(f.c, f.form, f.values)
	res.CandidateID = f.candidateID()
	res.Replaces = f.replaces
	d := &hecha.Draft{
		CaseID: f.c.ID,
		Form:   f.form,
		Values: maps.Clone(f.values),
		Result: res,
	}
	if fd, ok := f.focused(); ok {
		d.Focus = fd.path
	}
	return d
}

// flush returns a command that writes the draft now if it has unsaved
// changes (leaving the form, quitting); nil otherwise.
func (f formModel) flush(active bool) tea.Cmd {
	if !active || !f.isOpen || f.seq == f.savedSeq {
		return nil
	}
	return f.writeDraft()
}

// writeDraft returns the command that puts the current values on disk: as
// the case's draft, or, when they are what the form opened with, as no
// draft at all.
func (f formModel) writeDraft() tea.Cmd {
	if f.pristine() {
		return f.saver.dropDraft(f.env, f.session, f.seq, f.c.ID)
	}
	return f.saver.saveDraft(f.env, f.session, f.seq, f.draft())
}

// candidateID is the picked record's id, or "".
func (f formModel) candidateID() string {
	if f.cand == nil {
		return ""
	}
	return f.cand.RecordID()
}
