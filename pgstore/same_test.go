package pgstore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"hecha"
	"hecha/store"
)

// The PostgreSQL store must behave as the bbolt store does: the same
// scenario runs on both and every answer is compared. What differs by
// design is left out: token secrets (random) and the numbers of cursors
// (bbolt numbers all townships' changes from one sequence, PostgreSQL each
// township's from its own), so pages are compared by the cases they hold.

// transcript records what a scenario saw, one entry per step.
type transcript struct {
	tb      testing.TB
	entries []string
}

func (t *transcript) add(step string, v ...any) {
	data, err := json.Marshal(v)
	if err != nil {
		t.tb.Fatalf("%s: %v", step, err)
	}
	t.entries = append(t.entries, step+": "+string(data))
}

// errOf describes an error by its code, field and message id.
func errOf(err error) string {
	if err == nil {
		return "ok"
	}
	s := ""
	for _, e := range hecha.AsErrors(err) {
		s += fmt.Sprintf("[%s %s %s]", e.Code, e.Field, e.MsgID)
	}
	if s == "" {
		return "error: " + err.Error()
	}
	return s
}

// person returns a person with every item set: household in hd, living
// in 南山区.
func person(name string, n int, hd hecha.Code) hecha.Person {
	birth := hecha.NewDate(1990, time.Month(1+n%12), 1+n%28)
	sex := hecha.SexMale
	if n%2 == 0 {
		sex = hecha.SexFemale
	}
	first := fmt.Sprintf("%s%s%03d", testCounty, birth.Compact(), n%1000)
	return hecha.Person{
		Name: name, Sex: sex,
		CurrentAddress: "广东省深圳市南山区科技园 1 号", CurrentDivision: farCounty,
		HouseholdAddress: "河南省郑州市中原区 2 号", HouseholdDivision: hd,
		CitizenID: first + string(hecha.IDCheckDigit(first)), BirthDate: birth,
		Education: "20", HukouType: hecha.HukouAgricultural, Reason: "1",
		OutflowDate: hecha.NewDate(2015, 3, 1), Marital: "10",
	}
}

var givenChars = []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂")

func name(n int) string {
	k := len(givenChars)
	return "张" + string(givenChars[n%k]) + string(givenChars[n/k%k])
}

// households spreads the scenario's cases over the county.
var households = []hecha.Code{villageA, townA, townB, villageB, "410102001", otherTown}

func scenarioCase(n int) hecha.Case {
	return hecha.Case{ID: fmt.Sprintf("C%04d", n), Kind: hecha.KindCrossProvince,
		Person: person(name(n), n, households[n%len(households)])}
}

// scenario drives a county store through imports, registries, assignment,
// pulls, tokens, results and reports, recording what it answers. ids are
// the result ids to use, the same for every store.
func scenario(t *transcript, s hecha.CountyStore, ids []string) {
	ctx := context.Background()
	nextID := func() string { id := ids[0]; ids = ids[1:]; return id }
	t.add("set county", errOf(s.SetCounty(ctx, testCounty)))
	t.add("set county township", errOf(s.SetCounty(ctx, townA)))
	county, err := s.County(ctx)
	t.add("county", county, errOf(err))

	// Registries: records of some cases' people.
	var fl []hecha.FloatingRecord
	var rs []hecha.ResidentRecord
	for n := range 40 {
		p := person(name(n), n, households[n%len(households)])
		switch n % 4 {
		case 0:
			fl = append(fl, hecha.FloatingRecord{ID: fmt.Sprintf("F%d", n), Name: p.Name, Sex: p.Sex, BirthDate: p.BirthDate,
				CitizenID: p.CitizenID, HouseholdDivision: p.HouseholdDivision, HouseholdAddress: p.HouseholdAddress,
				InflowDivision: farCounty, InflowAddress: "某地", InflowDate: p.OutflowDate})
		case 1:
			rs = append(rs, hecha.ResidentRecord{ID: fmt.Sprintf("R%d", n), Name: p.Name, Sex: p.Sex, BirthDate: p.BirthDate,
				CitizenID: p.CitizenID, HouseholdDivision: p.HouseholdDivision, HouseholdAddress: p.HouseholdAddress,
				HukouType: p.HukouType, Outflow: &hecha.Outflow{Date: p.OutflowDate, Destination: farCounty}})
		}
	}
	t.add("put floating", errOf(s.PutFloating(ctx, fl)))
	t.add("put resident", errOf(s.PutResident(ctx, rs)))
	t.add("put floating again", errOf(s.PutFloating(ctx, fl)))
	bad := fl[0]
	bad.CitizenID = "123"
	t.add("put bad floating", errOf(s.PutFloating(ctx, []hecha.FloatingRecord{fl[1], bad})))
	f, r, err := s.RegistryCount(ctx)
	t.add("registry count", f, r, errOf(err))
	got, err := s.FloatingByCitizenID(fl[2].CitizenID)
	t.add("floating by cid", got, errOf(err))
	got2, err := s.ResidentByNameSexBirth(rs[1].Name, rs[1].Sex, rs[1].BirthDate, hecha.PrecisionYear)
	t.add("resident by name", got2, errOf(err))

	// Imports.
	var cases []hecha.Case
	for n := range 40 {
		cases = append(cases, scenarioCase(n))
	}
	st, err := s.ImportCases(ctx, cases)
	t.add("import", st, errOf(err))
	st, err = s.ImportCases(ctx, cases)
	t.add("import again", st, errOf(err))
	badCase := scenarioCase(99)
	badCase.Person.Sex = "9"
	st, err = s.ImportCases(ctx, []hecha.Case{scenarioCase(98), badCase})
	t.add("import invalid", st, errOf(err))
	c, err := s.Case(ctx, "C0098")
	t.add("case of the failed import", c, errOf(err))

	// Assignment.
	t.add("assign unknown case", errOf(s.Assign(ctx, []string{"C0001", "nope"}, townA, "王主任")))
	t.add("assign outside", errOf(s.Assign(ctx, []string{"C0001"}, otherTown, "王主任")))
	t.add("assign county level", errOf(s.Assign(ctx, []string{"C0001"}, testCounty, "王主任")))
	t.add("assign", errOf(s.Assign(ctx, []string{"C0000", "C0001", "C0002", "C0003"}, townA, "王主任")))
	n, err := s.AssignUnder(ctx, townB, townB, "王主任")
	t.add("assign under", n, errOf(err))
	n, err = s.AutoAssign(ctx, "王主任")
	t.add("auto assign", n, errOf(err))
	for _, f := range []hecha.CaseFilter{{}, {Unit: townA}, {Unit: villageA}, {Undistributed: true},
		{Status: hecha.StatusPending, Limit: 5, Offset: 3}, {Unit: "4101", Kind: hecha.KindCrossProvince}} {
		list, err := s.Cases(ctx, f)
		t.add(fmt.Sprintf("cases %+v", f), list, errOf(err))
	}

	// Pulls, walked in pages of 7 until a short page.
	pull := func(step string, town hecha.Code, own hecha.OwnChanges, cursor uint64) uint64 {
		var all []hecha.Case
		for {
			page, next, err := s.CasesSinceFor(ctx, town, own, cursor, 7)
			if err != nil {
				t.add(step, errOf(err))
				return cursor
			}
			all = append(all, page...)
			cursor = next
			if len(page) < 7 {
				break
			}
		}
		t.add(step, all)
		return cursor
	}
	regPull := func(step string, town hecha.Code, cursor uint64) uint64 {
		var fls []hecha.FloatingRecord
		var rss []hecha.ResidentRecord
		for {
			fl, rs, next, err := s.RegistrySince(ctx, town, cursor, 5)
			if err != nil {
				t.add(step, errOf(err))
				return cursor
			}
			fls, rss = append(fls, fl...), append(rss, rs...)
			cursor = next
			if len(fl)+len(rs) < 5 {
				break
			}
		}
		t.add(step, fls, rss)
		return cursor
	}
	curA := pull("pull A", townA, hecha.OwnChanges{}, 0)
	curB := pull("pull B", townB, hecha.OwnChanges{}, 0)
	regA := regPull("registry A", townA, 0)
	regPull("registry B", townB, 0)
	_, _, err = s.CasesSince(ctx, testCounty, 0, 0)
	t.add("pull county level", errOf(err))

	// Tokens.
	tok, info, err := s.CreateToken(ctx, townA)
	t.add("create token", info.Township, info.Revoked, errOf(err))
	town, err := s.Authenticate(ctx, tok)
	t.add("authenticate", town, errOf(err))
	_, hash, err := s.TokenHash(ctx, info.ID)
	t.add("token hash", len(hash), errOf(err))
	_, err = s.Authenticate(ctx, tok+"x")
	t.add("authenticate bad", errOf(err))
	_, _, err = s.CreateToken(ctx, otherTown)
	t.add("token outside", errOf(err))
	_, _, err = s.CreateToken(ctx, testCounty)
	t.add("token county level", errOf(err))
	t.add("revoke", errOf(s.RevokeToken(ctx, info.ID)))
	t.add("revoke again", errOf(s.RevokeToken(ctx, info.ID)))
	t.add("revoke unknown", errOf(s.RevokeToken(ctx, "aaaaaaaa")))
	_, err = s.Authenticate(ctx, tok)
	t.add("authenticate revoked", errOf(err))
	toks, err := s.Tokens(ctx)
	t.add("tokens", len(toks), errOf(err))

	// Results from township A.
	caseOf := func(id string) *hecha.Case {
		c, err := s.Case(ctx, id)
		if err != nil {
			t.tb.Fatalf("case %s: %v", id, err)
		}
		return c
	}
	notFound := func(c *hecha.Case) hecha.Result {
		return hecha.Result{ID: nextID(), CaseID: c.ID, Form: hecha.FormR1, CaseRev: c.Rev, SavedAt: Now,
			NotFound: &hecha.NotFound{Reason: hecha.NotFoundDied}}
	}
	verified := func(c *hecha.Case, f hecha.Form, cand string) hecha.Result {
		v := hecha.Prefill(c)
		return hecha.Result{ID: nextID(), CaseID: c.ID, Form: f, CaseRev: c.Rev, CandidateID: cand,
			Clerk: "李四", SavedAt: Now, Verified: &v, SignOff: &hecha.SignOff{Confirmed: true, Name: "赵五"}}
	}
	applyBatch := func(step, device string, town hecha.Code, batch ...hecha.Result) {
		out, err := s.ApplyResultsFrom(ctx, town, device, batch)
		for i := range out {
			out[i].ChangeSeq = 0 // numbered differently by design
		}
		t.add(step, out, errOf(err))
	}
	c0, c1, c2, c6 := caseOf("C0000"), caseOf("C0001"), caseOf("C0002"), caseOf("C0006")
	t.add("candidates", c0.Candidates, c1.Candidates, c2.Candidates)
	r0 := notFound(c0)
	form := hecha.FormR1
	if len(c1.Candidates) > 0 {
		form = c1.Candidates[0].Form
	}
	var r1 hecha.Result
	if form == hecha.FormR1 {
		r1 = notFound(c1)
	} else {
		r1 = verified(c1, form, c1.Candidates[0].RecordID())
	}
	r2 := notFound(c2)
	r2.NotFound = &hecha.NotFound{Reason: hecha.NotFoundOther} // no remark: rejected
	clash := r0
	clash.Clerk = "别人"
	wrongTown := notFound(c6)
	badID := notFound(c0)
	badID.ID = "not-an-id"
	batch := []hecha.Result{r0, r1, r2, wrongTown, badID}
	applyBatch("batch", "dev1", townA, batch...)
	applyBatch("batch again", "dev1", townA, batch...)
	applyBatch("clash", "dev1", townA, clash)
	applyBatch("other township", "", townB, r0)
	applyBatch("county level", "", testCounty, r0)
	second := notFound(c0)
	applyBatch("second without replaces", "", townA, second)
	corr := notFound(caseOf("C0000"))
	corr.Replaces = r0.ID
	stale := notFound(caseOf("C0000"))
	stale.Replaces = r0.ID
	applyBatch("correction", "dev1", townA, corr, stale)
	batches, err := s.Batches(ctx)
	t.add("batches", batches, errOf(err))
	missing, err := s.HasResults(ctx, townA, []string{r0.ID, corr.ID, r2.ID, "x"})
	t.add("has results", missing, errOf(err))
	missing, err = s.HasResults(ctx, townB, []string{r0.ID})
	t.add("has results other township", missing, errOf(err))
	res, err := s.ResultsOf(ctx, "C0000")
	t.add("results of", res, errOf(err))
	_, err = s.ResultsOf(ctx, "nope")
	t.add("results of unknown", errOf(err))

	curA = pull("pull A after results", townA, hecha.OwnChanges{}, curA)
	regA = regPull("registry A after results", townA, regA)
	t.add("records after results", must(s.ResidentByCitizenID(c1.Person.CitizenID)), must(s.FloatingByCitizenID(c1.Person.CitizenID)))

	// Reassigning a verified case: a conflict notice for A.
	t.add("reassign", errOf(s.Assign(ctx, []string{"C0000", "C0001"}, townB, "王主任")))
	conf, err := s.Conflicts(ctx, townA)
	t.add("conflicts A", conf, errOf(err))
	curA = pull("pull A after reassign", townA, hecha.OwnChanges{}, curA)
	curB = pull("pull B after reassign", townB, hecha.OwnChanges{}, curB)
	late := notFound(c1)
	applyBatch("result after reassign", "", townA, late)

	// A changed re-import of an assigned case.
	changed := scenarioCase(3)
	changed.Person.CurrentAddress = "广东省深圳市南山区新地址 9 号"
	st, err = s.ImportCases(ctx, []hecha.Case{changed})
	t.add("import changed", st, errOf(err))
	pull("pull A after re-import", townA, hecha.OwnChanges{}, curA)
	stale3 := notFound(c1)
	stale3.CaseID, stale3.CaseRev = "C0003", 1
	applyBatch("result on old content", "", townA, stale3)

	// One batch whose confirmations meet the same records: what an
	// earlier result of the batch wrote is what a later one finds (a
	// person verified twice; a correction of a result of the same batch,
	// which finds the resident record that result made).
	c12, c13, c19 := caseOf("C0012"), caseOf("C0013"), caseOf("C0019")
	candOf := func(c *hecha.Case) string {
		if len(c.Candidates) > 0 {
			return c.Candidates[0].RecordID()
		}
		return ""
	}
	rA := verified(c13, hecha.FormR4, candOf(c13))
	rB := verified(c19, hecha.FormR4, "")
	same := c13.Person // C0019 is, it turns out, C0013's person
	rB.Verified.Name, rB.Verified.Sex, rB.Verified.BirthDate, rB.Verified.CitizenID = same.Name, same.Sex, same.BirthDate, same.CitizenID
	form12 := hecha.FormR6
	if len(c12.Candidates) > 0 {
		form12 = c12.Candidates[0].Form
	}
	rC := verified(c12, form12, candOf(c12))
	rD := verified(c12, form12, candOf(c12))
	rD.Replaces = rC.ID
	rD.Verified.CurrentAddress = "广东省深圳市南山区新址 3 号"
	out, err := s.ApplyResultsFrom(ctx, townA, "dev1", []hecha.Result{rA, rB, rC, rD})
	for i := range out {
		if out[i].Status != hecha.ResultAccepted {
			t.tb.Errorf("the batch of confirmations: %+v", out[i])
		}
		out[i].ChangeSeq = 0
	}
	t.add("confirmations in one batch", out, errOf(err))
	t.add("records after the batch", must(s.ResidentByCitizenID(same.CitizenID)), must(s.FloatingByCitizenID(same.CitizenID)),
		must(s.ResidentByCitizenID(c12.Person.CitizenID)), must(s.FloatingByCitizenID(c12.Person.CitizenID)))
	regPull("registry A after the batch", townA, regA)

	// Reports.
	var report []string
	err = s.CaseResults(ctx, hecha.CaseFilter{Unit: "41"}, func(c *hecha.Case, r *hecha.Result) error {
		id := ""
		if r != nil {
			id = r.ID
		}
		report = append(report, c.ID+"="+id+"/"+string(c.Unit))
		return nil
	})
	t.add("case results", report, errOf(err))
	var all []string
	err = s.AllResults(ctx, func(r hecha.Result, c *hecha.Case) error { all = append(all, c.ID+"="+r.ID); return nil })
	t.add("all results", all, errOf(err))
	t.add("final cases", must(s.Cases(ctx, hecha.CaseFilter{})))
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestSameBehaviourAsBolt(t *testing.T) {
	ids := make([]string, 60)
	for i := range ids {
		ids[i] = hecha.NewResultID(Now)
	}
	ctx := context.Background()

	// bbolt.
	c1 := &clock{t: Now}
	bdb, err := store.OpenCounty(filepath.Join(t.TempDir(), "county.db"),
		store.WithNow(c1.now), store.WithNoSync(), store.WithRules(&hecha.Rules{Divisions: testDivisions(t)}))
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	want := &transcript{tb: t}
	scenario(want, bdb, slices.Clone(ids))

	// PostgreSQL.
	dsn := MustMigrated(t)
	s := MustOpen(t, dsn, "", &clock{t: Now})
	got := &transcript{tb: t}
	scenario(got, s, slices.Clone(ids))
	_ = ctx
	// The scenario must have got somewhere: results were accepted and
	// both townships pulled cases.
	joined := strings.Join(want.entries, "\n")
	for _, must := range []string{`"status":"accepted"`, `"status":"duplicate"`, `"status":"conflict"`, `"status":"rejected"`, `"added":40`, `county.result_clash`} {
		if !strings.Contains(joined, must) {
			t.Errorf("the scenario never saw %s", must)
		}
	}

	for i := range max(len(want.entries), len(got.entries)) {
		var w, g string
		if i < len(want.entries) {
			w = want.entries[i]
		}
		if i < len(got.entries) {
			g = got.entries[i]
		}
		if w != g {
			at := 0
			for at < min(len(w), len(g)) && w[at] == g[at] {
				at++
			}
			from := max(0, at-200)
			t.Errorf("step %d differs at byte %d:\nbbolt:      %s\npostgresql: %s", i, at, w[from:min(len(w), at+300)], g[from:min(len(g), at+300)])
		}
	}
}
