package pgstore

import (
	"context"
	"encoding/json"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"hecha"
)

// batchRecords is the hecha.RecordStore of one batch of results
// (resultWriter): the registry records the batch's results are about are
// read together before the results are applied (want, then one round
// trip), the lookups are answered from them, and the records written are
// kept and written together before the batch commits (flush). Applied one
// at a time, a confirming result cost about five round trips (two lookups
// by citizen ID, and a write of three statements), which made a batch of
// confirmations some twenty times slower than one of R1s.
//
// What it answers is what the database would, as if each record had been
// written when put: a lookup that was not read ahead (a key the batch did
// not foresee) reads the database and keeps what it found, never over a
// record put in the batch.
type batchRecords struct {
	ctx    context.Context
	tx     pgx.Tx
	county hecha.Code
	log    *changeLog
	fl     regCache[hecha.FloatingRecord]
	rs     regCache[hecha.ResidentRecord]
}

var _ hecha.RecordStore = (*batchRecords)(nil)

func newBatchRecords(ctx context.Context, tx pgx.Tx, county hecha.Code, log *changeLog) *batchRecords {
	return &batchRecords{ctx: ctx, tx: tx, county: county, log: log,
		fl: newRegCache(floatingTable, func(r *hecha.FloatingRecord) (string, string) { return r.ID, r.CitizenID },
			floatingRow, func(r hecha.FloatingRecord) hecha.FloatingRecord { return r }),
		rs: newRegCache(residentTable, func(r *hecha.ResidentRecord) (string, string) { return r.ID, r.CitizenID },
			residentRow, func(r hecha.ResidentRecord) hecha.ResidentRecord {
				if r.Outflow != nil {
					o := *r.Outflow
					r.Outflow = &o
				}
				return r
			}),
	}
}

// recordKeys are the record ids and citizen IDs a batch's results may
// look up.
type recordKeys struct{ ids, cids []string }

func (k *recordKeys) add(ids []string, cids ...string) {
	for _, id := range ids {
		if id != "" && !slices.Contains(k.ids, id) {
			k.ids = append(k.ids, id)
		}
	}
	for _, c := range cids {
		if c != "" && !slices.Contains(k.cids, c) {
			k.cids = append(k.cids, c)
		}
	}
}

// want adds to k what hecha.ApplyToRecords looks up for r on case c: the
// candidate it names, the verified person's citizen ID, and for a
// mismatch the citizen IDs of both sides and the final one.
func (k *recordKeys) want(r *hecha.Result, c *hecha.Case) {
	switch {
	case r.Form == hecha.FormM && r.Mismatch != nil && c != nil:
		final := r.Mismatch.Final(c)
		var sides []string
		for _, b := range []*hecha.Basic{c.Resident, c.Outflow} {
			if b != nil {
				sides = append(sides, b.CitizenID)
			}
		}
		k.add([]string{r.CandidateID}, append(sides, final.CitizenID)...)
	case r.Form.Confirms() && r.Verified != nil:
		k.add([]string{r.CandidateID}, r.Verified.CitizenID)
	}
}

// queue adds to b the reads of the records with the keys, in both
// registries.
func (br *batchRecords) queue(b *pgx.Batch, k recordKeys) {
	if len(k.ids) == 0 && len(k.cids) == 0 {
		return
	}
	br.fl.queue(b, br.county, k)
	br.rs.queue(b, br.county, k)
}

// flush writes the records put, as writeRows does, in one round trip,
// noting their changes in the batch's change log.
func (br *batchRecords) flush() error {
	b := &pgx.Batch{}
	br.fl.queueWrites(b, br.log, br.county)
	br.rs.queueWrites(b, br.log, br.county)
	if b.Len() == 0 {
		return nil
	}
	return br.tx.SendBatch(br.ctx, b).Close()
}

func (br *batchRecords) FloatingRecord(id string) (*hecha.FloatingRecord, error) {
	return br.fl.byID(br.ctx, br.tx, br.county, id)
}

func (br *batchRecords) ResidentRecord(id string) (*hecha.ResidentRecord, error) {
	return br.rs.byID(br.ctx, br.tx, br.county, id)
}

func (br *batchRecords) FloatingByCitizenID(cid string) ([]hecha.FloatingRecord, error) {
	return br.fl.byCID(br.ctx, br.tx, br.county, cid)
}

func (br *batchRecords) ResidentByCitizenID(cid string) ([]hecha.ResidentRecord, error) {
	return br.rs.byCID(br.ctx, br.tx, br.county, cid)
}

func (br *batchRecords) PutFloatingRecord(rec *hecha.FloatingRecord) error { return br.fl.put(rec) }
func (br *batchRecords) PutResidentRecord(rec *hecha.ResidentRecord) error { return br.rs.put(rec) }

// The lookups by name, sex and birth, which applying a result does not
// make, write what was put first and ask the database.

func (br *batchRecords) FloatingByNameSexBirth(name string, sex hecha.Sex, birth hecha.Date, p hecha.Precision) ([]hecha.FloatingRecord, error) {
	if err := br.flush(); err != nil {
		return nil, err
	}
	return br.lookup().FloatingByNameSexBirth(name, sex, birth, p)
}

func (br *batchRecords) ResidentByNameSexBirth(name string, sex hecha.Sex, birth hecha.Date, p hecha.Precision) ([]hecha.ResidentRecord, error) {
	if err := br.flush(); err != nil {
		return nil, err
	}
	return br.lookup().ResidentByNameSexBirth(name, sex, birth, p)
}

func (br *batchRecords) lookup() lookup {
	return lookup{ctx: br.ctx, q: br.tx, county: br.county, tx: br.tx, log: br.log}
}

// regCache holds one registry's records for a batch: those read (by id or
// by citizen ID, and which keys were read) and those put, the latter also
// as rows to write.
type regCache[T any] struct {
	g     regTable
	keys  func(*T) (id, cid string)
	row   func(*T) (regRow, error)
	clone func(T) T

	recs    map[string]*T
	haveID  map[string]bool
	haveCID map[string]bool
	pending []regRow
}

func newRegCache[T any](g regTable, keys func(*T) (string, string), row func(*T) (regRow, error), clone func(T) T) regCache[T] {
	return regCache[T]{g: g, keys: keys, row: row, clone: clone,
		recs: map[string]*T{}, haveID: map[string]bool{}, haveCID: map[string]bool{}}
}

// queue adds to b the read of the records with the ids or citizen IDs of
// k that were not read yet; once b has run they are known.
func (c *regCache[T]) queue(b *pgx.Batch, county hecha.Code, k recordKeys) {
	var ids, cids []string
	for _, id := range k.ids {
		if !c.haveID[id] {
			ids = append(ids, id)
		}
	}
	for _, cid := range k.cids {
		if !c.haveCID[cid] {
			cids = append(cids, cid)
		}
	}
	if len(ids) == 0 && len(cids) == 0 {
		return
	}
	// Each key is looked up by its own index probe (LATERAL, fenced by
	// LIMIT or OFFSET so that the planner keeps it a probe): written as one
	// filter (county = $1 AND (id = ANY($2) OR citizen_id = ANY($3))), a
	// registry that was never analyzed was read whole at every batch, 49 ms
	// for 500 keys among 30,000 records against 4 ms for the probes. It is
	// planned at each run (planEachRunSQL). A record found by both its id
	// and its citizen ID comes twice and is decoded once.
	b.Queue(planEachRunSQL)
	b.Queue(`SELECT f.id, f.data FROM unnest($2::text[]) AS k(id) CROSS JOIN LATERAL (
			SELECT id, data FROM `+c.g.table+` f WHERE f.county = $1 AND f.id = k.id LIMIT 1) f
		UNION ALL
		SELECT f.id, f.data FROM unnest($3::text[]) AS k(cid) CROSS JOIN LATERAL (
			SELECT id, data FROM `+c.g.table+` f WHERE f.county = $1 AND f.citizen_id = k.cid OFFSET 0) f`,
		string(county), ids, cids).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var id string
			var data []byte
			if err := rows.Scan(&id, &data); err != nil {
				return err
			}
			if _, known := c.recs[id]; known {
				continue // put in the batch, or read twice
			}
			rec := new(T)
			if err := json.Unmarshal(data, rec); err != nil {
				return err
			}
			c.recs[id] = rec
		}
		if err := rows.Err(); err != nil {
			return err
		}
		for _, id := range ids {
			c.haveID[id] = true
		}
		for _, cid := range cids {
			c.haveCID[cid] = true
		}
		return nil
	})
	b.Queue(planAsUsualSQL)
}

// read reads the records with the keys not read yet, in a round trip of
// its own.
func (c *regCache[T]) read(ctx context.Context, tx pgx.Tx, county hecha.Code, k recordKeys) error {
	b := &pgx.Batch{}
	c.queue(b, county, k)
	if b.Len() == 0 {
		return nil
	}
	return tx.SendBatch(ctx, b).Close()
}

// byID returns a copy of the record with the id, nil when there is none.
func (c *regCache[T]) byID(ctx context.Context, tx pgx.Tx, county hecha.Code, id string) (*T, error) {
	if err := c.read(ctx, tx, county, recordKeys{ids: []string{id}}); err != nil {
		return nil, err
	}
	rec, ok := c.recs[id]
	if !ok {
		return nil, nil
	}
	out := c.clone(*rec)
	return &out, nil
}

// byCID returns copies of the records with the citizen ID, by id, as the
// database orders them.
func (c *regCache[T]) byCID(ctx context.Context, tx pgx.Tx, county hecha.Code, cid string) ([]T, error) {
	if cid == "" {
		return nil, nil
	}
	if err := c.read(ctx, tx, county, recordKeys{cids: []string{cid}}); err != nil {
		return nil, err
	}
	var ids []string
	for id, rec := range c.recs {
		if _, rcid := c.keys(rec); rcid == cid {
			ids = append(ids, id)
		}
	}
	slices.SortFunc(ids, strings.Compare) // COLLATE "C": bytewise
	out := make([]T, len(ids))
	for i, id := range ids {
		out[i] = c.clone(*c.recs[id])
	}
	return out, nil
}

// put keeps a copy of rec as the record with its id, to be written.
func (c *regCache[T]) put(rec *T) error {
	row, err := c.row(rec)
	if err != nil {
		return err
	}
	cp := c.clone(*rec)
	c.recs[row.id] = &cp
	c.haveID[row.id] = true
	c.pending = append(c.pending, row)
	return nil
}

// queueWrites adds to b the writing of the records put (queueWriteRows,
// which keeps the last of each id).
func (c *regCache[T]) queueWrites(b *pgx.Batch, log *changeLog, county hecha.Code) {
	if len(c.pending) == 0 {
		return
	}
	queueWriteRows(b, log, county, c.g, c.pending)
	c.pending = nil
}
