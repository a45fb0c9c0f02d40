package pgstore

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"hecha"
)

// The source of a record in hecha_reg_cand and hecha_reg_changes.
const (
	srcFloating = "F"
	srcResident = "R"
)

// maxErrors bounds the errors a bulk write reports.
const maxErrors = 100

// registryBatch is how many registry rows one transaction writes.
const registryBatch = 5000

// regTable describes one registry's table.
type regTable struct {
	table, src string
}

var (
	floatingTable = regTable{"hecha_floating", srcFloating}
	residentTable = regTable{"hecha_resident", srcResident}
)

// regRow is a record as one row of its table.
type regRow struct {
	id, cid, name, sex, birth string
	household                 hecha.Code
	data                      []byte
}

func floatingRow(r *hecha.FloatingRecord) (regRow, error) {
	data, err := json.Marshal(r)
	return regRow{r.ID, r.CitizenID, r.Name, string(r.Sex), birthKey(r.BirthDate), r.HouseholdDivision, data}, err
}

func residentRow(r *hecha.ResidentRecord) (regRow, error) {
	data, err := json.Marshal(r)
	return regRow{r.ID, r.CitizenID, r.Name, string(r.Sex), birthKey(r.BirthDate), r.HouseholdDivision, data}, err
}

// birthKey returns birth as yyyymmdd, 00000000 for no date.
func birthKey(d hecha.Date) string {
	if d.IsZero() {
		return "00000000"
	}
	return fmt.Sprintf("%04d%02d%02d", d.Year%10000, int(d.Month)%100, d.Day%100)
}

// PutFloating validates every record, then inserts or replaces them by
// id, registryBatch per transaction (see hecha.CountyStore). A record goes
// to the store's county or, on a store scoped to none, to the county of its
// household division.
//
// Errors: EINVALID about "floating[i].<field>".
func (s *Store) PutFloating(ctx context.Context, recs []hecha.FloatingRecord) error {
	var errs hecha.Errors
	for i := 0; i < len(recs) && len(errs) < maxErrors; i++ {
		errs.AddField(fmt.Sprintf("floating[%d]", i), validateRecord(recs[i].ID, recs[i].Validate(s.rules)))
	}
	if err := errs.Err(); err != nil {
		return err
	}
	rows := make([]regRow, len(recs))
	for i := range recs {
		var err error
		if rows[i], err = floatingRow(&recs[i]); err != nil {
			return err
		}
	}
	return s.putRows(ctx, floatingTable, rows)
}

// PutResident is PutFloating for the resident registry.
func (s *Store) PutResident(ctx context.Context, recs []hecha.ResidentRecord) error {
	var errs hecha.Errors
	for i := 0; i < len(recs) && len(errs) < maxErrors; i++ {
		errs.AddField(fmt.Sprintf("resident[%d]", i), validateRecord(recs[i].ID, recs[i].Validate(s.rules)))
	}
	if err := errs.Err(); err != nil {
		return err
	}
	rows := make([]regRow, len(recs))
	for i := range recs {
		var err error
		if rows[i], err = residentRow(&recs[i]); err != nil {
			return err
		}
	}
	return s.putRows(ctx, residentTable, rows)
}

// validateRecord checks a record's id (a key) before its Validate error.
func validateRecord(id string, verr error) error {
	if id == "" {
		return hecha.Invalid("id", "store.no_record_id")
	}
	if err := hecha.CheckID("id", id); err != nil {
		return err
	}
	return verr
}

// putRows writes rows, registryBatch per transaction.
func (s *Store) putRows(ctx context.Context, g regTable, all []regRow) error {
	byCounty := map[hecha.Code][]regRow{}
	for _, r := range all {
		c := s.rowCounty(r.household)
		byCounty[c] = append(byCounty[c], r)
	}
	for _, county := range sortedKeys(byCounty) {
		if err := s.putCountyRows(ctx, g, county, byCounty[county]); err != nil {
			return err
		}
	}
	return nil
}

// putCountyRows writes one county's rows, registryBatch per transaction.
func (s *Store) putCountyRows(ctx context.Context, g regTable, county hecha.Code, rows []regRow) error {
	for start := 0; start < len(rows); start += registryBatch {
		batch := rows[start:min(start+registryBatch, len(rows))]
		err := s.tx(ctx, func(tx pgx.Tx) error {
			l := &changeLog{county: county}
			if err := writeRows(ctx, tx, l, county, g, batch); err != nil {
				return err
			}
			return l.flush(ctx, tx)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// townshipIn returns the township of a household division when it lies in
// county, else "".
func townshipIn(household, county hecha.Code) hecha.Code {
	town := household.At(hecha.LevelTownship)
	if !town.Within(county) {
		return ""
	}
	return town
}

// writeRows writes rows (see queueWriteRows) in one round trip.
func writeRows(ctx context.Context, tx pgx.Tx, l *changeLog, county hecha.Code, g regTable, rows []regRow) error {
	b := &pgx.Batch{}
	queueWriteRows(b, l, county, g, rows)
	return tx.SendBatch(ctx, b).Close()
}

// queueWriteRows adds to b the statement that inserts or replaces the
// rows of g (the last of each id), leaving alone a row whose data is
// unchanged, and, once b has run, notes in l each changed record for the
// townships that see it: its household's, the one it had before, and
// those of the cases it is a candidate of.
func queueWriteRows(b *pgx.Batch, l *changeLog, county hecha.Code, g regTable, rows []regRow) {
	last := map[string]int{}
	for i := range rows {
		last[rows[i].id] = i
	}
	var ids, cids, names, sexes, births, towns []string
	var datas [][]byte
	for i := range rows {
		if last[rows[i].id] != i {
			continue
		}
		r := &rows[i]
		ids, cids, names, sexes, births = append(ids, r.id), append(cids, r.cid), append(names, r.name), append(sexes, r.sex), append(births, r.birth)
		towns, datas = append(towns, string(townshipIn(r.household, county))), append(datas, r.data)
	}
	// ch: the rows that change, with the township they had; w writes
	// them; the answer is ch in the rows' order, each with the townships
	// of the cases the record is a candidate of.
	// The stored row of each id is read by its own probe of the primary
	// key (LATERAL … LIMIT 1): as a join, a registry never analyzed was
	// hashed whole at every batch (see planEachRunSQL).
	b.Queue(planEachRunSQL)
	b.Queue(`WITH u AS (
			SELECT * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bytea[])
				WITH ORDINALITY AS u(i, c, n, x, b, t, d, o)),
		ch AS (
			SELECT u.*, coalesce(f.township, '') AS old FROM u LEFT JOIN LATERAL (
				SELECT f.id, f.township, f.data FROM `+g.table+` f WHERE f.county = $1 AND f.id = u.i LIMIT 1) f ON true
			WHERE f.id IS NULL OR f.data <> u.d),
		w AS (
			INSERT INTO `+g.table+` AS f (county, id, citizen_id, name, sex, birth, township, data)
			SELECT $1, i, c, n, x, b, t, d FROM ch
			ON CONFLICT (county, id) DO UPDATE SET citizen_id = EXCLUDED.citizen_id, name = EXCLUDED.name,
				sex = EXCLUDED.sex, birth = EXCLUDED.birth, township = EXCLUDED.township, data = EXCLUDED.data
			WHERE f.data <> EXCLUDED.data)
		SELECT ch.o, ch.old, ARRAY(SELECT r.township FROM hecha_reg_cand r
			WHERE r.county = $1 AND r.src = $9 AND r.record_id = ch.i ORDER BY r.township)
		FROM ch ORDER BY ch.o`,
		string(county), ids, cids, names, sexes, births, towns, datas, g.src).Query(func(q pgx.Rows) error {
		type cand struct{ id, town string }
		var cands []cand
		for q.Next() {
			var o int64
			var old string
			var candTowns []string
			if err := q.Scan(&o, &old, &candTowns); err != nil {
				return err
			}
			id := ids[o-1]
			l.touchRecord(hecha.Code(towns[o-1]), g.src, id)
			l.touchRecord(hecha.Code(old), g.src, id)
			for _, t := range candTowns {
				cands = append(cands, cand{id, t})
			}
		}
		if err := q.Err(); err != nil {
			return err
		}
		// As the candidates' townships were read before: by record, then
		// township.
		slices.SortFunc(cands, func(a, b cand) int {
			return cmp.Or(strings.Compare(a.id, b.id), strings.Compare(a.town, b.town))
		})
		for _, c := range cands {
			l.touchRecord(hecha.Code(c.town), g.src, c.id)
		}
		return nil
	})
	b.Queue(planAsUsualSQL)
}

// planEachRunSQL, queued before a statement of a batch, has it planned at
// each run for that run's values, never with a cached generic plan, until
// planAsUsualSQL, queued after it.
//
// pgx prepares a statement once per connection; PostgreSQL plans its
// first five runs with their values, then most often makes one plan
// without them (a generic plan) and keeps it until the table's
// statistics change. The registry's statements made theirs while the
// registry was nearly empty, when any index that begins with the county
// looks as cheap as the primary key: one took the index by name, sex and
// birth, and so read every record of the county at every batch once the
// registry had grown (README, notes (18) and (19)). Where autovacuum
// runs, its ANALYZE replaces such a plan as the table grows, but only a
// minute or more later; where it is off, never. A plan made at each run
// sees the table as it is, for a few milliseconds of planning per batch
// of 500 (the write, 2.6-5.3 ms in psql).
//
// The settings are LOCAL: the batch must run inside a transaction.
const (
	planEachRunSQL = `SET LOCAL plan_cache_mode = force_custom_plan`
	planAsUsualSQL = `SET LOCAL plan_cache_mode TO DEFAULT`
)

// RegistryCount returns how many floating and resident records the
// store's county holds (every county's when it has none).
func (s *Store) RegistryCount(ctx context.Context) (floating, resident int, err error) {
	err = s.view(ctx, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT (SELECT count(*) FROM hecha_floating WHERE $1 = '' OR county = $1),
			(SELECT count(*) FROM hecha_resident WHERE $1 = '' OR county = $1)`, s.scopeArg()).Scan(&floating, &resident)
	})
	return floating, resident, err
}

// registryPageSQL reads up to $3 of the township $1's registry changes
// after the number $2, each with its record's data (none for a record
// that is no longer stored).
const registryPageSQL = `SELECT ch.seq, ch.src, coalesce(f.data, r.data)
	FROM hecha_reg_changes ch
	LEFT JOIN hecha_floating f ON ch.src = 'F' AND f.county = ch.county AND f.id = ch.record_id
	LEFT JOIN hecha_resident r ON ch.src = 'R' AND r.county = ch.county AND r.id = ch.record_id
	WHERE ch.township = $1 AND ch.seq > $2 ORDER BY ch.seq LIMIT $3`

// RegistrySince returns up to limit records of the township's registry
// extract after cursor, in change order, and the next cursor.
func (s *Store) RegistrySince(ctx context.Context, township hecha.Code, cursor uint64, limit int) ([]hecha.FloatingRecord, []hecha.ResidentRecord, uint64, error) {
	if township.Level() != hecha.LevelTownship {
		return nil, nil, cursor, hecha.Invalid("township", "county.token_level", string(township))
	}
	if limit <= 0 {
		limit = defaultPage
	}
	var fl []hecha.FloatingRecord
	var rs []hecha.ResidentRecord
	next := cursor
	err := s.view(ctx, func(tx pgx.Tx) error {
		fl, rs, next = nil, nil, cursor
		top, err := regSequence(ctx, tx, township)
		if err != nil {
			return err
		}
		from := cursor
		if from > top {
			from, next = 0, 0
		}
		rows, err := tx.Query(ctx, registryPageSQL, string(township), int64(from), limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var seq int64
			var src string
			var data []byte
			if err := rows.Scan(&seq, &src, &data); err != nil {
				return err
			}
			next = uint64(seq)
			if data == nil {
				continue
			}
			switch src {
			case srcFloating:
				var rec hecha.FloatingRecord
				if err := json.Unmarshal(data, &rec); err != nil {
					return fmt.Errorf("decode floating record: %w", err)
				}
				fl = append(fl, rec)
			case srcResident:
				var rec hecha.ResidentRecord
				if err := json.Unmarshal(data, &rec); err != nil {
					return fmt.Errorf("decode resident record: %w", err)
				}
				rs = append(rs, rec)
			}
		}
		return rows.Err()
	})
	if err != nil {
		return nil, nil, cursor, err
	}
	return fl, rs, next, nil
}

// querier is a transaction or the pool.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// lookup answers the comparison's lookups and ApplyToRecords' reads and
// writes for one county, inside a transaction (or on the pool).
type lookup struct {
	ctx    context.Context
	q      querier
	county hecha.Code
	// for writes, inside a write transaction only:
	tx  pgx.Tx
	log *changeLog
}

// The lookups on either registry, and the record store of a result.
var (
	_ hecha.FloatingRegistry = lookup{}
	_ hecha.ResidentRegistry = lookup{}
	_ hecha.RecordStore      = lookup{}
)

// records runs a query on one registry and decodes the records.
func records[T any](l lookup, g regTable, where string, args ...any) ([]T, error) {
	rows, err := l.q.Query(l.ctx, `SELECT data FROM `+g.table+` WHERE `+countyCond("county", l.county)+` AND `+where,
		append([]any{string(l.county)}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var data []byte
		if err := rows.Scan(&data); err != nil {
			return nil, err
		}
		var rec T
		if err := json.Unmarshal(data, &rec); err != nil {
			return nil, fmt.Errorf("decode %s record: %w", g.table, err)
		}
		out = append(out, rec)
	}
	return out, rows.Err()
}

// birthRange returns the range of birth keys agreeing with birth at p.
func birthRange(birth hecha.Date, p hecha.Precision) (lo, hi string) {
	b := birthKey(birth)
	switch p {
	case hecha.PrecisionYear:
		return b[:4] + "0000", b[:4] + "9999"
	case hecha.PrecisionMonth:
		return b[:6] + "00", b[:6] + "99"
	}
	return b, b
}

func (l lookup) FloatingByCitizenID(id string) ([]hecha.FloatingRecord, error) {
	if id == "" {
		return nil, nil
	}
	return records[hecha.FloatingRecord](l, floatingTable, `citizen_id = $2 ORDER BY id`, id)
}

func (l lookup) FloatingByNameSexBirth(name string, sex hecha.Sex, birth hecha.Date, p hecha.Precision) ([]hecha.FloatingRecord, error) {
	lo, hi := birthRange(birth, p)
	return records[hecha.FloatingRecord](l, floatingTable,
		`name = $2 AND sex = $3 AND birth BETWEEN $4 AND $5 ORDER BY birth, id`, name, string(sex), lo, hi)
}

func (l lookup) ResidentByCitizenID(id string) ([]hecha.ResidentRecord, error) {
	if id == "" {
		return nil, nil
	}
	return records[hecha.ResidentRecord](l, residentTable, `citizen_id = $2 ORDER BY id`, id)
}

func (l lookup) ResidentByNameSexBirth(name string, sex hecha.Sex, birth hecha.Date, p hecha.Precision) ([]hecha.ResidentRecord, error) {
	lo, hi := birthRange(birth, p)
	return records[hecha.ResidentRecord](l, residentTable,
		`name = $2 AND sex = $3 AND birth BETWEEN $4 AND $5 ORDER BY birth, id`, name, string(sex), lo, hi)
}

func (l lookup) FloatingRecord(id string) (*hecha.FloatingRecord, error) {
	recs, err := records[hecha.FloatingRecord](l, floatingTable, `id = $2`, id)
	if err != nil || len(recs) == 0 {
		return nil, err
	}
	return &recs[0], nil
}

func (l lookup) ResidentRecord(id string) (*hecha.ResidentRecord, error) {
	recs, err := records[hecha.ResidentRecord](l, residentTable, `id = $2`, id)
	if err != nil || len(recs) == 0 {
		return nil, err
	}
	return &recs[0], nil
}

var errReadOnly = errors.New("pgstore: a record written outside a write transaction")

func (l lookup) PutFloatingRecord(rec *hecha.FloatingRecord) error {
	if l.tx == nil {
		return errReadOnly
	}
	row, err := floatingRow(rec)
	if err != nil {
		return err
	}
	return writeRows(l.ctx, l.tx, l.log, l.county, floatingTable, []regRow{row})
}

func (l lookup) PutResidentRecord(rec *hecha.ResidentRecord) error {
	if l.tx == nil {
		return errReadOnly
	}
	row, err := residentRow(rec)
	if err != nil {
		return err
	}
	return writeRows(l.ctx, l.tx, l.log, l.county, residentTable, []regRow{row})
}

// poolLookup answers lookups on the pool, for the store's county.
func (s *Store) poolLookup() lookup {
	return lookup{ctx: context.Background(), q: s.pool, county: s.county}
}

// FloatingByCitizenID returns the county's floating records with this
// citizen ID.
func (s *Store) FloatingByCitizenID(id string) ([]hecha.FloatingRecord, error) {
	return s.poolLookup().FloatingByCitizenID(id)
}

// FloatingByNameSexBirth returns the county's floating records with this
// name and sex whose birth date agrees with birth at precision p.
func (s *Store) FloatingByNameSexBirth(name string, sex hecha.Sex, birth hecha.Date, p hecha.Precision) ([]hecha.FloatingRecord, error) {
	return s.poolLookup().FloatingByNameSexBirth(name, sex, birth, p)
}

// ResidentByCitizenID returns the county's resident records with this
// citizen ID.
func (s *Store) ResidentByCitizenID(id string) ([]hecha.ResidentRecord, error) {
	return s.poolLookup().ResidentByCitizenID(id)
}

// ResidentByNameSexBirth is FloatingByNameSexBirth for the resident
// registry.
func (s *Store) ResidentByNameSexBirth(name string, sex hecha.Sex, birth hecha.Date, p hecha.Precision) ([]hecha.ResidentRecord, error) {
	return s.poolLookup().ResidentByNameSexBirth(name, sex, birth, p)
}
