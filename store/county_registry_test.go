package store_test

import (
	"context"
	"slices"
	"testing"

	"hecha"
)

// extract returns the ids of the records in the township's registry
// changes after cursor (floating ids, then resident ids) and the next cursor.
func extract(tb testing.TB, db hecha.CountyStore, town hecha.Code, cursor uint64, limit int) ([]string, uint64) {
	tb.Helper()
	fl, rs, next, err := db.RegistrySince(context.Background(), town, cursor, limit)
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	for _, r := range fl {
		out = append(out, r.ID)
	}
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out, next
}

func TestRegistrySince(t *testing.T) {
	ctx := context.Background()
	db, _ := MustOpenCounty(t)
	pa, pb, pv := testPerson("张伟", 1, townA), testPerson("李娜", 2, townB), testPerson("王芳", 3, villageA)
	pk := testPerson("赵敏", 4, otherTown)
	fls := []hecha.FloatingRecord{floatingOf(pa, "FA", farCounty), floatingOf(pb, "FB", farCounty), floatingOf(pk, "FK", farCounty)}
	rss := []hecha.ResidentRecord{residentOf(pv, "RV", nil)}
	if err := db.PutFloating(ctx, fls); err != nil {
		t.Fatal(err)
	}
	if err := db.PutResident(ctx, rss); err != nil {
		t.Fatal(err)
	}

	// Household in the township (or one of its villages); FK's household is
	// in another county and is nobody's.
	a, cursorA := extract(t, db, townA, 0, 0)
	slices.Sort(a)
	if !slices.Equal(a, []string{"FA", "RV"}) {
		t.Errorf("township A's extract = %v", a)
	}
	if b, _ := extract(t, db, townB, 0, 0); !slices.Equal(b, []string{"FB"}) {
		t.Errorf("township B's extract = %v", b)
	}

	// A candidate of a case of township A joins A's extract, wherever its
	// household is.
	c := testCase("C1", 2, townA)
	c.Person = pb
	mustImport(t, db, c)
	mustAssign(t, db, townA, "C1")
	if got, next := extract(t, db, townA, cursorA, 0); !slices.Equal(got, []string{"FB"}) {
		t.Errorf("A's extract after the assignment = %v", got)
	} else {
		cursorA = next
	}

	// Writing a record unchanged sends nothing; a change sends it at once to
	// every township that holds it.
	if err := db.PutFloating(ctx, fls); err != nil {
		t.Fatal(err)
	}
	if got, next := extract(t, db, townA, cursorA, 0); len(got) != 0 || next != cursorA {
		t.Errorf("unchanged records sent again: %v (cursor %d → %d)", got, cursorA, next)
	}
	fls[1].InflowAddress = "新地址"
	if err := db.PutFloating(ctx, fls[1:2]); err != nil {
		t.Fatal(err)
	}
	if got, _ := extract(t, db, townA, cursorA, 0); !slices.Equal(got, []string{"FB"}) {
		t.Errorf("A's extract after FB changed = %v", got)
	}
	if got, _ := extract(t, db, townB, 0, 0); !slices.Equal(got, []string{"FB"}) {
		t.Errorf("B's extract after FB changed = %v", got)
	}

	// A record whose household moves is sent to both townships.
	_, cursorB := extract(t, db, townB, 0, 0)
	fls[0].HouseholdDivision = townB
	if err := db.PutFloating(ctx, fls[:1]); err != nil {
		t.Fatal(err)
	}
	if got, _ := extract(t, db, townB, cursorB, 0); !slices.Equal(got, []string{"FA"}) {
		t.Errorf("B after FA moved = %v", got)
	}
	if got, _ := extract(t, db, townA, cursorA, 0); !slices.Contains(got, "FA") {
		t.Errorf("A after FA moved = %v", got)
	}
	_, _, _, err := db.RegistrySince(ctx, testCounty, 0, 0)
	MustCode(t, err, hecha.EINVALID)
}

func TestRegistrySince_PagesAndResults(t *testing.T) {
	ctx := context.Background()
	db, _ := MustOpenCounty(t)
	var fls []hecha.FloatingRecord
	var want []string
	for i := range 7 {
		p := testPerson(testName(i), i, townA)
		id := "F" + string(rune('0'+i))
		fls = append(fls, floatingOf(p, id, farCounty))
		want = append(want, id)
	}
	if err := db.PutFloating(ctx, fls); err != nil {
		t.Fatal(err)
	}
	var got []string
	var cursor uint64
	for range 10 {
		page, next := extract(t, db, townA, cursor, 3)
		if len(page) > 3 {
			t.Fatalf("page of %d", len(page))
		}
		if len(page) == 0 {
			break
		}
		got, cursor = append(got, page...), next
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("paged extract = %v, want %v", got, want)
	}

	// A result applied to a record sends it again at once.
	c := testCase("C1", 0, townA)
	mustImport(t, db, c)
	mustAssign(t, db, townA, "C1")
	_, cursor = extract(t, db, townA, cursor, 0)
	cs := mustCase(t, db, "C1")
	r := verifiedResult(cs, hecha.FormR2, "F0")
	r.Verified.CurrentAddress = "核查后的地址"
	mustAccept(t, db, r)
	after, _ := extract(t, db, townA, cursor, 0)
	slices.Sort(after)
	if !slices.Equal(after, []string{"F0", "R" + r.ID}) {
		t.Errorf("extract after the result = %v", after)
	}
}
