package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"go.etcd.io/bbolt"

	"hecha"
)

// A county written out and loaded whole, for "hecha-county copy"
// (hecha.CountyDumper).
var _ hecha.CountyDumper = (*CountyDB)(nil)

// DumpCounty returns everything the file holds of its county, read in one
// transaction (the division table in one before it).
//
// Errors: EINVALID (copy.no_county) before SetCounty.
func (db *CountyDB) DumpCounty(ctx context.Context) (*hecha.CountyDump, error) {
	d := &hecha.CountyDump{}
	var err error
	if d.Table, d.Historic, _, err = db.DivisionsCSV(ctx); err != nil {
		return nil, err
	}
	err = db.view(ctx, func(tx *bbolt.Tx) error {
		if d.County = countyOf(tx); d.County == "" {
			return hecha.Invalid("county", "copy.no_county")
		}
		d.Sequence = max(tx.Bucket(bucketCountyChanges).Sequence(), tx.Bucket(bucketCountyRegChanges).Sequence())
		if err := eachJSON(tx, bucketFloating, func(_ []byte, r *hecha.FloatingRecord) { d.Floating = append(d.Floating, *r) }); err != nil {
			return err
		}
		if err := eachJSON(tx, bucketResident, func(_ []byte, r *hecha.ResidentRecord) { d.Resident = append(d.Resident, *r) }); err != nil {
			return err
		}
		err := tx.Bucket(bucketCountyState).ForEach(func(k, _ []byte) error {
			c, st, err := mustLoadCase(tx, string(k))
			if err != nil {
				return err
			}
			dc := hecha.DumpCase{Case: *c, Status: st.Status, ContentRev: st.ContentRev, AssignRev: st.AssignRev,
				InForce: st.InForce, ImportHash: copyBytes(st.ImportHash)}
			for _, id := range st.Results {
				var r hecha.Result
				if _, err := getJSON(tx.Bucket(bucketCountyResults), []byte(id), &r); err != nil {
					return err
				}
				dc.Results = append(dc.Results, r)
			}
			d.Cases = append(d.Cases, dc)
			return nil
		})
		if err != nil {
			return err
		}
		if err := eachJSON(tx, bucketCountyTokens, func(_ []byte, r *tokenRecord) {
			d.Tokens = append(d.Tokens, hecha.DumpToken{ID: r.ID, Township: r.Township, Hash: r.Hash,
				CreatedAt: r.CreatedAt, RevokedAt: revokedAt(r)})
		}); err != nil {
			return err
		}
		if err := eachJSON(tx, bucketCountyBatches, func(_ []byte, b *hecha.Batch) { d.Batches = append(d.Batches, *b) }); err != nil {
			return err
		}
		return eachJSON(tx, bucketCountyConflicts, func(k []byte, n *hecha.ConflictNotice) {
			town := k
			if i := len(k) - len(n.CaseID) - 1; i > 0 {
				town = k[:i]
			}
			d.Conflicts = append(d.Conflicts, hecha.DumpConflict{Township: hecha.Code(town), Notice: *n})
		})
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// revokedAt returns when a token was revoked, zero when it is in force (a
// token revoked without a time gets its creation time).
func revokedAt(r *tokenRecord) (t time.Time) {
	if !r.Revoked {
		return t
	}
	if r.RevokedAt.IsZero() {
		return r.CreatedAt
	}
	return r.RevokedAt
}

// eachJSON decodes every value of bucket b into a T and calls fn with its
// key and it.
func eachJSON[T any](tx *bbolt.Tx, b []byte, fn func(k []byte, v *T)) error {
	return tx.Bucket(b).ForEach(func(k, v []byte) error {
		var x T
		if err := json.Unmarshal(v, &x); err != nil {
			return errDecode(tx, b, string(k), err)
		}
		fn(k, &x)
		return nil
	})
}

// LoadCounty writes d into the file in one transaction (the division
// table, when the file has none, in one before it): the county, the
// registries, every case with its state, indexes, candidates and results,
// the tokens, batches and conflict notices. The change sequences are
// raised to d.Sequence first, so every case and record gets a number in
// its townships' changes above any cursor the source handed out.
//
// Errors: EINVALID (copy.target_not_empty) when the file holds cases.
func (db *CountyDB) LoadCounty(ctx context.Context, d *hecha.CountyDump) error {
	err := db.view(ctx, func(tx *bbolt.Tx) error {
		if k, _ := tx.Bucket(bucketCountyState).Cursor().First(); k != nil {
			return hecha.Invalid("", "copy.target_not_empty", string(d.County))
		}
		return nil
	})
	if err != nil {
		return err
	}
	table, _, _, err := db.DivisionsCSV(ctx)
	if err != nil {
		return err
	}
	if table == nil && d.Table != nil {
		if err := db.putDivisions(ctx, keyDivisionTable, d.Table); err != nil {
			return err
		}
		if err := db.putDivisions(ctx, keyDivisionHistoric, d.Historic); err != nil {
			return err
		}
	}
	return db.update(ctx, func(tx *bbolt.Tx) error {
		if err := tx.Bucket(bucketMeta).Put(keyCounty, []byte(d.County)); err != nil {
			return err
		}
		for _, b := range [][]byte{bucketCountyChanges, bucketCountyRegChanges} {
			if bk := tx.Bucket(b); bk.Sequence() < d.Sequence {
				if err := bk.SetSequence(d.Sequence); err != nil {
					return err
				}
			}
		}
		if err := putFloatingTx(tx, d.Floating); err != nil {
			return err
		}
		if err := putResidentTx(tx, d.Resident); err != nil {
			return err
		}
		for i := range d.Cases {
			if err := loadDumpCase(tx, &d.Cases[i]); err != nil {
				return err
			}
		}
		for _, k := range d.Tokens {
			rec := tokenRecord{ID: k.ID, Township: k.Township, Hash: k.Hash, CreatedAt: k.CreatedAt,
				Revoked: !k.RevokedAt.IsZero(), RevokedAt: k.RevokedAt}
			if err := putJSON(tx.Bucket(bucketCountyTokens), []byte(k.ID), &rec); err != nil {
				return err
			}
		}
		for i := range d.Batches {
			if err := putJSON(tx.Bucket(bucketCountyBatches), []byte(d.Batches[i].ID), &d.Batches[i]); err != nil {
				return err
			}
		}
		for _, c := range d.Conflicts {
			k := key([]byte(c.Township), []byte(c.Notice.CaseID))
			if err := putJSON(tx.Bucket(bucketCountyConflicts), k, &c.Notice); err != nil {
				return err
			}
		}
		return nil
	})
}

// loadDumpCase writes one case of a dump with its state, index entries,
// results and candidates, and puts it in its township's changes.
func loadDumpCase(tx *bbolt.Tx, dc *hecha.DumpCase) error {
	c := dc.Case
	if err := checkID("id", c.ID); err != nil {
		return err
	}
	st := &caseState{Status: dc.Status, ImportHash: dc.ImportHash, ContentRev: dc.ContentRev,
		AssignRev: dc.AssignRev, InForce: dc.InForce}
	for _, r := range dc.Results {
		data, err := canonicalResult(r)
		if err != nil {
			return err
		}
		if err := tx.Bucket(bucketCountyResults).Put([]byte(r.ID), data); err != nil {
			return err
		}
		st.Results = append(st.Results, r.ID)
	}
	if err := saveCase(tx, &c, st); err != nil {
		return fmt.Errorf("case %s: %w", c.ID, err)
	}
	if err := setStatus(tx, c.ID, "", st.Status); err != nil {
		return err
	}
	if c.Unit == "" {
		return tx.Bucket(bucketCountyUndistributed).Put([]byte(c.ID), nil)
	}
	if err := tx.Bucket(bucketCountyUnit).Put(key([]byte(c.Unit), []byte(c.ID)), nil); err != nil {
		return err
	}
	town := c.Unit.At(hecha.LevelTownship)
	for _, cd := range c.Candidates {
		rk := candKey(cd)
		if err := tx.Bucket(bucketCountyRegCand).Put(key(rk, []byte(town), []byte(c.ID)), nil); err != nil {
			return err
		}
		if err := touchRecord(tx, rk, town); err != nil {
			return err
		}
	}
	return touchCase(tx, c.ID, town)
}
