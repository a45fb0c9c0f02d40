package pgstore_test

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"hecha"
	"hecha/pgstore"
)

// TestCasesByUnit_UsesTheUnitIndex: the cases of a unit (hecha-county
// cases --unit, a report's unit) are found through the unit index, not by
// reading every case of the database; with only a prefix test on the unit
// the planner could not use it, and a province's operator waited seconds
// for a township's thousand cases. The answer is still exactly the unit's
// cases, for a township, a county and a village (cases not distributed
// yet have no unit).
func TestCasesByUnit_UsesTheUnitIndex(t *testing.T) {
	dsn := MustMigrated(t)
	ctx := context.Background()
	s := MustOpen(t, dsn, testCounty, &clock{t: Now})
	if err := s.SetCounty(ctx, testCounty); err != nil {
		t.Fatal(err)
	}
	var cases []hecha.Case
	for i := range 400 {
		c := scenarioCase(i)
		c.Person.HouseholdDivision = townA
		cases = append(cases, c)
	}
	if _, err := s.ImportCases(ctx, cases); err != nil {
		t.Fatal(err)
	}
	if err := s.Assign(ctx, []string{cases[0].ID, cases[1].ID}, townA, "王主任"); err != nil {
		t.Fatal(err)
	}
	if err := s.Assign(ctx, []string{cases[2].ID}, villageA, "王主任"); err != nil {
		t.Fatal(err)
	}
	for _, unit := range []hecha.Code{townA, testCounty} {
		plan := pgstore.ExplainCases(t, s, hecha.CaseFilter{Unit: unit})
		if !strings.Contains(plan, "hecha_cases_unit") || !strings.Contains(plan, "unit >=") {
			t.Errorf("Cases(unit %s) does not search the unit index:\n%s", unit, plan)
		}
	}
	for unit, want := range map[hecha.Code][]string{
		townA:      {cases[0].ID, cases[1].ID, cases[2].ID},
		villageA:   {cases[2].ID},
		testCounty: {cases[0].ID, cases[1].ID, cases[2].ID},
	} {
		got, err := s.Cases(ctx, hecha.CaseFilter{Unit: unit})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, c := range got {
			ids = append(ids, c.ID)
		}
		if strings.Join(ids, " ") != strings.Join(want, " ") {
			t.Errorf("Cases(unit %s) = %v, want %v", unit, ids, want)
		}
	}
}

// TestApplyResults_CaseRewritesStayOnTheirPages: a township's batch
// rewrites every case it has a result for, and the cases of a township lie
// together on the same pages. Each new version must stay on its page (a
// HOT update, which touches no index): the migrated table leaves three
// fifths of each page free (0004), room for the rows as assignment grew
// them. With a quarter free (0003) most of a full batch's cases moved to
// other pages, each with new entries in both indexes; with half free, a
// sixth of them.
//
// The versions assignment left behind are reclaimed first, by VACUUM, as
// autovacuum does: a page is pruned as it is rewritten only when no
// transaction of the whole cluster is older than the versions to
// reclaim, and with the other packages' tests writing in databases of
// their own, one often is (a transaction left open in another database
// made 162 of 200 move).
func TestApplyResults_CaseRewritesStayOnTheirPages(t *testing.T) {
	const n = 200 // a township's batch (sync.DefaultBatchSize)
	s, conn, _ := assignedTownship(t, n)
	if _, err := conn.Exec(context.Background(), `VACUUM hecha_cases`); err != nil {
		t.Fatal(err)
	}
	// The page of each case's current version.
	pages := func() map[string]string {
		return caseColumn(t, conn, `split_part(trim(ctid::text, '()'), ',', 1)`)
	}
	before := pages()
	applyAccepted(t, s, notFoundBatch(t, s, n))
	moved := 0
	for id, page := range pages() {
		if before[id] != page {
			moved++
		}
	}
	if moved > 0 {
		t.Errorf("%d of %d cases moved to another page when their results were applied, want 0 (fillfactor)", moved, n)
	}
}

// TestMigrate_CasesLeaveRoomForUpdates: the migrated cases table leaves
// three fifths of each page free (0004; 0003 left a quarter).
func TestMigrate_CasesLeaveRoomForUpdates(t *testing.T) {
	dsn := MustMigrated(t)
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var opts []string
	if err := conn.QueryRow(context.Background(),
		`SELECT coalesce(reloptions, '{}') FROM pg_class WHERE relname = 'hecha_cases'`).Scan(&opts); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(opts, ","), "fillfactor=40") {
		t.Errorf("hecha_cases options %v, want fillfactor=40", opts)
	}
}
