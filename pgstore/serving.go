package pgstore

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"hecha"
)

// A county served while it is copied would be copied half old and half
// new: results applied during the copy reach one side only, and the
// checksums differ. On a bbolt file the file lock keeps a copy out while a
// server runs; on PostgreSQL, where any number of processes share the
// database, session-level advisory locks do: a server holds its county's
// lock shared (a server scoped to no county the province's), any number of
// servers together, and a copy takes its county's and the province's
// exclusively, with a try-lock, for as long as it runs. A lock is the
// session's: it goes when the server or the copy ends, however it ends.
// It also goes when the server's connection is lost (HoldServing takes it
// again); so that a copy that began in between never has results applied
// beside it, every transaction that applies results also takes its
// county's lock shared, for the transaction, and refuses while a copy
// holds it (resultWriter.load).

// lockSpace is the first key of the advisory locks; the second is the
// county's code as a number, 0 for the province.
const lockSpace int32 = 0x68656368 // "hech"

// lockKey returns the second key of county's lock ("" the province).
func lockKey(county hecha.Code) int32 {
	n, _ := strconv.Atoi(string(county)) // a county code is six digits
	return int32(n)
}

// heldLocks are advisory locks held on a connection kept out of the pool.
type heldLocks struct {
	conn   *pgxpool.Conn
	unlock string
	keys   []int32
}

// release gives back the locks and the connection.
func (h *heldLocks) release() {
	for _, k := range h.keys {
		if _, err := h.conn.Exec(context.Background(), h.unlock, lockSpace, k); err != nil {
			// A lock that cannot be given back goes with its session.
			h.conn.Conn().Close(context.Background()) //nolint:errcheck // closing is the point
			break
		}
	}
	h.conn.Release()
}

// ping reports whether the connection, and so its session's locks, is
// still there.
func (h *heldLocks) ping(ctx context.Context) error { return h.conn.Ping(ctx) }

// takeLocks takes the locks of keys with a try-lock, in order, on a
// connection it keeps; it gives back the ones it took and the connection,
// and says which key it could not take, when one is held.
func (s *Store) takeLocks(ctx context.Context, shared bool, keys []int32) (held *heldLocks, busy int32, err error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, 0, s.dbErr(err)
	}
	try, unlock := `SELECT pg_try_advisory_lock($1, $2)`, `SELECT pg_advisory_unlock($1, $2)`
	if shared {
		try, unlock = `SELECT pg_try_advisory_lock_shared($1, $2)`, `SELECT pg_advisory_unlock_shared($1, $2)`
	}
	h := &heldLocks{conn: conn, unlock: unlock}
	for _, k := range keys {
		var ok bool
		if err := conn.QueryRow(ctx, try, lockSpace, k).Scan(&ok); err != nil {
			h.release()
			return nil, 0, s.dbErr(err)
		}
		if !ok {
			h.release()
			return nil, k, nil
		}
		h.keys = append(h.keys, k)
	}
	return h, 0, nil
}

// HoldServing takes the lock a server holds while it serves the store's
// county (the province's when the store is scoped to none), shared with
// the other servers, and returns the function that gives it back. A copy
// of the county cannot start while it is held.
//
// The lock is its connection's: if that connection is lost (the database
// restarted, the network cut it), so is the lock. HoldServing therefore
// checks the connection every servingCheck and, when it is gone, takes
// the lock again on a new one as soon as the database answers. If a copy
// of the county took the lock in between, the server must not go on
// writing beside it: lost then receives the error (ELOCKED,
// pgstore.serving_lost) and the server stops; until it noticed, its
// pushes were refused (see above).
//
// Errors: ELOCKED (pgstore.copying) while a copy of the county runs;
// EUNAVAILABLE from the database.
func (s *Store) HoldServing(ctx context.Context) (release func(), lost <-chan error, err error) {
	keys := []int32{lockKey(s.county)}
	held, _, err := s.takeLocks(ctx, true, keys)
	if err == nil && held == nil {
		err = hecha.Errorf(hecha.ELOCKED, "", "pgstore.copying", s.name)
	}
	if err != nil {
		return nil, nil, err
	}
	k := &servingKeeper{s: s, keys: keys, held: held, stop: make(chan struct{}), done: make(chan struct{}), lost: make(chan error, 1)}
	go k.keep()
	var once sync.Once
	return func() {
		once.Do(func() {
			close(k.stop)
			<-k.done
		})
	}, k.lost, nil
}

// servingCheck is how often a server checks the connection that holds its
// serving lock.
var servingCheck = 5 * time.Second

// servingKeeper keeps a server's serving lock (HoldServing).
type servingKeeper struct {
	s    *Store
	keys []int32
	held *heldLocks // nil while lost
	stop chan struct{}
	done chan struct{}
	lost chan error
}

// keep checks the lock's connection every servingCheck, takes the lock
// again when it was lost, and gives it back when stopped.
func (k *servingKeeper) keep() {
	defer close(k.done)
	defer func() {
		if k.held != nil {
			k.held.release()
		}
	}()
	t := time.NewTicker(servingCheck)
	defer t.Stop()
	for {
		select {
		case <-k.stop:
			return
		case <-t.C:
		}
		if err := k.check(); err != nil {
			k.lost <- err
			<-k.stop
			return
		}
	}
}

// check makes sure the lock is held: the connection holding it answers,
// or the lock is taken again on a new one. It returns an error only when
// the lock cannot be had because a copy holds it; while the database
// does not answer, the next check tries again.
func (k *servingKeeper) check() error {
	ctx, cancel := context.WithTimeout(context.Background(), servingCheck)
	defer cancel()
	if k.held != nil {
		if k.held.ping(ctx) == nil {
			return nil
		}
		k.held.release() // the connection is closed; its session's lock is gone
		k.held = nil
	}
	held, _, err := k.s.takeLocks(ctx, true, k.keys)
	switch {
	case err != nil:
		return nil // the database is away: try again at the next check
	case held == nil:
		return hecha.Errorf(hecha.ELOCKED, "", "pgstore.serving_lost", k.s.name)
	}
	k.held = held
	return nil
}

// LockForCopy takes the store's county's lock and the province's,
// exclusively, for as long as a copy reads or writes the county, and
// returns the function that gives them back.
//
// Errors: EINVALID (county.no_county) for a store scoped to no county;
// ELOCKED (pgstore.serving) while a server serves the county or the
// province, or another copy runs; EUNAVAILABLE from the database.
func (s *Store) LockForCopy(ctx context.Context) (release func(), err error) {
	county, err := s.needCounty("county")
	if err != nil {
		return nil, err
	}
	held, busy, err := s.takeLocks(ctx, false, []int32{lockKey(county), lockKey("")})
	switch {
	case err != nil:
	case held != nil:
		release = held.release
	case busy == 0:
		err = hecha.Errorf(hecha.ELOCKED, "", "pgstore.serving_all", s.name, string(county))
	default:
		err = hecha.Errorf(hecha.ELOCKED, "", "pgstore.serving", s.name, string(county))
	}
	return release, err
}
