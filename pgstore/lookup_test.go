package pgstore_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"hecha"
)

// TestProvinceCaseByID: a case id is unique within its county only. A
// store scoped to no county finds an id held by one county, and refuses an
// id held by two, naming both and asking for --county, in Chinese and in
// English; each county's store finds its own.
func TestProvinceCaseByID(t *testing.T) {
	dsn := MustMigrated(t)
	c := &clock{t: Now}
	ctx := context.Background()
	a := MustOpen(t, dsn, testCounty, c)
	b := MustOpen(t, dsn, otherCounty, c)
	for s, county := range map[interface {
		SetCounty(context.Context, hecha.Code) error
	}]hecha.Code{a: testCounty, b: otherCounty} {
		if err := s.SetCounty(ctx, county); err != nil {
			t.Fatal(err)
		}
	}
	ca, cb, only := scenarioCase(1), scenarioCase(1), scenarioCase(2)
	ca.Person.HouseholdDivision, cb.Person.HouseholdDivision, only.Person.HouseholdDivision = townA, otherTown, otherTown
	if _, err := a.ImportCases(ctx, []hecha.Case{ca}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.ImportCases(ctx, []hecha.Case{cb, only}); err != nil {
		t.Fatal(err)
	}
	prov := MustOpen(t, dsn, "", c)
	if got, _ := prov.County(ctx); got != "" {
		t.Fatalf("a database of two counties opened scoped to %s", got)
	}

	_, err := prov.Case(ctx, ca.ID)
	var he *hecha.Error
	if !errors.As(err, &he) || he.Code != hecha.EINVALID {
		t.Fatalf("province Case(%s) held by two counties: %v", ca.ID, err)
	}
	for lang, want := range map[hecha.Lang]string{hecha.Chinese: "请用 --county 指定县", hecha.English: "name the county with --county"} {
		msg := he.Message(lang)
		if !strings.Contains(msg, string(testCounty)) || !strings.Contains(msg, string(otherCounty)) || !strings.Contains(msg, want) {
			t.Errorf("%s message: %q", lang, msg)
		}
	}
	if _, err := prov.ResultsOf(ctx, ca.ID); hecha.ErrorCode(err) != hecha.EINVALID {
		t.Errorf("province ResultsOf(%s) held by two counties: %v", ca.ID, err)
	}
	if got, err := prov.Case(ctx, only.ID); err != nil || got.Person.HouseholdDivision != otherTown {
		t.Errorf("province Case(%s) held by one county: %+v, %v", only.ID, got, err)
	}
	if _, err := prov.Case(ctx, "NOPE"); hecha.ErrorCode(err) != hecha.ENOTFOUND {
		t.Errorf("province Case of an unknown id: %v", err)
	}
	for s, town := range map[interface {
		Case(context.Context, string) (*hecha.Case, error)
	}]hecha.Code{a: townA, b: otherTown} {
		if got, err := s.Case(ctx, ca.ID); err != nil || got.Person.HouseholdDivision != town {
			t.Errorf("county store's Case(%s): %+v, %v", ca.ID, got, err)
		}
	}
}
