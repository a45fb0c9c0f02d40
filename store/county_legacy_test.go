package store_test

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"path/filepath"
	"testing"

	"go.etcd.io/bbolt"

	"hecha"
)

// legacyContent is the imported content whose JSON the county hashed
// before the binary encoding (frozen here as the files hold it).
type legacyContent struct {
	ID             string       `json:"id"`
	Kind           hecha.Kind   `json:"kind"`
	Person         hecha.Person `json:"person"`
	InflowDivision hecha.Code   `json:"inflow_division,omitempty"`
	InflowAddress  string       `json:"inflow_address,omitempty"`
	InflowDate     hecha.Date   `json:"inflow_date"`
	Resident       *hecha.Basic `json:"resident,omitempty"`
	Outflow        *hecha.Basic `json:"outflow,omitempty"`
}

// TestCounty_JSONValues: a county file written before the binary encoding
// (schema version 3 or below) holds its cases and their state as JSON,
// with the JSON content hash. Opening it rewrites them in binary
// (migrateBinaryValues); it then reads, assigns and takes results;
// importing the same case again changes nothing, a changed one is updated.
//
// It is bbolt-only: it writes a file in an old layout.
func TestCounty_JSONValues(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "county.db")
	clk := newClock()
	db := MustOpenCountyDBAt(t, path, countyOpts(clk, t)...)
	if err := db.SetCounty(ctx, testCounty); err != nil {
		t.Fatal(err)
	}
	in := testCase("C1", 1, townA)
	mustImport(t, db, in)
	c := mustCase(t, db, "C1")
	MustCloseDB(t, db)

	// Write the case and its state as the JSON of before.
	content, err := json.Marshal(legacyContent{ID: c.ID, Kind: c.Kind, Person: c.Person,
		InflowDivision: c.InflowDivision, InflowAddress: c.InflowAddress, InflowDate: c.InflowDate,
		Resident: c.Resident, Outflow: c.Outflow})
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(content)
	withBolt(t, path, func(tx *bbolt.Tx) error {
		caseJSON, err := json.Marshal(c)
		if err != nil {
			return err
		}
		stateJSON, err := json.Marshal(map[string]any{"status": "pending", "import_hash": sum[:], "content_rev": 1})
		if err != nil {
			return err
		}
		if err := tx.Bucket([]byte("cases")).Put([]byte("C1"), caseJSON); err != nil {
			return err
		}
		if err := tx.Bucket([]byte("meta")).Put([]byte("schema_version"), []byte{0, 0, 0, 0, 0, 0, 0, 3}); err != nil {
			return err
		}
		return tx.Bucket([]byte("county_state")).Put([]byte("C1"), stateJSON)
	})

	db = MustOpenCountyDBAt(t, path, countyOpts(clk, t)...)
	if got := mustCase(t, db, "C1"); got.Person.Name != c.Person.Name || got.Rev != 1 || !got.UpdatedAt.Equal(c.UpdatedAt) {
		t.Fatalf("JSON case read as %+v", got)
	}
	if s := mustImport(t, db, in); s != (hecha.ImportStats{Unchanged: 1}) {
		t.Errorf("the same case against the JSON hash: %+v", s)
	}
	mustAssign(t, db, townA, "C1")
	cs := mustCase(t, db, "C1")
	if st := apply(t, db, townA, notFoundResult(cs)); st[0] != hecha.ResultAccepted {
		t.Errorf("result on a case read from JSON: %v", st)
	}
	in.Person.CurrentAddress = "广东省深圳市南山区粤海街道 9 号"
	if s := mustImport(t, db, in); s != (hecha.ImportStats{Changed: 1}) {
		t.Errorf("a changed case against the JSON hash: %+v", s)
	}
	if s := mustImport(t, db, in); s != (hecha.ImportStats{Unchanged: 1}) {
		t.Errorf("the changed case again, against the new hash: %+v", s)
	}
}
