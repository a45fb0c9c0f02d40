package report

import (
	"slices"
	"testing"

	"hecha"
)

// rpItems are cross-province cases of 中原区 (and one of 金水区) in every
// place a report can put them.
func rpItems() []ProgressItem {
	return []ProgressItem{
		{Kind: hecha.KindCrossProvince, Unit: "410102001", Home: "410102001002", Verified: true, Form: hecha.FormR1}, // village by household
		{Kind: hecha.KindCrossProvince, Unit: "410102001", Home: "410102001"},                                        // no village known
		{Kind: hecha.KindCrossProvince, Unit: "410102001002", Home: "410102", Verified: true, Form: hecha.FormR2},    // assigned to the village
		{Kind: hecha.KindCrossProvince, Unit: "410102002", Home: "410102002", Verified: true, Form: hecha.FormR6},
		{Kind: hecha.KindCrossProvince, Home: "410102001"},                                                                          // undistributed
		{Kind: hecha.KindInProvince, Unit: "410102001", Home: "410102001", Verified: true, Form: hecha.FormP2},                      // not counted
		{Kind: hecha.KindCrossProvince, Unit: "410105001", Home: "410105001", Verified: true, Form: hecha.FormR4},                   // another county
		{Kind: hecha.KindCrossProvince, Unit: "410102002", Home: "410302001001", Verified: false, Form: hecha.FormR3 /* a draft */}, // home elsewhere
	}
}

// rpRow is what a test expects of one row.
type rpRow struct {
	kind              RowKind
	unit              hecha.Code
	depth             int
	assigned, checked int
}

func checkProgress(t *testing.T, got Progress, want []rpRow) {
	t.Helper()
	if len(got) != len(want) {
		for _, r := range got {
			t.Logf("%+v", r)
		}
		t.Fatalf("%d rows, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Kind != w.kind || g.Unit != w.unit || g.Depth != w.depth || g.Assigned != w.assigned || g.Verified != w.checked {
			t.Errorf("row %d = %v %s depth %d %d/%d, want %v %s depth %d %d/%d", i,
				g.Kind, g.Unit, g.Depth, g.Verified, g.Assigned, w.kind, w.unit, w.depth, w.checked, w.assigned)
		}
		if g.Pending() != g.Assigned-g.Verified {
			t.Errorf("row %d: pending %d", i, g.Pending())
		}
	}
}

func TestProgressOfCounty(t *testing.T) {
	p := ProgressOf(rpItems(), "410102", fxTable(t))
	checkProgress(t, p, []rpRow{
		{RowUnit, "410102", 0, 5, 3},
		{RowUnit, "410102001", 1, 3, 2},
		{RowUnit, "410102001002", 2, 2, 2},
		{RowRest, "410102001", 2, 1, 0},
		{RowUnit, "410102002", 1, 2, 1},
		{RowUndistributed, "", 0, 1, 0},
		{RowTotal, "", 0, 6, 3},
	})
	if p[0].Name != "中原区" || p[2].Name != "碧沙岗社区居委会" {
		t.Errorf("names %q %q", p[0].Name, p[2].Name)
	}
	if p[0].Forms != [6]int{1, 1, 0, 0, 0, 1} {
		t.Errorf("forms of the county = %v", p[0].Forms)
	}
	if r := p[1].Rate(); r < 0.666 || r > 0.667 {
		t.Errorf("rate = %v", r)
	}
	if got := p[2].Label(hecha.Chinese); got != "    碧沙岗社区居委会" {
		t.Errorf("label %q", got)
	}
	if got := p[3].Label(hecha.English); got != "    (not in a village)" {
		t.Errorf("rest label %q", got)
	}
}

func TestProgressOfTownshipAndTop(t *testing.T) {
	// A township: its villages, and the undistributed cases at home there.
	checkProgress(t, ProgressOf(rpItems(), "410102001", fxTable(t)), []rpRow{
		{RowUnit, "410102001", 0, 3, 2},
		{RowUnit, "410102001002", 1, 2, 2},
		{RowRest, "410102001", 1, 1, 0},
		{RowUndistributed, "", 0, 1, 0},
		{RowTotal, "", 0, 4, 2},
	})
	// No top: every county with cases.
	p := ProgressOf(rpItems(), "", fxTable(t))
	var tops []hecha.Code
	for _, r := range p {
		if r.Kind == RowUnit && r.Depth == 0 {
			tops = append(tops, r.Unit)
		}
	}
	if !slices.Equal(tops, []hecha.Code{"410102", "410105"}) || p[len(p)-1].Assigned != 7 {
		t.Errorf("tops %v, total %d", tops, p[len(p)-1].Assigned)
	}
	// A unit without cases still has its row.
	checkProgress(t, ProgressOf(nil, "410302001", nil), []rpRow{
		{RowUnit, "410302001", 0, 0, 0},
		{RowTotal, "", 0, 0, 0},
	})
}

func TestProgressFromSummaries(t *testing.T) {
	sums := []hecha.CaseSummary{
		{Kind: hecha.KindCrossProvince, Unit: "410102001", Village: "410102001002", Status: hecha.StatusUpload, Form: hecha.FormR4},
		{Kind: hecha.KindCrossProvince, Unit: "410102001", Village: "410102001002", Status: hecha.StatusDone, Form: hecha.FormR1},
		{Kind: hecha.KindCrossProvince, Unit: "410102001", Status: hecha.StatusDraft, Form: hecha.FormR2},
		{Kind: hecha.KindCrossProvince, Unit: "410102001", Status: hecha.StatusRejected, Form: hecha.FormR2},
		{Kind: hecha.KindMismatch, Unit: "410102001", Status: hecha.StatusDone, Form: hecha.FormM},
	}
	items := make([]ProgressItem, len(sums))
	for i := range sums {
		items[i] = ProgressItemOfSummary(&sums[i])
	}
	p := ProgressOf(items, "410102001", fxTable(t))
	checkProgress(t, p, []rpRow{
		{RowUnit, "410102001", 0, 4, 2},
		{RowUnit, "410102001002", 1, 2, 2},
		{RowRest, "410102001", 1, 2, 0},
		{RowTotal, "", 0, 4, 2},
	})
	if p[0].Forms != [6]int{1, 0, 0, 1, 0, 0} {
		t.Errorf("forms %v: a draft's form counted", p[0].Forms)
	}
}

func TestProgressItemOf(t *testing.T) {
	c := fxCase()
	if it := ProgressItemOf(&c, nil); it.Verified || it.Unit != "410102001" || it.Home != "410102001" {
		t.Errorf("pending: %+v", it)
	}
	res := fxResult(&c, hecha.FormR5)
	if it := ProgressItemOf(&c, &res); !it.Verified || it.Form != hecha.FormR5 {
		t.Errorf("verified: %+v", it)
	}
}

func TestProgressTable(t *testing.T) {
	p := ProgressOf(rpItems(), "410102", fxTable(t))
	short := p.Table(hecha.Chinese, true)
	if !slices.Equal(short.Header, []string{"单位", "分发", "已核", "未核", "核查率", "R1", "R2", "R3", "R4", "R5", "R6"}) {
		t.Errorf("short header %v", short.Header)
	}
	if !slices.Equal(short.Rows[0], []string{"中原区", "5", "3", "2", "60.0%", "1", "1", "0", "0", "0", "1"}) {
		t.Errorf("county row %v", short.Rows[0])
	}
	if short.Numeric[0] || !short.Numeric[1] || !short.Numeric[10] {
		t.Errorf("numeric %v", short.Numeric)
	}
	full := p.Table(hecha.English, false)
	if full.Header[0] != "unit code" || full.Header[6] != "R1 no such person" || full.Rows[1][0] != "410102001" || full.Numeric[1] || !full.Numeric[2] {
		t.Errorf("file table %v / %v / %v", full.Header, full.Rows[1], full.Numeric)
	}
	if got := FormatRate(0, 0); got != "-" {
		t.Errorf("rate of nothing %q", got)
	}
}

func TestMismatchSummaryOf(t *testing.T) {
	base := fxMismatchCase() // differs in the birth date
	two := fxMismatchCase()
	two.ID, two.Unit = "BY2", "410102001"
	two.Resident.Name = "刘莉"
	other := fxCase()
	items := []MismatchItem{}
	for _, cr := range []CaseResult{{&base, nil}, {&two, &hecha.Result{Form: hecha.FormM}}, {&other, nil}} {
		if it, ok := MismatchItemOf(cr.Case, cr.Result); ok {
			items = append(items, it)
		}
	}
	if len(items) != 2 {
		t.Fatalf("%d items: a cross-province case counted", len(items))
	}
	m := MismatchSummaryOf(items, "410102", fxTable(t))
	// base is undistributed (no unit); two is in 林山寨街道.
	want := []struct {
		kind              RowKind
		cases, resolved   int
		name, birth, cid  int
		nameRes, birthRes int
	}{
		{RowUnit, 1, 1, 1, 1, 0, 1, 1},
		{RowUnit, 1, 1, 1, 1, 0, 1, 1},
		{RowUndistributed, 1, 0, 0, 1, 0, 0, 0},
		{RowTotal, 2, 1, 1, 2, 0, 1, 1},
	}
	if len(m) != len(want) {
		t.Fatalf("rows: %+v", m)
	}
	for i, w := range want {
		g := m[i]
		if g.Kind != w.kind || g.Cases != w.cases || g.Resolved != w.resolved || g.Items[0].Cases != w.name ||
			g.Items[2].Cases != w.birth || g.Items[3].Cases != w.cid || g.Items[0].Resolved != w.nameRes || g.Items[2].Resolved != w.birthRes {
			t.Errorf("row %d = %+v", i, g)
		}
	}
	if m[3].Unresolved() != 1 {
		t.Errorf("unresolved %d", m[3].Unresolved())
	}
	tb := m.Table(hecha.Chinese, false)
	if tb.Header[5] != "姓名不一致" || tb.Header[6] != "姓名不一致已处理" || len(tb.Rows[0]) != len(tb.Header) {
		t.Errorf("file table %v", tb.Header)
	}
	if st := m.Table(hecha.English, true); len(st.Header) != 8 || st.Header[7] != "ID" {
		t.Errorf("screen table %v", st.Header)
	}
}

func TestNotFoundList(t *testing.T) {
	mk := func(id string, inflow hecha.Code, unit hecha.Code, form hecha.Form) CaseResult {
		c := fxInProvinceCase()
		c.ID, c.InflowDivision, c.Unit = id, inflow, unit
		res := fxResult(&c, form)
		return CaseResult{&c, &res}
	}
	married := mk("B", "410105001", "410102001", hecha.FormP2)
	married.Result.NotFound = &hecha.NotFound{Reason: hecha.NotFoundMarriedOut, Destination: "410302001", DestAddress: "西关1号"}
	pending := mk("X", "410105001", "410102001", hecha.FormP2)
	pending.Result = nil
	cross := CaseResult{Case: &hecha.Case{ID: "Y", Kind: hecha.KindCrossProvince}, Result: &hecha.Result{Form: hecha.FormR1}}
	list := []CaseResult{
		married,
		mk("A", "410105001", "410102001", hecha.FormP2),
		mk("C", "410302001", "410102002", hecha.FormP2),
		mk("D", "410105001", "410102001", hecha.FormP1),
		mk("E", "410105001", "410105001", hecha.FormP2), // assigned outside the county
		pending, cross,
	}
	groups := NotFoundList(list, "410102", fxTable(t))
	if len(groups) != 2 || groups[0].Inflow != "410105001" || groups[0].Name != "经八路街道" || groups[1].Inflow != "410302001" {
		t.Fatalf("groups %+v", groups)
	}
	if ids := []string{groups[0].Cases[0].Case.ID, groups[0].Cases[1].Case.ID}; len(groups[0].Cases) != 2 || ids[0] != "A" || ids[1] != "B" {
		t.Errorf("first group %v", ids)
	}
	r := fxRules(t)
	full := NotFoundTable(groups, hecha.Chinese, r, false)
	if len(full.Rows) != 3 || full.Rows[1][2] != "B" || full.Rows[1][10] != "婚出" || full.Rows[1][11] != "410302001000 河南省/洛阳市/老城区/西关街道" {
		t.Errorf("file rows %v", full.Rows)
	}
	short := NotFoundTable(groups[:1], hecha.English, r, true)
	if len(short.Rows) != 2 || short.Rows[1][3] != "Married out" || short.Rows[1][4] != "西关街道 西关1号" {
		t.Errorf("screen rows %v", short.Rows)
	}
	// A village-level inflow division is grouped under its township.
	v := mk("V", "410102001002", "410102002", hecha.FormP2)
	if g := NotFoundList([]CaseResult{v}, "", nil); len(g) != 1 || g[0].Inflow != "410102001" {
		t.Errorf("village inflow grouped as %+v", g)
	}
}
