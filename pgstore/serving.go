package pgstore

import (
	"context"
	"strconv"

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

// lockSpace is the first key of the advisory locks; the second is the
// county's code as a number, 0 for the province.
const lockSpace int32 = 0x68656368 // "hech"

// lockKey returns the second key of county's lock ("" the province).
func lockKey(county hecha.Code) int32 {
	n, _ := strconv.Atoi(string(county)) // a county code is six digits
	return int32(n)
}

// takeLocks takes the locks of keys with a try-lock, in order, on a connection
// it keeps; it gives back the ones it took and the connection, and says
// which key it could not take, when one is held.
func (s *Store) takeLocks(ctx context.Context, shared bool, keys []int32) (release func(), busy int32, err error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, 0, s.dbErr(err)
	}
	try, unlock := `SELECT pg_try_advisory_lock($1, $2)`, `SELECT pg_advisory_unlock($1, $2)`
	if shared {
		try, unlock = `SELECT pg_try_advisory_lock_shared($1, $2)`, `SELECT pg_advisory_unlock_shared($1, $2)`
	}
	var held []int32
	release = func() {
		for _, k := range held {
			if _, err := conn.Exec(context.Background(), unlock, lockSpace, k); err != nil {
				// A lock that cannot be given back goes with its session.
				conn.Conn().Close(context.Background()) //nolint:errcheck // closing is the point
				break
			}
		}
		conn.Release()
	}
	for _, k := range keys {
		var ok bool
		if err := conn.QueryRow(ctx, try, lockSpace, k).Scan(&ok); err != nil {
			release()
			return nil, 0, s.dbErr(err)
		}
		if !ok {
			release()
			return nil, k, nil
		}
		held = append(held, k)
	}
	return release, 0, nil
}

// HoldServing takes the lock a server holds while it serves the store's
// county (the province's when the store is scoped to none), shared with
// the other servers, and returns the function that gives it back. A copy
// of the county cannot start while it is held.
//
// Errors: ELOCKED (pgstore.copying) while a copy of the county runs;
// EUNAVAILABLE from the database.
func (s *Store) HoldServing(ctx context.Context) (release func(), err error) {
	release, _, err = s.takeLocks(ctx, true, []int32{lockKey(s.county)})
	if err == nil && release == nil {
		err = hecha.Errorf(hecha.ELOCKED, "", "pgstore.copying", s.name)
	}
	return release, err
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
	release, busy, err := s.takeLocks(ctx, false, []int32{lockKey(county), lockKey("")})
	switch {
	case err != nil || release != nil:
	case busy == 0:
		err = hecha.Errorf(hecha.ELOCKED, "", "pgstore.serving_all", s.name, string(county))
	default:
		err = hecha.Errorf(hecha.ELOCKED, "", "pgstore.serving", s.name, string(county))
	}
	return release, err
}
