package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"hecha"
)

func TestAssign_Errors(t *testing.T) {
	ctx := context.Background()
	db, _ := MustOpenCounty(t)
	mustImport(t, db, testCase("C1", 1, townA))
	for _, tc := range []struct {
		name  string
		ids   []string
		unit  hecha.Code
		code  string
		msgID string
	}{
		{"unknown unit", []string{"C1"}, "410102009", hecha.ENOTFOUND, "county.unit_unknown"},
		{"county level", []string{"C1"}, testCounty, hecha.EINVALID, "county.assign_level"},
		{"city level", []string{"C1"}, "4101", hecha.EINVALID, "county.assign_level"},
		{"outside the county", []string{"C1"}, otherTown, hecha.EINVALID, "county.outside"},
		{"unknown case", []string{"C1", "NOPE"}, townA, hecha.ENOTFOUND, "store.case_not_found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := db.Assign(ctx, tc.ids, tc.unit, "")
			MustCode(t, err, tc.code)
			var e *hecha.Error
			if es := hecha.AsErrors(err); len(es) > 0 {
				e = es[0]
			}
			if e == nil || e.MsgID != tc.msgID {
				t.Errorf("error %v, want message %s", err, tc.msgID)
			}
			if tc.code == hecha.EINVALID && e.Field != "unit" {
				t.Errorf("field %q, want unit", e.Field)
			}
		})
	}
	// Nothing was assigned by the failed calls.
	if c := mustCase(t, db, "C1"); c.Unit != "" || c.Rev != 1 {
		t.Errorf("C1 after failed assignments: unit %q rev %d", c.Unit, c.Rev)
	}

	// Without a county nothing can be assigned.
	db2 := openCounty(t, newClock())
	mustImport(t, db2, testCase("C1", 1, townA))
	err := db2.Assign(ctx, []string{"C1"}, townA, "")
	MustCode(t, err, hecha.EINVALID)
	_, err = db2.AutoAssign(ctx, "")
	MustCode(t, err, hecha.EINVALID)
}

func TestAssign(t *testing.T) {
	ctx := context.Background()
	db, clk := MustOpenCounty(t)
	c1 := testCase("C1", 1, townA)
	mustImport(t, db, c1, testCase("C2", 2, townA))
	// The registry knows C1's person by ID: the comparison finds it.
	fl := floatingOf(c1.Person, "F1", farCounty)
	if err := db.PutFloating(ctx, []hecha.FloatingRecord{fl}); err != nil {
		t.Fatal(err)
	}
	clk.advance(time.Minute)
	mustAssign(t, db, townA, "C1", "C2")

	got := mustCase(t, db, "C1")
	if got.Unit != townA || got.Rev != 2 || !got.UpdatedAt.Equal(clk.now()) {
		t.Errorf("C1: unit %q rev %d updated %v", got.Unit, got.Rev, got.UpdatedAt)
	}
	if a := got.Assignment; a == nil || a.Unit != townA || a.By != "王主任" || !a.At.Equal(clk.now()) {
		t.Errorf("C1 assignment = %+v", a)
	}
	if len(got.Candidates) != 1 || got.Candidates[0].RecordID() != "F1" || !got.Candidates[0].ByID ||
		got.Candidates[0].Form != hecha.FormR2 {
		t.Errorf("C1 candidates = %+v", got.Candidates)
	}
	if c2 := mustCase(t, db, "C2"); len(c2.Candidates) != 0 {
		t.Errorf("C2 candidates = %+v", c2.Candidates)
	}
	if u, _ := db.Cases(ctx, hecha.CaseFilter{Undistributed: true}); len(u) != 0 {
		t.Errorf("undistributed after assigning: %v", ids(u))
	}
	changed, cursor := since(t, db, townA, 0)
	if !slices.Equal(changed, []string{"C1", "C2"}) || cursor == 0 {
		t.Fatalf("township A's changes = %v, cursor %d", changed, cursor)
	}

	// The same unit again, same candidates: nothing changes.
	regs, regCursor := extract(t, db, townA, 0, 0)
	if !slices.Contains(regs, "F1") {
		t.Errorf("the candidate is not in the township's extract: %v", regs)
	}
	mustAssign(t, db, townA, "C1")
	if again, _ := extract(t, db, townA, regCursor, 0); len(again) != 0 {
		t.Errorf("re-assigning to the same unit sent records %v", again)
	}
	if got := mustCase(t, db, "C1"); got.Rev != 2 {
		t.Errorf("re-assigning to the same unit bumped Rev to %d", got.Rev)
	}
	if again, _ := since(t, db, townA, cursor); len(again) != 0 {
		t.Errorf("re-assigning to the same unit made changes %v", again)
	}

	// A village of the same township: a change for the township, no move.
	mustAssign(t, db, villageA, "C1")
	if again, next := since(t, db, townA, cursor); !slices.Equal(again, []string{"C1"}) {
		t.Errorf("changes after moving to the village = %v", again)
	} else {
		cursor = next
	}

	// Another township: both townships learn; the old one sees the new unit.
	mustAssign(t, db, townB, "C1")
	old, _, err := db.CasesSince(ctx, townA, cursor, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(old) != 1 || old[0].ID != "C1" || old[0].Unit != townB {
		t.Errorf("old township's changes = %+v", old)
	}
	if nb, _ := since(t, db, townB, 0); !slices.Equal(nb, []string{"C1"}) {
		t.Errorf("new township's changes = %v", nb)
	}
	// No result was in force: no conflict notice.
	if n, _ := db.Conflicts(ctx, townA); len(n) != 0 {
		t.Errorf("conflict notices = %+v", n)
	}
}

func TestCasesSince_Paging(t *testing.T) {
	ctx := context.Background()
	db, _ := MustOpenCounty(t)
	var in []hecha.Case
	var all []string
	for i := range 7 {
		c := testCase(string(rune('A'+i))+"1", i+1, townA)
		in = append(in, c)
		all = append(all, c.ID)
	}
	mustImport(t, db, in...)
	mustAssign(t, db, townA, all...)

	// Pages of 3 in sequence order, each cursor where the last one ended.
	var got []string
	var cursor uint64
	for range 10 {
		page, next, err := db.CasesSince(ctx, townA, cursor, 3)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) > 3 {
			t.Fatalf("page of %d", len(page))
		}
		if len(page) == 0 {
			if next != cursor {
				t.Errorf("empty page moved the cursor from %d to %d", cursor, next)
			}
			break
		}
		if next <= cursor {
			t.Fatalf("cursor went from %d to %d", cursor, next)
		}
		got, cursor = append(got, ids(page)...), next
	}
	if !slices.Equal(got, all) {
		t.Errorf("paged changes = %v, want %v", got, all)
	}

	// A case changed again moves to the end, once: no repeats.
	in[1].Person.CurrentAddress = "广东省深圳市南山区 3 号"
	mustImport(t, db, in...)
	if again, _ := since(t, db, townA, 0); !slices.Equal(again, []string{"A1", "C1", "D1", "E1", "F1", "G1", "B1"}) {
		t.Errorf("changes after a change = %v", again)
	}
	if again, _ := since(t, db, townA, cursor); !slices.Equal(again, []string{"B1"}) {
		t.Errorf("changes after the cursor = %v", again)
	}
	// Other townships see nothing.
	if other, _ := since(t, db, townB, 0); len(other) != 0 {
		t.Errorf("township B's changes = %v", other)
	}
	_, _, err := db.CasesSince(ctx, testCounty, 0, 0)
	MustCode(t, err, hecha.EINVALID)
}

func TestAutoAssign(t *testing.T) {
	ctx := context.Background()
	db, _ := MustOpenCounty(t)
	mustImport(t, db,
		testCase("T1", 1, townA), testCase("T2", 2, townB), testCase("V1", 3, villageA),
		testCase("K1", 4, testCounty), // county level only: stays
		testCase("O1", 5, otherTown),  // another county: stays
	)
	mustAssign(t, db, townB, "T1") // already distributed: left alone
	n, err := db.AutoAssign(ctx, "auto")
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("AutoAssign assigned %d, want 2", n)
	}
	want := map[string]hecha.Code{"T1": townB, "T2": townB, "V1": villageA, "K1": "", "O1": ""}
	for id, unit := range want {
		if c := mustCase(t, db, id); c.Unit != unit {
			t.Errorf("%s unit = %q, want %q", id, c.Unit, unit)
		}
	}
	if n, _ := db.AutoAssign(ctx, "auto"); n != 0 {
		t.Errorf("second AutoAssign assigned %d", n)
	}
}

func TestAssignUnder(t *testing.T) {
	ctx := context.Background()
	db, _ := MustOpenCounty(t)
	mustImport(t, db, testCase("A1", 1, villageA), testCase("A2", 2, townA), testCase("B1", 3, townB), testCase("K1", 4, testCounty))
	n, err := db.AssignUnder(ctx, townA, villageB, "")
	if err != nil || n != 2 {
		t.Fatalf("AssignUnder = %d, %v", n, err)
	}
	for id, unit := range map[string]hecha.Code{"A1": villageB, "A2": villageB, "B1": "", "K1": ""} {
		if c := mustCase(t, db, id); c.Unit != unit {
			t.Errorf("%s unit = %q, want %q", id, c.Unit, unit)
		}
	}
	_, err = db.AssignUnder(ctx, testCounty, testCounty, "")
	MustCode(t, err, hecha.EINVALID)
	_, err = db.AssignUnder(ctx, "", townA, "")
	MustCode(t, err, hecha.EINVALID)
	_, err = db.AssignUnder(ctx, testCounty, "410102077", "")
	MustCode(t, err, hecha.ENOTFOUND)
}
