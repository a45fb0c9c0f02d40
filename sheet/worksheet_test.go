package sheet

import (
	"hecha"

	"slices"
	"strings"
	"testing"
)

// wsSheet is a worksheet's header and a row to fill, for case c.
type wsSheet struct {
	cols []WorksheetColumn
	h    *WorksheetHeader
}

func newWSSheet(t testing.TB, r *hecha.Rules) wsSheet {
	t.Helper()
	cols := WorksheetColumns(r)
	h, err := NewWorksheetHeader(WorksheetHeaderRow(cols))
	if err != nil {
		t.Fatalf("header: %v", err)
	}
	return wsSheet{cols, h}
}

// row returns the worksheet row of c with the cells in set filled in, by
// column key.
func (s wsSheet) row(t testing.TB, c *hecha.Case, r *hecha.Rules, set map[string]string) []string {
	t.Helper()
	row := WorksheetRow(s.cols, c, r)
	for k, v := range set {
		i := slices.IndexFunc(s.cols, func(col WorksheetColumn) bool { return col.Key == k })
		if i < 0 {
			t.Fatalf("no column %s", k)
		}
		row[i] = v
	}
	return row
}

func (s wsSheet) cell(row []string, key string) string {
	for i, col := range s.cols {
		if col.Key == key {
			return row[i]
		}
	}
	return "<none>"
}

func TestWorksheetColumnsByKind(t *testing.T) {
	r := fxRules(t)
	keys := func(cols []WorksheetColumn) []string {
		var out []string
		for _, c := range cols {
			out = append(out, c.Key)
		}
		return out
	}
	cross := keys(WorksheetColumns(r, hecha.KindCrossProvince))
	for _, k := range []string{"case_id", "verified.name", "verified.members", "form", "not_found.reason", "reregistration.date",
		"correction.date", "registration.reason", "sign_off.confirmed", "sign_off.name", "candidate_id"} {
		if !slices.Contains(cross, k) {
			t.Errorf("cross-province sheet lacks %s", k)
		}
	}
	for _, k := range []string{"inflow_division", "resident.name", "mismatch.name_choice", "result.id"} {
		if slices.Contains(cross, k) {
			t.Errorf("cross-province sheet has %s", k)
		}
	}
	if cross[0] != "case_id" || cross[1] != "verified.name" {
		t.Errorf("sheet starts %v, want the case number and the name", cross[:2])
	}
	mm := keys(WorksheetColumns(r, hecha.KindMismatch))
	if slices.Contains(mm, "verified.name") || !slices.Contains(mm, "mismatch.corrected.citizen_id") || !slices.Contains(mm, "outflow.birth_date") {
		t.Errorf("mismatch sheet: %v", mm)
	}
	all := keys(ResultColumns(r))
	if !slices.Contains(all, "result.saved_at") || !slices.Contains(all, "inflow_date") || !slices.Contains(all, "mismatch.sex_choice") {
		t.Errorf("export columns: %v", all)
	}
	// The form's choices are the forms of the kinds on the sheet.
	for _, col := range WorksheetColumns(r, hecha.KindInProvince) {
		if col.Key == "form" && !slices.Equal(col.Choices, []string{"P1 已补流出登记", "P2 查无此人"}) {
			t.Errorf("in-province form choices = %v", col.Choices)
		}
	}
}

func TestWorksheetRowPrefills(t *testing.T) {
	r := fxRules(t)
	s := newWSSheet(t, r)
	c := fxCase()
	c.Candidates = []hecha.Candidate{{Source: hecha.SourceFloating, Floating: &hecha.FloatingRecord{ID: "F77"}, Form: hecha.FormR2, Differs: []string{"birth_date"}}}
	c.Person.Members = append(c.Person.Members, hecha.Member{Name: "张小明", Relationship: "20"})
	row := WorksheetRow(s.cols, &c, r)
	want := map[string]string{
		"case_id":                     c.ID,
		"verified.name":               "张伟",
		"verified.sex":                "男",
		"verified.birth_date":         "1990-03-15",
		"verified.household_division": "410102001000 河南省/郑州市/中原区/林山寨街道",
		"candidate_id":                "",
		"form":                        "",
		"not_found.reason":            "",
		"sign_off.confirmed":          "",
		"inflow_division":             "",
	}
	for k, v := range want {
		if got := s.cell(row, k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	if got := s.cell(row, "comparison"); !strings.Contains(got, "R2 流动人口系统 F77") || !strings.Contains(got, "出生日期不同") {
		t.Errorf("comparison = %q", got)
	}
	if got := s.cell(row, "verified.members"); got != "王芳|配偶|410102199105200240|女|1991-05-20\n张小明|子" {
		t.Errorf("members are not one per line: %q", got)
	}

	// A mismatch case shows its two records, not the 15 items.
	m := fxMismatchCase()
	row = WorksheetRow(s.cols, &m, r)
	if s.cell(row, "verified.name") != "" || s.cell(row, "resident.birth_date") != "1988-11-02" || s.cell(row, "outflow.birth_date") != "1988-12-02" {
		t.Errorf("mismatch row: name %q resident %q outflow %q", s.cell(row, "verified.name"), s.cell(row, "resident.birth_date"), s.cell(row, "outflow.birth_date"))
	}
}

// TestWorksheetRoundTrip writes a valid result of every form into a row
// (as the export of results does) and reads it back: the same content,
// no error.
func TestWorksheetRoundTrip(t *testing.T) {
	r := fxRules(t)
	s := newWSSheet(t, r)
	for _, form := range hecha.Forms {
		t.Run(string(form), func(t *testing.T) {
			c := fxCaseFor(form)
			want := fxResult(&c, form)
			if want.Verified != nil {
				want.Verified.CurrentAddress = "深圳市南山区科技园路9号" // corrected in the field
			}
			if form == hecha.FormR1 {
				want.NotFound = &hecha.NotFound{Reason: hecha.NotFoundMovedOut, Destination: "410302001", DestAddress: "洛阳市老城区西关1号"}
			}
			if form == hecha.FormM {
				want.Mismatch.BirthDateChoice = hecha.Corrected
				want.Mismatch.Corrected.BirthDate = hecha.NewDate(1988, 11, 2)
			}
			fxOK(t, want.Validate(&c, r))
			row := ResultRow(s.cols, &c, &want, r)
			got, err := s.h.ParseResult(row, &c, r)
			fxOK(t, err)
			if !got.SameContent(&want) {
				t.Errorf("read back\n%+v\nwant\n%+v", got, want)
			}
		})
	}
}

func TestWorksheetParseResult(t *testing.T) {
	r := fxRules(t)
	s := newWSSheet(t, r)
	cross, in, mm := fxCase(), fxInProvinceCase(), fxMismatchCase()
	sign := map[string]string{"sign_off.confirmed": "√", "sign_off.name": "李建国"}
	with := func(base map[string]string, more map[string]string) map[string]string {
		out := map[string]string{}
		for k, v := range base {
			out[k] = v
		}
		for k, v := range more {
			out[k] = v
		}
		return out
	}
	rows := []struct {
		name  string
		c     *hecha.Case
		set   map[string]string
		form  hecha.Form
		field string
		msgID string // "" means valid
	}{
		{"died", &cross, map[string]string{"form": "R1", "not_found.reason": "死亡"}, hecha.FormR1, "", ""},
		{"by name", &cross, map[string]string{"form": "查无此人", "not_found.reason": "3"}, hecha.FormR1, "", ""},
		{"in-province name", &in, map[string]string{"form": "查无此人", "not_found.reason": "死亡"}, hecha.FormP2, "", ""},
		{"label", &cross, map[string]string{"form": "R1 查无此人", "not_found.reason": "死亡"}, hecha.FormR1, "", ""},
		{"married out needs destination", &cross, map[string]string{"form": "r1", "not_found.reason": "婚出"}, hecha.FormR1, "not_found.destination", "form.required"},
		{"destination with name", &cross, map[string]string{"form": "R1", "not_found.reason": "婚出",
			"not_found.destination": "410302001000 河南省/洛阳市/老城区/西关街道", "not_found.dest_address": "西关1号"}, hecha.FormR1, "", ""},
		{"destination at county level", &cross, map[string]string{"form": "R1", "not_found.reason": "婚出",
			"not_found.destination": "410302", "not_found.dest_address": "西关1号"}, hecha.FormR1, "not_found.destination", ""},
		{"other needs remark", &cross, map[string]string{"form": "R1", "not_found.reason": "其他"}, hecha.FormR1, "not_found.remark", "form.required"},
		{"reason unknown", &cross, map[string]string{"form": "R1", "not_found.reason": "出国"}, hecha.FormR1, "not_found.reason", "code.unknown"},
		{"form unknown", &cross, map[string]string{"form": "R9"}, "", "form", "worksheet.form_unknown"},
		{"form of another kind", &cross, map[string]string{"form": "P1"}, hecha.FormP1, "form", "result.form_kind"},
		{"confirm", &cross, with(sign, map[string]string{"form": "R2"}), hecha.FormR2, "", ""},
		{"not signed", &cross, map[string]string{"form": "R2", "sign_off.name": "李建国"}, hecha.FormR2, "sign_off.confirmed", "result.not_confirmed"},
		{"sign-off unreadable", &cross, with(sign, map[string]string{"form": "R2", "sign_off.confirmed": "也许"}), hecha.FormR2, "sign_off.confirmed", "row.bool"},
		{"verified date bad", &cross, with(sign, map[string]string{"form": "R4", "verified.birth_date": "1990-02-30"}), hecha.FormR4, "verified.birth_date", "date.nonexistent"},
		{"verified ID disagrees", &cross, with(sign, map[string]string{"form": "R4", "verified.birth_date": "1990-03-16"}), hecha.FormR4, "verified.birth_date", "form.id_birth_mismatch"},
		{"R3 needs the new registration", &cross, with(sign, map[string]string{"form": "R3", "reregistration.withdrawn": "是"}), hecha.FormR3, "reregistration.date", "form.required"},
		{"R3", &cross, with(sign, map[string]string{"form": "R3", "reregistration.withdrawn": "是",
			"reregistration.inflow_division": "440305", "reregistration.date": "2024/5/1"}), hecha.FormR3, "", ""},
		{"R5 other county", &cross, with(sign, map[string]string{"form": "R5", "correction.destination": "440306", "correction.date": "2024-05-02"}),
			hecha.FormR5, "correction.destination", "result.county_disagree"},
		{"R6", &cross, with(sign, map[string]string{"form": "R6", "registration.date": "2015-03-01",
			"registration.destination": "440305", "registration.reason": "务工经商"}), hecha.FormR6, "", ""},
		{"P1", &in, with(sign, map[string]string{"form": "P1", "registration.date": "2016-04-01",
			"registration.destination": "410105001", "registration.reason": "1"}), hecha.FormP1, "", ""},
		{"column of another form", &cross, with(sign, map[string]string{"form": "R2", "correction.date": "2024-05-02"}),
			hecha.FormR2, "correction.date", "worksheet.unused_column"},
		{"M", &mm, with(sign, map[string]string{"form": "M", "mismatch.name_choice": "常住", "mismatch.sex_choice": "流出",
			"mismatch.birth_date_choice": "以常住人口为准", "mismatch.citizen_id_choice": "resident"}), hecha.FormM, "", ""},
		{"M corrected", &mm, with(sign, map[string]string{"form": "M", "mismatch.name_choice": "常住", "mismatch.sex_choice": "常住",
			"mismatch.birth_date_choice": "更正", "mismatch.corrected.birth_date": "19881102", "mismatch.citizen_id_choice": "常住"}), hecha.FormM, "", ""},
		{"M choice missing", &mm, with(sign, map[string]string{"form": "M", "mismatch.name_choice": "常住"}), hecha.FormM, "mismatch.sex_choice", "form.required"},
		{"M choice unknown", &mm, with(sign, map[string]string{"form": "M", "mismatch.name_choice": "随便"}), hecha.FormM, "mismatch.name_choice", "code.unknown"},
	}
	for _, tc := range rows {
		t.Run(tc.name, func(t *testing.T) {
			row := s.row(t, tc.c, r, tc.set)
			if !s.h.Filled(row) || s.h.CaseID(row) != tc.c.ID {
				t.Fatalf("Filled %v, CaseID %q", s.h.Filled(row), s.h.CaseID(row))
			}
			res, err := s.h.ParseResult(row, tc.c, r)
			if res.Form != tc.form {
				t.Errorf("form = %q, want %q", res.Form, tc.form)
			}
			switch {
			case tc.field == "" && tc.msgID == "":
				fxOK(t, err)
				fxOK(t, res.Validate(tc.c, r))
			case tc.msgID == "":
				if !slices.ContainsFunc(hecha.AsErrors(err), func(e *hecha.Error) bool { return e.Field == tc.field }) {
					t.Errorf("no error on %s: %s", tc.field, fxDescribe(err))
				}
			default:
				fxWant(t, err, tc.field, tc.msgID)
			}
			// A field that could not be read is reported once.
			seen := map[string]string{}
			for _, e := range hecha.AsErrors(err) {
				if prev, dup := seen[e.Field]; dup && prev != e.MsgID && strings.HasPrefix(e.MsgID, "date.") {
					t.Errorf("%s reported twice: %s", e.Field, fxDescribe(err))
				}
				seen[e.Field] = e.MsgID
			}
		})
	}
}

func TestWorksheetRowNotFilled(t *testing.T) {
	r := fxRules(t)
	s := newWSSheet(t, r)
	c := fxCase()
	if s.h.Filled(WorksheetRow(s.cols, &c, r)) {
		t.Error("an exported row counts as filled")
	}
}

func TestWorksheetCandidateInferred(t *testing.T) {
	r := fxRules(t)
	s := newWSSheet(t, r)
	c := fxCase()
	c.Candidates = []hecha.Candidate{
		{Source: hecha.SourceFloating, Floating: &hecha.FloatingRecord{ID: "F1"}, Form: hecha.FormR3},
		{Source: hecha.SourceResident, Resident: &hecha.ResidentRecord{ID: "R9"}, Form: hecha.FormR6},
	}
	row := s.row(t, &c, r, map[string]string{"form": "R6", "sign_off.confirmed": "是", "sign_off.name": "李建国",
		"registration.date": "2015-03-01", "registration.destination": "440305", "registration.reason": "1"})
	res, err := s.h.ParseResult(row, &c, r)
	fxOK(t, err)
	if res.CandidateID != "R9" {
		t.Errorf("candidate = %q, want R9, the only one leading to R6", res.CandidateID)
	}
	// Nobody found after all: no record is picked.
	row = s.row(t, &c, r, map[string]string{"form": "R1", "not_found.reason": "死亡"})
	res, err = s.h.ParseResult(row, &c, r)
	fxOK(t, err)
	if res.CandidateID != "" {
		t.Errorf("R1 picked %q", res.CandidateID)
	}
	// A record named with a form it does not lead to is the form's error.
	row = s.row(t, &c, r, map[string]string{"form": "R1", "not_found.reason": "死亡", "candidate_id": "F1"})
	_, err = s.h.ParseResult(row, &c, r)
	fxWant(t, err, "candidate_id", "result.candidate_not_found_form")
}

func TestWorksheetHeaderErrors(t *testing.T) {
	for _, tc := range []struct {
		cells []string
		msgID string
	}{
		{[]string{"个案编号", "姓名"}, "file.missing_columns"},
		{[]string{"foo", "bar"}, "file.no_columns"},
		{[]string{"个案编号", "核查结果", "核查结果"}, "file.duplicate_column"},
		{[]string{"个案编号", "核查结果", "查无此人原音"}, "file.misspelt_column"},
	} {
		_, err := NewWorksheetHeader(tc.cells)
		if hecha.ErrorCode(err) != hecha.EINVALID || hecha.AsErrors(err)[0].MsgID != tc.msgID {
			t.Errorf("%v: %v, want %s", tc.cells, err, tc.msgID)
		}
	}
	// The case: 查无此人原因 renamed 原因X is named, with the
	// column it may have been; the export's bookkeeping columns are known.
	h, err := NewWorksheetHeader([]string{"个案编号", "核查结果", "原因X", "结果编号", "核查时间"})
	if err != nil {
		t.Fatal(err)
	}
	if u := h.Unknown(); len(u) != 1 || u[0].Name != "原因X" || u[0].Column != 3 || u[0].Closest == "" {
		t.Errorf("Unknown = %+v", u)
	}
	// English keys are accepted, in any order.
	h, err = NewWorksheetHeader([]string{"form", "verified.name", "case_id"})
	if err != nil || !h.Has("verified.name") {
		t.Errorf("keys: %v", err)
	}
}

func TestWorksheetUnguard(t *testing.T) {
	r := fxRules(t)
	s := newWSSheet(t, r)
	c := fxCase()
	row := s.row(t, &c, r, map[string]string{"form": "R1", "not_found.reason": "其他", "not_found.remark": "'=见附页"})
	res, err := s.h.ParseResult(row, &c, r)
	fxOK(t, err)
	if res.NotFound.Remark != "=见附页" {
		t.Errorf("remark = %q", res.NotFound.Remark)
	}
}
