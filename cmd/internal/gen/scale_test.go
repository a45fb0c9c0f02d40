package gen

import (
	"testing"

	"hecha"
)

// newTestGenerator returns a generator of the default county at testNow.
func newTestGenerator(tb testing.TB, seed int64) *generator {
	tb.Helper()
	g, err := newGenerator(Config{Cases: 1, Seed: seed, Now: testNow})
	if err != nil {
		tb.Fatal(err)
	}
	return g
}

// checkID fails unless id is a valid number carrying birth and sex.
func checkID(tb testing.TB, id string, birth hecha.Date, sex hecha.Sex) {
	tb.Helper()
	c, err := hecha.ParseCitizenID("citizen_id", id)
	if err != nil {
		tb.Fatalf("%s: %v", id, err)
	}
	if c.Birth != birth || c.Sex != sex {
		tb.Fatalf("%s carries %v %s, want %v %s", id, c.Birth, c.Sex, birth, sex)
	}
}

// TestNewIDFullDay asks for more ID numbers of one area, day and sex than
// the sequence code holds (500): newID used to draw forever after the
// 500th. Each day's 500 are given out, then the day before's.
func TestNewIDFullDay(t *testing.T) {
	g := newTestGenerator(t, 1)
	day := hecha.NewDate(2004, 6, 30)
	seen := map[string]bool{}
	for i := range 3*idSeqs + 7 {
		for _, sex := range []hecha.Sex{hecha.SexMale, hecha.SexFemale} {
			id, birth := g.newID(g.idArea, day, sex)
			if want := addDays(day, -i/idSeqs); birth != want {
				t.Fatalf("number %d of %s: born %v, want %v", i, sex, birth, want)
			}
			checkID(t, id, birth, sex)
			if seen[id] {
				t.Fatalf("number %d of %s: %s given out twice", i, sex, id)
			}
			seen[id] = true
		}
	}
}

// TestFamiliesMillionIDs gives a million ID numbers to the families of
// married people all born on the same day, the path that hung
// "gen --cases 300000" (every young spouse's birth date was clamped to
// one day). Each number is valid, agrees with its member's birth date
// and sex, and is given out once.
func TestFamiliesMillionIDs(t *testing.T) {
	if testing.Short() {
		t.Skip("a million ID numbers")
	}
	const want = 1_000_000
	g := newTestGenerator(t, 2)
	young := g.newPerson(21)
	young.marital = "20"
	seen := make(map[string]struct{}, want)
	for n := 0; len(seen) < want; n++ {
		per := young
		per.sex = []hecha.Sex{hecha.SexMale, hecha.SexFemale}[n%2]
		for _, m := range g.ownFamily(per) {
			checkID(t, m.CitizenID, m.BirthDate, m.Sex)
			if _, dup := seen[m.CitizenID]; dup {
				t.Fatalf("family %d: %s given out twice", n, m.CitizenID)
			}
			seen[m.CitizenID] = struct{}{}
			if age := testNow.Year() - m.BirthDate.Year; m.Relationship < "20" && age < 19 {
				t.Fatalf("family %d: a spouse aged %d", n, age)
			}
		}
	}
}

// TestGenerateLarge generates 300,000 cases, the size that hung at case
// 254,791, and checks that every record but the defective cases passes
// validation and every person's ID number is given out once. (A
// million cases is not generated here: it needs several gigabytes of
// memory; TestFamiliesMillionIDs takes a million numbers through the
// path that hung.)
func TestGenerateLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("generates 300,000 cases")
	}
	const n = 300_000
	ds := mustGenerate(t, Config{Cases: n, Seed: 1})
	if len(ds.Cases) != n {
		t.Fatalf("%d cases, want %d", len(ds.Cases), n)
	}
	r := testRules(ds.Divisions)
	for i := range ds.Cases {
		c := &ds.Cases[i]
		if err := c.Validate(r); err != nil && ds.Defective[c.ID] == "" {
			t.Errorf("case %s: %v", c.ID, err)
		}
	}
	owner := map[string]string{}
	own := func(id, who string) {
		if prev, dup := owner[id]; dup && prev != who {
			t.Fatalf("%s is both %s's and %s's", id, prev, who)
		}
		owner[id] = who
	}
	for i := range ds.Resident {
		rec := &ds.Resident[i]
		if err := rec.Validate(r); err != nil {
			t.Errorf("resident %s: %v", rec.ID, err)
		}
		own(rec.CitizenID, rec.Name+" "+rec.BirthDate.String())
	}
	for i := range ds.Floating {
		rec := &ds.Floating[i]
		if err := rec.Validate(r); err != nil {
			t.Errorf("floating %s: %v", rec.ID, err)
		}
		own(rec.CitizenID, rec.Name+" "+rec.BirthDate.String())
	}
	t.Logf("%d cases, %d resident and %d floating records, %d ID numbers", len(ds.Cases), len(ds.Resident), len(ds.Floating), len(owner))
}

// TestNewPersonKeepsAge gives out every ID number of the year in which
// people aged 16 are born, so each new person of 16 needs another day: it
// is an earlier one, never a later one (the retries used to move the
// birth date forward, making a mover of 15 whose outflow date then lay
// in the future).
func TestNewPersonKeepsAge(t *testing.T) {
	g := newTestGenerator(t, 3)
	const age = 16
	youngest := addDays(g.now, -(age*365 + age/4 + 1))
	for d := addDays(youngest, -363); !d.After(youngest); d = addDays(d, 1) {
		for _, sex := range []hecha.Sex{hecha.SexMale, hecha.SexFemale} {
			g.idsOf[idKey(g.idArea, d, sex)] = idSeqs
		}
	}
	for range 50 {
		p := g.newPerson(age)
		if !p.birth.Before(addDays(youngest, -363)) {
			t.Fatalf("a person of %d born %v, on a full day or later", age, p.birth)
		}
		checkID(t, p.id, p.birth, p.sex)
		if out := g.outflowDate(p.birth); out.After(g.now) {
			t.Fatalf("born %v, left %v: after %v", p.birth, out, g.now)
		}
	}
}
