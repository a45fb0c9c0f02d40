package cli_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hecha"
	"hecha/cmd/internal/cli"
	"hecha/store"
)

const (
	migrateRegions = "code,name,parent_code,level\n410000,河南省,,province\n410100,郑州市,410000,city\n410102,中原区,410100,county\n410102001,林山寨街道,410102,township\n"
	migrateHistory = "code,name,valid_from_year,valid_to_year\n410102,中原区,,\n410199,旧县,1983,1990\n"
)

func openMigrateDB(t *testing.T, path string) *store.CountyDB {
	t.Helper()
	db, err := store.OpenCounty(path, store.WithStoredDivisions(), store.WithNoSync(),
		store.WithNow(func() time.Time { return time.Date(2024, 6, 1, 9, 30, 0, 0, time.UTC) }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestMigrateRegions(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "county.db")
	db := openMigrateDB(t, path)

	// Nothing beside the database: nothing to do.
	moved, table, err := cli.MigrateRegions(ctx, db.DB)
	if err != nil || moved != nil || table != nil {
		t.Fatalf("without files: %v, %v, %v", moved, table, err)
	}

	// The database holds a table already (a code the files lack) and
	// names a source, which the files' content clears.
	stored := hecha.NewDivisionTable()
	if err := stored.Add(hecha.Division{Code: "440103", Name: "荔湾区"}); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveDivisions(ctx, stored); err != nil {
		t.Fatal(err)
	}
	if err := db.SetDivisionsSource(ctx, "v1"); err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string]string{cli.RegionsPath(path): migrateRegions, cli.HistoricPath(path): migrateHistory} {
		if err := os.WriteFile(name, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	moved, table, err = cli.MigrateRegions(ctx, db.DB)
	if err != nil {
		t.Fatal(err)
	}
	if len(moved) != 2 || table.Len() != 5 {
		t.Fatalf("moved %v, table of %d", moved, table.Len())
	}
	for _, f := range moved {
		if _, err := os.Stat(f); !os.IsNotExist(err) {
			t.Errorf("%s is still there: %v", f, err)
		}
		if _, err := os.Stat(f + cli.ImportedSuffix); err != nil {
			t.Errorf("%s was not renamed: %v", f, err)
		}
	}
	if db.Rules().Divisions != table {
		t.Error("the database's rules do not use the moved table")
	}
	got, err := db.Divisions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []hecha.Code{"440103", "410102001"} {
		if _, ok := got.Lookup(c); !ok {
			t.Errorf("the stored table lacks %s", c)
		}
	}
	if err := got.CheckIDArea("id", "410199"); err != nil {
		t.Errorf("the historic list was not stored: %v", err)
	}
	if src, _ := db.DivisionsSource(ctx); src != "" {
		t.Errorf("source after moving files in = %q", src)
	}

	// Once only.
	moved, _, err = cli.MigrateRegions(ctx, db.DB)
	if err != nil || moved != nil {
		t.Fatalf("second time: %v, %v", moved, err)
	}
}

// TestMigrateRegions_Damaged: a damaged file stores nothing and stays.
func TestMigrateRegions_Damaged(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "county.db")
	db := openMigrateDB(t, path)
	if err := os.WriteFile(cli.RegionsPath(path), []byte(migrateRegions), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cli.HistoricPath(path), []byte(migrateHistory+"41XX,坏,,\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, err := cli.MigrateRegions(ctx, db.DB)
	if hecha.ErrorCode(err) != hecha.EUNAVAILABLE || !strings.Contains(hecha.ErrorMessage(err, hecha.English), cli.HistoricPath(path)) {
		t.Fatalf("damaged historic file: %v", err)
	}
	if v, _ := db.DivisionsVersion(ctx); v != "" {
		t.Error("a table was stored")
	}
	if _, err := os.Stat(cli.RegionsPath(path)); err != nil {
		t.Errorf("the table file was moved: %v", err)
	}
}
