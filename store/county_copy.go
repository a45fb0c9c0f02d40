package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"

	"go.etcd.io/bbolt"

	"hecha"
	"hecha/internal/codec"
)

// The county file's side of hecha.CountyCopier: every bucket of the
// county's data read out as copy items, and written back exactly as given
// (no validation, no comparison, no new sequence numbers), so a county
// moves between a bbolt file and PostgreSQL with its cursors intact.

var _ hecha.CountyCopier = (*CountyDB)(nil)

// Export calls fn with every item of the county (see hecha.CountyCopier).
// Each kind is read in one read transaction, fn inside it: fn must not
// write to db.
//
// Errors: EINVALID (county.no_county) when the file serves no county.
func (db *CountyDB) Export(ctx context.Context, fn func(*hecha.CopyItem) error) error {
	county, err := db.County(ctx)
	if err != nil {
		return err
	}
	if county == "" {
		return hecha.Invalid("county", "county.no_county")
	}
	if err := fn(&hecha.CopyItem{Kind: hecha.CopyCountyItem, County: county}); err != nil {
		return err
	}
	table, historic, _, err := db.DivisionsCSV(ctx)
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
		err := db.view(ctx, func(tx *bbolt.Tx) error { return exportKind(tx, kind, fn) })
		if err != nil {
			return err
		}
	}
	return nil
}

// exportKind calls fn with every item of one kind.
func exportKind(tx *bbolt.Tx, kind hecha.CopyKind, fn func(*hecha.CopyItem) error) error {
	each := func(b []byte, f func(k, v []byte) (*hecha.CopyItem, error)) error {
		return tx.Bucket(b).ForEach(func(k, v []byte) error {
			it, err := f(k, v)
			if err != nil || it == nil {
				return err
			}
			return fn(it)
		})
	}
	switch kind {
	case hecha.CopyFloatingItem:
		return each(bucketFloating, func(k, v []byte) (*hecha.CopyItem, error) {
			r := new(hecha.FloatingRecord)
			data, err := openValue(tx, bucketFloating, k, v)
			if err == nil {
				err = codec.DecodeFloating(data, r)
			}
			return &hecha.CopyItem{Kind: kind, Floating: r}, err
		})
	case hecha.CopyResidentItem:
		return each(bucketResident, func(k, v []byte) (*hecha.CopyItem, error) {
			r := new(hecha.ResidentRecord)
			data, err := openValue(tx, bucketResident, k, v)
			if err == nil {
				err = codec.DecodeResident(data, r)
			}
			return &hecha.CopyItem{Kind: kind, Resident: r}, err
		})
	case hecha.CopyCaseItem:
		return each(bucketCases, func(k, _ []byte) (*hecha.CopyItem, error) {
			c, st, err := mustLoadCase(tx, string(k))
			if err != nil {
				return nil, err
			}
			hash, err := portableHash(c, st.ImportHash)
			if err != nil {
				return nil, err
			}
			cc := &hecha.CopyCase{Case: *c, Status: st.Status, ImportHash: hash,
				ContentRev: st.ContentRev, AssignRev: st.AssignRev, InForce: st.InForce}
			for _, id := range st.Results {
				data, err := getValue(tx, bucketCountyResults, []byte(id))
				if err != nil {
					return nil, err
				}
				if data == nil {
					return nil, errMissing(fmt.Sprintf("result %s of case %s", id, c.ID))
				}
				cc.Results = append(cc.Results, hecha.CopyResult{ID: id, Township: resultTownship(data), Data: copyBytes(data)})
			}
			return &hecha.CopyItem{Kind: kind, Case: cc}, nil
		})
	case hecha.CopyRegCandItem:
		return each(bucketCountyRegCand, func(k, _ []byte) (*hecha.CopyItem, error) {
			parts := bytes.Split(k[1:], []byte{sep})
			if len(k) < 2 || len(parts) != 3 {
				return nil, errDecode(tx, bucketCountyRegCand, string(k), fmt.Errorf("not source+record+township+case"))
			}
			return &hecha.CopyItem{Kind: kind, Cand: &hecha.CopyCand{Src: string(k[:1]), RecordID: string(parts[0]),
				Township: hecha.Code(parts[1]), CaseID: string(parts[2])}}, nil
		})
	case hecha.CopyCaseChangeItem:
		causes := tx.Bucket(bucketCountyChangeCause)
		return each(bucketCountyChanges, func(k, v []byte) (*hecha.CopyItem, error) {
			town, seq, err := changeKey(tx, bucketCountyChanges, k)
			if err != nil {
				return nil, err
			}
			ch := &hecha.CopyChange{Township: town, ID: string(v), Seq: seq}
			if dev, prev, ok := decodeCause(causes.Get(key(v, []byte(town)))); ok {
				ch.Device, ch.PrevSeq = dev, prev
			}
			return &hecha.CopyItem{Kind: kind, Change: ch}, nil
		})
	case hecha.CopyRegChangeItem:
		return each(bucketCountyRegChanges, func(k, v []byte) (*hecha.CopyItem, error) {
			town, seq, err := changeKey(tx, bucketCountyRegChanges, k)
			if err != nil || len(v) < 2 {
				return nil, errDecode(tx, bucketCountyRegChanges, string(k), fmt.Errorf("bad entry: %v", err))
			}
			return &hecha.CopyItem{Kind: kind, Change: &hecha.CopyChange{Township: town, Src: string(v[:1]), ID: string(v[1:]), Seq: seq}}, nil
		})
	case hecha.CopySequenceItem:
		// The file's sequences are shared by its townships: each township
		// with entries gets the shared number.
		for _, name := range [][]byte{bucketCountyChanges, bucketCountyRegChanges} {
			b := tx.Bucket(name)
			seen := map[hecha.Code]bool{}
			err := b.ForEach(func(k, _ []byte) error {
				town, _, err := changeKey(tx, name, k)
				if err != nil || seen[town] {
					return err
				}
				seen[town] = true
				seq := &hecha.CopySequence{Township: town, Registry: bytes.Equal(name, bucketCountyRegChanges), Seq: b.Sequence()}
				return fn(&hecha.CopyItem{Kind: kind, Sequence: seq})
			})
			if err != nil {
				return err
			}
		}
		return nil
	case hecha.CopyConflictItem:
		return each(bucketCountyConflicts, func(k, v []byte) (*hecha.CopyItem, error) {
			n := new(hecha.ConflictNotice)
			return &hecha.CopyItem{Kind: kind, Conflict: n}, decodeJSONValue(tx, bucketCountyConflicts, k, v, n)
		})
	case hecha.CopyTokenItem:
		return each(bucketCountyTokens, func(k, v []byte) (*hecha.CopyItem, error) {
			var r tokenRecord
			if err := decodeJSONValue(tx, bucketCountyTokens, k, v, &r); err != nil {
				return nil, err
			}
			return &hecha.CopyItem{Kind: kind, Token: &hecha.CopyToken{Token: r.token(), Hash: r.Hash, RevokedAt: r.RevokedAt}}, nil
		})
	case hecha.CopyBatchItem:
		return each(bucketCountyBatches, func(k, v []byte) (*hecha.CopyItem, error) {
			b := new(hecha.Batch)
			return &hecha.CopyItem{Kind: kind, Batch: b}, decodeJSONValue(tx, bucketCountyBatches, k, v, b)
		})
	case hecha.CopyAuditItem:
		// In seq order: the keys are the seqs, big-endian.
		return each(bucketAudit, func(k, v []byte) (*hecha.CopyItem, error) {
			e, err := hecha.UnmarshalAudit(v)
			if err != nil {
				return nil, hecha.AuditUnreadable(keySeq(k), err)
			}
			return &hecha.CopyItem{Kind: kind, Audit: &e}, nil
		})
	}
	return nil
}

// changeKey splits a key of a change bucket: township + sep + seq.
func changeKey(tx *bbolt.Tx, bucket, k []byte) (hecha.Code, uint64, error) {
	if len(k) < 10 || k[len(k)-9] != sep {
		return "", 0, errDecode(tx, bucket, string(k), fmt.Errorf("not township+seq"))
	}
	return hecha.Code(k[:len(k)-9]), binary.BigEndian.Uint64(k[len(k)-8:]), nil
}

// Import writes items exactly as given (see hecha.CountyCopier), one
// transaction per call; the division table is written first, in a
// transaction of its own.
//
// Errors: EINVALID for an item without its field, a county other than the
// file's, or items before the file serves a county.
func (db *CountyDB) Import(ctx context.Context, items []*hecha.CopyItem) error {
	for _, it := range items {
		if it.Kind != hecha.CopyDivisionsItem {
			continue
		}
		if it.Divisions == nil {
			return hecha.Invalid("divisions", "copy.item", string(it.Kind))
		}
		table, historic, _, err := db.DivisionsCSV(ctx)
		if err != nil {
			return err
		}
		if !bytes.Equal(table, it.Divisions.Table) {
			if err := db.putDivisions(ctx, keyDivisionTable, it.Divisions.Table); err != nil {
				return err
			}
		}
		if !bytes.Equal(historic, it.Divisions.Historic) {
			if err := db.putDivisions(ctx, keyDivisionHistoric, it.Divisions.Historic); err != nil {
				return err
			}
		}
	}
	return db.update(ctx, func(tx *bbolt.Tx) error {
		for _, it := range items {
			if err := importItem(tx, it); err != nil {
				return err
			}
		}
		return nil
	})
}

// importItem writes one item.
func importItem(tx *bbolt.Tx, it *hecha.CopyItem) error {
	missing := hecha.Invalid(string(it.Kind), "copy.item", string(it.Kind))
	if it.Kind == hecha.CopyCountyItem {
		cur := countyOf(tx)
		if cur != "" && cur != it.County {
			return hecha.Invalid("county", "copy.other_county", string(cur), string(it.County))
		}
		if it.County.Level() != hecha.LevelCounty {
			return hecha.Invalid("county", "county.county_level", string(it.County))
		}
		return tx.Bucket(bucketMeta).Put(keyCounty, []byte(it.County))
	}
	if it.Kind == hecha.CopyDivisionsItem {
		return nil // written by Import
	}
	if countyOf(tx) == "" {
		return hecha.Invalid("county", "county.no_county")
	}
	w := &regWriter{tx: tx} // records as given: no new sequence numbers
	s := sealerOf(tx)
	switch it.Kind {
	case hecha.CopyFloatingItem:
		r := it.Floating
		if r == nil {
			return missing
		}
		return w.put(floatingReg, floatingKeys(s, r), codec.EncodeFloating(r), r.HouseholdDivision, func(old []byte) (regKeys, hecha.Code, error) {
			var o hecha.FloatingRecord
			err := codec.DecodeFloating(old, &o)
			return floatingKeys(s, &o), o.HouseholdDivision, err
		})
	case hecha.CopyResidentItem:
		r := it.Resident
		if r == nil {
			return missing
		}
		return w.put(residentReg, residentKeys(s, r), codec.EncodeResident(r), r.HouseholdDivision, func(old []byte) (regKeys, hecha.Code, error) {
			var o hecha.ResidentRecord
			err := codec.DecodeResident(old, &o)
			return residentKeys(s, &o), o.HouseholdDivision, err
		})
	case hecha.CopyCaseItem:
		if it.Case == nil {
			return missing
		}
		return importCase(tx, it.Case)
	case hecha.CopyRegCandItem:
		cd := it.Cand
		if cd == nil || len(cd.Src) != 1 {
			return missing
		}
		return tx.Bucket(bucketCountyRegCand).Put(key(recordKey(cd.Src[0], cd.RecordID), []byte(cd.Township), []byte(cd.CaseID)), nil)
	case hecha.CopyCaseChangeItem, hecha.CopyRegChangeItem:
		if it.Change == nil {
			return missing
		}
		return importChange(tx, it.Kind == hecha.CopyRegChangeItem, it.Change)
	case hecha.CopySequenceItem:
		sq := it.Sequence
		if sq == nil {
			return missing
		}
		b := tx.Bucket(bucketCountyChanges)
		if sq.Registry {
			b = tx.Bucket(bucketCountyRegChanges)
		}
		if sq.Seq > b.Sequence() {
			return b.SetSequence(sq.Seq)
		}
		return nil
	case hecha.CopyConflictItem:
		n := it.Conflict
		if n == nil {
			return missing
		}
		return putJSONValue(tx, bucketCountyConflicts, key([]byte(n.From), []byte(n.CaseID)), n)
	case hecha.CopyTokenItem:
		t := it.Token
		if t == nil {
			return missing
		}
		r := tokenRecord{ID: t.ID, Township: t.Township, Hash: t.Hash, CreatedAt: t.CreatedAt, Revoked: t.Revoked, RevokedAt: t.RevokedAt}
		return putJSONValue(tx, bucketCountyTokens, []byte(t.ID), &r)
	case hecha.CopyBatchItem:
		if it.Batch == nil {
			return missing
		}
		return putJSONValue(tx, bucketCountyBatches, []byte(it.Batch.ID), it.Batch)
	case hecha.CopyAuditItem:
		if it.Audit == nil {
			return missing
		}
		return importAudit(tx, it.Audit)
	}
	return hecha.Invalid("kind", "copy.kind", string(it.Kind))
}

// importAudit appends a copied audit entry as it is after the log's head,
// or finds it there (hecha.CopyAuditEntry).
func importAudit(tx *bbolt.Tx, e *hecha.AuditEntry) error {
	head, err := auditHead(tx)
	if err != nil {
		return err
	}
	b := tx.Bucket(bucketAudit)
	add, head, err := hecha.CopyAuditEntry(head, e, b.Get(u64(e.Seq)))
	if err != nil || !add {
		return err
	}
	if err := b.Put(u64(e.Seq), hecha.MarshalAudit(e)); err != nil {
		return err
	}
	return tx.Bucket(bucketMeta).Put(keyAuditHead, encodeAuditHead(head))
}

// importCase writes a case, its state, its index entries and its results.
func importCase(tx *bbolt.Tx, cc *hecha.CopyCase) error {
	c := cc.Case
	old, oldSt, found, err := loadCase(tx, c.ID)
	if err != nil {
		return err
	}
	hash, err := fileHash(&c, cc.ImportHash)
	if err != nil {
		return err
	}
	st := &caseState{Status: cc.Status, ImportHash: hash, ContentRev: cc.ContentRev, AssignRev: cc.AssignRev, InForce: cc.InForce}
	for _, r := range cc.Results {
		st.Results = append(st.Results, r.ID)
		if err := putValue(tx, bucketCountyResults, []byte(r.ID), r.Data); err != nil {
			return err
		}
	}
	if err := saveCase(tx, &c, st); err != nil {
		return err
	}
	if !found {
		if c.Unit == "" {
			err = tx.Bucket(bucketCountyUndistributed).Put([]byte(c.ID), nil)
		} else {
			err = tx.Bucket(bucketCountyUnit).Put(key([]byte(c.Unit), []byte(c.ID)), nil)
		}
		if err != nil {
			return err
		}
		return setStatus(tx, c.ID, "", st.Status)
	}
	if err := moveUnit(tx, c.ID, old.Unit, c.Unit); err != nil {
		return err
	}
	return setStatus(tx, c.ID, oldSt.Status, st.Status)
}

// importChange writes a case's (or a record's) entry in a township's
// changes at the number given, removing the entry it had there before.
func importChange(tx *bbolt.Tx, registry bool, ch *hecha.CopyChange) error {
	changes, of := tx.Bucket(bucketCountyChanges), tx.Bucket(bucketCountyChangeOf)
	id := []byte(ch.ID)
	if registry {
		if len(ch.Src) != 1 {
			return hecha.Invalid("src", "copy.item", string(hecha.CopyRegChangeItem))
		}
		changes, of = tx.Bucket(bucketCountyRegChanges), tx.Bucket(bucketCountyRegChangeOf)
		id = recordKey(ch.Src[0], ch.ID)
	}
	ofKey := key(id, []byte(ch.Township))
	if old := of.Get(ofKey); old != nil && binary.BigEndian.Uint64(old) != ch.Seq {
		if err := changes.Delete(key([]byte(ch.Township), copyBytes(old))); err != nil {
			return err
		}
	}
	if err := changes.Put(key([]byte(ch.Township), u64(ch.Seq)), id); err != nil {
		return err
	}
	if err := of.Put(ofKey, u64(ch.Seq)); err != nil {
		return err
	}
	if registry {
		return nil
	}
	causes := tx.Bucket(bucketCountyChangeCause)
	if ch.Device == "" {
		return causes.Delete(ofKey)
	}
	return causes.Put(ofKey, append(append([]byte(ch.Device), 0), u64(ch.PrevSeq)...))
}

// portableHash returns the import hash a copy item carries for a case the
// file keeps with hash: the file's own hash (contentHash, of the binary
// encoding) becomes hecha.Case.ContentHash, which every store compares
// (see hecha.CopyCase), when it is the hash of the case's stored content
// (the content as last imported: nothing else changes it); any other hash
// goes as it is.
func portableHash(c *hecha.Case, hash []byte) ([]byte, error) {
	if len(hash) == 1+sha256.Size && hash[0] == hashBinaryV1 {
		own, err := contentHash(c)
		if err != nil || !bytes.Equal(own, hash) {
			return copyBytes(hash), err
		}
		return c.ContentHash()
	}
	return copyBytes(hash), nil
}

// fileHash is portableHash's inverse: the hash the file keeps for a
// copied case whose item carries hash. A hecha.Case.ContentHash of the
// case's content becomes the file's own; any other hash is kept as it is
// (an import compares a hash it does not know as changed content).
func fileHash(c *hecha.Case, hash []byte) ([]byte, error) {
	if len(hash) == sha256.Size {
		h, err := c.ContentHash()
		if err != nil || !bytes.Equal(h, hash) {
			return hash, err
		}
		return contentHash(c)
	}
	return hash, nil
}
