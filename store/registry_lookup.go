package store

import (
	"bytes"
	"context"
	"fmt"

	"go.etcd.io/bbolt"

	"hecha"
	"hecha/internal/codec"
)

// The comparison's lookups in the registries' index buckets, on either
// role.

// txRegistry answers the comparison's lookups inside a transaction, from
// the registries' index buckets. The DB's lookups run it in a read
// transaction of their own; Assign, ImportCases and ApplyResults compare
// and find records within their write transaction.
type txRegistry struct{ tx *bbolt.Tx }

// The lookups on either side.
var (
	_ hecha.FloatingRegistry = txRegistry{}
	_ hecha.ResidentRegistry = txRegistry{}
)

// scan decodes each record whose index key in idx starts with p; decode
// gets the record id and the stored bytes, valid only in the transaction.
func (r txRegistry) scan(g registry, idx, p []byte, decode func(id, v []byte) error) error {
	if indexPending(r.tx) {
		return r.pendingScan(g, idx, p, decode)
	}
	c := r.tx.Bucket(idx).Cursor()
	for k, _ := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, _ = c.Next() {
		// The record id is the last part of every index key.
		id := k[bytes.LastIndexByte(k, sep)+1:]
		v, err := getValue(r.tx, g.records, id)
		if err != nil {
			return err
		}
		if v == nil {
			return errDamaged(r.tx.DB().Path(), errMissing(fmt.Sprintf("registry record %q", id)))
		}
		if err := decode(id, v); err != nil {
			return err
		}
	}
	return nil
}

// floating returns the floating records whose index key in idx starts
// with p; with birth set, only those born on birth at precision prec.
func (r txRegistry) floating(idx, p []byte, birth *hecha.Date, prec hecha.Precision) ([]hecha.FloatingRecord, error) {
	var out []hecha.FloatingRecord
	err := r.scan(floatingReg, idx, p, func(id, v []byte) error {
		var rec hecha.FloatingRecord
		if err := codec.DecodeFloating(v, &rec); err != nil {
			return errDecode(r.tx, bucketFloating, string(id), err)
		}
		if birth == nil || rec.BirthDate.Matches(*birth, prec) {
			out = append(out, rec)
		}
		return nil
	})
	return out, err
}

// resident is floating for the resident registry.
func (r txRegistry) resident(idx, p []byte, birth *hecha.Date, prec hecha.Precision) ([]hecha.ResidentRecord, error) {
	var out []hecha.ResidentRecord
	err := r.scan(residentReg, idx, p, func(id, v []byte) error {
		var rec hecha.ResidentRecord
		if err := codec.DecodeResident(v, &rec); err != nil {
			return errDecode(r.tx, bucketResident, string(id), err)
		}
		if birth == nil || rec.BirthDate.Matches(*birth, prec) {
			out = append(out, rec)
		}
		return nil
	})
	return out, err
}

// FloatingByCitizenID implements hecha.FloatingRegistry. An empty id finds
// nothing.
func (r txRegistry) FloatingByCitizenID(id string) ([]hecha.FloatingRecord, error) {
	if id == "" {
		return nil, nil
	}
	return r.floating(bucketFloatingCID, cidPrefix(sealerOf(r.tx), id), nil, 0)
}

// FloatingByNameSexBirth implements hecha.FloatingRegistry.
func (r txRegistry) FloatingByNameSexBirth(name string, sex hecha.Sex, birth hecha.Date, p hecha.Precision) ([]hecha.FloatingRecord, error) {
	k, filter := namePrefix(sealerOf(r.tx), name, sex, birth, p)
	if !filter {
		return r.floating(bucketFloatingName, k, nil, p)
	}
	return r.floating(bucketFloatingName, k, &birth, p)
}

// ResidentByCitizenID implements hecha.ResidentRegistry. An empty id finds
// nothing.
func (r txRegistry) ResidentByCitizenID(id string) ([]hecha.ResidentRecord, error) {
	if id == "" {
		return nil, nil
	}
	return r.resident(bucketResidentCID, cidPrefix(sealerOf(r.tx), id), nil, 0)
}

// ResidentByNameSexBirth implements hecha.ResidentRegistry.
func (r txRegistry) ResidentByNameSexBirth(name string, sex hecha.Sex, birth hecha.Date, p hecha.Precision) ([]hecha.ResidentRecord, error) {
	k, filter := namePrefix(sealerOf(r.tx), name, sex, birth, p)
	if !filter {
		return r.resident(bucketResidentName, k, nil, p)
	}
	return r.resident(bucketResidentName, k, &birth, p)
}

// inView runs a lookup in a read transaction of its own.
func inView[T any](db *DB, fn func(r txRegistry) ([]T, error)) ([]T, error) {
	var out []T
	err := db.view(context.Background(), func(tx *bbolt.Tx) error {
		var err error
		out, err = fn(txRegistry{tx})
		return err
	})
	return out, err
}

// FloatingByCitizenID returns the floating records with this citizen ID,
// from the index. An empty id finds nothing.
func (db *DB) FloatingByCitizenID(id string) ([]hecha.FloatingRecord, error) {
	return inView(db, func(r txRegistry) ([]hecha.FloatingRecord, error) { return r.FloatingByCitizenID(id) })
}

// FloatingByNameSexBirth returns the floating records with this name and
// sex whose birth date agrees with birth at precision p, from the index.
func (db *DB) FloatingByNameSexBirth(name string, sex hecha.Sex, birth hecha.Date, p hecha.Precision) ([]hecha.FloatingRecord, error) {
	return inView(db, func(r txRegistry) ([]hecha.FloatingRecord, error) {
		return r.FloatingByNameSexBirth(name, sex, birth, p)
	})
}

// ResidentByCitizenID returns the resident records with this citizen ID.
// An empty id finds nothing.
func (db *DB) ResidentByCitizenID(id string) ([]hecha.ResidentRecord, error) {
	return inView(db, func(r txRegistry) ([]hecha.ResidentRecord, error) { return r.ResidentByCitizenID(id) })
}

// ResidentByNameSexBirth returns the resident records with this name and
// sex whose birth date agrees with birth at precision p.
func (db *DB) ResidentByNameSexBirth(name string, sex hecha.Sex, birth hecha.Date, p hecha.Precision) ([]hecha.ResidentRecord, error) {
	return inView(db, func(r txRegistry) ([]hecha.ResidentRecord, error) {
		return r.ResidentByNameSexBirth(name, sex, birth, p)
	})
}
