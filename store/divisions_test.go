package store_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"hecha"
	"hecha/codefile"
	"hecha/internal/countytest"
	"hecha/internal/testenv"
	"hecha/sheet"
	"hecha/store"
)

// tableCSV returns t as codefile.WriteDivisions writes it.
func tableCSV(tb testing.TB, t *hecha.DivisionTable) string {
	tb.Helper()
	var b bytes.Buffer
	if err := codefile.WriteDivisions(&b, t); err != nil {
		tb.Fatal(err)
	}
	return b.String()
}

func mustDivisions(tb testing.TB, db *store.TownshipDB) *hecha.DivisionTable {
	tb.Helper()
	t, err := db.Divisions(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

// historicCSV covers province 41: it lists 中原区 and an abolished
// county, and not the development zone 410171.
const historicCSV = "code,name,valid_from_year,valid_to_year\n410000,河南省,,\n410100,郑州市,,\n410102,中原区,,\n410199,旧县,1983,1990\n"

func TestDivisions(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	if got := mustDivisions(t, db); got.Len() != 0 {
		t.Fatalf("a new database has %d divisions", got.Len())
	}
	MustCode(t, db.SaveDivisions(ctx, nil), hecha.EINVALID)

	table := Rules(t).Divisions
	if err := table.Add(hecha.Division{Code: "410171", Name: "郑州经济技术开发区"}); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveDivisions(ctx, table); err != nil {
		t.Fatal(err)
	}
	got := mustDivisions(t, db)
	if tableCSV(t, got) != tableCSV(t, table) {
		t.Errorf("stored table reads back as\n%s\nwant\n%s", tableCSV(t, got), tableCSV(t, table))
	}
	// Without a historic list, any code of a province in the table passes.
	if err := got.CheckIDArea("id", "410171"); err != nil {
		t.Errorf("410171 without the historic list: %v", err)
	}

	// A historic list with a bad row is refused and stores nothing.
	err := db.SaveHistoricDivisions(ctx, []byte(historicCSV+"4101XX,坏,,\n"))
	MustCode(t, err, hecha.EINVALID)
	if err := mustDivisions(t, db).CheckIDArea("id", "410171"); err != nil {
		t.Errorf("a refused list changed the table: %v", err)
	}
	if err := db.SaveHistoricDivisions(ctx, []byte(historicCSV)); err != nil {
		t.Fatal(err)
	}
	got = mustDivisions(t, db)
	if err := got.CheckIDArea("id", "410199"); err != nil {
		t.Errorf("abolished county with the historic list: %v", err)
	}
	if err := got.CheckIDArea("id", "410171"); hecha.ErrorCode(err) != hecha.EINVALID {
		t.Errorf("development zone with the historic list: %v", err)
	}
	if tableCSV(t, got) != tableCSV(t, table) {
		t.Error("the historic list changed the divisions")
	}

	// A new table replaces the old; an empty list removes the historic one.
	small := hecha.NewDivisionTable()
	if err := small.Add(hecha.Division{Code: "41", Name: "河南省"}); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveDivisions(ctx, small); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveHistoricDivisions(ctx, nil); err != nil {
		t.Fatal(err)
	}
	got = mustDivisions(t, db)
	if got.Len() != 1 || got.CheckIDArea("id", "410199") != nil {
		t.Errorf("after replacing: %d divisions, 410199 %v", got.Len(), got.CheckIDArea("id", "410199"))
	}
}

// TestWithStoredDivisions: a county database opened without a table of
// its own validates against the stored one.
func TestWithStoredDivisions(t *testing.T) {
	ctx := context.Background()
	loc := countytest.New(t)
	o := countytest.Options{Now: Clock, StoredDivisions: true}
	db := countytest.OpenAt(t, loc, o)
	if db.Rules().Divisions == nil || db.Rules().Divisions.Len() != 0 {
		t.Fatalf("rules of a database without a table: %v", db.Rules().Divisions)
	}
	MustCode(t, db.SetCounty(ctx, testCounty), hecha.ENOTFOUND)
	if err := db.SaveDivisions(ctx, testDivisions(t)); err != nil {
		t.Fatal(err)
	}
	MustCloseDB(t, db)

	db = countytest.OpenAt(t, loc, o)
	if err := db.SetCounty(ctx, testCounty); err != nil {
		t.Fatalf("set county against the stored table: %v", err)
	}
	mustImport(t, db, testCase("C1", 1, townA))
	mustAssign(t, db, townA, "C1")
	MustCloseDB(t, db)
}

// TestDivisions_Damaged: a stored table that does not read back is an
// EUNAVAILABLE error naming the file, from Divisions and from Open with
// WithStoredDivisions, which leaves the file free to open again.
func TestDivisions_Damaged(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "town.db")
	db := MustOpenDBAt(t, path)
	if err := db.SaveDivisions(ctx, Rules(t).Divisions); err != nil {
		t.Fatal(err)
	}
	MustCloseDB(t, db)
	withBolt(t, path, func(tx *bbolt.Tx) error {
		b := tx.Bucket([]byte("divisions"))
		v := bytes.Clone(b.Get([]byte("table")))
		v[len(v)-5] ^= 0xff // the gzip trailer's checksum
		return b.Put([]byte("table"), v)
	})
	db = MustOpenDBAt(t, path)
	_, err := db.Divisions(ctx)
	MustCode(t, err, hecha.EUNAVAILABLE)
	if !strings.Contains(hecha.ErrorMessage(err, hecha.English), path) {
		t.Errorf("message %q does not name the file", hecha.ErrorMessage(err, hecha.English))
	}
	MustCloseDB(t, db)
	_, err = store.OpenTownship(path, store.WithStoredDivisions(), store.WithNoSync(), store.WithNow(Clock))
	MustCode(t, err, hecha.EUNAVAILABLE)
	MustCloseDB(t, MustOpenDBAt(t, path))
}

// TestDivisions_RealTable stores a real table and the historic list: the
// repository's extract (testdata/regions) in every clone, and the whole
// real table (the country to county level, Henan to village), which needs
// ../shared/data.
func TestDivisions_RealTable(t *testing.T) {
	t.Run("extract", func(t *testing.T) { testRealTable(t, filepath.Join("..", "testdata", "regions")) })
	t.Run("real", func(t *testing.T) { testRealTable(t, testenv.SharedData(t, "regions")) })
}

func testRealTable(t *testing.T, dir string) {
	ctx := context.Background()
	table, err := sheet.LoadDivisionDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	historic, err := os.ReadFile(filepath.Join(dir, "henan_gbt2260_historic.csv"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "town.db")
	db := MustOpenDBAt(t, path)
	if err := db.SaveDivisions(ctx, table); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveHistoricDivisions(ctx, historic); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	got := mustDivisions(t, db)
	t.Logf("%d divisions read back in %v", got.Len(), time.Since(start).Round(time.Millisecond))
	if got.Len() != table.Len() || tableCSV(t, got) != tableCSV(t, table) {
		t.Errorf("real table: %d divisions read back, want %d", got.Len(), table.Len())
	}
	for _, area := range []hecha.Code{"410102", "410171", "410199", "410122"} {
		if (got.CheckIDArea("id", area) == nil) != (table.CheckIDArea("id", area) == nil) {
			t.Errorf("CheckIDArea(%s) differs after the round trip", area)
		}
	}
}
