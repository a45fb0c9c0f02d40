package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"hecha"
)

// homeModel is the first screen: the township, its counts, the connection
// and the last sync.
type homeModel struct {
	env  *env
	keys homeKeys
	// quitting is set by a first q while results wait for upload: a
	// second q quits, any other key stays.
	quitting bool
}

func newHomeModel(e *env) homeModel {
	k := newHomeKeys(e)
	k.Export.SetEnabled(e.cfg.ExportWorksheet != nil || e.cfg.ExportBatch != nil)
	return homeModel{env: e, keys: k}
}

func (h homeModel) update(msg tea.Msg, st status) (homeModel, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return h, nil
	}
	asked := h.quitting
	h.quitting = false
	switch {
	case key.Matches(km, h.keys.List):
		return h, send(openListMsg{})
	case key.Matches(km, h.keys.Problems):
		return h, send(openProblemsMsg{})
	case key.Matches(km, h.keys.Progress):
		return h, send(openProgressMsg{})
	case key.Matches(km, h.keys.Export):
		return h, send(openExportMsg{})
	case key.Matches(km, h.keys.Sync):
		return h, send(syncNowMsg{})
	case key.Matches(km, h.keys.Quit):
		// Results not yet at the county, or in the demo (removed on exit)
		// any work done: ask once.
		id, n := "tui.home.quit_unsynced", st.outbox
		if h.env.cfg.ToggleConnection != nil {
			id, n = "tui.home.quit_demo", st.counts.Total()-st.counts[hecha.StatusPending]
		}
		if n > 0 && !asked {
			h.quitting = true
			return h, send(noticeMsg{text: h.env.t(id, n)})
		}
		return h, tea.Quit
	}
	return h, nil
}

func (h homeModel) keyList() []key.Binding {
	return []key.Binding{h.keys.List, h.keys.Progress, h.keys.Export, h.keys.Problems, h.keys.Quit, h.keys.Sync}
}

// homeCounts is the order of the counts on the home screen.
var homeCounts = []hecha.Status{
	hecha.StatusPending, hecha.StatusDraft, hecha.StatusDone, hecha.StatusUpload,
	hecha.StatusRejected, hecha.StatusConflict,
}

func (h homeModel) view(w, ht int, st status, sy syncModel) string {
	e, s := h.env, h.env.st
	lines := []string{"", " " + s.Title.Render(e.t("tui.home.title"))}
	if !st.loaded {
		return joinLines(append(lines, "", " "+e.t("tui.home.loading")))
	}
	unit := e.t("tui.home.no_unit")
	if c := st.settings.Township; c != "" {
		unit = clean(e.rules.Divisions.FullName(c))
	}
	lines = append(lines, " "+fit(e.t("tui.home.township", unit), w-1))
	if e.rules.Divisions.Len() == 0 {
		// Codes are then checked for their form only: say so, and how to
		// get the table.
		for _, l := range wrapText(e.st.ErrMark+e.t("tui.home.no_divisions"), w-1) {
			lines = append(lines, " "+s.Err.Render(l))
		}
	}
	lines = append(lines, "")
	lines = append(lines, " "+s.Heading.Render(e.t("tui.home.counts")))
	labelW := 0
	for _, stt := range homeCounts {
		labelW = max(labelW, cellWidth(e.t("tui.status."+string(stt))))
	}
	for _, stt := range homeCounts {
		marker := e.markers()[stt]
		label := pad(e.t("tui.status."+string(stt)), labelW)
		lines = append(lines, fmt.Sprintf("   %s %s %7d", marker, label, st.counts[stt]))
	}
	lines = append(lines, fmt.Sprintf("   %s %s %7d", pad("", 4), pad(e.t("tui.home.total"), labelW), st.counts.Total()))
	lines = append(lines, "", " "+e.t("tui.home.connection", sy.connText()))
	last := e.t("tui.never_synced")
	if t := st.settings.LastSync; !t.IsZero() {
		last = e.t("tui.last_sync", t.In(e.now().Location()).Format("2006-01-02 15:04"))
	}
	lines = append(lines, " "+last+"   "+e.t("tui.outbox", st.outbox))
	refused := sy.refusal()
	if refused == nil && (sy.conn == connOffline || !sy.configured()) {
		lines = append(lines, " "+s.Dim.Render(fit(e.t("tui.home.offline_ok"), w-1)))
	}
	if st.problems > 0 {
		lines = append(lines, "", " "+s.Err.Render(fit(e.t(countID("tui.home.problems", st.problems), st.problems), w-1)))
	}
	if refused != nil {
		// The county's refusal says what to do: shown whole, as far as
		// the screen allows (the status bar has room for its start only).
		msg := e.st.ErrMark + e.t("tui.sync.failed", clean(hecha.ErrorMessage(refused, e.lang)))
		wrapped := wrapText(msg, w-1)
		// A blank line before it, unless the message needs that line.
		room := ht - len(lines)
		if len(wrapped) < room {
			lines = append(lines, "")
		} else if len(wrapped) > room && room > 0 {
			wrapped = wrapped[:room]
			wrapped[room-1] = fit(strings.TrimRight(wrapped[room-1], " ")+glyphs.ellipsis, w-1)
		}
		for _, l := range wrapped {
			lines = append(lines, " "+s.Err.Render(l))
		}
	}
	if len(lines) > ht {
		lines = lines[:ht]
	}
	return joinLines(lines)
}
