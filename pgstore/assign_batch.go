package pgstore

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"hecha"
)

// The assignment works a page of cases at a time (assignBatch): it reads
// and locks the page's cases in one query, looks up every registry record
// the page's comparisons can ask for in one round trip (pageRegistry), runs
// the comparisons in memory, and writes the page's cases, candidates and
// conflict notices with one statement each (pageWrites), whatever the
// number of cases in the page.

// loadCasesLocked reads the cases ids of county and their states, locking
// their rows, in one query. Ids not found are missing from the map.
func loadCasesLocked(ctx context.Context, tx pgx.Tx, county hecha.Code, ids []string) (map[string]*hecha.Case, map[string]*caseState, error) {
	rows, err := tx.Query(ctx, `SELECT county, id, status, content_rev, assign_rev, in_force, import_hash, data FROM hecha_cases
		WHERE `+countyCond("county", county)+` AND id = ANY($2::text[]) ORDER BY county, id FOR UPDATE`, string(county), ids)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	cases, states := make(map[string]*hecha.Case, len(ids)), make(map[string]*caseState, len(ids))
	for rows.Next() {
		st := new(caseState)
		var c, id, status string
		var data []byte
		if err := rows.Scan(&c, &id, &status, &st.contentRev, &st.assignRev, &st.inForce, &st.importHash, &data); err != nil {
			return nil, nil, err
		}
		if _, dup := cases[id]; dup {
			continue // the first county's, as loadCase
		}
		st.county, st.status = hecha.Code(c), hecha.Status(status)
		cs, err := decodeCase(data)
		if err != nil {
			return nil, nil, err
		}
		cases[id], states[id] = cs, st
	}
	return cases, states, rows.Err()
}

// nameKey is one lookup by name, sex and birth: the arguments of
// FloatingByNameSexBirth as the lookup queries them.
type nameKey struct {
	name, sex, lo, hi string
}

// regKeys collects the lookups the comparisons of a page make. As a
// registry it finds nothing, so a comparison run against it asks for
// everything it could ask for: the resident system by name too, which
// the real comparison skips when the floating system has the person.
type regKeys struct {
	cids  map[string]bool
	names map[nameKey]bool
}

func newRegKeys() *regKeys {
	return &regKeys{cids: map[string]bool{}, names: map[nameKey]bool{}}
}

// add collects the lookups of c's comparison.
func (k *regKeys) add(c *hecha.Case) error {
	_, err := hecha.Compare(c, k, k, hecha.PrecisionDay)
	return err
}

func nameKeyOf(name string, sex hecha.Sex, birth hecha.Date, p hecha.Precision) nameKey {
	lo, hi := birthRange(birth, p)
	return nameKey{name, string(sex), lo, hi}
}

func (k *regKeys) FloatingByCitizenID(id string) ([]hecha.FloatingRecord, error) {
	if id != "" {
		k.cids[id] = true
	}
	return nil, nil
}

func (k *regKeys) ResidentByCitizenID(id string) ([]hecha.ResidentRecord, error) {
	return nil, nil // the same ids as FloatingByCitizenID
}

func (k *regKeys) FloatingByNameSexBirth(name string, sex hecha.Sex, birth hecha.Date, p hecha.Precision) ([]hecha.FloatingRecord, error) {
	k.names[nameKeyOf(name, sex, birth, p)] = true
	return nil, nil
}

func (k *regKeys) ResidentByNameSexBirth(name string, sex hecha.Sex, birth hecha.Date, p hecha.Precision) ([]hecha.ResidentRecord, error) {
	k.names[nameKeyOf(name, sex, birth, p)] = true
	return nil, nil
}

// pageRegistry answers a page's comparisons from records fetched for the
// whole page beforehand (prefetch), each lookup with the records, in the
// order, that lookup's own query returns. A lookup not fetched goes to
// the database.
type pageRegistry struct {
	db       lookup
	flByCID  map[string][]hecha.FloatingRecord
	rsByCID  map[string][]hecha.ResidentRecord
	flByName map[nameKey][]hecha.FloatingRecord
	rsByName map[nameKey][]hecha.ResidentRecord
}

// The lookups' queries, one statement for all of a page's keys. The
// lateral subquery runs each key's index scan, as the lookup's own query
// does, rather than letting the planner join the registry whole.
const (
	prefetchByCID = `SELECT u.n, x.data FROM unnest($2::text[]) WITH ORDINALITY AS u(k, n)
		CROSS JOIN LATERAL (SELECT r.id, r.data FROM %s r WHERE %s AND r.citizen_id = u.k) x
		ORDER BY u.n, x.id`
	prefetchByName = `SELECT u.n, x.data FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS u(nm, sx, lo, hi, n)
		CROSS JOIN LATERAL (SELECT r.id, r.birth, r.data FROM %s r WHERE %s AND r.name = u.nm AND r.sex = u.sx
			AND r.birth BETWEEN u.lo AND u.hi) x
		ORDER BY u.n, x.birth, x.id`
)

// prefetch reads, in one round trip, the records every lookup of keys
// finds in county's registries.
func prefetch(ctx context.Context, tx pgx.Tx, county hecha.Code, keys *regKeys) (*pageRegistry, error) {
	p := &pageRegistry{
		db:       lookup{ctx: ctx, q: tx, county: county},
		flByCID:  map[string][]hecha.FloatingRecord{},
		rsByCID:  map[string][]hecha.ResidentRecord{},
		flByName: map[nameKey][]hecha.FloatingRecord{},
		rsByName: map[nameKey][]hecha.ResidentRecord{},
	}
	cids := make([]string, 0, len(keys.cids))
	for id := range keys.cids {
		cids = append(cids, id)
	}
	slices.Sort(cids)
	names := make([]nameKey, 0, len(keys.names))
	for k := range keys.names {
		names = append(names, k)
	}
	// In index order, so the page's index scans walk forward.
	slices.SortFunc(names, func(a, b nameKey) int {
		return cmp.Or(strings.Compare(a.name, b.name), strings.Compare(a.sex, b.sex),
			strings.Compare(a.lo, b.lo), strings.Compare(a.hi, b.hi))
	})
	nm, sx, lo, hi := make([]string, len(names)), make([]string, len(names)), make([]string, len(names)), make([]string, len(names))
	for i, k := range names {
		nm[i], sx[i], lo[i], hi[i] = k.name, k.sex, k.lo, k.hi
	}
	var b pgx.Batch
	cond := countyCond("r.county", county)
	if len(cids) > 0 {
		b.Queue(fmt.Sprintf(prefetchByCID, floatingTable.table, cond), string(county), cids)
		b.Queue(fmt.Sprintf(prefetchByCID, residentTable.table, cond), string(county), cids)
	}
	if len(names) > 0 {
		b.Queue(fmt.Sprintf(prefetchByName, floatingTable.table, cond), string(county), nm, sx, lo, hi)
		b.Queue(fmt.Sprintf(prefetchByName, residentTable.table, cond), string(county), nm, sx, lo, hi)
	}
	if b.Len() == 0 {
		return p, nil
	}
	br := tx.SendBatch(ctx, &b)
	defer br.Close()
	if len(cids) > 0 {
		if err := readPrefetched(br, floatingTable, cids, p.flByCID); err != nil {
			return nil, err
		}
		if err := readPrefetched(br, residentTable, cids, p.rsByCID); err != nil {
			return nil, err
		}
	}
	if len(names) > 0 {
		if err := readPrefetched(br, floatingTable, names, p.flByName); err != nil {
			return nil, err
		}
		if err := readPrefetched(br, residentTable, names, p.rsByName); err != nil {
			return nil, err
		}
	}
	return p, br.Close()
}

// readPrefetched reads one prefetch query's rows into m, by the key
// each row's ordinal names; every key gets an entry, empty when nothing
// was found, so that it is known to have been fetched.
func readPrefetched[K comparable, T any](br pgx.BatchResults, g regTable, keys []K, m map[K][]T) error {
	rows, err := br.Query()
	if err != nil {
		return err
	}
	defer rows.Close()
	for _, k := range keys {
		m[k] = nil
	}
	for rows.Next() {
		var n int64
		var data []byte
		if err := rows.Scan(&n, &data); err != nil {
			return err
		}
		if n < 1 || int(n) > len(keys) {
			return fmt.Errorf("prefetch %s: row for key %d of %d", g.table, n, len(keys))
		}
		var rec T
		if err := json.Unmarshal(data, &rec); err != nil {
			return fmt.Errorf("decode %s record: %w", g.table, err)
		}
		k := keys[n-1]
		m[k] = append(m[k], rec)
	}
	return rows.Err()
}

// The answers are copies, as each lookup's own query decodes its records
// anew: a case's candidates share nothing with another case's.

func (p *pageRegistry) FloatingByCitizenID(id string) ([]hecha.FloatingRecord, error) {
	if recs, ok := p.flByCID[id]; ok {
		return slices.Clone(recs), nil
	}
	return p.db.FloatingByCitizenID(id)
}

func (p *pageRegistry) ResidentByCitizenID(id string) ([]hecha.ResidentRecord, error) {
	if recs, ok := p.rsByCID[id]; ok {
		return cloneResidents(recs), nil
	}
	return p.db.ResidentByCitizenID(id)
}

func (p *pageRegistry) FloatingByNameSexBirth(name string, sex hecha.Sex, birth hecha.Date, pr hecha.Precision) ([]hecha.FloatingRecord, error) {
	if recs, ok := p.flByName[nameKeyOf(name, sex, birth, pr)]; ok {
		return slices.Clone(recs), nil
	}
	return p.db.FloatingByNameSexBirth(name, sex, birth, pr)
}

func (p *pageRegistry) ResidentByNameSexBirth(name string, sex hecha.Sex, birth hecha.Date, pr hecha.Precision) ([]hecha.ResidentRecord, error) {
	if recs, ok := p.rsByName[nameKeyOf(name, sex, birth, pr)]; ok {
		return cloneResidents(recs), nil
	}
	return p.db.ResidentByNameSexBirth(name, sex, birth, pr)
}

// cloneResidents copies recs with their outflow registrations.
func cloneResidents(recs []hecha.ResidentRecord) []hecha.ResidentRecord {
	out := slices.Clone(recs)
	for i := range out {
		if o := out[i].Outflow; o != nil {
			cp := *o
			out[i].Outflow = &cp
		}
	}
	return out
}

// candRows are rows of hecha_reg_cand, column by column.
type candRows struct {
	county, src, recordID, township, caseID []string
}

func (r *candRows) add(county hecha.Code, src, recordID string, township hecha.Code, caseID string) {
	r.county = append(r.county, string(county))
	r.src = append(r.src, src)
	r.recordID = append(r.recordID, recordID)
	r.township = append(r.township, string(township))
	r.caseID = append(r.caseID, caseID)
}

// pageWrites collects a page's writes, column by column, for flush to
// send as one statement per table. A page names each case once.
type pageWrites struct {
	candDel, candIns candRows
	// conflict notices
	confTown, confCase, confCounty []string
	confData                       [][]byte
	// the cases' new rows: what an assignment changes
	county, id, unit, township, status, inForce []string
	assignRev                                   []int32
	data                                        [][]byte
}

// conflict adds a conflict notice for oldTown.
func (w *pageWrites) conflict(oldTown, county hecha.Code, n *hecha.ConflictNotice) error {
	data, err := json.Marshal(n)
	if err != nil {
		return err
	}
	w.confTown = append(w.confTown, string(oldTown))
	w.confCase = append(w.confCase, n.CaseID)
	w.confCounty = append(w.confCounty, string(county))
	w.confData = append(w.confData, data)
	return nil
}

// saveCase adds c's new row. The columns an assignment leaves alone
// (kind, household, content_rev, import_hash: the case's content) are
// not written.
func (w *pageWrites) saveCase(c *hecha.Case, st *caseState) error {
	data, err := encodeCase(c)
	if err != nil {
		return err
	}
	w.county = append(w.county, string(st.county))
	w.id = append(w.id, c.ID)
	w.unit = append(w.unit, string(c.Unit))
	w.township = append(w.township, string(c.Unit.At(hecha.LevelTownship)))
	w.status = append(w.status, string(st.status))
	w.inForce = append(w.inForce, st.inForce)
	w.assignRev = append(w.assignRev, int32(st.assignRev))
	w.data = append(w.data, data)
	return nil
}

// flush sends the page's writes in one round trip: the old candidates'
// rows go before the new ones are added.
func (w *pageWrites) flush(ctx context.Context, tx pgx.Tx) error {
	var b pgx.Batch
	if len(w.candDel.caseID) > 0 {
		b.Queue(`DELETE FROM hecha_reg_cand c USING unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS u(co, sr, ri, tw, ci)
			WHERE c.county = u.co AND c.src = u.sr AND c.record_id = u.ri AND c.township = u.tw AND c.case_id = u.ci`,
			w.candDel.county, w.candDel.src, w.candDel.recordID, w.candDel.township, w.candDel.caseID)
	}
	if len(w.candIns.caseID) > 0 {
		b.Queue(`INSERT INTO hecha_reg_cand (county, src, record_id, township, case_id)
			SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) ON CONFLICT DO NOTHING`,
			w.candIns.county, w.candIns.src, w.candIns.recordID, w.candIns.township, w.candIns.caseID)
	}
	if len(w.confCase) > 0 {
		b.Queue(`INSERT INTO hecha_conflicts (township, case_id, county, data)
			SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bytea[])
			ON CONFLICT (township, case_id) DO UPDATE SET data = EXCLUDED.data`,
			w.confTown, w.confCase, w.confCounty, w.confData)
	}
	if len(w.id) > 0 {
		b.Queue(`UPDATE hecha_cases c SET unit = u.un, township = u.tw, status = u.st, assign_rev = u.ar, in_force = u.inf, data = u.d
			FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::integer[], $7::text[], $8::bytea[])
				AS u(co, id, un, tw, st, ar, inf, d)
			WHERE c.county = u.co AND c.id = u.id`,
			w.county, w.id, w.unit, w.township, w.status, w.assignRev, w.inForce, w.data)
	}
	if b.Len() == 0 {
		return nil
	}
	return tx.SendBatch(ctx, &b).Close()
}
