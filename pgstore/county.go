package pgstore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"

	"github.com/jackc/pgx/v5"

	"hecha"
	"hecha/codefile"
)

// SetCounty sets the county the store serves and records it in the
// database. A store opened WithCounty serves that county only.
//
// Errors: EINVALID about "county" for a code not at county level, or
// another county than the store's; ENOTFOUND for a code the table does
// not know.
func (s *Store) SetCounty(ctx context.Context, code hecha.Code) error {
	if code.Level() != hecha.LevelCounty {
		return hecha.Invalid("county", "county.county_level", string(code))
	}
	if _, ok := s.rules.Divisions.Lookup(code); !ok {
		return hecha.Errorf(hecha.ENOTFOUND, "county", "county.unit_unknown", string(code))
	}
	if s.county != "" && s.county != code {
		return hecha.Invalid("county", "pgstore.other_county", string(s.county), string(code))
	}
	err := s.tx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO hecha_counties (county, created_at) VALUES ($1, $2)
			ON CONFLICT (county) DO NOTHING`, string(code), s.now().UTC())
		return err
	})
	if err == nil {
		s.county = code
	}
	return err
}

// Counties returns the counties the database holds (SetCounty recorded
// them), whatever the store's scope, in code order.
func (s *Store) Counties(ctx context.Context) ([]hecha.Code, error) {
	rows, err := s.pool.Query(ctx, `SELECT county FROM hecha_counties ORDER BY county`)
	if err != nil {
		return nil, s.dbErr(err)
	}
	cs, err := pgx.CollectRows(rows, pgx.RowTo[hecha.Code])
	return cs, s.dbErr(err)
}

// County returns the county the store is scoped to, "" for none.
func (s *Store) County(ctx context.Context) (hecha.Code, error) {
	return s.county, ctx.Err()
}

// needCounty returns the store's county, or EINVALID (county.no_county)
// about field when it has none.
func (s *Store) needCounty(field string) (hecha.Code, error) {
	if s.county == "" {
		return "", hecha.Invalid(field, "county.no_county")
	}
	return s.county, nil
}

// rowCounty returns the county a case or record with this household
// division belongs to: the store's, or on a store scoped to none, the
// household's.
func (s *Store) rowCounty(household hecha.Code) hecha.Code {
	if s.county != "" {
		return s.county
	}
	return household.At(hecha.LevelCounty)
}

// countyCond returns the SQL condition that limits col to county, the
// query's $1: "col = $1", or, for no county, a condition that holds (and
// still names $1). The two are different statements, so each gets a plan
// that can use the indexes that begin with the county.
func countyCond(col string, county hecha.Code) string {
	if county == "" {
		return "$1 = ''"
	}
	return col + " = $1"
}

// The division table's rows in hecha_divisions.
const (
	divTable    = "table"
	divHistoric = "historic"
	divVersion  = "version" // divisionsVersion of the two, kept by putDivisions
)

// versionTag begins what DivisionsVersion hashes.
const versionTag = "hecha-divisions-pg-1\n"

// SaveDivisions stores t as the database's division table.
//
// Errors: EINVALID about "divisions" for a nil table.
func (s *Store) SaveDivisions(ctx context.Context, t *hecha.DivisionTable) error {
	if t == nil {
		return hecha.Invalid("divisions", "store.no_divisions")
	}
	var csv bytes.Buffer
	if err := codefile.WriteDivisions(&csv, t); err != nil {
		return err
	}
	return s.putDivisions(ctx, divTable, csv.Bytes())
}

// SaveHistoricDivisions stores the historic GB/T 2260 county list; an
// empty csv removes it.
//
// Errors: EINVALID (the rows' errors, as LoadHistoric reports them).
func (s *Store) SaveHistoricDivisions(ctx context.Context, csv []byte) error {
	if len(csv) > 0 {
		if err := codefile.LoadHistoric(hecha.NewDivisionTable(), bytes.NewReader(csv)); err != nil {
			return err
		}
	}
	return s.putDivisions(ctx, divHistoric, csv)
}

func (s *Store) putDivisions(ctx context.Context, name string, data []byte) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		if err := putDivisionRow(ctx, tx, name, data); err != nil {
			return err
		}
		table, historic, err := readDivisions(ctx, tx)
		if err != nil {
			return err
		}
		return putDivisionRow(ctx, tx, divVersion, []byte(divisionsVersion(table, historic)))
	})
}

// putDivisionRow writes one row of hecha_divisions, or removes it when
// data is empty.
func putDivisionRow(ctx context.Context, tx pgx.Tx, name string, data []byte) error {
	if len(data) == 0 {
		_, err := tx.Exec(ctx, `DELETE FROM hecha_divisions WHERE name = $1`, name)
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO hecha_divisions (name, data) VALUES ($1, $2)
		ON CONFLICT (name) DO UPDATE SET data = EXCLUDED.data`, name, data)
	return err
}

// readDivisions reads the stored table and historic list.
func readDivisions(ctx context.Context, tx pgx.Tx) (table, historic []byte, err error) {
	rows, err := tx.Query(ctx, `SELECT name, data FROM hecha_divisions WHERE name IN ($1, $2)`, divTable, divHistoric)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var data []byte
		if err := rows.Scan(&name, &data); err != nil {
			return nil, nil, err
		}
		if name == divTable {
			table = data
		} else {
			historic = data
		}
	}
	return table, historic, rows.Err()
}

// DivisionsCSV returns the stored table's and historic list's CSV and
// their version, read in one snapshot.
func (s *Store) DivisionsCSV(ctx context.Context) (table, historic []byte, version string, err error) {
	err = s.view(ctx, func(tx pgx.Tx) error {
		table, historic, err = readDivisions(ctx, tx)
		return err
	})
	if err != nil {
		return nil, nil, "", err
	}
	return table, historic, divisionsVersion(table, historic), nil
}

// DivisionsVersion returns the hex SHA-256 of the stored table and
// historic list, "" when no table is stored. The server asks it on every
// request: it reads the version putDivisions stored beside them.
func (s *Store) DivisionsVersion(ctx context.Context) (string, error) {
	var v []byte
	err := s.pool.QueryRow(ctx, `SELECT data FROM hecha_divisions WHERE name = $1`, divVersion).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	return string(v), s.dbErr(err)
}

// divisionsVersion hashes the stored table and historic list.
func divisionsVersion(table, historic []byte) string {
	if table == nil {
		return ""
	}
	h := sha256.New()
	h.Write([]byte(versionTag))
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(table)))
	h.Write(n[:])
	h.Write(table)
	binary.BigEndian.PutUint64(n[:], uint64(len(historic)))
	h.Write(n[:])
	h.Write(historic)
	return hex.EncodeToString(h.Sum(nil))
}

// Divisions returns the stored division table with the historic list
// loaded into it; an empty table when none was saved.
func (s *Store) Divisions(ctx context.Context) (*hecha.DivisionTable, error) {
	table, historic, _, err := s.DivisionsCSV(ctx)
	if err != nil {
		return nil, err
	}
	t := hecha.NewDivisionTable()
	if table != nil {
		if err := codefile.LoadDivisions(t, bytes.NewReader(table)); err != nil {
			return nil, errors.Join(errors.New("stored division table"), err)
		}
	}
	if historic != nil {
		if err := codefile.LoadHistoric(t, bytes.NewReader(historic)); err != nil {
			return nil, errors.Join(errors.New("stored historic divisions"), err)
		}
	}
	return t, nil
}
