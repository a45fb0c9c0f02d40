package countytest_test

import (
	"context"
	"testing"
	"time"

	"hecha"
	"hecha/internal/countytest"
)

var now = time.Date(2024, 3, 15, 10, 0, 0, 0, time.UTC)

func clock() time.Time { return now }

// TestOpenAt: a store opened at a location holds what was written there
// after it is closed (twice: Close may be called again) and opened again.
func TestOpenAt(t *testing.T) {
	ctx := context.Background()
	table := hecha.NewDivisionTable()
	for _, d := range []hecha.Division{{Code: "41", Name: "河南省"}, {Code: "4101", Name: "郑州市"}, {Code: "410102", Name: "中原区"}} {
		if err := table.Add(d); err != nil {
			t.Fatal(err)
		}
	}
	loc := countytest.New(t)
	db := countytest.OpenAt(t, loc, countytest.Options{Rules: &hecha.Rules{Divisions: table}, Now: clock})
	if err := db.SetCounty(ctx, "410102"); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = countytest.OpenAt(t, loc, countytest.Options{Rules: &hecha.Rules{Divisions: table}, Now: clock})
	if c, err := db.County(ctx); err != nil || c != "410102" {
		t.Errorf("County() after reopening = %q, %v", c, err)
	}
	if db.Rules().Now == nil || !db.Rules().Now().Equal(now) {
		t.Error("the store's rules do not read the given clock")
	}
}

// TestBackends: every backend has a name of its own, and the default is
// one of them.
func TestBackends(t *testing.T) {
	seen := map[string]bool{}
	for _, b := range countytest.Backends {
		if b.Name == "" || seen[b.Name] || b.New == nil || b.Open == nil {
			t.Errorf("backend %+v: no name, a name used twice or no New/Open", b.Name)
		}
		seen[b.Name] = true
	}
	if !seen[countytest.DefaultBackend] {
		t.Errorf("the default backend %q is not registered", countytest.DefaultBackend)
	}
}
