package store_test

import (
	"context"
	"testing"

	"hecha"
)

// mustFloating and mustResident read one record by citizen ID and id.
func mustFloating(tb testing.TB, db hecha.CountyStore, cid, id string) hecha.FloatingRecord {
	tb.Helper()
	recs, err := db.FloatingByCitizenID(cid)
	if err != nil {
		tb.Fatal(err)
	}
	for _, r := range recs {
		if r.ID == id {
			return r
		}
	}
	tb.Fatalf("no floating record %s with ID %s among %+v", id, cid, recs)
	return hecha.FloatingRecord{}
}

func mustResident(tb testing.TB, db hecha.CountyStore, cid, id string) hecha.ResidentRecord {
	tb.Helper()
	recs, err := db.ResidentByCitizenID(cid)
	if err != nil {
		tb.Fatal(err)
	}
	for _, r := range recs {
		if r.ID == id {
			return r
		}
	}
	tb.Fatalf("no resident record %s with ID %s among %+v", id, cid, recs)
	return hecha.ResidentRecord{}
}

// assignedWith imports c, loads the registries and assigns c to townA, so
// its candidates are attached; it returns the stored case.
func assignedWith(tb testing.TB, db hecha.CountyStore, c hecha.Case, fl []hecha.FloatingRecord, rs []hecha.ResidentRecord) *hecha.Case {
	tb.Helper()
	ctx := context.Background()
	if err := db.PutFloating(ctx, fl); err != nil {
		tb.Fatal(err)
	}
	if err := db.PutResident(ctx, rs); err != nil {
		tb.Fatal(err)
	}
	return setupAssigned(tb, db, c)[0]
}

func mustAccept(tb testing.TB, db hecha.CountyStore, r hecha.Result) {
	tb.Helper()
	out, err := db.ApplyResults(context.Background(), townA, []hecha.Result{r})
	if err != nil {
		tb.Fatal(err)
	}
	if out[0].Status != hecha.ResultAccepted {
		tb.Fatalf("result %s: %s %v", r.Form, out[0].Status, out[0].Errors)
	}
}

func TestApply_R2(t *testing.T) {
	db, _ := MustOpenCounty(t)
	tc := testCase("C1", 1, townA)
	c := assignedWith(t, db, tc, []hecha.FloatingRecord{floatingOf(tc.Person, "F1", farCounty)}, nil)
	if c.Candidates[0].Form != hecha.FormR2 {
		t.Fatalf("form %s", c.Candidates[0].Form)
	}
	r := verifiedResult(c, hecha.FormR2, "F1")
	r.Verified.CurrentAddress = "广东省深圳市南山区核查地址 1 号"
	r.Verified.Education = "30"
	mustAccept(t, db, r)

	fl := mustFloating(t, db, tc.Person.CitizenID, "F1")
	if fl.Education != "30" || fl.InflowAddress != r.Verified.CurrentAddress || fl.InflowDivision != farCounty || fl.Withdrawn {
		t.Errorf("floating record = %+v", fl)
	}
	// The resident system lacked the person: the record is created, with
	// the outflow registration the verified items describe.
	rs := mustResident(t, db, tc.Person.CitizenID, "R"+r.ID)
	if rs.Name != tc.Person.Name || rs.HouseholdDivision != townA || rs.Education != "30" || rs.Outflow == nil ||
		rs.Outflow.Destination != farCounty || rs.Outflow.Date != tc.Person.OutflowDate || rs.Outflow.Address != r.Verified.CurrentAddress {
		t.Errorf("resident record = %+v (outflow %+v)", rs, rs.Outflow)
	}
	if got := mustCase(t, db, "C1"); got.Person.CurrentAddress != r.Verified.CurrentAddress || got.Rev != c.Rev {
		t.Errorf("case after R2: address %q rev %d (was %d)", got.Person.CurrentAddress, got.Rev, c.Rev)
	}
	// The verified values do not make the imported case look changed.
	if s := mustImport(t, db, tc); s.Unchanged != 1 {
		t.Errorf("re-import after R2: %+v", s)
	}
}

func TestApply_R3(t *testing.T) {
	db, _ := MustOpenCounty(t)
	tc := testCase("C1", 1, townA)
	c := assignedWith(t, db, tc, []hecha.FloatingRecord{floatingOf(tc.Person, "F1", otherCounty)}, nil)
	if c.Candidates[0].Form != hecha.FormR3 {
		t.Fatalf("form %s", c.Candidates[0].Form)
	}
	r := verifiedResult(c, hecha.FormR3, "F1")
	r.Reregistration = &hecha.Reregistration{Withdrawn: true, InflowDivision: farCounty,
		InflowAddress: "广东省深圳市南山区新登记 2 号", Date: hecha.NewDate(2024, 1, 10)}
	mustAccept(t, db, r)

	if old := mustFloating(t, db, tc.Person.CitizenID, "F1"); !old.Withdrawn {
		t.Errorf("old registration not withdrawn: %+v", old)
	}
	nw := mustFloating(t, db, tc.Person.CitizenID, "F"+r.ID)
	if nw.Withdrawn || nw.InflowDivision != farCounty || nw.InflowDate != hecha.NewDate(2024, 1, 10) ||
		nw.InflowAddress != r.Reregistration.InflowAddress || nw.Name != tc.Person.Name {
		t.Errorf("new registration = %+v", nw)
	}
}

func TestApply_R5(t *testing.T) {
	db, _ := MustOpenCounty(t)
	tc := testCase("C1", 1, townA)
	out := &hecha.Outflow{Date: hecha.NewDate(2015, 3, 1), Destination: otherCounty, Reason: "1"}
	c := assignedWith(t, db, tc, nil, []hecha.ResidentRecord{residentOf(tc.Person, "RS1", out)})
	if c.Candidates[0].Form != hecha.FormR5 {
		t.Fatalf("form %s", c.Candidates[0].Form)
	}
	r := verifiedResult(c, hecha.FormR5, "RS1")
	r.Correction = &hecha.OutflowCorrection{Destination: farCounty, Address: "深圳南山", Date: hecha.NewDate(2024, 2, 1)}
	mustAccept(t, db, r)
	rs := mustResident(t, db, tc.Person.CitizenID, "RS1")
	if rs.Outflow == nil || rs.Outflow.Destination != farCounty || rs.Outflow.Address != "深圳南山" ||
		rs.Outflow.Date != out.Date {
		t.Errorf("corrected outflow = %+v", rs.Outflow)
	}
}

func TestApply_R6AndP1(t *testing.T) {
	db, _ := MustOpenCounty(t)
	tc := testCase("C1", 1, townA)
	c := assignedWith(t, db, tc, nil, []hecha.ResidentRecord{residentOf(tc.Person, "RS1", nil)})
	if c.Candidates[0].Form != hecha.FormR6 {
		t.Fatalf("form %s", c.Candidates[0].Form)
	}
	r := verifiedResult(c, hecha.FormR6, "RS1")
	r.Registration = &hecha.Outflow{Date: hecha.NewDate(2015, 3, 1), Destination: farCounty, Address: "深圳", Reason: "1"}
	mustAccept(t, db, r)
	if rs := mustResident(t, db, tc.Person.CitizenID, "RS1"); rs.Outflow == nil || *rs.Outflow != *r.Registration {
		t.Errorf("R6 outflow = %+v", rs.Outflow)
	}

	// In-province: the outflow registration made now points at the inflow township.
	p := testCase("P1", 2, townA)
	p.Kind = hecha.KindInProvince
	p.Person.CurrentDivision = ""
	p.InflowDivision, p.InflowDate = otherTown, hecha.NewDate(2020, 5, 1)
	pc := assignedWith(t, db, p, nil, []hecha.ResidentRecord{residentOf(p.Person, "RS2", nil)})
	pr := verifiedResult(pc, hecha.FormP1, "RS2")
	pr.Verified.CurrentDivision = otherTown
	pr.Registration = &hecha.Outflow{Date: hecha.NewDate(2020, 5, 1), Destination: otherTown, Reason: "1"}
	mustAccept(t, db, pr)
	if rs := mustResident(t, db, p.Person.CitizenID, "RS2"); rs.Outflow == nil || rs.Outflow.Destination != otherTown {
		t.Errorf("P1 outflow = %+v", rs.Outflow)
	}
}

func TestApply_Mismatch(t *testing.T) {
	db, _ := MustOpenCounty(t)
	tc := testCase("M1", 1, townA)
	tc.Kind = hecha.KindMismatch
	tc.Person.CurrentDivision = ""
	res := hecha.Basic{Name: tc.Person.Name, Sex: tc.Person.Sex, BirthDate: tc.Person.BirthDate, CitizenID: tc.Person.CitizenID}
	out := res
	out.Name = "张错名"
	tc.Resident, tc.Outflow = &res, &out
	flRec := floatingOf(tc.Person, "F1", farCounty)
	flRec.Name = out.Name
	rsRec := residentOf(tc.Person, "RS1", nil)
	c := assignedWith(t, db, tc, []hecha.FloatingRecord{flRec}, []hecha.ResidentRecord{rsRec})
	r := hecha.Result{
		ID: hecha.NewResultID(Now), CaseID: c.ID, Form: hecha.FormM, CaseRev: c.Rev, SavedAt: Now,
		CandidateID: "RS1", SignOff: &hecha.SignOff{Confirmed: true, Name: "赵五"},
		Mismatch: &hecha.MismatchResolution{NameChoice: hecha.Corrected, SexChoice: hecha.KeepResident,
			BirthDateChoice: hecha.KeepOutflow, CitizenIDChoice: hecha.KeepResident,
			Corrected: hecha.Basic{Name: "张正名"}},
	}
	mustAccept(t, db, r)
	if fl := mustFloating(t, db, tc.Person.CitizenID, "F1"); fl.Name != "张正名" {
		t.Errorf("outflow side = %+v", fl)
	}
	if rs := mustResident(t, db, tc.Person.CitizenID, "RS1"); rs.Name != "张正名" || rs.Sex != res.Sex {
		t.Errorf("resident record = %+v", rs)
	}
	if got := mustCase(t, db, "M1"); got.Person.Name != "张正名" {
		t.Errorf("case name = %q", got.Person.Name)
	}
}

func TestApply_R1ChangesNoRecord(t *testing.T) {
	ctx := context.Background()
	db, _ := MustOpenCounty(t)
	tc := testCase("C1", 1, townA)
	c := assignedWith(t, db, tc, []hecha.FloatingRecord{floatingOf(tc.Person, "F1", farCounty)}, nil)
	before, _ := db.FloatingByCitizenID(tc.Person.CitizenID)
	mustAccept(t, db, notFoundResult(c))
	after, _ := db.FloatingByCitizenID(tc.Person.CitizenID)
	fl, rs, err := db.RegistryCount(ctx)
	if err != nil || fl != 1 || rs != 0 || len(after) != 1 || after[0] != before[0] {
		t.Errorf("R1 changed the registries: %d/%d %+v → %+v", fl, rs, before, after)
	}
}
