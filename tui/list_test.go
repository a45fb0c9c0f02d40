package tui

import (
	"context"
	"strings"
	"testing"

	"hecha"
)

// openList goes from home to the case list.
func openList(tb testing.TB, d *driver) {
	tb.Helper()
	d.keys("enter")
	d.expect("C0001")
}

func TestHome_CountsAndOffline(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules})
	d.expect("河南省/郑州市/中原区/林山寨街道", "未核查", "4", "未设置服务器", "离线也可以正常核查")
	d.expectNot("错误")
}

func TestList_DefaultsToPendingAndSwitchesTabs(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules})
	openList(t, d)
	d.expect("[未核查 4]", "[ ]  C0001", "C0004")
	d.keys("tab") // drafts
	d.expect("[草稿 0]", "没有符合条件的个案")
	d.keys("7") // all
	d.expect("[全部 4]", "C0003")
	d.keys("shift+tab")
	d.expect("[冲突 0]")
}

func TestList_Search(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules})
	openList(t, d)
	for _, tc := range []struct {
		query string
		want  []string
		not   []string
	}{
		{"李四", []string{"C0002"}, []string{"C0001", "C0003"}},
		{"lisi", []string{"C0002"}, []string{"C0001"}},
		{"ls", []string{"C0002"}, []string{"C0001"}},
		{"zs", []string{"C0001"}, []string{"C0002"}},
		{"ZHANG", []string{"C0001"}, []string{"C0002"}},
		{"19851120", []string{"C0002"}, []string{"C0001"}}, // part of the ID number
		{"2466", []string{"C0002"}, []string{"C0004"}},
		{"c0003", []string{"C0003"}, []string{"C0002"}},
		{"王", []string{"C0003"}, []string{"C0001"}},
		{"nobody", []string{"没有符合条件的个案"}, []string{"C000"}},
	} {
		d.keys("/")
		d.typeText(tc.query)
		d.expect(tc.want...)
		d.expectNot(tc.not...)
		d.keys("esc") // clear and close the search box
		d.expect("C0001", "C0004")
	}
}

func TestList_SearchNarrowsAndWidens(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules})
	openList(t, d)
	d.keys("/")
	d.typeText("z")
	d.expect("C0001", "C0004") // zhangsan, zhaoliu
	d.expectNot("C0002")
	d.typeText("s")
	d.expect("C0001")
	d.expectNot("C0004")
	d.keys("backspace") // back to "z": wider again
	d.expect("C0001", "C0004")
	d.keys("down") // leave the search box; the query stays
	d.expect("搜索：z ")
	d.keys("down", "enter")
	d.expect("个案 C0004")
}

// TestList_SearchEnterOpens checks that enter in the search box opens the
// case under the cursor at once (one enter, not two).
func TestList_SearchEnterOpens(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules})
	openList(t, d)
	d.keys("/")
	d.typeText("李四")
	d.keys("enter")
	d.expect("个案 C0002")
	d.keys("esc") // back to the list: the query stays, the box is closed
	d.expect("搜索：李四", "C0002")
	d.keys("/")
	d.typeText("nobody")
	d.keys("enter") // nothing to open: the box closes
	d.expect("没有符合条件的个案")
	d.expectNot("个案 C0")
}

func TestList_KindAndVillageFilters(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules})
	openList(t, d)
	d.keys("t") // cross-province
	d.expect("跨省流出", "C0001", "C0002")
	d.expectNot("C0003", "C0004")
	d.keys("t") // in-province
	d.expect("C0003")
	d.expectNot("C0001")
	d.keys("t", "t") // back to all kinds
	d.expect("C0001", "C0003")
	d.keys("v", "down", "enter") // the one village the cases are in
	d.expect("林山寨村 ·", "C0001")
}

func TestList_MarkersWithoutColour(t *testing.T) {
	for _, ascii := range []bool{false, true} {
		s := NewStyles(ascii)
		seen := map[string]bool{}
		for _, st := range hecha.Statuses {
			m := s.Marker(hecha.Chinese, st)
			if seen[m] {
				t.Errorf("ascii=%v: marker %q used twice", ascii, m)
			}
			seen[m] = true
			if ascii {
				for _, r := range m {
					if r > 0x7e {
						t.Errorf("ascii marker %q holds %q", m, r)
					}
				}
			}
			if w := cellWidth(m); w < 3 || w > 4 {
				t.Errorf("marker %q is %d cells wide", m, w)
			}
		}
	}
}

func TestList_PagesRenderOnlyWhatFits(t *testing.T) {
	sums := benchSummaries(5000)
	e := &env{lang: hecha.Chinese, st: NewStyles(false), rules: &hecha.Rules{}}
	l := newListModel(e)
	l = l.resize(21)
	l, _ = l.update(summariesMsg{gen: l.gen, ix: newCaseIndex(sums)})
	l.tab = len(listTabs) - 1
	l = l.refilter()
	view := l.view(80, 21)
	if n := strings.Count(view, "\n") + 1; n != 21 {
		t.Fatalf("view has %d lines, want 21", n)
	}
	l, _ = l.update(keyMsg("pgdown"))
	if l.cursor != l.rows || l.offset != l.rows {
		t.Fatalf("after a page down cursor %d offset %d, want %d", l.cursor, l.offset, l.rows)
	}
	l, _ = l.update(keyMsg("end"))
	if l.cursor != len(sums)-1 || l.offset != len(sums)-l.rows {
		t.Fatalf("at the end cursor %d offset %d", l.cursor, l.offset)
	}
	if !strings.Contains(l.view(80, 21), sums[len(sums)-1].ID) {
		t.Fatal("the last case is not on screen at the end")
	}
}

func TestApp_ASCIIDrawsNoOtherGlyphs(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules, ASCII: true, Lang: hecha.English})
	defer setGlyphs(false)
	check := func() {
		t.Helper()
		for _, r := range d.screen() {
			if r > 0x7e && !isWideCJK(r) {
				t.Fatalf("%q on an ASCII screen:\n%s", r, d.screen())
			}
		}
	}
	check()
	d.keys("?")
	check()
	d.keys("?", "enter")
	check()
	d.keys("down", "enter")
	check()
	d.keys("enter", "ctrl+s")
	check()
}

// TestList_TabCountFollowsSaves checks that the active tab's count changes
// with every save, a result's and a draft's, while the saved case stays on
// screen with its new marker until the list is filtered again.
func TestList_TabCountFollowsSaves(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules})
	openList(t, d)
	d.expect("[未核查 4]")
	d.keys("enter") // C0001, under the cursor
	d.expect("个案 C0001")
	d.keys("enter") // R1
	d.expect("R1 查无此人")
	d.keys("right", "right", "right", "ctrl+s") // 死亡
	d.expect("已保存 C0001", "[未核查 3]", "[↑]  C0001")

	// A first draft takes C0002 out of 未核查 too.
	d.keys("down", "enter", "enter")
	d.expect("R2 流动人口系统有")
	d.keys("ctrl+u", "x")
	d.expect("草稿已保存")
	d.keys("esc", "esc")
	d.expect("[未核查 2]", "[草] C0002")

	// Filtered again, the tab holds only what it counts.
	d.keys("tab", "shift+tab")
	d.expect("[未核查 2]", "C0003", "C0004")
	d.expectNot("C0001", "C0002")
}

// TestList_TabCountsAndKindColumn checks that every tab shows its count
// (not only the active one) and that the list has a case-kind column.
func TestList_TabCountsAndKindColumn(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules})
	openList(t, d)
	d.expect("[未核查 4]", "草稿 0", "已核查 0", "全部 4", "类型")
	d.expectLine("C0001", "跨省")
	d.expectLine("C0003", "省内")
	d.expectLine("C0004", "不一致")
	d.keys("t") // one kind: the counts follow the filter
	d.expect("[未核查 2]", "全部 2")
}

// TestList_VillagePicker checks that v opens a pick list of the villages
// with their counts, including the cases not at village level (未到村),
// filtered by typing.
func TestList_VillagePicker(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	c := testCases()[0]
	c.ID, c.Person.HouseholdDivision = "C0009", "410102001" // township level only
	if err := db.ApplyCases(context.Background(), []hecha.Case{c}, 2); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules})
	openList(t, d)
	d.keys("v")
	d.expect("全部村", "未到村", "林山寨村", "enter 选定这个村", "esc 关闭")
	d.expectLine("未到村", "1")
	d.expectLine("林山寨村", "4")
	d.typeText("lsz")
	d.expectNot("未到村")
	d.keys("enter")
	d.expect("林山寨村 ·", "C0001")
	d.expectNot("C0009")
	d.keys("v")
	d.typeText("未到")
	d.keys("enter")
	d.expect("未到村 ·", "C0009")
	d.expectNot("C0001")
	d.keys("v", "esc") // closes the pick list, keeps the filter
	d.expect("未到村 ·", "C0009")
}

// TestList_EnglishTabsFit checks that the English tabs, longer than the
// Chinese, keep every count on 80 columns.
func TestList_EnglishTabsFit(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules, Lang: hecha.English})
	d.keys("enter")
	d.expect("[Not verified 4] Drafts 0 Verified 0 To upload 0 Rejected 0 Conflict 0 All 4")
}

// TestList_DraftCountIsTheForms reopens the program on a draft whose
// return date has no such day: the list counts its problems as the form
// does (the unreadable date, the sign-off, the resident clerk's name).
func TestList_DraftCountIsTheForms(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules})
	openForm(t, d, "C0002", 0, "R2 流动人口系统有")
	focusOn(t, d, "返回日期")
	d.typeText("20231340")
	d.keys("tab", "esc")

	d = newDriver(t, Config{Store: db, Registry: db, Rules: rules})
	d.keys("enter", "tab")
	d.expect("[草] C0002", "R2 3处待改")
	d.keys("enter", "enter")
	d.expect("还有 3 处待填写或改正")
}

// TestList_DraftMarkerIsNotCut keeps the result column wide enough for
// "R2 3处待改" at 80 columns when case numbers are long, as the county's
// are: the birth date, which the ID number repeats, gives way.
func TestList_DraftMarkerIsNotCut(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	c := testCases()[1]
	c.ID = "LD41010200000001"
	c.Person.Name = "欧阳晓晓晓晓" // 12 cells, as common in a township
	if err := db.ApplyCases(context.Background(), []hecha.Case{c}, 2); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules})
	openCase(t, d, c.ID)
	d.keys("enter")
	d.expect("R2 流动人口系统有")
	focusOn(t, d, "返回日期")
	d.typeText("20231340")
	d.keys("tab", "esc", "esc", "tab")
	d.expect("[草] LD41010200000001", "410102198511202466", "R2 3处待改")
}

// TestList_SearchByEveryReading finds 曾晨 by zeng as by ceng (曾 has
// both readings), and 陈博文 by the surname in full and the rest as
// initials (chenbw).
func TestList_SearchByEveryReading(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	a, b := testCases()[0], testCases()[0]
	a.ID, a.Person.Name = "C0201", "曾晨"
	b.ID, b.Person.Name = "C0202", "陈博文"
	if err := db.ApplyCases(context.Background(), []hecha.Case{a, b}, 2); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules})
	openList(t, d)
	for _, tc := range []struct{ q, want, not string }{
		{"zeng", "曾晨", "陈博文"},
		{"ceng", "曾晨", "陈博文"},
		{"zengchen", "曾晨", "陈博文"},
		{"chenbw", "陈博文", "曾晨"},
		{"cbw", "陈博文", "曾晨"},
	} {
		d.keys("/", "ctrl+u")
		d.typeText(tc.q)
		d.expect(tc.want)
		d.expectNot(tc.not)
		d.keys("esc")
	}
}
