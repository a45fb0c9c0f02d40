package store_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"hecha"
	"hecha/codefile"
	"hecha/internal/testenv"
	"hecha/sheet"
	"hecha/store"
)

// versionHistoric is a historic county list for the version tests.
const versionHistoric = "code,name,valid_from_year,valid_to_year\n410102,中原区,,\n410199,旧县,1983,1990\n"

func mustVersion(tb testing.TB, db *store.TownshipDB) string {
	tb.Helper()
	v, err := db.DivisionsVersion(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

func mustSource(tb testing.TB, db *store.TownshipDB) string {
	tb.Helper()
	v, err := db.DivisionsSource(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

func csvOf(tb testing.TB, t *hecha.DivisionTable) []byte {
	tb.Helper()
	var b bytes.Buffer
	if err := codefile.WriteDivisions(&b, t); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

func TestDivisionsVersion(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	if v := mustVersion(t, db); v != "" {
		t.Fatalf("version without a table: %q", v)
	}
	tb, hist, v, err := db.DivisionsCSV(ctx)
	if err != nil || tb != nil || hist != nil || v != "" {
		t.Fatalf("DivisionsCSV without a table: %q, %q, %q, %v", tb, hist, v, err)
	}

	table := Rules(t).Divisions
	if err := db.SaveDivisions(ctx, table); err != nil {
		t.Fatal(err)
	}
	v1 := mustVersion(t, db)
	if len(v1) != 64 {
		t.Fatalf("version %q is not a hex SHA-256", v1)
	}
	// The same table saved again keeps its version; another database
	// holding the same has the same.
	if err := db.SaveDivisions(ctx, table); err != nil {
		t.Fatal(err)
	}
	if v := mustVersion(t, db); v != v1 {
		t.Errorf("saving the same table changed the version: %s → %s", v1, v)
	}
	other := MustOpenDB(t)
	if err := other.SaveDivisions(ctx, table); err != nil {
		t.Fatal(err)
	}
	if v := mustVersion(t, other); v != v1 {
		t.Errorf("the same table has version %s in one database and %s in another", v1, v)
	}

	// The historic list is part of the version.
	if err := db.SaveHistoricDivisions(ctx, []byte(versionHistoric)); err != nil {
		t.Fatal(err)
	}
	v2 := mustVersion(t, db)
	if v2 == v1 || v2 == "" {
		t.Errorf("the historic list did not change the version (%s)", v2)
	}
	tb, hist, v, err = db.DivisionsCSV(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v != v2 || !bytes.Equal(tb, csvOf(t, table)) || string(hist) != versionHistoric {
		t.Errorf("DivisionsCSV = version %s, table\n%s\nhistoric\n%s", v, tb, hist)
	}

	// A renamed division changes it.
	renamed := Rules(t).Divisions
	if err := renamed.Add(hecha.Division{Code: "410102", Name: "中原区（新）"}); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveDivisions(ctx, renamed); err != nil {
		t.Fatal(err)
	}
	if v := mustVersion(t, db); v == v2 {
		t.Error("a renamed division kept the version")
	}
}

// TestDivisionsCSV_Damaged: stored bytes that do not decompress are an
// EUNAVAILABLE error naming the file.
func TestDivisionsCSV_Damaged(t *testing.T) {
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
		v[len(v)-5] ^= 0xff
		return b.Put([]byte("table"), v)
	})
	db = MustOpenDBAt(t, path)
	_, _, _, err := db.DivisionsCSV(ctx)
	MustCode(t, err, hecha.EUNAVAILABLE)
	if !strings.Contains(hecha.ErrorMessage(err, hecha.English), path) {
		t.Errorf("message %q does not name the file", hecha.ErrorMessage(err, hecha.English))
	}
}

func TestApplyCountyDivisions(t *testing.T) {
	ctx := context.Background()
	rules := Rules(t)
	live := rules.Divisions
	db := MustOpenDB(t, store.WithRules(rules))
	if db.Rules().Divisions != live {
		t.Fatal("the database does not share the rules' table")
	}

	MustCode(t, db.ApplyCountyDivisions(ctx, nil, nil, "v1"), hecha.EINVALID)
	county := Rules(t).Divisions
	for _, d := range []hecha.Division{
		{Code: "410102003", Name: "新街道"},       // new
		{Code: "410102002", Name: "建设路街道（改）"},  // renamed
		{Code: "410102003001", Name: "新社区居委会"}, // new, below the new one
	} {
		if err := county.Add(d); err != nil {
			t.Fatal(err)
		}
	}
	// A bad historic list changes nothing.
	err := db.ApplyCountyDivisions(ctx, county, []byte(versionHistoric+"41XX,坏,,\n"), "v1")
	MustCode(t, err, hecha.EINVALID)
	if mustSource(t, db) != "" || mustVersion(t, db) != "" {
		t.Fatal("a refused table was stored")
	}

	if err := db.ApplyCountyDivisions(ctx, county, []byte(versionHistoric), "v1"); err != nil {
		t.Fatal(err)
	}
	if got := mustSource(t, db); got != "v1" {
		t.Errorf("source = %q, want v1", got)
	}
	stored, err := db.Divisions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(csvOf(t, stored), csvOf(t, county)) {
		t.Errorf("stored table\n%s\nwant\n%s", csvOf(t, stored), csvOf(t, county))
	}
	if err := stored.CheckIDArea("id", "410199"); err != nil {
		t.Errorf("the stored historic list: %v", err)
	}

	// The open database's table, shared with rules, took the changes.
	if db.Rules().Divisions != live {
		t.Fatal("the open database's table was replaced, not updated")
	}
	for code, name := range map[hecha.Code]string{"410102003": "新街道", "410102002": "建设路街道（改）", "410102003001": "新社区居委会"} {
		if d, ok := live.Lookup(code); !ok || d.Name != name {
			t.Errorf("live %s = %+v, %v; want %s", code, d, ok, name)
		}
	}
	if err := live.CheckIDArea("id", "410199"); err != nil {
		t.Errorf("the live table lacks the historic list: %v", err)
	}
	// Validation through the store uses it at once.
	if err := live.Check("unit", "410102003001", hecha.LevelVillage); err != nil {
		t.Errorf("a new village is refused: %v", err)
	}

	// A table from elsewhere clears the source.
	if err := db.SetDivisionsSource(ctx, ""); err != nil {
		t.Fatal(err)
	}
	if got := mustSource(t, db); got != "" {
		t.Errorf("source after clearing = %q", got)
	}
}

// TestApplyCountyDivisions_NoLiveTable: a database opened without a table
// stores the county's and keeps checking codes by their form only until
// it is opened again.
func TestApplyCountyDivisions_NoLiveTable(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "town.db")
	db := MustOpenDBAt(t, path)
	if err := db.ApplyCountyDivisions(ctx, Rules(t).Divisions, nil, "v9"); err != nil {
		t.Fatal(err)
	}
	if db.Rules().Divisions != nil {
		t.Error("the rules got a table while open")
	}
	MustCloseDB(t, db)
	db = MustOpenDBAt(t, path, store.WithStoredDivisions())
	if got := db.Rules().Divisions.Len(); got != Rules(t).Divisions.Len() {
		t.Errorf("reopened with %d divisions", got)
	}
	if got := mustSource(t, db); got != "v9" {
		t.Errorf("source = %q", got)
	}
}

// BenchmarkDivisionsVersion measures the version check every sync round's
// GET /api/v1/divisions makes against the obvious alternative, reading the
// whole table back and hashing it, on the real table (the country to
// county level, Henan to village); it reports how many times cheaper the
// check is.
func BenchmarkDivisionsVersion(b *testing.B) {
	table, err := sheet.LoadDivisionDir(testenv.SharedData(b, "regions"))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	db := MustOpenDB(b)
	if err := db.SaveDivisions(ctx, table); err != nil {
		b.Fatal(err)
	}
	var check, whole time.Duration
	for b.Loop() {
		start := time.Now()
		if _, err := db.DivisionsVersion(ctx); err != nil {
			b.Fatal(err)
		}
		check += time.Since(start)
		start = time.Now()
		t, h, _, err := db.DivisionsCSV(ctx)
		if err != nil {
			b.Fatal(err)
		}
		sum := sha256.New()
		sum.Write(t)
		sum.Write(h)
		sum.Sum(nil)
		whole += time.Since(start)
	}
	b.ReportMetric(float64(check.Nanoseconds())/float64(b.N), "ns/check")
	b.ReportMetric(float64(whole.Nanoseconds())/float64(b.N), "ns/read+hash")
	b.ReportMetric(float64(whole)/float64(max(check, 1)), "x-cheaper")
}
