package store_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"hecha"
)

// floatingOf returns a floating record of the person, registered as
// having moved in to inflow.
func floatingOf(p hecha.Person, id string, inflow hecha.Code) hecha.FloatingRecord {
	return hecha.FloatingRecord{
		ID: id, Name: p.Name, Sex: p.Sex, BirthDate: p.BirthDate, CitizenID: p.CitizenID,
		HouseholdDivision: p.HouseholdDivision, HouseholdAddress: p.HouseholdAddress,
		InflowDivision: inflow, InflowAddress: "某地", InflowDate: p.OutflowDate,
	}
}

// residentOf returns a resident record of the person.
func residentOf(p hecha.Person, id string, out *hecha.Outflow) hecha.ResidentRecord {
	return hecha.ResidentRecord{
		ID: id, Name: p.Name, Sex: p.Sex, BirthDate: p.BirthDate, CitizenID: p.CitizenID,
		HouseholdDivision: p.HouseholdDivision, HouseholdAddress: p.HouseholdAddress,
		HukouType: p.HukouType, Outflow: out,
	}
}

// verifiedResult returns a confirming result of form f for case c as
// assigned (its current Rev), with the verified items from the case.
func verifiedResult(c *hecha.Case, f hecha.Form, candidate string) hecha.Result {
	v := hecha.Prefill(c)
	return hecha.Result{
		ID: hecha.NewResultID(Now), CaseID: c.ID, Form: f, CaseRev: c.Rev,
		CandidateID: candidate, Clerk: "李四", SavedAt: Now,
		Verified: &v, SignOff: &hecha.SignOff{Confirmed: true, Name: "赵五"},
	}
}

// notFoundResult returns an R1 for case c.
func notFoundResult(c *hecha.Case) hecha.Result {
	return hecha.Result{
		ID: hecha.NewResultID(Now), CaseID: c.ID, Form: hecha.FormR1, CaseRev: c.Rev, SavedAt: Now,
		NotFound: &hecha.NotFound{Reason: hecha.NotFoundDied},
	}
}

// apply sends results as one batch and returns the statuses.
func apply(tb testing.TB, db hecha.CountyStore, town hecha.Code, rs ...hecha.Result) []hecha.ResultStatus {
	tb.Helper()
	out, err := db.ApplyResults(context.Background(), town, rs)
	if err != nil {
		tb.Fatalf("ApplyResults: %v", err)
	}
	if len(out) != len(rs) {
		tb.Fatalf("%d outcomes for %d results", len(out), len(rs))
	}
	st := make([]hecha.ResultStatus, len(out))
	for i, o := range out {
		if o.ResultID != rs[i].ID {
			tb.Errorf("outcome %d is for %q, want %q", i, o.ResultID, rs[i].ID)
		}
		st[i] = o.Status
	}
	return st
}

// setupAssigned imports and assigns the cases to townA and returns them as
// stored.
func setupAssigned(tb testing.TB, db hecha.CountyStore, cases ...hecha.Case) []*hecha.Case {
	tb.Helper()
	mustImport(tb, db, cases...)
	var out []*hecha.Case
	for _, c := range cases {
		mustAssign(tb, db, townA, c.ID)
		out = append(out, mustCase(tb, db, c.ID))
	}
	return out
}

func TestApplyResults_Outcomes(t *testing.T) {
	ctx := context.Background()
	db, _ := MustOpenCounty(t)
	cs := setupAssigned(t, db, testCase("C1", 1, townA), testCase("C2", 2, townA), testCase("C3", 3, townA))
	mustImport(t, db, testCase("B1", 4, townB))
	mustAssign(t, db, townB, "B1")
	c1, c2, c3 := cs[0], cs[1], cs[2]

	first := notFoundResult(c1)
	if st := apply(t, db, townA, first); st[0] != hecha.ResultAccepted {
		t.Fatalf("first result: %s", st[0])
	}
	// c3 changes after the clerk saw it.
	changed := testCase("C3", 3, townA)
	changed.Person.CurrentAddress = "广东省深圳市南山区 5 号"
	mustImport(t, db, changed)

	inUTC := first // the same instant written in another zone
	inUTC.SavedAt = first.SavedAt.UTC()
	badID := notFoundResult(c2)
	badID.ID = "not-a-ulid"
	clash := first
	clash.NotFound = &hecha.NotFound{Reason: hecha.NotFoundOther, Remark: "不同"}
	unknown := notFoundResult(c2)
	unknown.CaseID = "NOPE"
	other := notFoundResult(mustCase(t, db, "B1"))
	stale := notFoundResult(c3)
	again := notFoundResult(c1) // names no result, but one is in force
	wrongRepl := notFoundResult(c1)
	wrongRepl.Replaces = hecha.NewResultID(Now) // not the one in force
	invalid := verifiedResult(c2, hecha.FormR2, "")
	invalid.SignOff = nil
	foreign := notFoundResult(c2)
	foreign.Township = townB
	future := notFoundResult(c2)
	future.CaseRev = c2.Rev + 1

	// What a conflict says names places, not codes alone, and what to do.
	says := map[string][]string{
		"case of another township":       {"林山寨街道", "无需再处理"},
		"case changed since":             {"同步", "重新"},
		"second result without replaces": {"同步", "更正"},
		"replaces not the newest":        {"同步", "更正"},
		"same id, other content":         {"联系县里"},
		"unknown case":                   {"联系县里"},
	}
	for _, tc := range []struct {
		name  string
		r     hecha.Result
		want  hecha.ResultStatus
		field string // the first error's field, for rejections
		msgID string
	}{
		{"malformed id", badID, hecha.ResultRejected, "id", "county.result_id"},
		{"same id, same content", first, hecha.ResultDuplicate, "", ""},
		{"same id, time in UTC", inUTC, hecha.ResultDuplicate, "", ""},
		{"same id, other content", clash, hecha.ResultConflict, "", "county.result_clash"},
		{"unknown case", unknown, hecha.ResultConflict, "", "county.case_unknown"},
		{"case of another township", other, hecha.ResultConflict, "", "county.case_not_assigned"},
		{"case changed since", stale, hecha.ResultConflict, "", "county.case_changed"},
		{"case revision from the future", future, hecha.ResultConflict, "", "county.case_changed"},
		{"second result without replaces", again, hecha.ResultConflict, "", "county.result_in_force"},
		{"replaces not the newest", wrongRepl, hecha.ResultConflict, "", "store.replaces_not_newest"},
		{"fails validation", invalid, hecha.ResultRejected, "sign_off", "form.required"},
		{"another township's result", foreign, hecha.ResultRejected, "township", "county.result_township"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := db.ApplyResults(ctx, townA, []hecha.Result{tc.r})
			if err != nil {
				t.Fatal(err)
			}
			o := out[0]
			if o.Status != tc.want {
				t.Fatalf("status %s, want %s (errors %v)", o.Status, tc.want, o.Errors)
			}
			if !o.At.Equal(Now) {
				t.Errorf("At = %v", o.At)
			}
			if tc.msgID == "" {
				if len(o.Errors) != 0 {
					t.Errorf("errors %v", o.Errors)
				}
				return
			}
			if len(o.Errors) == 0 {
				t.Fatal("no errors")
			}
			e := o.Errors[0]
			if e.MsgID != tc.msgID || e.Field != tc.field {
				t.Errorf("first error %s %q (%v), want %s %q", e.MsgID, e.Field, e, tc.msgID, tc.field)
			}
			wantCode := hecha.EINVALID
			if tc.want == hecha.ResultConflict {
				wantCode = hecha.ECONFLICT
			}
			if e.Code != wantCode {
				t.Errorf("code %s, want %s", e.Code, wantCode)
			}
			msg := hecha.ErrorMessage(e, hecha.Chinese)
			if tc.name == "case of another township" && strings.Contains(msg, "建设路街道") {
				t.Errorf("message %q names the township that holds the case now", msg)
			}
			for _, w := range says[tc.name] {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q lacks %q", msg, w)
				}
			}
		})
	}
	// None of the refused results was stored or changed a case.
	if rs, _ := db.ResultsOf(ctx, "C2"); len(rs) != 0 {
		t.Errorf("C2 results = %v", rs)
	}
	if rs, _ := db.ResultsOf(ctx, "C1"); len(rs) != 1 || rs[0].ID != first.ID || rs[0].Township != townA {
		t.Errorf("C1 results = %+v", rs)
	}
	_, err := db.ApplyResults(ctx, testCounty, nil)
	MustCode(t, err, hecha.EINVALID)
	_, err = db.ResultsOf(ctx, "NOPE")
	MustCode(t, err, hecha.ENOTFOUND)
}

func TestApplyResults_Corrections(t *testing.T) {
	ctx := context.Background()
	db, _ := MustOpenCounty(t)
	c := setupAssigned(t, db, testCase("C1", 1, townA))[0]
	a := notFoundResult(c)
	b := notFoundResult(c)
	b.Replaces = a.ID
	b.NotFound = &hecha.NotFound{Reason: hecha.NotFoundOther, Remark: "查无此人，邻居不认识"}
	late := notFoundResult(c)
	late.Replaces = a.ID // a is no longer the newest
	// A correction may follow its result in the same batch.
	got := apply(t, db, townA, a, b, late)
	if !slices.Equal(got, []hecha.ResultStatus{hecha.ResultAccepted, hecha.ResultAccepted, hecha.ResultConflict}) {
		t.Fatalf("statuses %v", got)
	}
	rs, err := db.ResultsOf(ctx, "C1")
	if err != nil || len(rs) != 2 || rs[0].ID != a.ID || rs[1].ID != b.ID {
		t.Fatalf("ResultsOf = %v, %v", rs, err)
	}
	var inForce []string
	err = db.AllResults(ctx, func(r hecha.Result, c *hecha.Case) error {
		inForce = append(inForce, c.ID+"/"+r.ID)
		return nil
	})
	if err != nil || !slices.Equal(inForce, []string{"C1/" + b.ID}) {
		t.Errorf("AllResults = %v, %v", inForce, err)
	}
	// A correction of a result the county never took (it was rejected) is a
	// first result.
	c2 := setupAssigned(t, db, testCase("C2", 2, townA))[0]
	r := notFoundResult(c2)
	r.Replaces = hecha.NewResultID(Now)
	if st := apply(t, db, townA, r); st[0] != hecha.ResultAccepted {
		t.Errorf("correction of an unknown result: %s", st[0])
	}
	if done, _ := db.Cases(ctx, hecha.CaseFilter{Status: hecha.StatusDone}); !slices.Equal(ids(done), []string{"C1", "C2"}) {
		t.Errorf("done cases = %v", ids(done))
	}
}

func TestApplyResults_ChangeSeq(t *testing.T) {
	db, _ := MustOpenCounty(t)
	cs := setupAssigned(t, db, testCase("C1", 1, townA), testCase("C2", 2, townA))
	_, cursor := since(t, db, townA, 0)
	apply(t, db, townA, notFoundResult(cs[1]))
	if got, _ := since(t, db, townA, cursor); !slices.Equal(got, []string{"C2"}) {
		t.Errorf("changes after a result = %v", got)
	}
}

func TestApplyResults_Reassigned(t *testing.T) {
	ctx := context.Background()
	db, _ := MustOpenCounty(t)
	c := setupAssigned(t, db, testCase("C1", 1, townA))[0]
	a := notFoundResult(c)
	apply(t, db, townA, a)
	_, cursorA := since(t, db, townA, 0)

	// Taking the case from A while A's result is in force is never silent.
	mustAssign(t, db, townB, "C1")
	notices, err := db.Conflicts(ctx, townA)
	if err != nil || len(notices) != 1 {
		t.Fatalf("Conflicts = %+v, %v", notices, err)
	}
	if n := notices[0]; n.CaseID != "C1" || n.From != townA || n.To != townB || n.ResultID != a.ID || !n.At.Equal(Now) {
		t.Errorf("notice = %+v", n)
	}
	moved, _, _ := db.CasesSince(ctx, townA, cursorA, 0)
	if len(moved) != 1 || moved[0].Unit != townB {
		t.Errorf("A's next pull = %+v", moved)
	}
	if p, _ := db.Cases(ctx, hecha.CaseFilter{Status: hecha.StatusPending}); !slices.Equal(ids(p), []string{"C1"}) {
		t.Errorf("pending = %v", ids(p))
	}
	// A's correction is now a conflict; B's first result is accepted.
	corr := notFoundResult(c)
	corr.Replaces = a.ID
	if st := apply(t, db, townA, corr); st[0] != hecha.ResultConflict {
		t.Errorf("A's correction after the move: %s", st[0])
	}
	staleB := notFoundResult(c) // made against the revision before the move
	if st := apply(t, db, townB, staleB); st[0] != hecha.ResultConflict {
		t.Errorf("B's result against the old revision: %s", st[0])
	}
	rb := notFoundResult(mustCase(t, db, "C1"))
	if st := apply(t, db, townB, rb); st[0] != hecha.ResultAccepted {
		t.Errorf("B's result: %s", st[0])
	}
	if rs, _ := db.ResultsOf(ctx, "C1"); len(rs) != 2 {
		t.Errorf("results kept: %d", len(rs))
	}
}

// TestApplyResults_CorrectionAfterMovingBack: a case moved away and back
// has no result in force, but the county still holds the result its
// township sent before the move. A correction naming that result is a
// conflict (it would silently replace nothing in force), not a first
// result; in one batch with other townships' first results too. A
// correction of a result the county never took is a first result.
func TestApplyResults_CorrectionAfterMovingBack(t *testing.T) {
	db, _ := MustOpenCounty(t)
	cs := setupAssigned(t, db, testCase("C1", 1, townA), testCase("C2", 2, townA), testCase("C3", 3, townA))
	a := notFoundResult(cs[0])
	apply(t, db, townA, a)
	mustAssign(t, db, townB, "C1")
	mustAssign(t, db, townA, "C1")

	corr := notFoundResult(mustCase(t, db, "C1"))
	corr.Replaces = a.ID
	first := notFoundResult(cs[1])
	neverTaken := notFoundResult(cs[2])
	neverTaken.Replaces = hecha.NewResultID(Now)
	out, err := db.ApplyResults(context.Background(), townA, []hecha.Result{first, corr, neverTaken})
	if err != nil {
		t.Fatal(err)
	}
	if out[0].Status != hecha.ResultAccepted || out[2].Status != hecha.ResultAccepted {
		t.Errorf("first results: %s, %s %v", out[0].Status, out[2].Status, out[2].Errors)
	}
	if o := out[1]; o.Status != hecha.ResultConflict || len(o.Errors) != 1 || o.Errors[0].MsgID != "store.replaces_not_newest" {
		t.Errorf("correction of the result from before the move: %s %v", o.Status, o.Errors)
	}
}

func TestApplyResults_Idempotent(t *testing.T) {
	ctx := context.Background()
	db, clk := MustOpenCounty(t)
	cs := setupAssigned(t, db, testCase("C1", 1, townA), testCase("C2", 2, townA), testCase("C3", 3, townA))
	if err := db.PutFloating(ctx, []hecha.FloatingRecord{floatingOf(cs[0].Person, "F1", farCounty)}); err != nil {
		t.Fatal(err)
	}
	mustAssign(t, db, townA, "C1") // attach the candidate
	c1 := mustCase(t, db, "C1")
	r2 := verifiedResult(c1, hecha.FormR2, "F1")
	r2.Verified.CurrentAddress = "广东省深圳市南山区核查后地址 8 号"
	batch := []hecha.Result{r2, notFoundResult(cs[1]), notFoundResult(cs[2])}
	bad := notFoundResult(cs[2])
	bad.ID = "bad"
	batch = append(batch, bad)

	snapshot := func() string {
		var s []any
		for _, id := range []string{"C1", "C2", "C3"} {
			c := mustCase(t, db, id)
			rs, _ := db.ResultsOf(ctx, id)
			s = append(s, c, rs)
		}
		fl, _ := db.FloatingByCitizenID(c1.Person.CitizenID)
		rs, _ := db.ResidentByCitizenID(c1.Person.CitizenID)
		changes, next, _ := db.CasesSince(ctx, townA, 0, 0)
		s = append(s, fl, rs, ids(changes), next)
		data, _ := json.Marshal(s)
		return string(data)
	}
	first := apply(t, db, townA, batch...)
	want := []hecha.ResultStatus{hecha.ResultAccepted, hecha.ResultAccepted, hecha.ResultAccepted, hecha.ResultRejected}
	if !slices.Equal(first, want) {
		t.Fatalf("first send: %v", first)
	}
	once := snapshot()
	for i := range 4 {
		clk.advance(time.Minute)
		got := apply(t, db, townA, batch...)
		want := []hecha.ResultStatus{hecha.ResultDuplicate, hecha.ResultDuplicate, hecha.ResultDuplicate, hecha.ResultRejected}
		if !slices.Equal(got, want) {
			t.Fatalf("send %d: %v", i+2, got)
		}
		if s := snapshot(); s != once {
			t.Fatalf("send %d changed the data:\n%s\nwas\n%s", i+2, s, once)
		}
	}
	missing, err := db.HasResults(ctx, townA, []string{r2.ID, bad.ID, batch[1].ID})
	if err != nil || !slices.Equal(missing, []string{bad.ID}) {
		t.Errorf("HasResults = %v, %v", missing, err)
	}
	if missing, _ := db.HasResults(ctx, townB, []string{r2.ID}); !slices.Equal(missing, []string{r2.ID}) {
		t.Errorf("HasResults for another township = %v", missing)
	}
	logs, err := db.Batches(ctx)
	if err != nil || len(logs) != 1 {
		t.Fatalf("Batches = %+v, %v", logs, err)
	}
	if l := logs[0]; l.Sends != 5 || l.Results != 4 || l.Township != townA || !l.FirstAt.Equal(Now) ||
		!l.LastAt.Equal(clk.now()) || l.Counts[hecha.ResultAccepted] != 3 || l.Counts[hecha.ResultRejected] != 1 {
		t.Errorf("batch log = %+v", l)
	}
}

// TestApplyResults_ForeignIDHidden: a result id another township stored is
// answered as an id the county never saw, so the answer does not tell a
// township that the id exists.
func TestApplyResults_ForeignIDHidden(t *testing.T) {
	ctx := context.Background()
	db, _ := MustOpenCounty(t)
	cs := setupAssigned(t, db, testCase("C1", 1, townA))
	mustImport(t, db, testCase("B1", 4, townB))
	mustAssign(t, db, townB, "B1")
	b1 := mustCase(t, db, "B1")
	theirs := notFoundResult(b1)
	if st := apply(t, db, townB, theirs); st[0] != hecha.ResultAccepted {
		t.Fatalf("B's result: %s", st[0])
	}

	// A sends B's result under B's id, and the same with a new id.
	stolen := theirs
	stolen.Township = ""
	fresh := stolen
	fresh.ID = hecha.NewResultID(Now.Add(time.Second))
	out, err := db.ApplyResults(ctx, townA, []hecha.Result{stolen, fresh})
	if err != nil {
		t.Fatal(err)
	}
	for i, o := range out {
		if o.Status != hecha.ResultConflict || len(o.Errors) != 1 || o.Errors[0].MsgID != "county.case_not_assigned" {
			t.Fatalf("outcome %d: %s %v, want conflict county.case_not_assigned", i, o.Status, o.Errors)
		}
	}
	if a, b := out[0].Errors[0].Message(hecha.English), out[1].Errors[0].Message(hecha.English); a != b {
		t.Errorf("known id answered %q, unknown id %q", a, b)
	}
	// B's result is untouched.
	if rs, _ := db.ResultsOf(ctx, "B1"); len(rs) != 1 || rs[0].Township != townB {
		t.Errorf("B1 results = %+v", rs)
	}
	// B's id on a result for A's own case cannot be stored under that id.
	mine := notFoundResult(cs[0])
	mine.ID = theirs.ID
	out, err = db.ApplyResults(ctx, townA, []hecha.Result{mine})
	if err != nil || out[0].Status != hecha.ResultConflict {
		t.Fatalf("own case under a taken id: %v %+v", err, out)
	}
}

// TestCasesSinceFor_LeavesOutOwnResults: the change a device's accepted
// result made to a case is left out of that device's pull, and only when
// nothing else changed the case after the puller's cursor.
func TestCasesSinceFor_LeavesOutOwnResults(t *testing.T) {
	ctx := context.Background()
	db, _ := MustOpenCounty(t)
	cs := setupAssigned(t, db, testCase("C1", 1, townA), testCase("C2", 2, townA))
	_, cursor, err := db.CasesSince(ctx, townA, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	out, err := db.ApplyResultsFrom(ctx, townA, "dev1", []hecha.Result{notFoundResult(cs[0])})
	if err != nil || out[0].Status != hecha.ResultAccepted || out[0].ChangeSeq <= cursor {
		t.Fatalf("apply: %v %+v (cursor %d)", err, out, cursor)
	}
	seq := out[0].ChangeSeq
	ids := func(own hecha.OwnChanges, from uint64) ([]string, uint64) {
		t.Helper()
		cases, next, err := db.CasesSinceFor(ctx, townA, own, from, 100)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, c := range cases {
			out = append(out, c.ID)
		}
		return out, next
	}
	mine := hecha.OwnChanges{Device: "dev1", From: seq, To: seq}
	if got, next := ids(mine, cursor); len(got) != 0 || next != seq {
		t.Errorf("own change: pulled %v, next %d; want none, next %d", got, next, seq)
	}
	// Another device, no own range, or a range that misses it: pulled.
	for _, own := range []hecha.OwnChanges{{Device: "dev2", From: seq, To: seq}, {}, {Device: "dev1", From: seq + 1, To: seq + 5}} {
		if got, _ := ids(own, cursor); len(got) != 1 || got[0] != "C1" {
			t.Errorf("%+v: pulled %v, want C1", own, got)
		}
	}
	// A puller whose cursor is before the case's earlier change needs that
	// change: pulled in full.
	if got, _ := ids(mine, 0); !slices.Contains(got, "C1") {
		t.Errorf("from before the last other change: pulled %v, want C1 among them", got)
	}
	// Any other change to the case ends the exemption.
	changed := testCase("C1", 1, townA)
	changed.Person.CurrentAddress = "广东省深圳市南山区 7 号"
	mustImport(t, db, changed)
	_, now, _ := db.CasesSince(ctx, townA, 0, 100)
	if got, _ := ids(hecha.OwnChanges{Device: "dev1", From: 0, To: now}, cursor); !slices.Contains(got, "C1") {
		t.Errorf("after the county changed it: pulled %v, want C1", got)
	}
	// ApplyResults (no device) never exempts a change.
	out, err = db.ApplyResults(ctx, townA, []hecha.Result{notFoundResult(cs[1])})
	if err != nil || out[0].Status != hecha.ResultAccepted {
		t.Fatalf("apply C2: %v %+v", err, out)
	}
	if got, _ := ids(hecha.OwnChanges{Device: "dev1", From: 0, To: out[0].ChangeSeq}, now); len(got) != 1 || got[0] != "C2" {
		t.Errorf("result without a device: pulled %v, want C2", got)
	}
}
