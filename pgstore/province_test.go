package pgstore_test

import (
	"context"
	"testing"

	"hecha"
	"hecha/pgstore"
)

// TestProvince: two counties in one database, each written through a
// store scoped to it; a store scoped to none serves both and reports on
// the province. Nothing crosses from one county to the other: cases,
// tokens, results, registries.
func TestProvince(t *testing.T) {
	dsn := MustMigrated(t)
	c := &clock{t: Now}
	ctx := context.Background()
	a := MustOpen(t, dsn, testCounty, c)
	b := MustOpen(t, dsn, otherCounty, c)
	if err := a.SetCounty(ctx, testCounty); err != nil {
		t.Fatal(err)
	}
	if err := b.SetCounty(ctx, otherCounty); err != nil {
		t.Fatal(err)
	}
	if err := a.SetCounty(ctx, otherCounty); hecha.ErrorCode(err) != hecha.EINVALID {
		t.Errorf("setting a scoped store to another county: %v", err)
	}
	// The same case id in both counties.
	ca, cb := scenarioCase(1), scenarioCase(1)
	ca.Person.HouseholdDivision, cb.Person.HouseholdDivision = townA, otherTown
	if _, err := a.ImportCases(ctx, []hecha.Case{ca}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.ImportCases(ctx, []hecha.Case{cb}); err != nil {
		t.Fatal(err)
	}
	for _, s := range []*pgstore.Store{a, b} {
		if n, err := s.AutoAssign(ctx, "王主任"); err != nil || n != 1 {
			t.Fatalf("auto assign: %d, %v", n, err)
		}
	}
	if err := a.Assign(ctx, []string{ca.ID}, otherTown, "王主任"); hecha.ErrorCode(err) != hecha.EINVALID {
		t.Errorf("assigning to another county's township: %v", err)
	}
	tokA, _, err := a.CreateToken(ctx, townA)
	if err != nil {
		t.Fatal(err)
	}
	tokB, _, err := b.CreateToken(ctx, otherTown)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.CreateToken(ctx, otherTown); hecha.ErrorCode(err) != hecha.EINVALID {
		t.Errorf("a token for another county's township: %v", err)
	}
	// A scoped store knows only its county's tokens; the province's knows
	// both, each for its own township.
	if _, err := a.Authenticate(ctx, tokB); hecha.ErrorCode(err) != hecha.EUNAUTHORIZED {
		t.Errorf("county A authenticated county B's token: %v", err)
	}
	prov := MustOpen(t, dsn, "", c)
	if got, _ := prov.County(ctx); got != "" {
		t.Errorf("a database of two counties opened scoped to %s", got)
	}
	for tok, want := range map[string]hecha.Code{tokA: townA, tokB: otherTown} {
		if town, err := prov.Authenticate(ctx, tok); err != nil || town != want {
			t.Errorf("province authenticates %s as %s, %v", want, town, err)
		}
	}
	if ts, err := a.Tokens(ctx); err != nil || len(ts) != 1 || ts[0].Township != townA {
		t.Errorf("county A's tokens: %+v, %v", ts, err)
	}
	// Each township pulls its own county's case.
	for town, county := range map[hecha.Code]hecha.Code{townA: testCounty, otherTown: otherCounty} {
		cases, _, err := prov.CasesSince(ctx, town, 0, 0)
		if err != nil || len(cases) != 1 || !cases[0].Unit.Within(county) {
			t.Errorf("township %s pulled %+v, %v", town, cases, err)
		}
	}
	// A result from county B's township lands on its own case only.
	cbs, _, _ := prov.CasesSince(ctx, otherTown, 0, 0)
	r := hecha.Result{ID: hecha.NewResultID(Now), CaseID: cb.ID, Form: hecha.FormR1, CaseRev: cbs[0].Rev, SavedAt: Now,
		NotFound: &hecha.NotFound{Reason: hecha.NotFoundDied}}
	out, err := prov.ApplyResults(ctx, otherTown, []hecha.Result{r})
	if err != nil || out[0].Status != hecha.ResultAccepted {
		t.Fatalf("apply: %+v, %v", out, err)
	}
	if _, err := a.ApplyResults(ctx, otherTown, []hecha.Result{r}); hecha.ErrorCode(err) != hecha.EINVALID {
		t.Errorf("county A applied county B's township's results: %v", err)
	}
	if rs, _ := a.ResultsOf(ctx, ca.ID); len(rs) != 0 {
		t.Errorf("county A's case got %d results", len(rs))
	}
	if rs, _ := b.ResultsOf(ctx, cb.ID); len(rs) != 1 {
		t.Errorf("county B's case got %d results", len(rs))
	}
	// The province's report covers both counties; a county's its own.
	count := func(s *pgstore.Store, unit hecha.Code) (cases, done int) {
		err := s.CaseResults(ctx, hecha.CaseFilter{Unit: unit}, func(c *hecha.Case, r *hecha.Result) error {
			cases++
			if r != nil {
				done++
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return cases, done
	}
	if n, d := count(prov, "41"); n != 2 || d != 1 {
		t.Errorf("province report: %d cases, %d done; want 2, 1", n, d)
	}
	if n, d := count(a, "41"); n != 1 || d != 0 {
		t.Errorf("county A's report: %d cases, %d done; want 1, 0", n, d)
	}
	if n, _ := count(prov, otherCounty); n != 1 {
		t.Errorf("report of county B from the province: %d cases", n)
	}
	// The province's store imports a case into its household's county.
	cn := scenarioCase(2)
	cn.Person.HouseholdDivision = otherTown
	if st, err := prov.ImportCases(ctx, []hecha.Case{cn}); err != nil || st.Added != 1 {
		t.Fatalf("import on the province's store: %+v, %v", st, err)
	}
	if _, err := b.Case(ctx, cn.ID); err != nil {
		t.Errorf("county B does not hold the case the province imported: %v", err)
	}
	if _, err := a.Case(ctx, cn.ID); hecha.ErrorCode(err) != hecha.ENOTFOUND {
		t.Errorf("county A holds county B's case: %v", err)
	}
}
