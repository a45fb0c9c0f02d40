package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hecha"
	"hecha/cmd/internal/cli"
)

// historicCSV lists 中原区 and an abolished county of 郑州.
const historicCSV = "code,name,valid_from_year,valid_to_year\n410102,中原区,,\n410199,旧县,1983,1990\n"

// storeDivisions stores the county's division table and historic list in
// its database, as "hecha-county import regions" does.
func (c *county) storeDivisions(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	if err := c.db.SaveDivisions(ctx, c.rules.Divisions); err != nil {
		t.Fatal(err)
	}
	if err := c.db.SaveHistoricDivisions(ctx, []byte(historicCSV)); err != nil {
		t.Fatal(err)
	}
}

func wantLines(t *testing.T, r result, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(r.stdout+r.stderr, w) {
			t.Errorf("output lacks %q:\nstdout:\n%s\nstderr:\n%s", w, r.stdout, r.stderr)
		}
	}
}

// TestSetupTakesDivisions: setup without --regions takes the county's
// table at once; sync takes it again only when the county's changes.
func TestSetupTakesDivisions(t *testing.T) {
	ctx := context.Background()
	c := newCounty(t)
	c.storeDivisions(t)
	db := filepath.Join(t.TempDir(), "township.db")

	r := run(t, db, "setup", "--server", c.srv.URL, "--fingerprint", c.fp, "--token", c.token)
	wantCode(t, r, 0)
	wantLines(t, r, "took the county's division table (8 codes)", "410102001 河南省/郑州市/中原区/林山寨街道")
	tdb := openTownship(t, db)
	table, err := tdb.Divisions(ctx)
	if err != nil || table.Len() != 8 || table.CheckIDArea("id", "410199") != nil {
		t.Fatalf("the township's table: %v, %v", table, err)
	}
	version, _ := c.db.DivisionsVersion(ctx)
	if src, _ := tdb.DivisionsSource(ctx); src != version {
		t.Errorf("source %q, county version %q", src, version)
	}
	tdb.Close()

	// Unchanged: the round does not take it again.
	r = run(t, db, "sync")
	wantCode(t, r, 0)
	if strings.Contains(r.stdout, "division table") {
		t.Errorf("the unchanged table was taken again:\n%s", r.stdout)
	}

	// Setup again: it says the table is current.
	r = run(t, db, "setup", "--server", c.srv.URL, "--fingerprint", c.fp, "--token", c.token)
	wantCode(t, r, 0)
	wantLines(t, r, "the division table is the county's current one (8 codes)")

	// Changed on the county: the next round takes it.
	if err := c.rules.Divisions.Add(hecha.Division{Code: "410102003", Name: "新设街道"}); err != nil {
		t.Fatal(err)
	}
	c.storeDivisions(t)
	r = run(t, db, "sync")
	wantCode(t, r, 0)
	wantLines(t, r, "took the county's division table (9 codes)")
	tdb = openTownship(t, db)
	if table, _ := tdb.Divisions(ctx); table.Len() != 9 {
		t.Errorf("after the change the township holds %d divisions", table.Len())
	}
}

// TestSetupWithoutCountyDivisions: a county without a table leaves the
// township without one, and says so; --regions brings one from a file,
// marked as not the county's.
func TestSetupWithoutCountyDivisions(t *testing.T) {
	c := newCounty(t)
	db := filepath.Join(t.TempDir(), "township.db")
	r := run(t, db, "setup", "--server", c.srv.URL, "--fingerprint", c.fp, "--token", c.token)
	wantCode(t, r, 0)
	wantLines(t, r, "has no division table yet", "410102001 (no division table, name unknown)")

	r = run(t, db, "setup", "--server", c.srv.URL, "--fingerprint", c.fp, "--token", c.token, "--regions", c.region)
	wantCode(t, r, 0)
	wantLines(t, r, "imported 8 division codes", "410102001 河南省/郑州市/中原区/林山寨街道")
	tdb := openTownship(t, db)
	if src, _ := tdb.DivisionsSource(context.Background()); src != "" {
		t.Errorf("a file's table is marked as the county's: %q", src)
	}
	tdb.Close()

	// Once the county has one, the next round takes it over the file's.
	c.storeDivisions(t)
	r = run(t, db, "sync")
	wantCode(t, r, 0)
	wantLines(t, r, "took the county's division table (8 codes)")
}

// TestMigrateTownshipSideFiles: a terminal an earlier version set up,
// with its division files beside the database, moves them in on the
// first command and keeps them as FILE.imported.
func TestMigrateTownshipSideFiles(t *testing.T) {
	c := newCounty(t)
	db := filepath.Join(t.TempDir(), "township.db")
	wantCode(t, run(t, db, "setup", "--server", c.srv.URL, "--fingerprint", c.fp, "--token", c.token), 0)
	if err := cli.SaveRegions(db, c.rules.Divisions); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cli.HistoricPath(db), []byte(historicCSV), 0o600); err != nil {
		t.Fatal(err)
	}

	r := run(t, db, "sync")
	wantCode(t, r, 0)
	wantLines(t, r, "moved the division file "+cli.RegionsPath(db), "moved the division file "+cli.HistoricPath(db), "pulled 2 cases")
	for _, p := range []string{cli.RegionsPath(db), cli.HistoricPath(db)} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s is still there: %v", p, err)
		}
		if _, err := os.Stat(p + cli.ImportedSuffix); err != nil {
			t.Errorf("%s was not kept: %v", p+cli.ImportedSuffix, err)
		}
	}
	tdb := openTownship(t, db)
	table, err := tdb.Divisions(context.Background())
	if err != nil || table.Len() != 8 || table.CheckIDArea("id", "410199") != nil {
		t.Errorf("the moved table: %v, %v", table, err)
	}
	tdb.Close()

	r = run(t, db, "sync")
	wantCode(t, r, 0)
	if strings.Contains(r.stderr, "moved") {
		t.Errorf("moved twice:\n%s", r.stderr)
	}
}
