package pgstore_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"hecha"
	"hecha/store"
)

// mustSums dumps s and returns the dump's sums.
func mustSums(t *testing.T, s hecha.CountyDumper) (*hecha.CountyDump, hecha.DumpSums) {
	t.Helper()
	d, err := s.DumpCounty(context.Background())
	if err != nil {
		t.Fatalf("dump: %v", err)
	}
	sums, err := d.Sums()
	if err != nil {
		t.Fatal(err)
	}
	return d, sums
}

// TestCopy moves a county that has been through the whole scenario from
// bbolt to PostgreSQL and back: every part's count and checksum stay the
// same, the copy refuses a target that holds the county, a township's
// cursor from the source makes it pull everything again from the target,
// and re-importing the same cases into the copy changes nothing.
func TestCopy(t *testing.T) {
	ids := make([]string, 60)
	for i := range ids {
		ids[i] = hecha.NewResultID(Now)
	}
	ctx := context.Background()
	c := &clock{t: Now}
	rules := &hecha.Rules{Divisions: testDivisions(t)}
	bdb, err := store.OpenCounty(filepath.Join(t.TempDir(), "county.db"), store.WithNow(c.now), store.WithNoSync(), store.WithRules(rules))
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	if err := bdb.SaveDivisions(ctx, rules.Divisions); err != nil {
		t.Fatal(err)
	}
	scenario(&transcript{tb: t}, bdb, slices.Clone(ids))
	src, want := mustSums(t, bdb)
	if want["cases"].Count != 40 || want["results"].Count == 0 || want["tokens"].Count == 0 || want["conflicts"].Count == 0 {
		t.Fatalf("the scenario left too little to copy: %+v", want)
	}
	_, bcursor, err := bdb.CasesSince(ctx, townA, 0, 0)
	if err != nil {
		t.Fatal(err)
	}

	// bbolt → PostgreSQL.
	dsn := MustMigrated(t)
	pg := MustOpen(t, dsn, "", c)
	if err := pg.LoadCounty(ctx, src); err != nil {
		t.Fatalf("load into PostgreSQL: %v", err)
	}
	_, got := mustSums(t, pg)
	for part, w := range want {
		if got[part] != w {
			t.Errorf("PostgreSQL %s: %+v, want %+v", part, got[part], w)
		}
	}
	if err := pg.LoadCounty(ctx, src); hecha.ErrorCode(err) != hecha.EINVALID {
		t.Errorf("loading again: %v, want EINVALID", err)
	}
	// The township's cursor from bbolt: everything comes again.
	all, _, err := pg.CasesSince(ctx, townA, bcursor, 1000)
	if err != nil {
		t.Fatal(err)
	}
	assigned, _ := pg.Cases(ctx, hecha.CaseFilter{Unit: townA})
	if len(all) == 0 || len(all) < len(assigned) {
		t.Errorf("a pull from the source's cursor %d got %d cases; the township has %d", bcursor, len(all), len(assigned))
	}
	// The token works on the copy.
	toks, _ := pg.Tokens(ctx)
	if len(toks) != want["tokens"].Count {
		t.Errorf("tokens on the copy: %d", len(toks))
	}
	// The same cases imported again: nothing changes, then or next time.
	var cases []hecha.Case
	for n := range 40 {
		cases = append(cases, scenarioCase(n))
	}
	for round := range 2 {
		st, err := pg.ImportCases(ctx, cases)
		if err != nil || st.Unchanged != 40 {
			t.Errorf("re-import %d into the copy: %+v, %v", round, st, err)
		}
	}

	// PostgreSQL → bbolt.
	back, err := store.OpenCounty(filepath.Join(t.TempDir(), "back.db"), store.WithNow(c.now), store.WithNoSync(), store.WithRules(rules))
	if err != nil {
		t.Fatal(err)
	}
	defer back.Close()
	pd, _ := mustSums(t, pg)
	if err := back.LoadCounty(ctx, pd); err != nil {
		t.Fatalf("load into bbolt: %v", err)
	}
	_, again := mustSums(t, back)
	for part, w := range want {
		if again[part] != w {
			t.Errorf("bbolt again %s: %+v, want %+v", part, again[part], w)
		}
	}
	if st, err := back.ImportCases(ctx, cases); err != nil || st.Unchanged != 40 {
		t.Errorf("re-import into the copy back: %+v, %v", st, err)
	}
}
