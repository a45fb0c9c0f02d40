package tui

import (
	"context"
	"sync"
	"time"

	"hecha"
)

// What the TUI is given (Config, with the database and the syncer it
// needs) and what every screen shares from it (env).

// Store is what the TUI needs from the township's database: the cases,
// drafts, results and outbox, and the settings (township, last sync).
// *store.TownshipDB implements it.
type Store interface {
	hecha.TownshipService
	Settings(ctx context.Context) (hecha.Settings, error)
}

// Registry is the township's extract of the two registries, for comparing
// again and looking people up by hand. *store.TownshipDB implements it.
type Registry interface {
	hecha.FloatingRegistry
	hecha.ResidentRegistry
}

// SyncProgress is how far a sync round has come in one phase. Phase is
// the catalogue id of the phase's name ("sync.phase.push").
type SyncProgress struct {
	Phase string
	Done  int
	Total int // 0 when unknown
}

// SyncReport says what a sync round did.
type SyncReport struct {
	Uploaded, Accepted, Rejected, Conflicts int
	Downloaded                              int
}

// Syncer runs sync rounds with the county server. The command wires the
// sync package's client to it; tests use fakes. A round that cannot reach
// the server returns an EUNAVAILABLE error: the TUI shows that as the
// normal offline state.
type Syncer interface {
	SyncRound(ctx context.Context, progress func(SyncProgress)) (SyncReport, error)
}

// Config is what New needs.
type Config struct {
	Store    Store
	Registry Registry // nil: comparing again and looking up are not offered
	Rules    *hecha.Rules
	Lang     hecha.Lang
	ASCII    bool
	// Syncer is nil when no county server is set up; the TUI then works
	// offline only.
	Syncer Syncer
	// SyncEvery is how often the background sync tries the server; 0
	// means every 30 seconds, a negative value never (a round still runs
	// at start, after each save and on the sync key).
	SyncEvery time.Duration
	// Probe, when set, checks cheaply whether the county answers (no data
	// moves). It runs every ProbeEvery between rounds (0 means every 5
	// seconds, a negative value never): a failure marks the connection
	// offline at once, and an answer after a failure starts a round at
	// once, so the status bar does not say online (or offline) for long
	// after it stopped being true.
	Probe      func(ctx context.Context) error
	ProbeEvery time.Duration
	// Now returns the time. It must be set (the command passes time.Now,
	// tests a fixed clock): New panics without it.
	Now func() time.Time
	// ToggleConnection, when set (the demo), is bound to F9: it cuts or
	// restores the connection to the county and reports whether it is now
	// connected.
	ToggleConnection func() bool
	// DraftDelay is how long after a change a draft is written; 0 means
	// 500 ms.
	DraftDelay time.Duration
	// ExportWorksheet, when set, writes the worksheet of the cases not
	// verified (for door-to-door checks) to the file at path, in the
	// format its extension names (.xlsx or .csv), and returns how many
	// cases it holds.
	ExportWorksheet func(ctx context.Context, path string) (int, error)
	// ExportBatch, when set, writes the results waiting for the county to
	// a signed batch file at path (taken to the county on a USB stick) and
	// returns how many it holds and the batch's id; with none waiting it
	// writes no file and returns 0.
	ExportBatch func(ctx context.Context, path string) (int, string, error)
	// Unlock, when set (an encrypted database), checks the clerk's
	// passphrase on the lock screen that comes on after LockAfter without
	// a key pressed (lock.go): nil when it is right, an EUNAUTHORIZED
	// error when not. LockAfter 0 means DefaultLockAfter (15 minutes); a
	// negative value never locks.
	Unlock    func(passphrase string) error
	LockAfter time.Duration
}

// env is what every screen shares; it does not change after New.
type env struct {
	cfg   Config
	lang  hecha.Lang
	st    Styles
	ctx   context.Context
	rules *hecha.Rules

	markerOnce sync.Once
	marker     map[hecha.Status]string
}

// markers returns the styled state markers, 4 cells wide, made once.
func (e *env) markers() map[hecha.Status]string {
	e.markerOnce.Do(func() {
		e.marker = make(map[hecha.Status]string, len(hecha.Statuses))
		for _, st := range hecha.Statuses {
			e.marker[st] = e.st.State[st].Render(pad(e.st.Marker(e.lang, st), 4))
		}
	})
	return e.marker
}

// now returns the current time by the configured clock.
func (e *env) now() time.Time { return e.cfg.Now() }

// t is hecha.T in the UI's language.
func (e *env) t(id string, args ...any) string { return hecha.T(e.lang, id, args...) }

// countID is the message id for a count of n: id itself, or id+".one"
// when n is 1, for English's singular ("1 result", not "1 results").
func countID(id string, n int) string {
	if n == 1 {
		return id + ".one"
	}
	return id
}
