package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"

	"go.etcd.io/bbolt"

	"hecha"
	"hecha/codefile"
)

// The division table travels from the county to the townships with sync
// (GET /api/v1/divisions). The county answers with the table it stores
// and the table's version (DivisionsVersion, sent as an ETag); a township
// keeps the version of the county's table it last took (DivisionsSource)
// and asks for the table again only when the county's version differs.
// A table a township brings in by itself (a file) clears its source, so
// the next round online takes the county's table again.

// keyDivisionSource, in bucketDivisions: the county's version of the table
// this database last took with ApplyCountyDivisions (a township's only).
var keyDivisionSource = []byte("source_version")

// versionTag begins what DivisionsVersion hashes, so that a change of the
// scheme changes every version.
const versionTag = "hecha-divisions-1\n"

// DivisionsVersion returns the version of the stored division table and
// historic list: the hex SHA-256 of what is stored, "" when no table is.
// It changes whenever SaveDivisions or SaveHistoricDivisions stores other
// content, and stays the same while they store the same again. It reads
// the stored (compressed) bytes only, so it is cheap enough to ask on
// every request.
func (db *DB) DivisionsVersion(ctx context.Context) (string, error) {
	var v string
	err := db.view(ctx, func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketDivisions)
		v = divisionsVersion(b.Get(keyDivisionTable), b.Get(keyDivisionHistoric))
		return nil
	})
	return v, err
}

// DivisionsCSV returns the stored table's CSV as
// codefile.WriteDivisions writes it and the historic GB/T 2260 county
// list's CSV as LoadHistoric reads it, uncompressed (nil when not
// stored), and their version (DivisionsVersion), all read in one
// transaction.
//
// Errors: EUNAVAILABLE, naming the file, when the stored bytes do not
// decompress.
func (db *DB) DivisionsCSV(ctx context.Context) (table, historic []byte, version string, err error) {
	var packed [2][]byte
	err = db.view(ctx, func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketDivisions)
		t, h := b.Get(keyDivisionTable), b.Get(keyDivisionHistoric)
		version = divisionsVersion(t, h)
		packed = [2][]byte{copyBytes(t), copyBytes(h)}
		return nil
	})
	if err != nil {
		return nil, nil, "", err
	}
	var out [2][]byte
	for i, k := range [][]byte{keyDivisionTable, keyDivisionHistoric} {
		if packed[i] == nil {
			continue
		}
		var buf bytes.Buffer
		err := loadPacked(packed[i], func(r io.Reader) error { _, err := buf.ReadFrom(r); return err })
		if err != nil {
			return nil, nil, "", errDamaged(db.path, fmt.Errorf("%s/%s: %w", bucketDivisions, k, err))
		}
		out[i] = buf.Bytes()
	}
	return out[0], out[1], version, nil
}

// divisionsVersion hashes the stored table and historic list; "" when
// there is no table.
func divisionsVersion(table, historic []byte) string {
	if table == nil {
		return ""
	}
	h := sha256.New()
	h.Write([]byte(versionTag))
	h.Write(u64(uint64(len(table))))
	h.Write(table)
	h.Write(u64(uint64(len(historic))))
	h.Write(historic)
	return hex.EncodeToString(h.Sum(nil))
}

// DivisionsSource returns the county's version of the division table this
// database last took with ApplyCountyDivisions: "" when it has none, or
// its table came from elsewhere since (SetDivisionsSource with "").
func (db *DB) DivisionsSource(ctx context.Context) (string, error) {
	var v string
	err := db.view(ctx, func(tx *bbolt.Tx) error {
		v = string(tx.Bucket(bucketDivisions).Get(keyDivisionSource))
		return nil
	})
	return v, err
}

// SetDivisionsSource records version as the county's version of the
// stored table; "" says that the table came from elsewhere (a file), so
// the next sync round takes the county's again.
func (db *DB) SetDivisionsSource(ctx context.Context, version string) error {
	return db.update(ctx, func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketDivisions)
		if version == "" {
			return b.Delete(keyDivisionSource)
		}
		return b.Put(keyDivisionSource, []byte(version))
	})
}

// ApplyCountyDivisions stores the county's division table t and historic
// list (the CSV LoadHistoric reads; empty removes the stored list) and
// records version as their source. The source is cleared first and set
// last, so a crash half-way leaves no source and the next round fetches
// the table again.
//
// The open database's own table (its Rules' Divisions, which callers
// usually share with their interface) is brought up to date in place:
// new codes are added and renamed ones renamed, safely while others read
// it; codes the county dropped stay until the database is opened again.
// When the rules have no table (nil), they keep none until then.
//
// Errors: EINVALID about "divisions" for a nil table, or the historic
// list's row errors (nothing of the list is stored then).
func (db *TownshipDB) ApplyCountyDivisions(ctx context.Context, t *hecha.DivisionTable, historic []byte, version string) error {
	if t == nil {
		return hecha.Invalid("divisions", "store.no_divisions")
	}
	// Check the list before anything changes.
	if len(historic) > 0 {
		if err := codefile.LoadHistoric(hecha.NewDivisionTable(), bytes.NewReader(historic)); err != nil {
			return err
		}
	}
	if err := db.SetDivisionsSource(ctx, ""); err != nil {
		return err
	}
	if err := db.SaveHistoricDivisions(ctx, historic); err != nil {
		return err
	}
	if err := db.SaveDivisions(ctx, t); err != nil {
		return err
	}
	if err := db.SetDivisionsSource(ctx, version); err != nil {
		return err
	}
	if live := db.rules.Divisions; live != nil && live != t {
		_, err := mergeDivisions(live, t, historic)
		return err
	}
	return nil
}

// mergeDivisions adds to dst every division of src that dst lacks or
// names otherwise, and the rows of the historic list (the CSV LoadHistoric
// reads; may be empty), and returns how many divisions it added or
// renamed. dst stays usable by other goroutines meanwhile: each change
// takes its lock.
func mergeDivisions(dst, src *hecha.DivisionTable, historic []byte) (int, error) {
	n := 0
	for _, d := range src.All() {
		if old, ok := dst.Lookup(d.Code); ok && old.Name == d.Name {
			continue
		}
		if err := dst.Add(d); err != nil {
			return n, err
		}
		n++
	}
	if len(historic) > 0 {
		if err := codefile.LoadHistoric(dst, bytes.NewReader(historic)); err != nil {
			return n, err
		}
	}
	return n, nil
}
