package pgstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"hecha"
)

// A county written out and loaded whole, for "hecha-county copy"
// (hecha.CountyDumper).
var _ hecha.CountyDumper = (*Store)(nil)

// DumpCounty returns everything the database holds of the store's county,
// read in one snapshot.
//
// Errors: EINVALID (copy.no_county) on a store scoped to no county.
func (s *Store) DumpCounty(ctx context.Context) (*hecha.CountyDump, error) {
	county := s.county
	if county == "" {
		return nil, hecha.Invalid("county", "copy.no_county")
	}
	d := &hecha.CountyDump{County: county}
	err := s.view(ctx, func(tx pgx.Tx) error {
		*d = hecha.CountyDump{County: county}
		var err error
		if d.Table, d.Historic, err = readDivisions(ctx, tx); err != nil {
			return err
		}
		var seq int64
		err = tx.QueryRow(ctx, `SELECT greatest(
			(SELECT coalesce(max(seq), 0) FROM hecha_case_seq WHERE substr(township, 1, 6) = $1),
			(SELECT coalesce(max(seq), 0) FROM hecha_reg_seq WHERE substr(township, 1, 6) = $1))`, string(county)).Scan(&seq)
		if err != nil {
			return err
		}
		d.Sequence = uint64(seq)
		l := lookup{ctx: ctx, q: tx, county: county}
		if d.Floating, err = records[hecha.FloatingRecord](l, floatingTable, `true ORDER BY id`); err != nil {
			return err
		}
		if d.Resident, err = records[hecha.ResidentRecord](l, residentTable, `true ORDER BY id`); err != nil {
			return err
		}
		results := map[string][]hecha.Result{}
		rows, err := tx.Query(ctx, `SELECT case_id, data FROM hecha_results WHERE county = $1 ORDER BY case_id, seq`, string(county))
		if err != nil {
			return err
		}
		for rows.Next() {
			var id string
			var data []byte
			var r hecha.Result
			if err := rows.Scan(&id, &data); err != nil {
				rows.Close()
				return err
			}
			if err := json.Unmarshal(data, &r); err != nil {
				rows.Close()
				return fmt.Errorf("decode a result of case %s: %w", id, err)
			}
			results[id] = append(results[id], r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = tx.Query(ctx, `SELECT status, content_rev, assign_rev, in_force, import_hash, data FROM hecha_cases
			WHERE county = $1 ORDER BY id`, string(county))
		if err != nil {
			return err
		}
		for rows.Next() {
			var dc hecha.DumpCase
			var status string
			var data []byte
			if err := rows.Scan(&status, &dc.ContentRev, &dc.AssignRev, &dc.InForce, &dc.ImportHash, &data); err != nil {
				rows.Close()
				return err
			}
			c, err := decodeCase(data)
			if err != nil {
				rows.Close()
				return err
			}
			dc.Case, dc.Status, dc.Results = *c, hecha.Status(status), results[c.ID]
			d.Cases = append(d.Cases, dc)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = tx.Query(ctx, `SELECT id, township, hash, created_at, revoked_at FROM hecha_tokens WHERE county = $1 ORDER BY id`, string(county))
		if err != nil {
			return err
		}
		for rows.Next() {
			var k hecha.DumpToken
			var town string
			var revoked *time.Time
			if err := rows.Scan(&k.ID, &town, &k.Hash, &k.CreatedAt, &revoked); err != nil {
				rows.Close()
				return err
			}
			k.Township = hecha.Code(town)
			if revoked != nil {
				k.RevokedAt = *revoked
			}
			d.Tokens = append(d.Tokens, k)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = tx.Query(ctx, `SELECT township, data FROM hecha_conflicts WHERE county = $1 ORDER BY township, case_id`, string(county))
		if err != nil {
			return err
		}
		for rows.Next() {
			var c hecha.DumpConflict
			var town string
			var data []byte
			if err := rows.Scan(&town, &data); err != nil {
				rows.Close()
				return err
			}
			c.Township = hecha.Code(town)
			if err := json.Unmarshal(data, &c.Notice); err != nil {
				rows.Close()
				return err
			}
			d.Conflicts = append(d.Conflicts, c)
		}
		rows.Close()
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	if d.Batches, err = s.Batches(ctx); err != nil {
		return nil, err
	}
	return d, nil
}

// LoadCounty writes d into the database in one transaction: the county,
// the division table (when the database has none: a province's database
// keeps its own), the registries, every case with its state, candidates
// and results, the tokens, batches and conflict notices. Each township's
// change sequences are raised to d.Sequence first, so every case and
// record gets a number above any cursor the source handed out.
//
// Errors: EINVALID (copy.target_not_empty) when the database holds cases
// of the county; EINVALID (pgstore.other_county) on a store scoped to
// another county.
func (s *Store) LoadCounty(ctx context.Context, d *hecha.CountyDump) error {
	county := d.County
	if county.Level() != hecha.LevelCounty {
		return hecha.Invalid("county", "county.county_level", string(county))
	}
	if s.county != "" && s.county != county {
		return hecha.Invalid("county", "pgstore.other_county", string(s.county), string(county))
	}
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM (SELECT 1 FROM hecha_cases WHERE county = $1 LIMIT 1) x`, string(county)).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return hecha.Invalid("", "copy.target_not_empty", string(county))
		}
		if _, err := tx.Exec(ctx, `INSERT INTO hecha_counties (county, created_at) VALUES ($1, $2)
			ON CONFLICT (county) DO NOTHING`, string(county), s.now().UTC()); err != nil {
			return err
		}
		table, _, err := readDivisions(ctx, tx)
		if err != nil {
			return err
		}
		if table == nil && d.Table != nil {
			for name, data := range map[string][]byte{divTable: d.Table, divHistoric: d.Historic} {
				if err := putDivisionRow(ctx, tx, name, data); err != nil {
					return err
				}
			}
			if err := putDivisionRow(ctx, tx, divVersion, []byte(divisionsVersion(d.Table, d.Historic))); err != nil {
				return err
			}
		}
		l := &changeLog{county: county}
		if err := s.loadRegistries(ctx, tx, l, d); err != nil {
			return err
		}
		if err := loadCases(ctx, tx, l, county, d.Cases); err != nil {
			return err
		}
		for _, k := range d.Tokens {
			var revoked *time.Time
			if !k.RevokedAt.IsZero() {
				revoked = &k.RevokedAt
			}
			if _, err := tx.Exec(ctx, `INSERT INTO hecha_tokens (id, county, township, hash, created_at, revoked_at)
				VALUES ($1, $2, $3, $4, $5, $6)`, k.ID, string(county), string(k.Township), k.Hash, k.CreatedAt, revoked); err != nil {
				return err
			}
		}
		for _, b := range d.Batches {
			counts, err := json.Marshal(b.Counts)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO hecha_batches (id, county, township, results, first_at, last_at, sends, counts)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, b.ID, string(county), string(b.Township), b.Results,
				b.FirstAt, b.LastAt, b.Sends, counts); err != nil {
				return err
			}
		}
		for _, c := range d.Conflicts {
			data, err := json.Marshal(&c.Notice)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO hecha_conflicts (township, case_id, county, data) VALUES ($1, $2, $3, $4)`,
				string(c.Township), c.Notice.CaseID, string(county), data); err != nil {
				return err
			}
		}
		// Every township the copy puts changes in counts on from above
		// the source's numbers.
		towns := map[hecha.Code]bool{}
		for _, t := range l.cases {
			towns[t.township] = true
		}
		for _, t := range l.regs {
			towns[t.township] = true
		}
		for _, table := range []string{"hecha_case_seq", "hecha_reg_seq"} {
			for _, town := range sortedKeys(towns) {
				if _, err := tx.Exec(ctx, `INSERT INTO `+table+` AS t (township, seq) VALUES ($1, $2)
					ON CONFLICT (township) DO UPDATE SET seq = greatest(t.seq, EXCLUDED.seq)`, string(town), int64(d.Sequence)); err != nil {
					return err
				}
			}
		}
		return l.flush(ctx, tx)
	})
	if err == nil && s.county == "" {
		s.county = county
	}
	return err
}

// loadRegistries writes a dump's registry records.
func (s *Store) loadRegistries(ctx context.Context, tx pgx.Tx, l *changeLog, d *hecha.CountyDump) error {
	fl := make([]regRow, len(d.Floating))
	for i := range d.Floating {
		var err error
		if fl[i], err = floatingRow(&d.Floating[i]); err != nil {
			return err
		}
	}
	rs := make([]regRow, len(d.Resident))
	for i := range d.Resident {
		var err error
		if rs[i], err = residentRow(&d.Resident[i]); err != nil {
			return err
		}
	}
	if err := writeRows(ctx, tx, l, d.County, floatingTable, fl); err != nil {
		return err
	}
	return writeRows(ctx, tx, l, d.County, residentTable, rs)
}

// loadCases writes a dump's cases with their state, results and
// candidates, and puts each in its township's changes.
func loadCases(ctx context.Context, tx pgx.Tx, l *changeLog, county hecha.Code, cases []hecha.DumpCase) error {
	rows := make([][]any, len(cases))
	for i := range cases {
		dc := &cases[i]
		c := &dc.Case
		if err := hecha.CheckID("id", c.ID); err != nil {
			return err
		}
		data, err := json.Marshal(c)
		if err != nil {
			return fmt.Errorf("encode case %s: %w", c.ID, err)
		}
		hash := dc.ImportHash
		if hash == nil {
			hash = []byte{}
		}
		rows[i] = []any{string(county), c.ID, string(c.Kind), string(c.Unit), string(c.Unit.At(hecha.LevelTownship)),
			string(c.Person.HouseholdDivision), string(dc.Status), dc.ContentRev, dc.AssignRev, hash, dc.InForce, data}
	}
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"hecha_cases"},
		[]string{"county", "id", "kind", "unit", "township", "household", "status", "content_rev", "assign_rev", "import_hash", "in_force", "data"},
		pgx.CopyFromRows(rows))
	if err != nil {
		return err
	}
	for i := range cases {
		c := &cases[i].Case
		for _, r := range cases[i].Results {
			data, err := hecha.CanonicalResult(r)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO hecha_results (id, county, township, case_id, data) VALUES ($1, $2, $3, $4, $5)`,
				r.ID, string(county), string(r.Township), c.ID, data); err != nil {
				return err
			}
		}
		town := c.Unit.At(hecha.LevelTownship)
		if town == "" {
			continue
		}
		for _, cd := range c.Candidates {
			src, id := candSrc(cd)
			if _, err := tx.Exec(ctx, `INSERT INTO hecha_reg_cand (county, src, record_id, township, case_id)
				VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, string(county), src, id, string(town), c.ID); err != nil {
				return err
			}
			l.touchRecord(town, src, id)
		}
		l.touchCase(town, c.ID, "")
	}
	return nil
}
