package sync

import (
	"context"
	stdsync "sync"
	"time"

	"hecha"
)

// Store is what a sync round needs from the township's database: the
// SyncStore methods, and the outbox to count what is pending and to list
// the results the county has acknowledged. It is implemented by
// store.TownshipDB.
type Store interface {
	hecha.SyncStore
	Outbox(ctx context.Context, states ...hecha.OutboxState) ([]hecha.OutboxItem, error)
}

// Phase names a step of a sync round; the TUI shows it with the message
// "sync.phase.<phase>".
type Phase string

// The phases of a round, in order.
const (
	PhaseConnect   Phase = "connect"
	PhasePush      Phase = "push"
	PhaseCheck     Phase = "check"
	PhaseDivisions Phase = "divisions"
	PhaseCases     Phase = "cases"
	PhaseRegistry  Phase = "registry"
)

// Progress reports how far a phase has come. Total is 0 when it is not
// known in advance (pulls).
type Progress struct {
	Phase Phase
	Done  int
	Total int
}

// Report says what a round did. Pushed counts results the county
// answered; Accepted, Duplicate, Rejected and Conflict count those
// answers; Unanswered counts results sent whose answer never came (the
// connection broke): they are pending again and the next round sends
// them again. Requeued counts results the county turned out to have lost,
// sent again. Bytes counts the traffic both ways. Offline is set by Loop
// when the county could not be reached.
type Report struct {
	Pushed         int   `json:"pushed"`
	Accepted       int   `json:"accepted"`
	Duplicate      int   `json:"duplicate"`
	Rejected       int   `json:"rejected"`
	Conflict       int   `json:"conflict"`
	Requeued       int   `json:"requeued"`
	Unanswered     int   `json:"unanswered,omitempty"`
	PulledCases    int   `json:"pulled_cases"`
	PulledRegistry int   `json:"pulled_registry"`
	Bytes          int64 `json:"bytes"`
	Offline        bool  `json:"offline,omitempty"`
	// Skipped lists the pulled records the township's database refused.
	Skipped []Skipped `json:"skipped,omitempty"`
	// Divisions is the county's division table when the round took a new
	// one (nil otherwise). The store has saved it and brought the open
	// database's own table up to date in place, so whoever shares that
	// table sees the new codes already; an interface that keeps a table
	// of its own, or none, or lists made from it, takes this one.
	Divisions *hecha.DivisionTable `json:"-"`

	// ownFrom and ownTo span the change sequence numbers of the results
	// the county accepted this round, for the pull to leave out.
	ownFrom, ownTo uint64
}

// Moved reports whether the round sent or took anything: results pushed
// (answered or not), cases or registry records pulled, records skipped, a
// division table taken.
func (r Report) Moved() bool {
	return r.Pushed+r.Unanswered+r.Requeued+r.PulledCases+r.PulledRegistry+len(r.Skipped) > 0 || r.Divisions != nil
}

// noteOwn records the change an accepted result made on the county.
func (r *Report) noteOwn(o hecha.Outcome) {
	if o.Status != hecha.ResultAccepted || o.ChangeSeq == 0 {
		return
	}
	if r.ownTo == 0 || o.ChangeSeq < r.ownFrom {
		r.ownFrom = o.ChangeSeq
	}
	r.ownTo = max(r.ownTo, o.ChangeSeq)
}

// DefaultBatchSize is the number of results pushed in one request.
const DefaultBatchSize = 200

// Syncer runs sync rounds between the township's database and the county.
// Set Store, Client and Now; the other fields are optional. Rounds do not
// overlap: a Round called while another runs waits for it. Round and Loop
// panic when Now is nil: the package never reads the real clock itself.
type Syncer struct {
	Store     Store
	Client    *Client
	BatchSize int              // results per push (DefaultBatchSize when 0)
	PageSize  int              // records per pull page (the server's default when 0)
	Progress  func(Progress)   // called as each phase advances; may be nil
	Now       func() time.Time // the clock of LastSync; required

	mu stdsync.Mutex
}

// Round runs one sync round: it checks the token's township, pushes the
// outbox in batches, asks the county which acknowledged results it lacks
// (a county restored from an older copy) and pushes those again, takes the
// county's division table when it changed (a Store that is a
// DivisionStore), then pulls the cases and the registry extract changed
// since the cursors — from the start when the county turned out to have
// lost results, or answers with a cursor behind the one asked from.
//
// A division table that does not load on the township is not stored: the
// pulls go on, and the round ends with its error (EINVALID).
//
// A push that fails on the way puts its results back to pending and stops
// the round with the error (EUNAVAILABLE when the county cannot be
// reached); nothing is lost and nothing applied twice, so the next round
// simply goes on. A rejected or conflicting result never holds up others.
func (s *Syncer) Round(ctx context.Context) (rep Report, err error) {
	s.mustClock()
	s.mu.Lock()
	defer s.mu.Unlock()
	sent0, recv0 := s.Client.Traffic()
	defer func() {
		sent, recv := s.Client.Traffic()
		rep.Bytes = sent - sent0 + recv - recv0
	}()

	st, err := s.Store.Settings(ctx)
	if err != nil {
		return rep, err
	}
	s.progress(PhaseConnect, 0, 1)
	township, err := s.Client.WhoAmI(ctx)
	if err != nil {
		return rep, err
	}
	if st.Township != "" && township != st.Township {
		return rep, hecha.Errorf(hecha.EUNAUTHORIZED, "token", "sync.err.wrong_township", township, st.Township)
	}
	s.progress(PhaseConnect, 1, 1)

	if err := s.push(ctx, &rep); err != nil {
		return rep, err
	}
	lost, err := s.reconcile(ctx, &rep)
	if err != nil {
		return rep, err
	}
	var divErr error
	rep.Divisions, err = s.pullDivisions(ctx)
	switch {
	case divisionsFailed(err):
		divErr = err
	case err != nil:
		return rep, err
	}
	cursor, regCursor := st.Cursor, st.RegistryCursor
	if lost {
		// The county went back to an older copy: its change sequence is
		// behind the cursors, and changes made since would be missed.
		// Pull everything again; cases the township holds in a newer
		// revision are left alone by the store.
		cursor, regCursor = 0, 0
	}
	if err := s.pullCases(ctx, cursor, &rep); err != nil {
		return rep, err
	}
	if err := s.pullRegistry(ctx, regCursor, &rep); err != nil {
		return rep, err
	}

	// Record the round; the pulls have moved the cursors meanwhile.
	st, err = s.Store.Settings(ctx)
	if err != nil {
		return rep, err
	}
	if st.Township == "" {
		st.Township = township
	}
	st.LastSync = s.now()
	if err := s.Store.SaveSettings(ctx, st); err != nil {
		return rep, err
	}
	return rep, divErr
}

// Loop runs a round now and then every interval until ctx is done, and
// calls notify after each. It first checks cheaply that the county
// answers; when it does not, or a round is cut off because the county went
// away, notify gets a Report with Offline set and a nil error: working
// offline is normal. Other errors are passed on.
func (s *Syncer) Loop(ctx context.Context, every time.Duration, notify func(Report, error)) {
	s.mustClock()
	if every <= 0 {
		every = 5 * time.Minute
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		hctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		err := s.Client.Health(hctx)
		cancel()
		var rep Report
		if err == nil {
			rep, err = s.Round(ctx)
		}
		if ctx.Err() != nil {
			return
		}
		if hecha.ErrorCode(err) == hecha.EUNAVAILABLE {
			rep.Offline, err = true, nil
		}
		if notify != nil {
			notify(rep, err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (s *Syncer) progress(p Phase, done, total int) {
	if s.Progress != nil {
		s.Progress(Progress{Phase: p, Done: done, Total: total})
	}
}

func (s *Syncer) now() time.Time { return s.Now() }

// mustClock panics when s has no clock: the package never reads the real
// clock itself, and a Syncer without one is a programming error.
func (s *Syncer) mustClock() {
	if s.Now == nil {
		panic("sync: Syncer.Now is not set")
	}
}

func (s *Syncer) batchSize() int {
	switch {
	case s.BatchSize <= 0:
		return DefaultBatchSize
	case s.BatchSize > MaxBatch:
		return MaxBatch
	}
	return s.BatchSize
}
