package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"slices"

	"github.com/jackc/pgx/v5"

	"hecha"
)

// Change sequences safe under concurrent writers.
//
// A write transaction collects what it changed (changeLog) and, just
// before it commits, reserves numbers for it: for each township it
// touched, in code order, it adds the count to the township's row of
// hecha_case_seq (or hecha_reg_seq) and takes the numbers up to the new
// value. The update holds that row's lock until the transaction ends, so
// a second writer of the same township waits and then counts on from the
// first one's committed value: a township's numbers become visible in
// increasing order, with no gap a later commit could fill. A reader whose
// snapshot holds number n holds every number below n too, so paging by
// "seq > cursor" never skips an entry. A rolled back writer's numbers
// were never committed and are handed out again. Townships are locked in
// code order, case sequences before registry sequences, so writers do not
// deadlock on them.

// caseTouch is one case to put in a township's case changes.
type caseTouch struct {
	township hecha.Code
	id       string
	device   string // the device whose result made the change, or ""
}

// regTouch is one record to put in a township's registry changes.
type regTouch struct {
	township hecha.Code
	src      string // "F" or "R"
	id       string
}

// changeLog collects a transaction's changes, in order, each once.
type changeLog struct {
	county hecha.Code
	cases  []caseTouch
	regs   []regTouch
	// caseAt and regSeen index cases and regs, so a big batch's touches
	// cost no scan each.
	caseAt  map[caseKey]int
	regSeen map[regTouch]bool
	// caseSeq receives, after flush, the number each case touch got.
	caseSeq map[caseTouch]uint64
}

// touchCase records that case id changed for township ("" does nothing).
func (l *changeLog) touchCase(township hecha.Code, id, device string) {
	if township == "" {
		return
	}
	if l.caseAt == nil {
		l.caseAt = map[caseKey]int{}
	}
	k := caseKey{township, id}
	if i, ok := l.caseAt[k]; ok {
		// Moved to the end: the entry keeps only the latest change.
		l.cases[i].id = "" // a hole flush skips
	}
	l.caseAt[k] = len(l.cases)
	l.cases = append(l.cases, caseTouch{township, id, device})
}

// caseKey names a case in a township's changes.
type caseKey struct {
	township hecha.Code
	id       string
}

// touchRecord records that a registry record changed for township.
func (l *changeLog) touchRecord(township hecha.Code, src, id string) {
	if township == "" {
		return
	}
	t := regTouch{township, src, id}
	if l.regSeen == nil {
		l.regSeen = map[regTouch]bool{}
	}
	if !l.regSeen[t] {
		l.regSeen[t] = true
		l.regs = append(l.regs, t)
	}
}

// flush reserves the numbers and writes the change rows, in one round
// trip (see queue).
func (l *changeLog) flush(ctx context.Context, tx pgx.Tx) error {
	b := &pgx.Batch{}
	l.queue(b)
	if b.Len() > 0 {
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return err
		}
	}
	l.flushed()
	return nil
}

// queue adds to b, for each township touched (in code order, case
// sequences first), one statement that reserves the township's numbers
// and writes its change rows: it adds the count to the township's row of
// the sequence table (locking it until the transaction ends) and numbers
// the rows from the value it had, on the server, so that the writes of a
// whole transaction can go in one batch. After the batch has run,
// l.caseSeq holds the number each case touch got, and the caller calls
// flushed. A batch that fails leaves caseSeq partial; the transaction is
// then rolled back.
func (l *changeLog) queue(b *pgx.Batch) {
	l.caseSeq = map[caseTouch]uint64{}
	byTown := map[hecha.Code][]caseTouch{}
	for _, t := range l.cases {
		if t.id != "" {
			byTown[t.township] = append(byTown[t.township], t)
		}
	}
	for _, town := range sortedKeys(byTown) {
		touches := byTown[town]
		ids, devices := make([]string, len(touches)), make([]string, len(touches))
		for i, t := range touches {
			ids[i], devices[i] = t.id, t.device
		}
		// prev_seq: the case's last change the device did not make (see
		// hecha.OwnChanges), as store's touchCaseBy keeps it.
		b.Queue(`WITH r AS (
				INSERT INTO hecha_case_seq AS t (township, seq) VALUES ($1, $2::bigint)
				ON CONFLICT (township) DO UPDATE SET seq = t.seq + EXCLUDED.seq RETURNING seq),
			w AS (
				INSERT INTO hecha_case_changes (township, case_id, county, seq, device, prev_seq)
				SELECT $1, u.i, $3, r.seq - $2::bigint + u.n, u.d, 0
				FROM r, unnest($4::text[], $5::text[]) WITH ORDINALITY AS u(i, d, n)
				ON CONFLICT (township, case_id) DO UPDATE SET
					seq = EXCLUDED.seq,
					prev_seq = CASE WHEN hecha_case_changes.device <> '' AND hecha_case_changes.device = EXCLUDED.device
						THEN hecha_case_changes.prev_seq ELSE hecha_case_changes.seq END,
					device = EXCLUDED.device)
			SELECT seq FROM r`,
			string(town), len(touches), string(l.county), ids, devices,
		).QueryRow(func(row pgx.Row) error {
			var top int64
			if err := row.Scan(&top); err != nil {
				return err
			}
			seq := uint64(top) - uint64(len(touches))
			for _, t := range touches {
				seq++
				l.caseSeq[t] = seq
			}
			return nil
		})
	}
	regByTown := map[hecha.Code][]regTouch{}
	for _, t := range l.regs {
		regByTown[t.township] = append(regByTown[t.township], t)
	}
	for _, town := range sortedKeys(regByTown) {
		touches := regByTown[town]
		srcs, ids := make([]string, len(touches)), make([]string, len(touches))
		for i, t := range touches {
			srcs[i], ids[i] = t.src, t.id
		}
		b.Queue(`WITH r AS (
				INSERT INTO hecha_reg_seq AS t (township, seq) VALUES ($1, $2::bigint)
				ON CONFLICT (township) DO UPDATE SET seq = t.seq + EXCLUDED.seq RETURNING seq),
			w AS (
				INSERT INTO hecha_reg_changes (township, src, record_id, county, seq)
				SELECT $1, u.sr, u.i, $3, r.seq - $2::bigint + u.n
				FROM r, unnest($4::text[], $5::text[]) WITH ORDINALITY AS u(sr, i, n)
				ON CONFLICT (township, src, record_id) DO UPDATE SET seq = EXCLUDED.seq)
			SELECT seq FROM r`,
			string(town), len(touches), string(l.county), srcs, ids,
		).QueryRow(func(row pgx.Row) error { var top int64; return row.Scan(&top) })
	}
	l.cases, l.regs, l.caseAt, l.regSeen = nil, nil, nil, nil
}

// flushed runs the test hook once a flush has reserved its numbers, before
// the transaction commits.
func (l *changeLog) flushed() {
	if testHookFlushed != nil {
		testHookFlushed()
	}
}

// testHookFlushed, when set (by tests only), runs after a transaction
// reserved its numbers and before it commits: the window in which a
// scheme that is not safe would let a reader pass a number still to
// commit.
var testHookFlushed func()

// regSeqSQL reads the last number of the township $1's registry
// changes handed out.
const regSeqSQL = `SELECT seq FROM hecha_reg_seq WHERE township = $1`

// regSequence returns the township's last handed out number of its
// registry changes.
func regSequence(ctx context.Context, tx pgx.Tx, town hecha.Code) (uint64, error) {
	var seq int64
	err := tx.QueryRow(ctx, regSeqSQL, string(town)).Scan(&seq)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	return uint64(seq), err
}

func sortedKeys[V any](m map[hecha.Code]V) []hecha.Code {
	keys := make([]hecha.Code, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// casesPageSQL reads a page of a township's case changes ($1) after the
// cursor ($2), at most $3 of them, leaving out those $4 (a device) made
// with numbers $5 to $6 when nothing else changed the case after the
// cursor (prev_seq). Each row holds the township's last number (top),
// the last number of its changes and a change with its case's id and
// data; a single row with no change when none comes after the cursor. A
// cursor above top (restored from an older copy) reads from the start.
const casesPageSQL = `SELECT t.top, t.last, p.seq, p.case_id, p.data
	FROM (SELECT coalesce((SELECT seq FROM hecha_case_seq WHERE township = $1), 0) AS top,
		coalesce((SELECT max(seq) FROM hecha_case_changes WHERE township = $1), 0) AS last) t
	LEFT JOIN LATERAL (
		SELECT ch.seq, ch.case_id, c.data
		FROM hecha_case_changes ch JOIN hecha_cases c ON c.county = ch.county AND c.id = ch.case_id
		WHERE ch.township = $1 AND ch.seq > (CASE WHEN $2::bigint > t.top THEN 0 ELSE $2::bigint END)
			AND NOT ($4::text <> '' AND ch.device = $4::text AND ch.seq BETWEEN $5::bigint AND $6::bigint
				AND ch.prev_seq <= (CASE WHEN $2::bigint > t.top THEN 0 ELSE $2::bigint END))
		ORDER BY ch.seq LIMIT $3) p ON true
	ORDER BY p.seq`

// maxSeq bounds the numbers of an OwnChanges passed to the database
// (bigint); a cursor above it is above every township's sequence.
const maxSeq = 1<<63 - 1

// defaultPage is the page size of CasesSince and RegistrySince when the
// caller gives none.
const defaultPage = 1000

// CasesSince returns up to limit cases of the township's change sequence
// after cursor (see hecha.CountyStore).
func (s *Store) CasesSince(ctx context.Context, township hecha.Code, cursor uint64, limit int) ([]hecha.Case, uint64, error) {
	return s.CasesSinceFor(ctx, township, hecha.OwnChanges{}, cursor, limit)
}

// CasesSinceFor is CasesSince leaving out the changes own names when
// nothing else changed the case after cursor.
//
// A page is one statement, so one round trip and one snapshot: the
// township's last number, the last number of its changes and the page of
// changes after the cursor, the own changes left out on the server.
func (s *Store) CasesSinceFor(ctx context.Context, township hecha.Code, own hecha.OwnChanges, cursor uint64, limit int) ([]hecha.Case, uint64, error) {
	var out []hecha.Case
	next, err := s.casesPage(ctx, township, own, cursor, limit, func() { out = nil }, func(_ string, data []byte) error {
		c, err := decodeCase(data)
		if err != nil {
			return err
		}
		out = append(out, *c)
		return nil
	})
	if err != nil {
		return nil, cursor, err
	}
	return out, next, nil
}

// CasesSinceJSON is CasesSinceFor answering with each case's id and its
// JSON, the case's json.Marshal: the sync server sends it as it is (see
// sync.JSONCasesReader). A case stored as JSON (before schema version 4)
// is sent as stored; one stored in binary is encoded here, on every
// processor.
func (s *Store) CasesSinceJSON(ctx context.Context, township hecha.Code, own hecha.OwnChanges, cursor uint64, limit int) ([]string, [][]byte, uint64, error) {
	var ids []string
	var datas [][]byte
	next, err := s.casesPage(ctx, township, own, cursor, limit, func() { ids, datas = nil, nil }, func(id string, data []byte) error {
		ids, datas = append(ids, id), append(datas, data)
		return nil
	})
	if err != nil {
		return nil, nil, cursor, err
	}
	errs := make([]error, len(datas))
	onEveryProc(len(datas), func(i int) {
		if storedAsJSON(datas[i]) {
			return
		}
		c, err := decodeCase(datas[i])
		if err == nil {
			datas[i], err = json.Marshal(c)
		}
		errs[i] = err
	})
	if err := errors.Join(errs...); err != nil {
		return nil, nil, cursor, err
	}
	return ids, datas, next, nil
}

// casesPage reads a page of CasesSinceFor, calling add with the id and
// stored data of each case in order (after reset, before each attempt of
// the read), and returns the cursor after the page.
func (s *Store) casesPage(ctx context.Context, township hecha.Code, own hecha.OwnChanges, cursor uint64, limit int, reset func(), add func(id string, data []byte) error) (uint64, error) {
	if township.Level() != hecha.LevelTownship {
		return cursor, hecha.Invalid("township", "county.token_level", string(township))
	}
	if limit <= 0 {
		limit = defaultPage
	}
	next := cursor
	err := s.read(ctx, func(q querier) error {
		reset()
		next = cursor
		rows, err := q.Query(ctx, casesPageSQL, string(township), int64(min(cursor, maxSeq)), limit,
			own.Device, int64(min(own.From, maxSeq)), int64(min(own.To, maxSeq)))
		if err != nil {
			return err
		}
		defer rows.Close()
		from, last, n := cursor, uint64(0), 0
		for rows.Next() {
			var top, end int64
			var seq *int64
			var id *string
			var data []byte
			if err := rows.Scan(&top, &end, &seq, &id, &data); err != nil {
				return err
			}
			if cursor > uint64(top) {
				// A cursor the sequence has not reached: restored from an
				// older copy. Answered from the start, with next below
				// cursor.
				from, next = 0, 0
			}
			last = uint64(end)
			if seq == nil {
				break // no change after the cursor
			}
			if err := add(*id, data); err != nil {
				return err
			}
			n++
			next = uint64(*seq)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if n < limit {
			// Every change after the cursor was read: the page ends
			// after the last of them, even one left out as the
			// client's own.
			next = max(from, last)
		}
		return nil
	})
	if err != nil {
		return cursor, err
	}
	return next, nil
}
