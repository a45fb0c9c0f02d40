package store_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"hecha"
)

func TestApplyCases_AddsPendingCases(t *testing.T) {
	ctx := context.Background()
	db := MustOpenTownship(t)
	MustApplyCases(t, db, Cases(0, 3)...)

	c, err := db.Case(ctx, "C0000001")
	if err != nil {
		t.Fatal(err)
	}
	if c.Person.Name != Person(1).Name {
		t.Errorf("name = %q, want %q", c.Person.Name, Person(1).Name)
	}
	sums, err := db.Summaries(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(sums) != 3 {
		t.Fatalf("got %d summaries, want 3", len(sums))
	}
	s := sums[0]
	if s.ID != "C0000000" || s.Status != hecha.StatusPending || s.Name != "张伟" ||
		s.Pinyin != "zhangwei" || s.Initials != "zw"+hecha.PinyinSep+"zhangw" || s.Village != "410102001002" ||
		s.Unit != Township || s.CitizenID != Person(0).CitizenID || s.BirthDate != Person(0).BirthDate ||
		!s.UpdatedAt.Equal(Now) {
		t.Errorf("summary = %+v", s)
	}
}

func TestCase_NotFound(t *testing.T) {
	db := MustOpenTownship(t)
	_, err := db.Case(context.Background(), "nope")
	MustCode(t, err, hecha.ENOTFOUND)
	_, err = db.Summary(context.Background(), "nope")
	MustCode(t, err, hecha.ENOTFOUND)
}

func TestCasesByStatus_Pages(t *testing.T) {
	ctx := context.Background()
	db := MustOpenTownship(t)
	MustApplyCases(t, db, Cases(0, 10)...)
	MustSaveResult(t, db, NotFound("C0000003"))

	page, err := db.CasesByStatus(ctx, hecha.StatusPending, 2, 3)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, s := range page {
		ids = append(ids, s.ID)
	}
	// C0000003 is no longer pending, so the third pending case is C0000002
	// and the page after two skipped starts there.
	want := []string{"C0000002", "C0000004", "C0000005"}
	if len(ids) != len(want) {
		t.Fatalf("ids = %v, want %v", ids, want)
	}
	for i := range want {
		if ids[i] != want[i] {
			t.Fatalf("ids = %v, want %v", ids, want)
		}
	}
	all, err := db.CasesByStatus(ctx, hecha.StatusUpload, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 || all[0].ID != "C0000003" || all[0].Form != hecha.FormR1 {
		t.Errorf("upload = %+v", all)
	}
}

func TestCounts(t *testing.T) {
	ctx := context.Background()
	db := MustOpenTownship(t)
	MustApplyCases(t, db, Cases(0, 5)...)
	MustSaveResult(t, db, NotFound("C0000000"))
	if err := db.SaveDraft(ctx, &hecha.Draft{CaseID: "C0000001", Form: hecha.FormR2}); err != nil {
		t.Fatal(err)
	}
	counts, err := db.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := hecha.StatusCounts{hecha.StatusPending: 3, hecha.StatusDraft: 1, hecha.StatusUpload: 1}
	if len(counts) != len(want) || counts.Total() != 5 {
		t.Fatalf("counts = %v, want %v", counts, want)
	}
	for k, v := range want {
		if counts[k] != v {
			t.Errorf("counts[%s] = %d, want %d", k, counts[k], v)
		}
	}
}

func TestMethods_CanceledContext(t *testing.T) {
	db := MustOpenTownship(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := db.Summaries(ctx); err == nil {
		t.Error("Summaries with a canceled context succeeded")
	}
	if err := db.ApplyCases(ctx, Cases(0, 1), 1); err == nil {
		t.Error("ApplyCases with a canceled context succeeded")
	}
}

func TestClosedDB_Unavailable(t *testing.T) {
	db := MustOpenTownship(t)
	MustCloseDB(t, db)
	_, err := db.Summaries(context.Background())
	MustCode(t, err, hecha.EUNAVAILABLE)
}

// EachSummary walks the same summaries as Summaries, in the same order,
// tells their number first, and stops at f's error.
func TestEachSummary(t *testing.T) {
	ctx := context.Background()
	db := MustOpenTownship(t)
	MustApplyCases(t, db, Cases(0, 5)...)
	want, err := db.Summaries(ctx)
	if err != nil || len(want) != 5 {
		t.Fatalf("Summaries: %d, %v", len(want), err)
	}
	size := -1
	var got []hecha.CaseSummary
	err = db.EachSummary(ctx, func(n int) { size = n }, func(s *hecha.CaseSummary) error {
		got = append(got, *s)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if size != 5 {
		t.Errorf("size told %d, want 5", size)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("EachSummary gave\n%+v\nSummaries\n%+v", got, want)
	}
	stop := errors.New("stop")
	calls := 0
	err = db.EachSummary(ctx, nil, func(*hecha.CaseSummary) error {
		calls++
		if calls == 2 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || calls != 2 {
		t.Errorf("after f's error: %v after %d calls, want stop after 2", err, calls)
	}
}
