package sync_test

import (
	"context"
	"testing"

	"hecha"
	"hecha/store"
	hsync "hecha/sync"
)

// TestPullRegistryIndexesDeferred: a township's first round stores the
// registry without its indexes and builds them at the end of the pull;
// one cut during the registry pull leaves them pending, with lookups
// still right, and the next round finishes them. A later round that pulls
// a changed record keeps the indexes up to date page by page.
func TestPullRegistryIndexesDeferred(t *testing.T) {
	const n, page, cutAt = 300, 40, 160 // the cut falls after the page that reaches cutAt
	ctx := context.Background()
	county := openCounty(t, false)
	defer county.Close()
	tokens := seedCounty(t, county, n, townA)
	ts := serveCounty(t, county)
	defer ts.Close()
	town := openTownship(t, tempPath(t, "town.db"), townA)
	defer town.Close()

	want := fxResident(townA, 7)
	found := func(when string) {
		t.Helper()
		recs, err := town.ResidentByCitizenID(want.CitizenID)
		if err != nil {
			t.Fatal(err)
		}
		byName, err := town.ResidentByNameSexBirth(want.Name, want.Sex, want.BirthDate, hecha.PrecisionDay)
		if err != nil {
			t.Fatal(err)
		}
		if !hasResident(recs, want.ID) || !hasResident(byName, want.ID) {
			t.Errorf("%s: the lookups of %s found %v by id and %v by name", when, want.ID, recs, byName)
		}
	}
	pending := func(when string, want bool) {
		t.Helper()
		got, err := town.RegistryIndexPending(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%s: indexes pending = %v, want %v", when, got, want)
		}
	}

	cut, cancel := context.WithCancel(ctx)
	defer cancel()
	s := &hsync.Syncer{Store: town, Client: newClient(t, ts.URL, tokens[townA]), PageSize: page, Now: fxClock,
		Progress: func(p hsync.Progress) {
			if p.Phase == hsync.PhaseRegistry && p.Done >= cutAt {
				cancel()
			}
		}}
	if _, err := s.Round(cut); err == nil {
		t.Fatal("the cut round succeeded")
	}
	pending("after the cut", true)
	found("after the cut")

	s.Progress = nil
	rep, err := s.Round(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.PulledRegistry != n-cutAt {
		t.Errorf("the second round pulled %d records, want the %d left", rep.PulledRegistry, n-cutAt)
	}
	pending("after the second round", false)
	found("after the second round")

	// A changed record comes in a later round, indexed as it is stored.
	moved := want
	moved.Name = fxNames[(7+4)%len(fxNames)]
	if moved.Name == want.Name {
		t.Fatal("the fixture has one name only")
	}
	if err := county.PutResident(ctx, []hecha.ResidentRecord{moved}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Round(ctx); err != nil {
		t.Fatal(err)
	}
	pending("after the third round", false)
	want = moved
	found("after the third round")
	old, err := town.ResidentByNameSexBirth(fxResident(townA, 7).Name, want.Sex, want.BirthDate, hecha.PrecisionDay)
	if err != nil {
		t.Fatal(err)
	}
	if hasResident(old, want.ID) {
		t.Errorf("the old name still finds %s", want.ID)
	}
}

func hasResident(recs []hecha.ResidentRecord, id string) bool {
	for _, r := range recs {
		if r.ID == id {
			return true
		}
	}
	return false
}

// TestCasesFileRegistryIndexes: the first case file a township imports
// (the offline setup) stores its registry records with the indexes
// deferred and builds them at its end, as a first pull does.
func TestCasesFileRegistryIndexes(t *testing.T) {
	ctx := context.Background()
	o := newOffline(t, 30)
	f, err := hsync.CollectCases(ctx, o.county, townA, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	town := &countingIndexer{TownshipDB: openTownship(t, tempPath(t, "fresh.db"), townA)}
	defer town.Close()
	if _, err := hsync.ApplyCasesFile(ctx, town, &f); err != nil {
		t.Fatal(err)
	}
	if town.deferred != 1 || town.built != 1 {
		t.Errorf("the import deferred the indexes %d times and built them %d times, want 1 and 1", town.deferred, town.built)
	}
	if pending, err := town.RegistryIndexPending(ctx); err != nil || pending {
		t.Fatalf("indexes pending after the case file = %v, %v; want false", pending, err)
	}
	want := fxResident(townA, 11)
	recs, err := town.ResidentByCitizenID(want.CitizenID)
	if err != nil {
		t.Fatal(err)
	}
	if !hasResident(recs, want.ID) {
		t.Errorf("the lookup of %s found %v", want.ID, recs)
	}
}

// countingIndexer counts the deferrals that took effect and the builds.
type countingIndexer struct {
	*store.TownshipDB
	deferred, built int
}

func (c *countingIndexer) DeferRegistryIndexes(ctx context.Context) (bool, error) {
	ok, err := c.TownshipDB.DeferRegistryIndexes(ctx)
	if ok {
		c.deferred++
	}
	return ok, err
}

func (c *countingIndexer) BuildRegistryIndexes(ctx context.Context) error {
	c.built++
	return c.TownshipDB.BuildRegistryIndexes(ctx)
}
