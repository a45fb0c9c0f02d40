package hecha

import (
	"strings"
	"testing"
)

// fxInProvinceCase returns a valid in-province case: 张伟 was registered
// as having moved in to 经八路街道 in 金水区.
func fxInProvinceCase() Case {
	c := fxCase()
	c.ID = "SN4101050010001"
	c.Kind = KindInProvince
	c.Person.CurrentDivision = "410105001"
	c.Person.CurrentAddress = "郑州市金水区经八路5号"
	c.InflowDivision = "410105001"
	c.InflowDate = NewDate(2016, 4, 1)
	return c
}

// fxCaseFor returns the valid case of the kind form belongs to.
func fxCaseFor(form Form) Case {
	switch form.Kind() {
	case KindInProvince:
		return fxInProvinceCase()
	case KindMismatch:
		return fxMismatchCase()
	}
	return fxCase()
}

// fxResult returns a valid result of form for c.
func fxResult(c *Case, form Form) Result {
	res := Result{CaseID: c.ID, Form: form, Township: "410102001", Clerk: "赵敏"}
	sign := &SignOff{Confirmed: true, Name: "李建国"}
	if form.Confirms() {
		v := Prefill(c)
		res.Verified, res.SignOff = &v, sign
	}
	switch form {
	case FormR1, FormP2:
		res.NotFound = &NotFound{Reason: NotFoundDied}
	case FormR3:
		res.Reregistration = &Reregistration{Withdrawn: true, InflowDivision: "440305", InflowAddress: "深圳市南山区科技园路1号", Date: NewDate(2024, 5, 1)}
	case FormR5:
		res.Correction = &OutflowCorrection{Destination: "440305", Date: NewDate(2024, 5, 2)}
	case FormR6:
		res.Registration = &Outflow{Date: NewDate(2015, 3, 1), Destination: "440305", Reason: "1"}
	case FormP1:
		res.Registration = &Outflow{Date: NewDate(2016, 4, 1), Destination: "410105001", Reason: "1"}
	case FormM:
		res.Mismatch = &MismatchResolution{NameChoice: KeepResident, SexChoice: KeepResident, BirthDateChoice: KeepResident, CitizenIDChoice: KeepResident}
		res.SignOff = sign
	}
	return res
}

type resultRow struct {
	name  string
	edit  func(res *Result, c *Case)
	field string
	msgID string // "" means valid
}

// runResultRows runs rows against a valid result of each form in forms.
func runResultRows(t *testing.T, forms []Form, rows []resultRow) {
	t.Helper()
	r := fxRules(t)
	for _, form := range forms {
		for _, tc := range rows {
			t.Run(string(form)+"/"+tc.name, func(t *testing.T) {
				c := fxCaseFor(form)
				res := fxResult(&c, form)
				tc.edit(&res, &c)
				err := res.Validate(&c, r)
				if tc.msgID == "" {
					fxOK(t, err)
					return
				}
				fxWant(t, err, tc.field, tc.msgID)
			})
		}
	}
}

func TestResult_EveryFormValid(t *testing.T) {
	r := fxRules(t)
	for _, form := range Forms {
		c := fxCaseFor(form)
		res := fxResult(&c, form)
		if err := res.Validate(&c, r); err != nil {
			t.Errorf("%s: %s", form, fxDescribe(err))
		}
	}
}

func TestResult_FormMustSuitKind(t *testing.T) {
	runResultRows(t, []Form{FormR1}, []resultRow{
		{"empty", func(res *Result, c *Case) { res.Form = "" }, "form", "form.required"},
		{"unknown", func(res *Result, c *Case) { res.Form = "R7" }, "form", "result.form_unknown"},
		{"in-province form on cross-province case", func(res *Result, c *Case) { res.Form = FormP2 }, "form", "result.form_kind"},
		{"mismatch form on cross-province case", func(res *Result, c *Case) { res.Form = FormM }, "form", "result.form_kind"},
	})
	runResultRows(t, []Form{FormM}, []resultRow{
		{"R1 on mismatch case", func(res *Result, c *Case) { res.Form = FormR1 }, "form", "result.form_kind"},
	})
}

func TestResult_CaseIDMustMatch(t *testing.T) {
	runResultRows(t, []Form{FormR1, FormR2}, []resultRow{
		{"empty", func(res *Result, c *Case) { res.CaseID = "" }, "case_id", "form.required"},
		{"other case", func(res *Result, c *Case) { res.CaseID = "KS0002" }, "case_id", "result.case_mismatch"},
	})
}

func TestResult_ExactlyTheBodyNeeded(t *testing.T) {
	runResultRows(t, []Form{FormR1, FormP2}, []resultRow{
		{"missing", func(res *Result, c *Case) { res.NotFound = nil }, "not_found", "form.required"},
		{"verified too", func(res *Result, c *Case) { v := Prefill(c); res.Verified = &v }, "verified", "result.unexpected_body"},
		{"sign-off too", func(res *Result, c *Case) { res.SignOff = &SignOff{Confirmed: true, Name: "李建国"} }, "sign_off", "result.unexpected_body"},
	})
	runResultRows(t, []Form{FormR2, FormR4}, []resultRow{
		{"no verified", func(res *Result, c *Case) { res.Verified = nil }, "verified", "form.required"},
		{"no sign-off", func(res *Result, c *Case) { res.SignOff = nil }, "sign_off", "form.required"},
		{"not found too", func(res *Result, c *Case) { res.NotFound = &NotFound{Reason: NotFoundDied} }, "not_found", "result.unexpected_body"},
		{"reregistration too", func(res *Result, c *Case) { res.Reregistration = &Reregistration{} }, "reregistration", "result.unexpected_body"},
		{"mismatch too", func(res *Result, c *Case) { res.Mismatch = &MismatchResolution{} }, "mismatch", "result.unexpected_body"},
	})
	runResultRows(t, []Form{FormR3}, []resultRow{
		{"missing", func(res *Result, c *Case) { res.Reregistration = nil }, "reregistration", "form.required"},
		{"correction too", func(res *Result, c *Case) { res.Correction = &OutflowCorrection{} }, "correction", "result.unexpected_body"},
	})
	runResultRows(t, []Form{FormR5}, []resultRow{
		{"missing", func(res *Result, c *Case) { res.Correction = nil }, "correction", "form.required"},
		{"registration too", func(res *Result, c *Case) { res.Registration = &Outflow{} }, "registration", "result.unexpected_body"},
	})
	runResultRows(t, []Form{FormR6, FormP1}, []resultRow{
		{"missing", func(res *Result, c *Case) { res.Registration = nil }, "registration", "form.required"},
	})
	runResultRows(t, []Form{FormM}, []resultRow{
		{"missing", func(res *Result, c *Case) { res.Mismatch = nil }, "mismatch", "form.required"},
		{"verified too", func(res *Result, c *Case) { v := Prefill(c); res.Verified = &v }, "verified", "result.unexpected_body"},
	})
}

func TestResult_IDs(t *testing.T) {
	id := NewResultID(fxNow)
	runResultRows(t, []Form{FormR1}, []resultRow{
		{"valid id", func(res *Result, c *Case) { res.ID = id }, "", ""},
		{"malformed id", func(res *Result, c *Case) { res.ID = "r-1" }, "id", "result.id_invalid"},
		{"malformed replaces", func(res *Result, c *Case) { res.Replaces = "old" }, "replaces", "result.id_invalid"},
		{"replaces itself", func(res *Result, c *Case) { res.ID, res.Replaces = id, id }, "replaces", "result.replaces_self"},
		{"negative revision", func(res *Result, c *Case) { res.CaseRev = -2 }, "case_rev", "case.rev_negative"},
		{"township", func(res *Result, c *Case) { res.Township = "410102" }, "township", "division.level.township"},
	})
}

func TestR1_ReasonRequired(t *testing.T) {
	runResultRows(t, []Form{FormR1, FormP2}, []resultRow{
		{"empty", func(res *Result, c *Case) { res.NotFound.Reason = "" }, "not_found.reason", "form.required"},
		{"unknown", func(res *Result, c *Case) { res.NotFound.Reason = "5" }, "not_found.reason", "form.code_unknown"},
		{"name not code", func(res *Result, c *Case) { res.NotFound.Reason = "死亡" }, "not_found.reason", "form.code_unknown"},
	})
}

func TestR1_MarriedOutNeedsDestinationAtTownship(t *testing.T) {
	for name, reason := range map[string]NotFoundReason{"married_out": NotFoundMarriedOut, "moved_out": NotFoundMovedOut} {
		set := func(dest Code, addr string) func(res *Result, c *Case) {
			return func(res *Result, c *Case) {
				res.NotFound = &NotFound{Reason: reason, Destination: dest, DestAddress: addr}
			}
		}
		t.Run(name, func(t *testing.T) {
			runResultRows(t, []Form{FormR1, FormP2}, []resultRow{
				{"no destination", set("", "洛阳市老城区西关街道"), "not_found.destination", "form.required"},
				{"county only", set("410302", "洛阳市老城区"), "not_found.destination", "division.level.township"},
				{"unknown township", set("410302999", "洛阳市老城区"), "not_found.destination", "division.unknown"},
				{"no address", set("410302001", ""), "not_found.dest_address", "form.required"},
				{"township", set("410302001", "洛阳市老城区西关街道东大街3号"), "", ""},
				{"village", set("410102001002", "碧沙岗社区"), "", ""},
				{"township in another province", set("440306001", "深圳市宝安区"), "", ""},
			})
		})
	}
}

func TestR1_OtherNeedsRemark(t *testing.T) {
	runResultRows(t, []Form{FormR1, FormP2}, []resultRow{
		{"no remark", func(res *Result, c *Case) { res.NotFound = &NotFound{Reason: NotFoundOther} }, "not_found.remark", "form.required"},
		{"blank remark", func(res *Result, c *Case) { res.NotFound = &NotFound{Reason: NotFoundOther, Remark: " \t"} }, "not_found.remark", "form.required"},
		{"remark too long", func(res *Result, c *Case) {
			res.NotFound = &NotFound{Reason: NotFoundOther, Remark: strings.Repeat("无", MaxRemarkLen+1)}
		}, "not_found.remark", "text.too_long"},
		{"remark", func(res *Result, c *Case) {
			res.NotFound = &NotFound{Reason: NotFoundOther, Remark: "村委会称此人从未在本村居住"}
		}, "", ""},
	})
}

func TestR1_DiedNeedsNothingMore(t *testing.T) {
	runResultRows(t, []Form{FormR1, FormP2}, []resultRow{
		{"died", func(res *Result, c *Case) { res.NotFound = &NotFound{Reason: NotFoundDied} }, "", ""},
	})
}

var confirmingForms = []Form{FormR2, FormR3, FormR4, FormR5, FormR6, FormP1}

func TestConfirm_NeedsVerifiedInformation(t *testing.T) {
	runResultRows(t, confirmingForms, []resultRow{
		{"education missing", func(res *Result, c *Case) { res.Verified.Education = "" }, "verified.education", "form.required"},
		{"household at county", func(res *Result, c *Case) { res.Verified.HouseholdDivision = "410102" }, "verified.household_division", "division.level.township"},
		{"ID birth", func(res *Result, c *Case) { res.Verified.BirthDate = NewDate(1990, 3, 14) }, "verified.birth_date", "form.id_birth_mismatch"},
		{"member", func(res *Result, c *Case) { res.Verified.Members[0].Name = "" }, "verified.members[0].name", "form.required"},
	})
}

func TestConfirm_NeedsSignOff(t *testing.T) {
	runResultRows(t, append(confirmingForms, FormM), []resultRow{
		{"not ticked", func(res *Result, c *Case) { res.SignOff.Confirmed = false }, "sign_off.confirmed", "result.not_confirmed"},
		{"no name", func(res *Result, c *Case) { res.SignOff.Name = "" }, "sign_off.name", "form.required"},
		{"bad name", func(res *Result, c *Case) { res.SignOff.Name = "李建国1" }, "sign_off.name", "text.name_chars"},
	})
}

func TestR3_MustWithdraw(t *testing.T) {
	runResultRows(t, []Form{FormR3}, []resultRow{
		{"not withdrawn", func(res *Result, c *Case) { res.Reregistration.Withdrawn = false }, "reregistration.withdrawn", "result.not_withdrawn"},
	})
}

func TestR3_InflowMustAgreeToCounty(t *testing.T) {
	runResultRows(t, []Form{FormR3}, []resultRow{
		{"missing", func(res *Result, c *Case) { res.Reregistration.InflowDivision = "" }, "reregistration.inflow_division", "form.required"},
		{"other county", func(res *Result, c *Case) { res.Reregistration.InflowDivision = "440306" }, "reregistration.inflow_division", "result.county_disagree"},
		{"city only", func(res *Result, c *Case) { res.Reregistration.InflowDivision = "4403" }, "reregistration.inflow_division", "division.level.county"},
		{"township of the same county", func(res *Result, c *Case) { res.Reregistration.InflowDivision = "440305003" }, "", ""},
	})
}

func TestR3_DateRules(t *testing.T) {
	runResultRows(t, []Form{FormR3}, []resultRow{
		{"missing", func(res *Result, c *Case) { res.Reregistration.Date = Date{} }, "reregistration.date", "form.required"},
		{"future", func(res *Result, c *Case) { res.Reregistration.Date = NewDate(2024, 6, 16) }, "reregistration.date", "form.date_future"},
		{"before outflow", func(res *Result, c *Case) { res.Reregistration.Date = NewDate(2015, 2, 1) }, "reregistration.date", "result.before_outflow"},
	})
}

func TestR5_DestinationMustAgreeToCounty(t *testing.T) {
	runResultRows(t, []Form{FormR5}, []resultRow{
		{"missing", func(res *Result, c *Case) { res.Correction.Destination = "" }, "correction.destination", "form.required"},
		{"other county", func(res *Result, c *Case) { res.Correction.Destination = "440106" }, "correction.destination", "result.county_disagree"},
		{"date missing", func(res *Result, c *Case) { res.Correction.Date = Date{} }, "correction.date", "form.required"},
		{"date future", func(res *Result, c *Case) { res.Correction.Date = NewDate(2025, 1, 1) }, "correction.date", "form.date_future"},
	})
}

func TestR6_RegistrationRules(t *testing.T) {
	runResultRows(t, []Form{FormR6}, []resultRow{
		{"date missing", func(res *Result, c *Case) { res.Registration.Date = Date{} }, "registration.date", "form.required"},
		{"date future", func(res *Result, c *Case) { res.Registration.Date = NewDate(2024, 7, 1) }, "registration.date", "form.date_future"},
		{"date before birth", func(res *Result, c *Case) { res.Registration.Date = NewDate(1990, 3, 14) }, "registration.date", "form.before_birth"},
		{"destination other county", func(res *Result, c *Case) { res.Registration.Destination = "440306" }, "registration.destination", "result.county_disagree"},
		{"destination unknown", func(res *Result, c *Case) { res.Registration.Destination = "440399" }, "registration.destination", "division.unknown"},
		{"reason missing", func(res *Result, c *Case) { res.Registration.Reason = "" }, "registration.reason", "form.required"},
		{"reason unknown", func(res *Result, c *Case) { res.Registration.Reason = "8" }, "registration.reason", "form.code_unknown"},
	})
}

// TestP1_DestinationIsInflowTownship checks that P1's outflow registration
// names the inflow township itself (DESIGN §5: destination = the inflow
// township), not just its county.
func TestP1_DestinationIsInflowTownship(t *testing.T) {
	runResultRows(t, []Form{FormP1}, []resultRow{
		{"other county", func(res *Result, c *Case) { res.Registration.Destination = "410102001" }, "registration.destination", "result.county_disagree"},
		{"county only", func(res *Result, c *Case) { res.Registration.Destination = "410105" }, "registration.destination", "division.level.township"},
		{"inflow township", func(res *Result, c *Case) { res.Registration.Destination = "410105001" }, "", ""},
		{"reason missing", func(res *Result, c *Case) { res.Registration.Reason = "" }, "registration.reason", "form.required"},
		{"date missing", func(res *Result, c *Case) { res.Registration.Date = Date{} }, "registration.date", "form.required"},
	})
	// Another township of the inflow county is not the inflow township.
	r := fxRules(t)
	if err := r.Divisions.Add(Division{Code: "410105002", Name: "杜岭街道"}); err != nil {
		t.Fatal(err)
	}
	c := fxInProvinceCase()
	res := fxResult(&c, FormP1)
	res.Registration.Destination = "410105002"
	fxWant(t, res.Validate(&c, r), "registration.destination", "result.township_disagree")
	res.Registration.Destination = "410105001"
	fxOK(t, res.Validate(&c, r))
}

func TestDraftProblems_SameAsValidate(t *testing.T) {
	r := fxRules(t)
	c := fxCase()
	res := Result{CaseID: c.ID, Form: FormR2}
	probs := DraftProblems(&c, &res, r)
	if len(probs.ForField("verified")) != 1 || len(probs.ForField("sign_off")) != 1 {
		t.Fatalf("draft problems = %s", fxDescribe(probs))
	}
	if got := DraftProblems(&c, nil, r); got != nil {
		t.Fatalf("nil draft: %v", got)
	}
	ok := fxResult(&c, FormR2)
	if got := DraftProblems(&c, &ok, r); len(got) != 0 {
		t.Fatalf("complete draft: %s", fxDescribe(got))
	}
}

func TestPrefill_DeepCopy(t *testing.T) {
	c := fxCase()
	p := Prefill(&c)
	p.Name = "张三"
	p.Members[0].Name = "李四"
	if c.Person.Name != "张伟" || c.Person.Members[0].Name != "王芳" {
		t.Fatal("editing the pre-filled information changed the case")
	}
}

func TestResult_NilCase(t *testing.T) {
	res := Result{Form: FormR1}
	if got := ErrorCode(res.Validate(nil, nil)); got != EINTERNAL {
		t.Fatalf("code = %q", got)
	}
}

func TestResult_FormFollowsPickedCandidate(t *testing.T) {
	floating := func(inflow Code) Candidate {
		return Candidate{Source: SourceFloating, Floating: &FloatingRecord{ID: "F1", InflowDivision: inflow}}
	}
	runResultRows(t, []Form{FormR2}, []resultRow{
		{"agrees", func(res *Result, c *Case) {
			c.Candidates = []Candidate{floating(c.Person.CurrentDivision)}
			res.CandidateID = "F1"
		}, "", ""},
		{"candidate calls for R3", func(res *Result, c *Case) {
			c.Candidates = []Candidate{floating("110105")}
			res.CandidateID = "F1"
		}, "form", "result.candidate_form"},
		{"found by a local comparison", func(res *Result, c *Case) { res.CandidateID = "F9" }, "", ""},
	})
	runResultRows(t, []Form{FormR1, FormP2}, []resultRow{
		{"no such person with a candidate", func(res *Result, c *Case) { res.CandidateID = "F1" }, "candidate_id", "result.candidate_not_found_form"},
	})
}
