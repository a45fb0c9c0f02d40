package hecha

import (
	"encoding/json"
	"testing"
)

// FuzzValidateJSON feeds a case and a result decoded from arbitrary JSON,
// as the county receives them, to Case.Validate, Result.Validate,
// DraftProblems and Compare: none may panic, and every error must be a
// domain error with a field that has a display name.
func FuzzValidateJSON(f *testing.F) {
	c := fxCase()
	mm := fxMismatchCase()
	for _, form := range Forms {
		cs := fxCaseFor(form)
		res := fxResult(&cs, form)
		cj, _ := json.Marshal(cs)
		rj, _ := json.Marshal(res)
		f.Add(cj, rj)
	}
	cj, _ := json.Marshal(c)
	mj, _ := json.Marshal(mm)
	f.Add(cj, []byte(`{"form":"R3","reregistration":{"inflow_division":"4403051","date":"2024-02-30"}}`))
	f.Add(mj, []byte(`{"form":"M","mismatch":{"name_choice":"corrected","citizen_id_choice":"outflow"}}`))
	f.Add([]byte(`{"kind":"3","resident":{},"outflow":null,"person":{"members":[{},{"citizen_id":"x"}]}}`), []byte(`{}`))

	r := fxRules(f)
	reg := fxRegistry([]FloatingRecord{fxFloating("F1", "440305")}, []ResidentRecord{fxResident("R1", nil)})
	f.Fuzz(func(t *testing.T, caseJSON, resultJSON []byte) {
		var cs Case
		var res Result
		if json.Unmarshal(caseJSON, &cs) != nil || json.Unmarshal(resultJSON, &res) != nil {
			return
		}
		check := func(err error) {
			for _, e := range AsErrors(err) {
				if e.Code != EINVALID {
					t.Fatalf("non-domain error %v", e)
				}
				if !HasFieldName(e.Field) {
					t.Fatalf("field %q has no display name", e.Field)
				}
			}
		}
		check(cs.Validate(r))
		check(res.Validate(&cs, r))
		check(DraftProblems(&cs, &res, r).Err())
		if res.Verified != nil {
			check(res.Verified.Validate(r))
		}
		for _, p := range []Precision{PrecisionDay, PrecisionMonth, PrecisionYear} {
			cm, err := Compare(&cs, reg, reg, p)
			if err != nil {
				t.Fatal(err)
			}
			for i := range cm.Candidates {
				if got := FormFor(&cs, &cm.Candidates[i]); got != cm.Candidates[i].Form {
					t.Fatalf("candidate form %s, FormFor %s", cm.Candidates[i].Form, got)
				}
			}
		}
		cs.Normalize()
		check(cs.Validate(r))
	})
}
