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

// TestMigrate_CasesLeaveRoomForUpdates: the migrated cases table leaves a
// quarter of each page free, so that applying a result rewrites a case
// beside its old version without touching the indexes (0003).
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
	if !strings.Contains(strings.Join(opts, ","), "fillfactor=75") {
		t.Errorf("hecha_cases options %v, want fillfactor=75", opts)
	}
}
