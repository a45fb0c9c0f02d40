package main

import (
	"context"
	"os"
	"strings"
	"testing"

	"hecha"
	"hecha/cmd/internal/cli"
	"hecha/internal/countytest"
)

// storedDivisions returns the division table stored in the county
// database at path.
func storedDivisions(t *testing.T, path string) *hecha.DivisionTable {
	t.Helper()
	var table *hecha.DivisionTable
	withDB(t, path, countytest.Options{}, func(db hecha.CountyStore) {
		var err error
		if table, err = db.Divisions(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
	return table
}

// historicFixture lists 中原区 and an abolished county; its fourth line
// is bad.
const historicFixture = "code,name,valid_from_year,valid_to_year\n410102,中原区,,\n410199,旧县,1983,1990\n4101XX,坏,,\n"

func TestImportHistoric(t *testing.T) {
	f := newFixture(t)
	db := countytest.New(t)
	wantCode(t, run(t, db, "import", "regions", f.regions), 0)
	hist := f.write(t, "historic.csv", historicFixture)

	r := run(t, db, "import", "regions", hist)
	wantCode(t, r, cli.ExitFailure)
	if !strings.Contains(r.stdout, "historic county codes: added 2, changed 0, unchanged 0, rejected 1") || !strings.Contains(r.stderr, "line 4") {
		t.Fatalf("first import:\nstdout %s\nstderr %s", r.stdout, r.stderr)
	}
	if _, err := os.Stat(cli.HistoricPath(db)); !os.IsNotExist(err) {
		t.Errorf("a historic file beside the database: %v", err)
	}
	table := storedDivisions(t, db)
	if err := table.CheckIDArea("id", "410199"); err != nil {
		t.Errorf("the abolished county is not stored: %v", err)
	}
	if table.Len() != 12 {
		t.Errorf("the historic list changed the table: %d divisions", table.Len())
	}

	// The good rows again: unchanged.
	r = run(t, db, "import", "regions", f.write(t, "good.csv", strings.TrimSuffix(historicFixture, "4101XX,坏,,\n")))
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "unchanged 2") {
		t.Errorf("second import: %s", r.stdout)
	}
}

// TestMigrateSideFiles: a database an earlier version used, with its
// division files beside it, takes them in on the first command and keeps
// them as FILE.imported.
func TestMigrateSideFiles(t *testing.T) {
	countytest.Only(t, "bbolt", "the division files lay beside the county's file")
	f := newFixture(t)
	db := loadedCounty(t, f)
	table := storedDivisions(t, db)

	// Make it as an earlier version left it: no table inside, files beside.
	withDB(t, db, countytest.Options{}, func(s hecha.CountyStore) {
		if err := s.SaveDivisions(context.Background(), hecha.NewDivisionTable()); err != nil {
			t.Fatal(err)
		}
	})
	if err := table.Add(hecha.Division{Code: "410102003", Name: "迁入街道"}); err != nil {
		t.Fatal(err)
	}
	if err := cli.SaveRegions(db, table); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cli.HistoricPath(db), []byte(strings.TrimSuffix(historicFixture, "4101XX,坏,,\n")), 0o600); err != nil {
		t.Fatal(err)
	}

	r := run(t, db, "token", "create", "--township", "410102003")
	wantCode(t, r, 0)
	for _, want := range []string{"moved the division file " + cli.RegionsPath(db), "moved the division file " + cli.HistoricPath(db), "迁入街道"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	for _, p := range []string{cli.RegionsPath(db), cli.HistoricPath(db)} {
		if _, err := os.Stat(p + cli.ImportedSuffix); err != nil {
			t.Errorf("%s was not kept as .imported: %v", p, err)
		}
	}
	got := storedDivisions(t, db)
	if _, ok := got.Lookup("410102003"); !ok || got.Len() != table.Len() {
		t.Errorf("the database holds %d divisions, want %d with 410102003", got.Len(), table.Len())
	}
	if err := got.CheckIDArea("id", "410199"); err != nil {
		t.Errorf("the historic list was not moved in: %v", err)
	}

	// Once only: the next command says nothing of it.
	r = run(t, db, "token", "list")
	wantCode(t, r, 0)
	if strings.Contains(r.stderr, "moved") {
		t.Errorf("moved again:\n%s", r.stderr)
	}
}
