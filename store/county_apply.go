package store

import (
	"go.etcd.io/bbolt"

	"hecha"
)

// applyToRecords applies an accepted result to the case and the registries
// in the result's transaction (hecha.ApplyToRecords).
func applyToRecords(tx *bbolt.Tx, c *hecha.Case, r *hecha.Result) error {
	return hecha.ApplyToRecords(c, r, txRecords{txRegistry{tx}})
}

// txRecords is the hecha.RecordStore of a write transaction.
type txRecords struct{ txRegistry }

func (s txRecords) FloatingRecord(id string) (*hecha.FloatingRecord, error) {
	return getFloating(s.tx, id)
}

func (s txRecords) ResidentRecord(id string) (*hecha.ResidentRecord, error) {
	return getResident(s.tx, id)
}

func (s txRecords) PutFloatingRecord(rec *hecha.FloatingRecord) error {
	return putFloating(s.tx, rec)
}

func (s txRecords) PutResidentRecord(rec *hecha.ResidentRecord) error {
	return putResident(s.tx, rec)
}
