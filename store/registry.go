package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"

	"go.etcd.io/bbolt"

	"hecha"
	"hecha/internal/codec"
)

// The store holds both registries, on either role.
var _ hecha.RegistryService = (*DB)(nil)

// maxErrors bounds the errors a bulk write reports: validation stops after
// that many, so a file that is wrong throughout does not produce a message
// per row.
const maxErrors = 100

// registryBatch is how many registry rows PutFloating and PutResident
// write per transaction: large enough that the commit's fsync is paid
// rarely, small enough to keep a transaction's memory bounded.
const registryBatch = 5000

// registry describes the buckets of one registry.
type registry struct {
	records, byCID, byName []byte
	count                  []byte
	src                    byte // the record's source byte in the county's registry changes
}

var (
	floatingReg = registry{bucketFloating, bucketFloatingCID, bucketFloatingName, keyFloatingCount, srcFloating}
	residentReg = registry{bucketResident, bucketResidentCID, bucketResidentName, keyResidentCount, srcResident}
)

// regKeys are the index entries of one record.
type regKeys struct {
	id, cid, name []byte
}

func floatingKeys(s *sealer, r *hecha.FloatingRecord) regKeys {
	return makeRegKeys(s, r.ID, r.CitizenID, r.Name, r.Sex, r.BirthDate)
}

func residentKeys(s *sealer, r *hecha.ResidentRecord) regKeys {
	return makeRegKeys(s, r.ID, r.CitizenID, r.Name, r.Sex, r.BirthDate)
}

// makeRegKeys builds the index keys: citizen id + 0x00 + record id (none
// without a citizen id), and name + 0x00 + sex + 0x00 + yyyymmdd + 0x00 +
// record id (00000000 for no birth date); in an encrypted database (s not
// nil) their hashed forms (keys.go).
func makeRegKeys(s *sealer, id, cid, name string, sex hecha.Sex, birth hecha.Date) regKeys {
	if s != nil {
		return hashedRegKeys(s, id, cid, name, sex)
	}
	k := regKeys{id: []byte(id)}
	if cid != "" {
		k.cid = key([]byte(cid), k.id)
	}
	k.name = key([]byte(name), []byte(sex), []byte(birthKey(birth)), k.id)
	return k
}

// birthKey returns birth as yyyymmdd, or 00000000 for no date. Dates out
// of range are written modulo their field's width; Validate keeps real
// records within 1850–2200.
func birthKey(d hecha.Date) string {
	var b [8]byte
	put := func(at, width, v int) {
		if v < 0 {
			v = -v
		}
		for i := at + width - 1; i >= at; i-- {
			b[i] = byte('0' + v%10)
			v /= 10
		}
	}
	put(0, 4, d.Year)
	put(4, 2, int(d.Month))
	put(6, 2, d.Day)
	return string(b[:])
}

// PutFloating validates every record, then inserts or replaces them by id
// in transactions of registryBatch rows, fixing the index entries of
// replaced records. A record identical to the stored one is not written
// again. On the county every changed record joins the registry extracts of
// the townships that hold it in the same transaction (see RegistrySince).
// Nothing is written when any record is invalid (at most maxErrors errors
// are reported).
// Errors: EINVALID about "floating[i].<field>".
func (db *DB) PutFloating(ctx context.Context, recs []hecha.FloatingRecord) error {
	var errs hecha.Errors
	for i := 0; i < len(recs) && len(errs) < maxErrors; i++ {
		errs.AddField(fmt.Sprintf("floating[%d]", i), validateFloating(&recs[i], db.rules))
	}
	if err := errs.Err(); err != nil {
		return err
	}
	for start := 0; start < len(recs); start += registryBatch {
		batch := recs[start:min(start+registryBatch, len(recs))]
		if err := db.update(ctx, func(tx *bbolt.Tx) error { return putFloatingTx(tx, batch) }); err != nil {
			return err
		}
	}
	return nil
}

// PutResident is PutFloating for the resident registry.
// Errors: EINVALID about "resident[i].<field>".
func (db *DB) PutResident(ctx context.Context, recs []hecha.ResidentRecord) error {
	var errs hecha.Errors
	for i := 0; i < len(recs) && len(errs) < maxErrors; i++ {
		errs.AddField(fmt.Sprintf("resident[%d]", i), validateResident(&recs[i], db.rules))
	}
	if err := errs.Err(); err != nil {
		return err
	}
	for start := 0; start < len(recs); start += registryBatch {
		batch := recs[start:min(start+registryBatch, len(recs))]
		if err := db.update(ctx, func(tx *bbolt.Tx) error { return putResidentTx(tx, batch) }); err != nil {
			return err
		}
	}
	return nil
}

// validateFloating checks the id (a key part) and the record.
func validateFloating(r *hecha.FloatingRecord, rules *hecha.Rules) error {
	if err := checkRecordID(r.ID); err != nil {
		return err
	}
	return r.Validate(rules)
}

// validateResident checks the id (a key part) and the record.
func validateResident(r *hecha.ResidentRecord, rules *hecha.Rules) error {
	if err := checkRecordID(r.ID); err != nil {
		return err
	}
	return r.Validate(rules)
}

// checkRecordID is checkID with the registry's message for a missing id.
func checkRecordID(id string) error {
	if id == "" {
		return hecha.Invalid("id", "store.no_record_id")
	}
	return hecha.CheckID("id", id)
}

// putFloatingTx writes already validated floating records (see
// regWriter.put).
func putFloatingTx(tx *bbolt.Tx, recs []hecha.FloatingRecord) error {
	w, s := newRegWriter(tx), sealerOf(tx)
	for i := range recs {
		r := &recs[i]
		err := w.put(floatingReg, w.keys(r.ID, func() regKeys { return floatingKeys(s, r) }), codec.EncodeFloating(r), r.HouseholdDivision, func(old []byte) (regKeys, hecha.Code, error) {
			var o hecha.FloatingRecord
			if err := codec.DecodeFloating(old, &o); err != nil {
				return regKeys{}, "", errDecode(tx, bucketFloating, r.ID, err)
			}
			return floatingKeys(s, &o), o.HouseholdDivision, nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// putResidentTx writes already validated resident records (see
// regWriter.put).
func putResidentTx(tx *bbolt.Tx, recs []hecha.ResidentRecord) error {
	w, s := newRegWriter(tx), sealerOf(tx)
	for i := range recs {
		r := &recs[i]
		err := w.put(residentReg, w.keys(r.ID, func() regKeys { return residentKeys(s, r) }), codec.EncodeResident(r), r.HouseholdDivision, func(old []byte) (regKeys, hecha.Code, error) {
			var o hecha.ResidentRecord
			if err := codec.DecodeResident(old, &o); err != nil {
				return regKeys{}, "", errDecode(tx, bucketResident, r.ID, err)
			}
			return residentKeys(s, &o), o.HouseholdDivision, nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// regWriter writes registry records in one transaction. On the county it
// also keeps the registry change sequence, so that every write is in the
// townships' extracts as soon as it commits.
type regWriter struct {
	tx *bbolt.Tx
	// sequence is set on the county; county is the county's code ("" before
	// SetCounty).
	sequence bool
	county   hecha.Code
	// deferIndex is set while the township's registry indexes wait to be
	// built (registry_index.go): records are written without entries.
	deferIndex bool
}

func newRegWriter(tx *bbolt.Tx) *regWriter {
	w := &regWriter{tx: tx, deferIndex: indexPending(tx)}
	if string(tx.Bucket(bucketMeta).Get(keyRole)) == RoleCounty.String() {
		w.sequence, w.county = true, countyOf(tx)
	}
	return w
}

// put stores rec under k.id with its index entries; oldRec decodes the
// record being replaced (its index keys and household division), whose
// entries are removed first. A record stored with the same bytes is left
// alone: nothing is written and, on the county, it is not sent again. On
// the county a changed record goes into the registry changes of the
// township of its household division, of the one it had before, and of
// those with a case it is a candidate of.
func (w *regWriter) put(g registry, k regKeys, data []byte, household hecha.Code, oldRec func([]byte) (regKeys, hecha.Code, error)) error {
	tx := w.tx
	byCID, byName := tx.Bucket(g.byCID), tx.Bucket(g.byName)
	var oldTown hecha.Code
	old, err := getValue(tx, g.records, k.id)
	if err != nil {
		return err
	}
	if old != nil {
		if bytes.Equal(old, data) {
			return nil
		}
		ok, oldHousehold, err := oldRec(old)
		if err != nil {
			return err
		}
		oldTown = w.township(oldHousehold)
		if w.deferIndex {
			// No entries to fix: the build reads the records.
		} else if ok.cid != nil && !bytes.Equal(ok.cid, k.cid) {
			if err := byCID.Delete(ok.cid); err != nil {
				return err
			}
		}
		if !w.deferIndex && !bytes.Equal(ok.name, k.name) {
			if err := byName.Delete(ok.name); err != nil {
				return err
			}
		}
	} else if err := addCount(tx, g.count, 1); err != nil {
		return err
	}
	if err := putValue(tx, g.records, k.id, data); err != nil {
		return err
	}
	if w.deferIndex {
		return nil // a township: nothing to sequence either
	}
	if k.cid != nil {
		if err := byCID.Put(k.cid, nil); err != nil {
			return err
		}
	}
	if err := byName.Put(k.name, nil); err != nil {
		return err
	}
	if !w.sequence {
		return nil
	}
	return sequenceRecord(tx, recordKey(g.src, string(k.id)), w.township(household), oldTown)
}

// keys returns the index keys build makes, or only the record id while
// the indexes are deferred (no need to hash what is not written).
func (w *regWriter) keys(id string, build func() regKeys) regKeys {
	if w.deferIndex {
		return regKeys{id: []byte(id)}
	}
	return build()
}

// township returns the township of a household division when it lies in
// the county (any county before SetCounty), else "".
func (w *regWriter) township(household hecha.Code) hecha.Code {
	town := household.At(hecha.LevelTownship)
	if w.county != "" && !town.Within(w.county) {
		return ""
	}
	return town
}

// addCount adds n to the counter under meta key k.
func addCount(tx *bbolt.Tx, k []byte, n int64) error {
	meta := tx.Bucket(bucketMeta)
	var v uint64
	if b := meta.Get(k); len(b) == 8 {
		v = binary.BigEndian.Uint64(b)
	}
	return meta.Put(k, u64(uint64(int64(v)+n)))
}

// getCount reads the counter under meta key k.
func getCount(tx *bbolt.Tx, k []byte) int {
	if b := tx.Bucket(bucketMeta).Get(k); len(b) == 8 {
		return int(binary.BigEndian.Uint64(b))
	}
	return 0
}

// RegistryCount returns how many floating and resident records are stored.
func (db *DB) RegistryCount(ctx context.Context) (floating, resident int, err error) {
	err = db.view(ctx, func(tx *bbolt.Tx) error {
		floating, resident = getCount(tx, keyFloatingCount), getCount(tx, keyResidentCount)
		return nil
	})
	return floating, resident, err
}
