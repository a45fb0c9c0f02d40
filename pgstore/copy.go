package pgstore

import (
	"bytes"
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"

	"hecha"
)

// The PostgreSQL side of hecha.CountyCopier: the rows of the store's
// county read out as copy items, and written back exactly as given (no
// validation, no comparison, no new sequence numbers), so a county moves
// between a bbolt file and PostgreSQL with its cursors intact.

var _ hecha.CountyCopier = (*Store)(nil)

// Export calls fn with every item of the store's county (see
// hecha.CountyCopier). Each kind is read in one read-only transaction, fn
// inside it.
//
// Errors: EINVALID (county.no_county) when the store has no county.
func (s *Store) Export(ctx context.Context, fn func(*hecha.CopyItem) error) error {
	county, err := s.needCounty("county")
	if err != nil {
		return err
	}
	if err := fn(&hecha.CopyItem{Kind: hecha.CopyCountyItem, County: county}); err != nil {
		return err
	}
	table, historic, _, err := s.DivisionsCSV(ctx)
	if err != nil {
		return err
	}
	if table != nil {
		d := &hecha.CopyDivisions{Table: table, Historic: historic}
		if err := fn(&hecha.CopyItem{Kind: hecha.CopyDivisionsItem, Divisions: d}); err != nil {
			return err
		}
	}
	for _, kind := range hecha.CopyKinds[2:] {
		err := s.view(ctx, func(tx pgx.Tx) error { return exportKind(ctx, tx, county, kind, fn) })
		if err != nil {
			return err
		}
	}
	return nil
}

// exportQueries are the queries that read each kind of item ($1 the
// county), except cases, which exportCases reads.
var exportQueries = map[hecha.CopyKind]string{
	hecha.CopyFloatingItem:   `SELECT data FROM hecha_floating WHERE county = $1`,
	hecha.CopyResidentItem:   `SELECT data FROM hecha_resident WHERE county = $1`,
	hecha.CopyRegCandItem:    `SELECT src, record_id, township, case_id FROM hecha_reg_cand WHERE county = $1`,
	hecha.CopyCaseChangeItem: `SELECT township, case_id, seq, device, prev_seq FROM hecha_case_changes WHERE county = $1`,
	hecha.CopyRegChangeItem:  `SELECT township, src, record_id, seq FROM hecha_reg_changes WHERE county = $1`,
	hecha.CopySequenceItem: `SELECT township, false, seq FROM hecha_case_seq WHERE left(township, 6) = $1
		UNION ALL SELECT township, true, seq FROM hecha_reg_seq WHERE left(township, 6) = $1`,
	hecha.CopyConflictItem: `SELECT data FROM hecha_conflicts WHERE county = $1`,
	hecha.CopyTokenItem:    `SELECT id, township, hash, created_at, revoked_at FROM hecha_tokens WHERE county = $1`,
	hecha.CopyBatchItem:    `SELECT id, township, results, first_at, last_at, sends, counts FROM hecha_batches WHERE county = $1`,
}

// exportKind calls fn with every item of one kind of county.
func exportKind(ctx context.Context, tx pgx.Tx, county hecha.Code, kind hecha.CopyKind, fn func(*hecha.CopyItem) error) error {
	switch kind {
	case hecha.CopyCaseItem:
		return exportCases(ctx, tx, county, fn)
	case hecha.CopyAuditItem:
		return exportAudit(ctx, tx, county, fn)
	}
	rows, err := tx.Query(ctx, exportQueries[kind], string(county))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		it := &hecha.CopyItem{Kind: kind}
		var err error
		switch kind {
		case hecha.CopyFloatingItem:
			var data []byte
			it.Floating = new(hecha.FloatingRecord)
			if err = rows.Scan(&data); err == nil {
				err = json.Unmarshal(data, it.Floating)
			}
		case hecha.CopyResidentItem:
			var data []byte
			it.Resident = new(hecha.ResidentRecord)
			if err = rows.Scan(&data); err == nil {
				err = json.Unmarshal(data, it.Resident)
			}
		case hecha.CopyRegCandItem:
			cd := new(hecha.CopyCand)
			var town string
			err = rows.Scan(&cd.Src, &cd.RecordID, &town, &cd.CaseID)
			cd.Township, it.Cand = hecha.Code(town), cd
		case hecha.CopyCaseChangeItem:
			ch := new(hecha.CopyChange)
			var town string
			var seq, prev int64
			err = rows.Scan(&town, &ch.ID, &seq, &ch.Device, &prev)
			ch.Township, ch.Seq, it.Change = hecha.Code(town), uint64(seq), ch
			if ch.Device != "" { // prev_seq means something only then
				ch.PrevSeq = uint64(prev)
			}
		case hecha.CopyRegChangeItem:
			ch := new(hecha.CopyChange)
			var town string
			var seq int64
			err = rows.Scan(&town, &ch.Src, &ch.ID, &seq)
			ch.Township, ch.Seq, it.Change = hecha.Code(town), uint64(seq), ch
		case hecha.CopySequenceItem:
			sq := new(hecha.CopySequence)
			var town string
			var seq int64
			err = rows.Scan(&town, &sq.Registry, &seq)
			sq.Township, sq.Seq, it.Sequence = hecha.Code(town), uint64(seq), sq
		case hecha.CopyConflictItem:
			var data []byte
			it.Conflict = new(hecha.ConflictNotice)
			if err = rows.Scan(&data); err == nil {
				err = json.Unmarshal(data, it.Conflict)
			}
		case hecha.CopyTokenItem:
			t := new(hecha.CopyToken)
			var town string
			var revoked *time.Time
			err = rows.Scan(&t.ID, &town, &t.Hash, &t.CreatedAt, &revoked)
			t.Township, t.CreatedAt = hecha.Code(town), t.CreatedAt.UTC()
			if revoked != nil {
				t.Revoked, t.RevokedAt = true, revoked.UTC()
			}
			it.Token = t
		case hecha.CopyBatchItem:
			b := new(hecha.Batch)
			var town string
			var counts []byte
			if err = rows.Scan(&b.ID, &town, &b.Results, &b.FirstAt, &b.LastAt, &b.Sends, &counts); err == nil {
				err = json.Unmarshal(counts, &b.Counts)
			}
			b.Township, b.FirstAt, b.LastAt, it.Batch = hecha.Code(town), b.FirstAt.UTC(), b.LastAt.UTC(), b
		}
		if err != nil {
			return err
		}
		if err := fn(it); err != nil {
			return err
		}
	}
	return rows.Err()
}

// exportAudit calls fn with every entry of the county's audit trail, in
// seq order.
func exportAudit(ctx context.Context, tx pgx.Tx, county hecha.Code, fn func(*hecha.CopyItem) error) error {
	rows, err := tx.Query(ctx, `SELECT seq, entry FROM hecha_audit WHERE log = $1 ORDER BY seq`, string(county))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var seq int64
		var data []byte
		if err := rows.Scan(&seq, &data); err != nil {
			return err
		}
		e, err := hecha.UnmarshalAudit(data)
		if err != nil {
			return hecha.AuditUnreadable(uint64(seq), err)
		}
		if err := fn(&hecha.CopyItem{Kind: hecha.CopyAuditItem, Audit: &e}); err != nil {
			return err
		}
	}
	return rows.Err()
}

// exportCases calls fn with every case of county and its results, read
// in one pass: a row per result (or one for a case without any).
func exportCases(ctx context.Context, tx pgx.Tx, county hecha.Code, fn func(*hecha.CopyItem) error) error {
	rows, err := tx.Query(ctx, `SELECT c.id, c.status, c.content_rev, c.assign_rev, c.in_force, c.import_hash, c.data,
			r.id, r.township, r.data
		FROM hecha_cases c LEFT JOIN hecha_results r ON r.county = c.county AND r.case_id = c.id
		WHERE c.county = $1 ORDER BY c.id, r.seq`, string(county))
	if err != nil {
		return err
	}
	defer rows.Close()
	var cur *hecha.CopyCase
	flush := func() error {
		if cur == nil {
			return nil
		}
		it := &hecha.CopyItem{Kind: hecha.CopyCaseItem, Case: cur}
		cur = nil
		return fn(it)
	}
	for rows.Next() {
		var id, status, inForce string
		var contentRev, assignRev int
		var hash, data []byte
		var rid, rtown *string
		var rdata []byte
		if err := rows.Scan(&id, &status, &contentRev, &assignRev, &inForce, &hash, &data, &rid, &rtown, &rdata); err != nil {
			return err
		}
		if cur == nil || cur.Case.ID != id {
			if err := flush(); err != nil {
				return err
			}
			c, err := decodeCase(data)
			if err != nil {
				return err
			}
			cur = &hecha.CopyCase{Case: *c, Status: hecha.Status(status), ImportHash: hash,
				ContentRev: contentRev, AssignRev: assignRev, InForce: inForce}
		}
		if rid != nil {
			cur.Results = append(cur.Results, hecha.CopyResult{ID: *rid, Township: hecha.Code(*rtown), Data: rdata})
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return flush()
}

// Import writes items exactly as given (see hecha.CountyCopier), one
// transaction per call; the division table is written first, in a
// transaction of its own. A CopyCountyItem scopes the store to its county
// (a store scoped to another refuses it).
//
// Errors: EINVALID for an item without its field, a county other than the
// store's, or items before the store has a county.
func (s *Store) Import(ctx context.Context, items []*hecha.CopyItem) error {
	for _, it := range items {
		switch it.Kind {
		case hecha.CopyCountyItem:
			if it.County.Level() != hecha.LevelCounty {
				return hecha.Invalid("county", "county.county_level", string(it.County))
			}
			if s.county != "" && s.county != it.County {
				return hecha.Invalid("county", "copy.other_county", string(s.county), string(it.County))
			}
			err := s.tx(ctx, func(tx pgx.Tx) error {
				_, err := tx.Exec(ctx, `INSERT INTO hecha_counties (county, created_at) VALUES ($1, $2)
					ON CONFLICT (county) DO NOTHING`, string(it.County), s.now().UTC())
				return err
			})
			if err != nil {
				return err
			}
			s.county = it.County
		case hecha.CopyDivisionsItem:
			if it.Divisions == nil {
				return hecha.Invalid("divisions", "copy.item", string(it.Kind))
			}
			table, historic, _, err := s.DivisionsCSV(ctx)
			if err != nil {
				return err
			}
			if !bytes.Equal(table, it.Divisions.Table) {
				if err := s.putDivisions(ctx, divTable, it.Divisions.Table); err != nil {
					return err
				}
			}
			if !bytes.Equal(historic, it.Divisions.Historic) {
				if err := s.putDivisions(ctx, divHistoric, it.Divisions.Historic); err != nil {
					return err
				}
			}
		}
	}
	county, err := s.needCounty("county")
	if err != nil {
		return err
	}
	var b pgx.Batch
	var audit []*hecha.AuditEntry
	for _, it := range items {
		if it.Kind == hecha.CopyAuditItem {
			if it.Audit == nil {
				return hecha.Invalid(string(it.Kind), "copy.item", string(it.Kind))
			}
			audit = append(audit, it.Audit)
			continue
		}
		if err := queueItem(&b, county, it); err != nil {
			return err
		}
	}
	if b.Len() == 0 && len(audit) == 0 {
		return nil
	}
	return s.tx(ctx, func(tx pgx.Tx) error {
		if b.Len() > 0 {
			if err := tx.SendBatch(ctx, &b).Close(); err != nil {
				return err
			}
		}
		return importAudit(ctx, tx, string(county), audit)
	})
}

// importAudit appends copied audit entries, in the order given, as they
// are after the head of the county's log, or finds them there
// (hecha.CopyAuditEntry); the head's row is locked as Append locks it.
func importAudit(ctx context.Context, tx pgx.Tx, log string, entries []*hecha.AuditEntry) error {
	if len(entries) == 0 {
		return nil
	}
	head, err := lockHead(ctx, tx, log)
	if err != nil {
		return err
	}
	// The entries the log holds already at the seqs given (a copy run
	// again).
	stored := map[int64][]byte{}
	if entries[0].Seq <= head.Seq {
		seqs := make([]int64, len(entries))
		for i, e := range entries {
			seqs[i] = int64(e.Seq)
		}
		rows, err := tx.Query(ctx, `SELECT seq, entry FROM hecha_audit WHERE log = $1 AND seq = ANY($2::bigint[])`, log, seqs)
		if err != nil {
			return err
		}
		for rows.Next() {
			var seq int64
			var data []byte
			if err := rows.Scan(&seq, &data); err != nil {
				rows.Close()
				return err
			}
			stored[seq] = data
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	var seqs []int64
	var datas [][]byte
	for _, e := range entries {
		add, next, err := hecha.CopyAuditEntry(head, e, stored[int64(e.Seq)])
		if err != nil {
			return err
		}
		if add {
			head = next
			seqs, datas = append(seqs, int64(e.Seq)), append(datas, hecha.MarshalAudit(e))
		}
	}
	if len(seqs) == 0 {
		return nil
	}
	if _, err := tx.Exec(ctx, `INSERT INTO hecha_audit (log, seq, entry)
		SELECT $1, s, d FROM unnest($2::bigint[], $3::bytea[]) AS u(s, d)`, log, seqs, datas); err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `UPDATE hecha_audit_heads SET seq = $2, hash = $3 WHERE log = $1`, log, int64(head.Seq), head.Hash[:])
	return err
}

// queueItem queues the statements that write one item.
func queueItem(b *pgx.Batch, county hecha.Code, it *hecha.CopyItem) error {
	missing := hecha.Invalid(string(it.Kind), "copy.item", string(it.Kind))
	c := string(county)
	switch it.Kind {
	case hecha.CopyCountyItem, hecha.CopyDivisionsItem:
		return nil // written by Import
	case hecha.CopyFloatingItem, hecha.CopyResidentItem:
		var row regRow
		var err error
		table := floatingTable.table
		switch {
		case it.Kind == hecha.CopyFloatingItem && it.Floating != nil:
			row, err = floatingRow(it.Floating)
		case it.Kind == hecha.CopyResidentItem && it.Resident != nil:
			row, err = residentRow(it.Resident)
			table = residentTable.table
		default:
			return missing
		}
		if err != nil {
			return err
		}
		b.Queue(`INSERT INTO `+table+` AS f (county, id, citizen_id, name, sex, birth, township, data)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (county, id) DO UPDATE SET citizen_id = EXCLUDED.citizen_id, name = EXCLUDED.name,
				sex = EXCLUDED.sex, birth = EXCLUDED.birth, township = EXCLUDED.township, data = EXCLUDED.data
			WHERE f.data <> EXCLUDED.data`,
			c, row.id, row.cid, row.name, row.sex, row.birth, string(townshipIn(row.household, county)), row.data)
	case hecha.CopyCaseItem:
		cc := it.Case
		if cc == nil {
			return missing
		}
		data, err := encodeCase(&cc.Case)
		if err != nil {
			return err
		}
		cs := &cc.Case
		b.Queue(`INSERT INTO hecha_cases AS c (county, id, kind, unit, township, household, status, content_rev,
				assign_rev, import_hash, in_force, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
			ON CONFLICT (county, id) DO UPDATE SET kind = EXCLUDED.kind, unit = EXCLUDED.unit, township = EXCLUDED.township,
				household = EXCLUDED.household, status = EXCLUDED.status, content_rev = EXCLUDED.content_rev,
				assign_rev = EXCLUDED.assign_rev, import_hash = EXCLUDED.import_hash, in_force = EXCLUDED.in_force,
				data = EXCLUDED.data`,
			c, cs.ID, string(cs.Kind), string(cs.Unit), string(cs.Unit.At(hecha.LevelTownship)),
			string(cs.Person.HouseholdDivision), string(cc.Status), cc.ContentRev, cc.AssignRev, cc.ImportHash, cc.InForce, data)
		// Results in the case's order: seq grows with each insert.
		for _, r := range cc.Results {
			b.Queue(`INSERT INTO hecha_results (id, county, township, case_id, data) VALUES ($1, $2, $3, $4, $5)
				ON CONFLICT (id) DO NOTHING`, r.ID, c, string(r.Township), cs.ID, []byte(r.Data))
		}
	case hecha.CopyRegCandItem:
		cd := it.Cand
		if cd == nil {
			return missing
		}
		b.Queue(`INSERT INTO hecha_reg_cand (county, src, record_id, township, case_id) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT DO NOTHING`, c, cd.Src, cd.RecordID, string(cd.Township), cd.CaseID)
	case hecha.CopyCaseChangeItem:
		ch := it.Change
		if ch == nil {
			return missing
		}
		b.Queue(`INSERT INTO hecha_case_changes (township, case_id, county, seq, device, prev_seq) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (township, case_id) DO UPDATE SET county = EXCLUDED.county, seq = EXCLUDED.seq,
				device = EXCLUDED.device, prev_seq = EXCLUDED.prev_seq`,
			string(ch.Township), ch.ID, c, int64(ch.Seq), ch.Device, int64(ch.PrevSeq))
	case hecha.CopyRegChangeItem:
		ch := it.Change
		if ch == nil {
			return missing
		}
		b.Queue(`INSERT INTO hecha_reg_changes (township, src, record_id, county, seq) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (township, src, record_id) DO UPDATE SET county = EXCLUDED.county, seq = EXCLUDED.seq`,
			string(ch.Township), ch.Src, ch.ID, c, int64(ch.Seq))
	case hecha.CopySequenceItem:
		sq := it.Sequence
		if sq == nil {
			return missing
		}
		table := "hecha_case_seq"
		if sq.Registry {
			table = "hecha_reg_seq"
		}
		b.Queue(`INSERT INTO `+table+` AS t (township, seq) VALUES ($1, $2)
			ON CONFLICT (township) DO UPDATE SET seq = greatest(t.seq, EXCLUDED.seq)`, string(sq.Township), int64(sq.Seq))
	case hecha.CopyConflictItem:
		n := it.Conflict
		if n == nil {
			return missing
		}
		data, err := json.Marshal(n)
		if err != nil {
			return err
		}
		b.Queue(`INSERT INTO hecha_conflicts (township, case_id, county, data) VALUES ($1, $2, $3, $4)
			ON CONFLICT (township, case_id) DO UPDATE SET county = EXCLUDED.county, data = EXCLUDED.data`,
			string(n.From), n.CaseID, c, data)
	case hecha.CopyTokenItem:
		t := it.Token
		if t == nil {
			return missing
		}
		var revoked *time.Time
		if t.Revoked {
			at := t.RevokedAt
			if at.IsZero() {
				at = t.CreatedAt
			}
			revoked = &at
		}
		b.Queue(`INSERT INTO hecha_tokens (id, county, township, hash, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (id) DO UPDATE SET county = EXCLUDED.county, township = EXCLUDED.township, hash = EXCLUDED.hash,
				created_at = EXCLUDED.created_at, revoked_at = EXCLUDED.revoked_at`,
			t.ID, c, string(t.Township), t.Hash, t.CreatedAt.UTC(), revoked)
	case hecha.CopyBatchItem:
		bt := it.Batch
		if bt == nil {
			return missing
		}
		counts, err := json.Marshal(bt.Counts)
		if err != nil {
			return err
		}
		b.Queue(`INSERT INTO hecha_batches (id, county, township, results, first_at, last_at, sends, counts)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (id) DO UPDATE SET county = EXCLUDED.county, township = EXCLUDED.township, results = EXCLUDED.results,
				first_at = EXCLUDED.first_at, last_at = EXCLUDED.last_at, sends = EXCLUDED.sends, counts = EXCLUDED.counts`,
			bt.ID, c, string(bt.Township), bt.Results, bt.FirstAt.UTC(), bt.LastAt.UTC(), bt.Sends, counts)
	default:
		return hecha.Invalid("kind", "copy.kind", string(it.Kind))
	}
	return nil
}
