package pgstore_test

import (
	"context"
	"testing"

	"hecha"
)

// TestAssign_CandidateMovesWithCase checks the candidate index a page of
// assignments writes: a record that is a candidate of a case reaches the
// registry extract of the case's township, and once the case is
// reassigned, a later change of the record reaches only the new
// township, no longer the one the case left.
func TestAssign_CandidateMovesWithCase(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t, MustMigrated(t), "", &clock{t: Now})
	if err := s.SetCounty(ctx, testCounty); err != nil {
		t.Fatal(err)
	}
	// The person's household is in township B: A sees the record only
	// as a candidate.
	p := person(name(7), 7, townB)
	rec := hecha.FloatingRecord{ID: "F7", Name: p.Name, Sex: p.Sex, BirthDate: p.BirthDate,
		CitizenID: p.CitizenID, HouseholdDivision: p.HouseholdDivision, HouseholdAddress: p.HouseholdAddress,
		InflowDivision: farCounty, InflowAddress: "某地", InflowDate: p.OutflowDate}
	if err := s.PutFloating(ctx, []hecha.FloatingRecord{rec}); err != nil {
		t.Fatal(err)
	}
	c := hecha.Case{ID: "C7", Kind: hecha.KindCrossProvince, Person: p}
	if _, err := s.ImportCases(ctx, []hecha.Case{c}); err != nil {
		t.Fatal(err)
	}
	extract := func(town hecha.Code, cursor uint64) ([]string, uint64) {
		t.Helper()
		fl, _, next, err := s.RegistrySince(ctx, town, cursor, 100)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, r := range fl {
			ids = append(ids, r.ID)
		}
		return ids, next
	}
	_, curA := extract(townA, 0)
	_, curB := extract(townB, 0)

	if err := s.Assign(ctx, []string{"C7"}, villageA, "王主任"); err != nil {
		t.Fatal(err)
	}
	got, err := s.Case(ctx, "C7")
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Candidates) != 1 || got.Candidates[0].RecordID() != "F7" || !got.Candidates[0].ByID {
		t.Fatalf("candidates of C7 = %+v, want F7 by ID", got.Candidates)
	}
	ids, curA := extract(townA, curA)
	if len(ids) != 1 || ids[0] != "F7" {
		t.Errorf("township A's extract after the assignment = %v, want [F7]", ids)
	}

	if err := s.Assign(ctx, []string{"C7"}, townB, "王主任"); err != nil {
		t.Fatal(err)
	}
	_, curB = extract(townB, curB)
	rec.InflowAddress = "另一地"
	if err := s.PutFloating(ctx, []hecha.FloatingRecord{rec}); err != nil {
		t.Fatal(err)
	}
	if ids, _ := extract(townA, curA); len(ids) != 0 {
		t.Errorf("township A's extract after the case left and the record changed = %v, want none", ids)
	}
	if ids, _ := extract(townB, curB); len(ids) != 1 || ids[0] != "F7" {
		t.Errorf("township B's extract after the record changed = %v, want [F7]", ids)
	}
}
