package sheet

import (
	"hecha"

	"reflect"
	"slices"
	"strings"
	"testing"
)

// recImported returns c as an import reproduces it: the fields no file
// column holds are cleared.
func recImported(c hecha.Case) hecha.Case {
	c.Unit, c.Assignment, c.Candidates, c.Rev = "", nil, nil, 0
	return c
}

// recCaseRow returns the cells of c under the given header: the values of
// CaseRow moved to the header's columns.
func recCaseRow(header []string, c *hecha.Case) []string {
	full := CaseRow(c)
	out := make([]string, len(header))
	for i, h := range header {
		if j := slices.Index(CaseColumns, h); j >= 0 {
			out[i] = full[j]
		}
	}
	return out
}

// recCaseHeader returns a case header, failing the test on error.
func recCaseHeader(t *testing.T, cells []string) *Header {
	t.Helper()
	h, err := NewCaseHeader(cells)
	if err != nil {
		t.Fatalf("NewCaseHeader(%q): %v", cells, err)
	}
	return h
}

// recFullMismatch returns the mismatch fixture with its person filled in
// from the outflow record, as national files write it.
func recFullMismatch() hecha.Case {
	c := fxMismatchCase()
	o := c.Outflow
	c.Person.Sex, c.Person.BirthDate, c.Person.CitizenID = o.Sex, o.BirthDate, o.CitizenID
	return c
}

func TestRecordCaseRoundTrip(t *testing.T) {
	r := fxRules(t)
	withReturn := fxCase()
	withReturn.Person.ReturnDate = hecha.NewDate(2020, 1, 2)
	withReturn.Person.Members = append(withReturn.Person.Members, hecha.Member{Name: "张小明", Relationship: "20"})
	cases := map[string]hecha.Case{
		"cross-province": fxCase(),
		"minimal":        {ID: "KS0002", Kind: hecha.KindCrossProvince, Person: fxMinimalPerson()},
		"with return":    withReturn,
		"in-province":    fxInProvinceCase(),
		"mismatch":       recFullMismatch(),
	}
	reversed := slices.Clone(CaseColumns)
	slices.Reverse(reversed)
	english := make([]string, len(caseColumns))
	for i, col := range caseColumns {
		english[i] = col.key
	}
	headers := map[string][]string{"chinese": CaseColumns, "reversed": reversed, "english": english}
	for name, c := range cases {
		if err := c.Validate(r); err != nil {
			t.Fatalf("%s: fixture invalid: %v", name, err)
		}
		for hname, cells := range headers {
			h := recCaseHeader(t, cells)
			row := recCaseRow(cells, &c)
			if hname == "english" {
				row = CaseRow(&c)
			}
			got, err := h.ParseCase(row, r)
			if err != nil {
				t.Errorf("%s/%s: ParseCase: %s", name, hname, fxDescribe(err))
				continue
			}
			if want := recImported(c); !reflect.DeepEqual(got, want) {
				t.Errorf("%s/%s: round trip\n got %+v\nwant %+v", name, hname, got, want)
			}
		}
	}
}

func TestRecordRegistryRoundTrip(t *testing.T) {
	r := fxRules(t)
	fl := fxFloating("LD0001", "440305")
	fl.HouseholdAddress, fl.InflowAddress = "郑州市中原区林山寨街道伊河路12号", "深圳市南山区粤海街道科技园路1号"
	fl.Education, fl.Marital, fl.Reason = "70", "20", "1"
	withdrawn := fxFloating("LD0002", "440106")
	withdrawn.Withdrawn = true
	for _, rec := range []hecha.FloatingRecord{fl, withdrawn} {
		fxOK(t, rec.Validate(r))
		h, err := NewFloatingHeader(FloatingColumns)
		if err != nil {
			t.Fatal(err)
		}
		got, err := h.ParseFloating(FloatingRow(&rec), r)
		if err != nil || !reflect.DeepEqual(got, rec) {
			t.Errorf("floating round trip: %v\n got %+v\nwant %+v", err, got, rec)
		}
	}
	rs := fxResident("CZ0001", &hecha.Outflow{Date: hecha.NewDate(2015, 3, 1), Destination: "440305", Address: "深圳市南山区", Reason: "3"})
	rs.Education, rs.HukouType, rs.Marital = "20", hecha.HukouNonAgricultural, "10"
	for _, rec := range []hecha.ResidentRecord{rs, fxResident("CZ0002", nil)} {
		fxOK(t, rec.Validate(r))
		h, err := NewResidentHeader(ResidentColumns)
		if err != nil {
			t.Fatal(err)
		}
		got, err := h.ParseResident(ResidentRow(&rec), r)
		if err != nil || !reflect.DeepEqual(got, rec) {
			t.Errorf("resident round trip: %v\n got %+v\nwant %+v", err, got, rec)
		}
	}
}

func TestRecordHeaderErrors(t *testing.T) {
	tests := []struct {
		name  string
		build func([]string) (*Header, error)
		cells []string
		msgID string
		names []string // the message must name these
	}{
		{"cases missing two", NewCaseHeader, []string{"个案编号", "个案类型", "姓名", "性别", "户籍地行政区划"},
			"file.missing_columns", []string{"公民身份证号", "出生日期"}},
		{"no kind needs current division", NewCaseHeader,
			[]string{"个案编号", "姓名", "性别", "户籍地行政区划", "公民身份证号", "出生日期"},
			"file.missing_columns", []string{"现居住地行政区划"}},
		{"duplicate", NewCaseHeader, append(slices.Clone(CaseColumns), "name"), "file.duplicate_column", []string{"name"}},
		{"title row", NewCaseHeader, []string{"跨省流动人口个案信息表", "", ""}, "file.no_columns", []string{"个案编号"}},
		{"empty", NewCaseHeader, nil, "file.no_columns", nil},
		{"resident missing", NewResidentHeader, []string{"人员编号", "姓名", "性别", "出生日期", "公民身份证号"},
			"file.missing_columns", []string{"户籍地行政区划"}},
		{"floating missing inflow", NewFloatingHeader, ResidentColumns, "file.missing_columns", []string{"流入地行政区划"}},
		{"resident header is not floating", NewFloatingHeader, []string{"foo", "bar"}, "file.no_columns", []string{"人员编号"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := tt.build(tt.cells)
			if h != nil || hecha.ErrorCode(err) != hecha.EINVALID {
				t.Fatalf("got %v, %v; want EINVALID", h, err)
			}
			e := hecha.AsErrors(err)[0]
			if e.MsgID != tt.msgID {
				t.Fatalf("msg = %s, want %s", e.MsgID, tt.msgID)
			}
			msg := hecha.ErrorMessage(err, hecha.Chinese)
			for _, n := range tt.names {
				if !strings.Contains(msg, n) {
					t.Errorf("message %q does not name %s", msg, n)
				}
			}
			if en := hecha.ErrorMessage(err, hecha.English); en == msg || strings.Contains(en, "%!") || strings.Contains(msg, "%!") {
				t.Errorf("messages %q, %q", msg, en)
			}
		})
	}
}

func TestHeaderUnknownColumns(t *testing.T) {
	// An optional column renamed past recognition is listed with the
	// nearest column the file lacks.
	cells := append(slices.Clone(recBaseHeader), "原因X", "备注")
	h := recCaseHeader(t, cells)
	got := h.Unknown()
	if len(got) != 2 || got[0].Name != "原因X" || got[0].Column != len(recBaseHeader)+1 || got[1].Name != "备注" {
		t.Fatalf("Unknown = %+v", got)
	}
	if got[0].Closest != "流动原因" {
		t.Errorf("closest to 原因X = %q, want 流动原因 (the file lacks it)", got[0].Closest)
	}
	for _, lang := range []hecha.Lang{hecha.Chinese, hecha.English} {
		if m := got[0].Message(lang); !strings.Contains(m, "原因X") || !strings.Contains(m, "流动原因") || strings.Contains(m, "%!") {
			t.Errorf("%s message %q", lang, m)
		}
	}
	// A header that looks like a column the file lacks stops the import.
	for _, tc := range []struct{ cell, want string }{
		{"出身日期", "出生日期"},
		{"公民身份证", "公民身份证号"},
		{"流出日期2", "流出日期"},
		{"person.birth_dat", "出生日期"},
	} {
		cells := slices.DeleteFunc(slices.Clone(recBaseHeader), func(s string) bool { return s == tc.want })
		cells = append(cells, tc.cell)
		_, err := NewCaseHeader(cells)
		if hecha.ErrorCode(err) != hecha.EINVALID || hecha.AsErrors(err)[0].MsgID != "file.misspelt_column" {
			t.Errorf("%s: %v, want file.misspelt_column", tc.cell, err)
			continue
		}
		if m := hecha.ErrorMessage(err, hecha.Chinese); !strings.Contains(m, tc.cell) || !strings.Contains(m, tc.want) {
			t.Errorf("%s: message %q does not name both", tc.cell, m)
		}
	}
	// A known header repeated under a near name while the column is there
	// is only a note.
	h = recCaseHeader(t, append(slices.Clone(recBaseHeader), "出身日期"))
	if u := h.Unknown(); len(u) != 1 || u[0].Name != "出身日期" {
		t.Errorf("Unknown = %+v", u)
	}
}

func TestRecordHeaderTolerance(t *testing.T) {
	cells := []string{"\uFEFF个案编号", " 姓名 ", "*性别", "户籍地行政区划（12位）", "公民身份证号", "出生日期(yyyymmdd)", "个案类型", "备注", "BIRTH_DATE_X"}
	h := recCaseHeader(t, cells)
	for _, k := range []string{"id", "person.name", "person.sex", "person.household_division", "person.birth_date", "kind"} {
		if !h.Has(k) {
			t.Errorf("header lacks %s", k)
		}
	}
	if h.Has("person.members") {
		t.Error("header has members")
	}
}

// recBaseRow is a valid cross-province row under recBaseHeader.
var recBaseHeader = []string{"个案编号", "个案类型", "姓名", "性别", "现居住地行政区划", "户籍地行政区划", "公民身份证号", "出生日期",
	"流出日期", "返回日期", "家庭户信息", "流入地行政区划", "常住姓名", "文化程度"}

func recBaseRow() []string {
	return []string{"KS0001", "跨省流出", "张伟", "男", "440305", "410102001000", fxID("410102", hecha.NewDate(1990, 3, 15), hecha.SexMale), "1990-03-15",
		"2015-03-01", "", "王芳|配偶|" + fxID("410102", hecha.NewDate(1991, 5, 20), hecha.SexFemale) + "|女|1991-05-20", "", "", ""}
}

// recWrongCheck returns id with another check character.
func recWrongCheck(id string) string {
	if id[17] == '0' {
		return id[:17] + "1"
	}
	return id[:17] + "0"
}

func TestRecordParseCaseErrors(t *testing.T) {
	col := func(name string) int { return slices.Index(recBaseHeader, name) }
	tests := []struct {
		name  string
		edit  func(row []string) []string
		field string
		msgID string
	}{
		{"bad date", func(r []string) []string { r[col("出生日期")] = "1990-13-01"; return r }, "person.birth_date", "date.nonexistent"},
		{"date form", func(r []string) []string { r[col("流出日期")] = "三月"; return r }, "person.outflow_date", "date.format"},
		{"sex unknown", func(r []string) []string { r[col("性别")] = "M"; return r }, "person.sex", "code.unknown"},
		{"education unknown", func(r []string) []string { r[col("文化程度")] = "幼儿园"; return r }, "person.education", "code.unknown"},
		{"code form", func(r []string) []string { r[col("户籍地行政区划")] = "4101020"; return r }, "person.household_division", "division.format"},
		{"unknown division", func(r []string) []string { r[col("户籍地行政区划")] = "410102099"; return r }, "person.household_division", "division.unknown"},
		{"id float", func(r []string) []string { r[col("公民身份证号")] = "4.10102199E+17"; return r }, "person.citizen_id", "row.id_as_number"},
		{"id chars", func(r []string) []string { r[col("公民身份证号")] = "41010219900315001Y"; return r }, "person.citizen_id", "id.chars"},
		{"id checksum", func(r []string) []string {
			r[col("公民身份证号")] = recWrongCheck(r[col("公民身份证号")])
			return r
		}, "person.citizen_id", "id.checksum"},
		{"id birth", func(r []string) []string { r[col("出生日期")] = "19900316"; return r }, "person.birth_date", "form.id_birth_mismatch"},
		{"undecodable", func(r []string) []string { r[col("姓名")] = "张\uFFFD"; return r }, "person.name", "row.undecodable"},
		{"nul in a name", func(r []string) []string { r[col("姓名")] = "张\x00伟"; return r }, "person.name", "text.control"},
		{"nul in a date", func(r []string) []string { r[col("出生日期")] = "1990-03-15\x00"; return r }, "person.birth_date", "text.control"},
		{"control in an id", func(r []string) []string { r[col("个案编号")] = "KS\x010001"; return r }, "id", "text.control"},
		{"kind unknown", func(r []string) []string { r[col("个案类型")] = "4"; return r }, "kind", "case.kind_unknown"},
		{"inflow column in cross-province", func(r []string) []string { r[col("流入地行政区划")] = "410105001"; return r }, "inflow_division", "row.kind_column"},
		{"mismatch column in cross-province", func(r []string) []string { r[col("常住姓名")] = "张伟"; return r }, "resident.name", "row.kind_column"},
		{"member parts", func(r []string) []string { r[col("家庭户信息")] += ";李四|子|||2010-01-01|多余"; return r }, "person.members[1]", "row.member_parts"},
		{"member relationship", func(r []string) []string { r[col("家庭户信息")] = "李四|邻居"; return r }, "person.members[0].relationship", "code.unknown"},
		{"member date", func(r []string) []string { r[col("家庭户信息")] = "李四|子||男|2010-02-30"; return r }, "person.members[0].birth_date", "date.nonexistent"},
		{"member name required", func(r []string) []string { r[col("家庭户信息")] = "|子||男"; return r }, "person.members[0].name", "form.required"},
		{"return before outflow", func(r []string) []string { r[col("返回日期")] = "2014-01-01"; return r }, "person.return_date", "form.return_before_outflow"},
		{"future outflow", func(r []string) []string { r[col("流出日期")] = "2030-01-01"; return r }, "person.outflow_date", "form.date_future"},
		{"id required", func(r []string) []string { r[col("个案编号")] = ""; return r }, "id", "form.required"},
		{"short row", func(r []string) []string { return r[:3] }, "person.household_division", "form.required"},
	}
	h := recCaseHeader(t, recBaseHeader)
	r := fxRules(t)
	if _, err := h.ParseCase(recBaseRow(), r); err != nil {
		t.Fatalf("base row: %s", fxDescribe(err))
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := h.ParseCase(tt.edit(recBaseRow()), r)
			fxWant(t, err, tt.field, tt.msgID)
			for _, lang := range []hecha.Lang{hecha.Chinese, hecha.English} {
				if m := hecha.ErrorMessage(err, lang); strings.Contains(m, "%!") {
					t.Errorf("message %q", m)
				}
			}
			// A field is reported once: why it could not be read, not again as missing.
			if n := len(hecha.AsErrors(err).ForField(tt.field)); n != 1 {
				t.Errorf("%d errors about %s: %s", n, tt.field, fxDescribe(err))
			}
		})
	}
}

func TestRecordParseCaseForms(t *testing.T) {
	h := recCaseHeader(t, recBaseHeader)
	r := fxRules(t)
	row := recBaseRow()
	id := row[6]
	legacy := id[:6] + id[8:17] // the 15-digit form of the same number
	row[1] = "1"
	row[3] = "1"
	row[5] = "410102001"
	row[6] = "'" + legacy
	row[7] = "19900315"
	row[10] = " 王芳｜10｜" + row[10][len("王芳|配偶|"):len("王芳|配偶|")+18] + "｜2｜1991/5/20 ；；"
	row[13] = "21" // GB/T 4658-2006 大学本科毕业
	c, err := h.ParseCase(row, r)
	if err != nil {
		t.Fatalf("ParseCase: %s", fxDescribe(err))
	}
	if c.Kind != hecha.KindCrossProvince || c.Person.Sex != hecha.SexMale || c.Person.HouseholdDivision != "410102001" ||
		c.Person.BirthDate != hecha.NewDate(1990, 3, 15) || c.Person.Education != "20" {
		t.Errorf("case = %+v", c)
	}
	if want, err := hecha.ParseCitizenID("", legacy); err != nil || c.Person.CitizenID != want.Number {
		t.Errorf("citizen ID = %q, want the 18-digit form of %s", c.Person.CitizenID, legacy)
	}
	if len(c.Person.Members) != 1 || c.Person.Members[0].Relationship != "10" || c.Person.Members[0].BirthDate != hecha.NewDate(1991, 5, 20) {
		t.Errorf("members = %+v", c.Person.Members)
	}

	// Without a kind column every case is cross-province.
	h2 := recCaseHeader(t, []string{"个案编号", "姓名", "性别", "现居住地行政区划", "户籍地行政区划", "公民身份证号", "出生日期"})
	c, err = h2.ParseCase([]string{"KS9", "张伟", "男", "440305", "410102", id, "1990-03-15"}, r)
	if err != nil || c.Kind != hecha.KindCrossProvince {
		t.Errorf("no kind column: kind %q, %v", c.Kind, err)
	}
}

// TestRecordMismatchOutflowFromPerson checks that a mismatch row without
// 流出* values takes the outflow record from the 15-item columns.
func TestRecordMismatchOutflowFromPerson(t *testing.T) {
	c := recFullMismatch()
	row := CaseRow(&c)
	for _, k := range []string{"流出姓名", "流出性别", "流出出生日期", "流出公民身份证号"} {
		row[slices.Index(CaseColumns, k)] = ""
	}
	got, err := recCaseHeader(t, CaseColumns).ParseCase(row, fxRules(t))
	if err != nil {
		t.Fatalf("ParseCase: %s", fxDescribe(err))
	}
	if !reflect.DeepEqual(got.Outflow, c.Outflow) {
		t.Errorf("outflow = %+v, want %+v", got.Outflow, c.Outflow)
	}
	// With neither, the case has no outflow record and says so.
	row[slices.Index(CaseColumns, "常住姓名")] = ""
	for _, k := range []string{"常住性别", "常住出生日期", "常住公民身份证号"} {
		row[slices.Index(CaseColumns, k)] = ""
	}
	_, err = recCaseHeader(t, CaseColumns).ParseCase(row, fxRules(t))
	fxWant(t, err, "resident", "form.required")
}

func TestRecordParseFloatingErrors(t *testing.T) {
	h, err := NewFloatingHeader(FloatingColumns)
	if err != nil {
		t.Fatal(err)
	}
	r := fxRules(t)
	base := fxFloating("LD1", "440305")
	tests := []struct {
		name  string
		edit  func(row []string)
		field string
		msgID string
	}{
		{"withdrawn", func(row []string) { row[10] = "也许" }, "withdrawn", "row.bool"},
		{"inflow division", func(row []string) { row[7] = "999999" }, "inflow_division", "division.unknown"},
		{"inflow date", func(row []string) { row[9] = "2015-02-29" }, "inflow_date", "date.nonexistent"},
		{"reason", func(row []string) { row[13] = "旅游" }, "reason", "code.unknown"},
		{"name", func(row []string) { row[1] = "张伟2" }, "name", "text.name_chars"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			row := FloatingRow(&base)
			tt.edit(row)
			_, err := h.ParseFloating(row, r)
			fxWant(t, err, tt.field, tt.msgID)
		})
	}
	for in, want := range map[string]bool{"": false, "否": false, "是": true, "1": true, "N": false, "TRUE": true} {
		row := FloatingRow(&base)
		row[10] = in
		got, err := h.ParseFloating(row, r)
		if err != nil || got.Withdrawn != want {
			t.Errorf("退档 %q: %v, %v", in, got.Withdrawn, err)
		}
	}
}

func TestRecordParseResidentOutflow(t *testing.T) {
	h, err := NewResidentHeader(ResidentColumns)
	if err != nil {
		t.Fatal(err)
	}
	r := fxRules(t)
	base := fxResident("CZ1", nil)
	row := ResidentRow(&base)
	row[13] = "务工经商" // only a reason: the registration is there but incomplete
	got, err := h.ParseResident(row, r)
	fxWant(t, err, "outflow.date", "form.required")
	fxWant(t, err, "outflow.destination", "form.required")
	if got.Outflow == nil || got.Outflow.Reason != "1" {
		t.Errorf("outflow = %+v", got.Outflow)
	}
	row = ResidentRow(&base)
	got, err = h.ParseResident(row, r)
	if err != nil || got.Outflow != nil {
		t.Errorf("no outflow columns: %+v, %v", got.Outflow, err)
	}
}

func TestRecordMessagesBothLanguages(t *testing.T) {
	for _, id := range hecha.CatalogueKeys() {
		if !strings.HasPrefix(id, "row.") && !strings.HasPrefix(id, "file.") && !strings.HasPrefix(id, "registry.") {
			continue
		}
		m, _ := hecha.CatalogueEntry(id)
		if m.Zh == "" || m.En == "" || m.Zh == m.En {
			t.Errorf("%s: %+v", id, m)
		}
	}
}
