package store

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"fmt"
	"io"

	"go.etcd.io/bbolt"

	"hecha"
	"hecha/codefile"
)

// The division table lives in the database, so neither program needs a
// file beside it: bucketDivisions holds, gzip-compressed, the table as
// codefile.WriteDivisions writes it (keyDivisionTable) and the
// historic GB/T 2260 county list as codefile.LoadHistoric reads
// it (keyDivisionHistoric). Open with WithStoredDivisions to validate
// against them.

// SaveDivisions stores t as the database's division table, replacing the
// one stored before. The rules of an open DB keep the table they were
// opened with; open again with WithStoredDivisions to use the new one.
//
// Errors: EINVALID about "divisions" for a nil table.
func (db *DB) SaveDivisions(ctx context.Context, t *hecha.DivisionTable) error {
	if t == nil {
		return hecha.Invalid("divisions", "store.no_divisions")
	}
	var csv bytes.Buffer
	if err := codefile.WriteDivisions(&csv, t); err != nil {
		return err
	}
	return db.putDivisions(ctx, keyDivisionTable, csv.Bytes())
}

// SaveHistoricDivisions stores the historic GB/T 2260 county list (the
// CSV LoadHistoric reads: code,name,valid_from_year,valid_to_year), which
// Divisions adds to the table so that old ID numbers with abolished
// county codes are recognised. Only a list that loads without a bad row
// is stored; an empty csv removes the stored list.
//
// Errors: EINVALID (the rows' errors, as LoadHistoric reports them).
func (db *DB) SaveHistoricDivisions(ctx context.Context, csv []byte) error {
	if len(csv) > 0 {
		if err := codefile.LoadHistoric(hecha.NewDivisionTable(), bytes.NewReader(csv)); err != nil {
			return err
		}
	}
	return db.putDivisions(ctx, keyDivisionHistoric, csv)
}

// putDivisions stores data gzip-compressed under k, or removes k when data
// is empty.
func (db *DB) putDivisions(ctx context.Context, k, data []byte) error {
	var packed bytes.Buffer
	if len(data) > 0 {
		zw, err := gzip.NewWriterLevel(&packed, gzip.BestCompression)
		if err != nil {
			return err
		}
		if _, err := zw.Write(data); err != nil {
			return err
		}
		if err := zw.Close(); err != nil {
			return err
		}
	}
	return db.update(ctx, func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketDivisions)
		if packed.Len() == 0 {
			return b.Delete(k)
		}
		return b.Put(k, packed.Bytes())
	})
}

// Divisions returns the stored division table with the stored historic
// county list loaded into it: an empty table when none was saved.
//
// Errors: EUNAVAILABLE, naming the file, when the stored table does not
// read back.
func (db *DB) Divisions(ctx context.Context) (*hecha.DivisionTable, error) {
	var table, historic []byte
	err := db.view(ctx, func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketDivisions)
		table, historic = copyBytes(b.Get(keyDivisionTable)), copyBytes(b.Get(keyDivisionHistoric))
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Size the index from the table's length, which gzip keeps (mod 2^32)
	// in its last four bytes; a row takes about 40 bytes.
	var size uint32
	if n := len(table); n >= 4 {
		size = binary.LittleEndian.Uint32(table[n-4:])
	}
	t := hecha.NewDivisionTableSize(int(size / 40))
	for _, part := range []struct {
		k, packed []byte
		load      func(io.Reader) error
	}{{keyDivisionTable, table, func(r io.Reader) error { return codefile.LoadDivisions(t, r) }}, {keyDivisionHistoric, historic, func(r io.Reader) error { return codefile.LoadHistoric(t, r) }}} {
		if part.packed == nil {
			continue
		}
		if err := loadPacked(part.packed, part.load); err != nil {
			return nil, errDamaged(db.path, fmt.Errorf("%s/%s: %s", bucketDivisions, part.k, hecha.ErrorMessage(err, hecha.English)))
		}
	}
	return t, nil
}

// loadPacked decompresses packed into load.
func loadPacked(packed []byte, load func(io.Reader) error) error {
	zr, err := gzip.NewReader(bytes.NewReader(packed))
	if err != nil {
		return err
	}
	if err := load(zr); err != nil {
		return err
	}
	// Reading to the end checks the gzip trailer (length and CRC).
	if _, err := io.Copy(io.Discard, zr); err != nil {
		return err
	}
	return zr.Close()
}

// WithStoredDivisions makes Open validate against the division table
// stored in the database (SaveDivisions, SaveHistoricDivisions) instead of
// the one in the rules given with WithRules: an empty table when none was
// saved yet. Rules.Divisions then returns it.
func WithStoredDivisions() Option { return func(db *DB) { db.storedDivisions = true } }
