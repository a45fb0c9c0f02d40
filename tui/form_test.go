package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/x/ansi"

	"hecha"
)

// openForm opens case id's detail, picks candidates with n presses of
// "n", and opens the form.
func openForm(tb testing.TB, d *driver, id string, n int, title string) {
	tb.Helper()
	openCase(tb, d, id)
	for range n {
		d.keys("n")
	}
	d.keys("enter")
	d.expect(title)
}

// focusOn tabs to the field labelled label (at most 60 fields on).
func focusOn(tb testing.TB, d *driver, label string) {
	tb.Helper()
	for range 60 {
		for _, line := range strings.Split(d.screen(), "\n") {
			if strings.HasPrefix(line, d.m.env.st.Pointer+" "+label) {
				return
			}
		}
		d.keys("tab")
	}
	tb.Fatalf("no field %q:\n%s", label, d.screen())
}

func TestForm_NotFoundShowsOnlyTheFieldsThatApply(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules})
	openForm(t, d, "C0001", 0, "R1 查无此人")
	d.expect("查无此人原因", "1 婚出 · 2 迁出 · 3 死亡 · 9 其他")
	d.expectNot("婚出地/户口迁出地", "查无此人备注")
	d.keys("right") // 婚出
	d.expect("‹ 婚出 ›", "婚出地/户口迁出地", "婚出地/户口迁出地地址")
	d.expectNot("查无此人备注")
	d.keys("right") // 迁出
	d.expect("婚出地/户口迁出地")
	d.keys("right") // 死亡
	d.expectNot("婚出地/户口迁出地", "查无此人备注")
	d.keys("right") // 其他
	d.expect("查无此人备注")
	d.expectNot("婚出地/户口迁出地")
}

func TestForm_ErrorShowsWhenTheFieldIsLeft(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules})
	openForm(t, d, "C0002", 0, "R2 流动人口系统有")
	focusOn(t, d, "出生日期")
	d.keys("ctrl+u")
	d.typeText("19851340")
	d.expectNot("没有这一天") // not while typing
	d.keys("tab")
	d.expect("✗ 没有这一天：19851340")
	// The ID number now disagrees with nothing parsable; fix the date in
	// the other accepted form and the error goes.
	d.keys("shift+tab", "ctrl+u")
	d.typeText("1985-11-20")
	d.keys("tab")
	d.expectNot("没有这一天")
	d.keys("shift+tab", "ctrl+u")
	d.typeText("19851120")
	d.expect("19851120", "= 1985-11-20")
	d.keys("tab")
	d.expectNot("✗ ")
}

func TestForm_CrossFieldErrorGoesToItsField(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules})
	openForm(t, d, "C0002", 0, "R2 流动人口系统有")
	focusOn(t, d, "出生日期")
	d.keys("ctrl+u")
	d.typeText("19851121")
	d.keys("ctrl+s")
	// The birth date parses; the ID number disagrees with it.
	d.expect("身份证号中的出生日期是", "还有 3 处需要改正，未保存")
}

func TestForm_DivisionPicker(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules})
	openForm(t, d, "C0001", 0, "R1 查无此人")
	d.keys("right", "tab")
	for _, q := range []string{"lsz", "林山寨", "linshanzhai", "410102001"} {
		d.keys("ctrl+u")
		d.typeText(q)
		d.expect("410102001 河南省/郑州市/中原区/林山寨街道", "410102001001 河南省/郑州市/中原区/林山寨街道/林山寨村")
	}
	d.keys("ctrl+u")
	d.typeText("lsz")
	d.keys("down", "enter") // the village
	d.expect("410102001001", "河南省/郑州市/中原区/林山寨街道/林山寨")
	d.expectNot("410102001 河南省") // the pick list closed
	d.keys("tab")
	d.expectNot("至少要到乡级")
	d.keys("shift+tab", "ctrl+u")
	d.typeText("4101")
	d.keys("esc") // closes the pick list, stays in the form
	d.keys("tab")
	d.expect("R1 查无此人", "✗ 至少要到乡级")
}

func TestForm_RequiredSignOffBlocksTheSaveThenSaves(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules})
	openForm(t, d, "C0002", 0, "R2 流动人口系统有")
	d.keys("ctrl+s")
	d.expect("还有 2 处需要改正，未保存", "✗ 须经常驻人口信息员签字确认后勾选", "› 常驻人口信息员已签字")
	d.keys("space", "tab")
	d.typeText("周会计")
	d.keys("ctrl+s")
	d.expect("已保存 C0002，等待上传", "[↑]  C0002")
	ctx := context.Background()
	vs, err := db.History(ctx, "C0002")
	if err != nil || len(vs) != 1 {
		t.Fatalf("history %v, %v", vs, err)
	}
	r := vs[0].Result
	if r.Form != hecha.FormR2 || r.CandidateID != "F1" || r.SignOff == nil || r.SignOff.Name != "周会计" || r.Verified.Name != "李四" {
		t.Fatalf("saved %+v", r)
	}
	if _, err := db.Draft(ctx, "C0002"); hecha.ErrorCode(err) != hecha.ENOTFOUND {
		t.Fatalf("the draft is still there: %v", err)
	}
	out, _ := db.Outbox(ctx, hecha.OutboxPending)
	if len(out) != 1 || out[0].ResultID != r.ID {
		t.Fatalf("outbox %+v", out)
	}
}

func TestForm_DraftReopensWhereItWas(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules})
	openForm(t, d, "C0001", 0, "R1 查无此人")
	d.keys("right", "right", "right", "right", "tab") // 其他, to the remark
	d.typeText("外出多年")
	d.keys("esc") // leave the form: the draft is written
	d.expect("个案 C0001", "有草稿")
	dr, err := db.Draft(context.Background(), "C0001")
	if err != nil {
		t.Fatal(err)
	}
	if dr.Values[pathReason] != "9" || dr.Values["not_found.remark"] != "外出多年" || dr.Focus != "not_found.remark" {
		t.Fatalf("draft %+v", dr)
	}
	if dr.Result == nil || dr.Result.NotFound == nil || dr.Result.NotFound.Remark != "外出多年" {
		t.Fatalf("draft result %+v", dr.Result)
	}
	d.keys("enter")
	d.expect("查无此人原因 其他", "› 查无此人备注 外出多年", "可以保存")
	d.keys("esc", "esc")
	d.expect("[草] C0001", "R1 可提交")
}

func TestForm_DraftOfAnIncompleteFormShowsWhatIsLeft(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules})
	openForm(t, d, "C0001", 0, "R1 查无此人")
	d.keys("right") // 婚出 without a destination
	d.keys("esc", "esc")
	d.keys("tab") // the drafts tab
	d.expect("[草] C0001", "R1 2处待改")
}

func TestForm_QuitWritesTheLastKeystroke(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	// No timed writes: only leaving can have written the draft.
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules, DraftDelay: time.Hour})
	openForm(t, d, "C0001", 0, "R1 查无此人")
	d.keys("right", "right", "right", "right", "tab")
	d.typeText("外出")
	d.keys("ctrl+c")
	if !d.quit {
		t.Fatal("did not quit")
	}
	dr, err := db.Draft(context.Background(), "C0001")
	if err != nil || dr.Values["not_found.remark"] != "外出" {
		t.Fatalf("draft %+v, %v", dr, err)
	}
}

func TestForm_HouseholdMembers(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules})
	openForm(t, d, "C0002", 0, "R2 流动人口系统有")
	d.keys("ctrl+n")
	d.expect("家庭户成员 1", "› 姓名")
	d.typeText("李小四")
	d.keys("tab", "enter") // the relationship's pick list
	d.typeText("子")
	d.expect("21 独生子") // filtered by name
	d.expectNot("10 配偶")
	d.keys("ctrl+s")
	d.expect("未保存")
	d.keys("ctrl+d")
	d.expectNot("家庭户成员 1")
}

func TestForm_Mismatch(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules})
	openForm(t, d, "C0004", 0, "M 常住与流出不一致处理")
	d.expect("姓名取值", "性别取值", "出生日期取值", "公民身份证号取值")
	d.expectNot("更正后的姓名")
	d.keys("left") // 更正为
	d.expect("‹ 更正为 ›", "更正后的姓名")
	d.keys("tab")
	d.typeText("赵六")
	for range 3 { // the other three items: keep the resident value
		d.keys("tab", "right")
	}
	d.keys("tab", "space", "tab")
	d.typeText("周会计")
	d.keys("ctrl+s")
	d.expect("已保存 C0004")
}

func TestForm_English(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules, Lang: hecha.English})
	d.keys("enter")
	d.expect("[Not verified 4]")
	d.keys("enter", "enter")
	d.expect("R1 No such person", "reason not found")
	d.keys("ctrl+s")
	d.expect("✗ required", "1 problem to fix; not saved")
}

func TestForm_QuitMsgWritesTheDraft(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules, DraftDelay: time.Hour})
	openForm(t, d, "C0001", 0, "R1 查无此人")
	d.keys("right")
	d.send(QuitMsg{}) // what the command sends on a signal or a hang-up
	if !d.quit {
		t.Fatal("did not quit")
	}
	if dr, err := db.Draft(context.Background(), "C0001"); err != nil || dr.Values[pathReason] != "1" {
		t.Fatalf("draft %+v, %v", dr, err)
	}
}

// TestForm_EnumPickList drives an enumeration's pick list as the clerk
// does: digits that leave one entry take it at once; with several left,
// ←/→ move the highlight and enter, tab or ↓ take it and go on to the next
// field (shift+tab or ↑ to the previous one), as on a closed field.
func TestForm_EnumPickList(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules})
	focused := func() string { fd, _ := d.m.form.focused(); return fd.path }

	openForm(t, d, "C0002", 0, "R2 流动人口系统有")
	focusOn(t, d, "婚姻状况")
	d.keys("2") // 20 已婚, 21 初婚, 22 再婚, 23 复婚
	d.expect("› 20 已婚", "21 初婚", "23 复婚")
	d.keys("right", "down") // the second, taken; on to the next field
	if v := d.m.form.values["verified.marital"]; v != "21" {
		t.Fatalf("marital = %q, want 21", v)
	}
	if focused() == "verified.marital" {
		t.Fatal("↓ did not move on")
	}
	d.expectNot("23 复婚") // the list is closed

	d.keys("shift+tab")
	if focused() != "verified.marital" {
		t.Fatalf("focus on %s", focused())
	}
	d.keys("2", "tab") // the highlighted first entry
	if v := d.m.form.values["verified.marital"]; v != "20" || focused() == "verified.marital" {
		t.Fatalf("marital = %q, focus on %s", v, focused())
	}
	d.keys("shift+tab", "4") // one entry: taken at once, the focus stays
	if v := d.m.form.values["verified.marital"]; v != "40" || focused() != "verified.marital" {
		t.Fatalf("marital = %q, focus on %s", v, focused())
	}
	d.expect("‹ 离婚 ›")
	d.keys("初") // a name: the list stays open for the clerk to confirm
	d.expect("› 21 初婚")
	d.keys("up") // taken, on to the previous field
	if v := d.m.form.values["verified.marital"]; v != "21" || focused() != "verified.return_date" {
		t.Fatalf("marital = %q, focus on %s", v, focused())
	}
	d.keys("down", "9") // 90 only: taken at once
	if v := d.m.form.values["verified.marital"]; v != "90" {
		t.Fatalf("marital = %q", v)
	}
	d.keys("2", "esc") // four entries: esc closes the list and keeps 90
	if v := d.m.form.values["verified.marital"]; v != "90" || !d.m.form.isOpen {
		t.Fatalf("marital = %q after esc", v)
	}
}

// TestForm_DivisionPickListTab checks that tab takes the highlighted
// division (a name typed is not a code) but keeps a code typed in full.
func TestForm_DivisionPickListTab(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules})
	openForm(t, d, "C0001", 0, "R1 查无此人")
	d.keys("right", "tab") // 婚出: the destination
	d.typeText("lsz")
	d.keys("down", "tab")
	if v := d.m.form.values["not_found.destination"]; v != "410102001001" {
		t.Fatalf("destination = %q", v)
	}
	d.keys("shift+tab", "ctrl+u")
	d.typeText("410102001")
	d.keys("tab")
	if v := d.m.form.values["not_found.destination"]; v != "410102001" {
		t.Fatalf("destination = %q, want the code typed", v)
	}
}

// TestForm_OutOfProvinceTownshipUnchecked checks that a bride's new home
// in another province (whose townships the table does not hold) can be
// given to township level: the pick list offers the typed code under its
// county, and the field says it is not checked. An unknown county stays
// an error.
func TestForm_OutOfProvinceTownshipUnchecked(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules})
	openForm(t, d, "C0001", 0, "R1 查无此人")
	d.keys("right", "tab")
	d.expect("外省的乡镇可直接输入 9 位代码")
	d.typeText("440305001")
	d.expect("440305001 广东省/深圳市/南山区  （乡镇未核对）")
	d.keys("enter", "tab")
	d.expect("440305001  广东省/深圳市/南山区 （乡镇未核对）")
	d.expectNot("✗ ")
	d.keys("shift+tab", "ctrl+u")
	d.typeText("440399001")
	d.keys("tab")
	d.expect("✗ ")
	d.expectNot("未核对")
}

// TestForm_RemembersResidentClerk checks that the resident clerk's name
// need not be typed again: the next confirming form starts with the name
// last signed, also after the program restarts.
func TestForm_RemembersResidentClerk(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules})
	openForm(t, d, "C0002", 0, "R2 流动人口系统有")
	focusOn(t, d, "常驻人口信息员已签字")
	d.keys("space", "tab")
	d.typeText("周会计")
	d.keys("ctrl+s")
	d.expect("已保存 C0002")
	d.keys("esc", "esc")
	openForm(t, d, "C0003", 0, "P1")
	focusOn(t, d, "常驻人口信息员姓名")
	d.expect("周会计")

	d = newDriver(t, Config{Store: db, Registry: db, Rules: rules})
	openForm(t, d, "C0004", 0, "M 常住与流出不一致处理")
	focusOn(t, d, "常驻人口信息员姓名")
	d.expect("周会计")
}

// TestForm_MismatchChoicesShowTheValues checks that form M shows, for
// each item, the two values being chosen between and the one chosen.
func TestForm_MismatchChoicesShowTheValues(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules})
	openForm(t, d, "C0004", 0, "M 常住与流出不一致处理")
	d.expect("常住：赵六", "流出：赵陆")
	d.keys("right")
	d.expect("‹ 以常住人口为准 ›  = 赵六")
	d.keys("right")
	d.expect("‹ 以流出人口为准 ›  = 赵陆")
	d.keys("tab") // 性别: the same in both
	d.expect("常住：女", "流出：女")
}

// TestForm_ErrorWrapsBetweenValues keeps a date whole where an error
// message is wrapped at 80 columns.
func TestForm_ErrorWrapsBetweenValues(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules})
	openForm(t, d, "C0002", 0, "R2 流动人口系统有")
	focusOn(t, d, "出生日期")
	d.keys("ctrl+u")
	d.typeText("19890224")
	d.keys("tab")
	d.expect("身份证号中的出生日期是 1985-11-20", "1989-02-24")
	d.expectNot("1989-02-\n", "1989-\n")
}

// TestForm_LegacyIDShowsItsConversion: a 15-digit ID number shows the
// 18-digit number it is saved as, and a sex it contradicts is explained
// with that number, not with a "17th digit" the clerk never typed.
func TestForm_LegacyIDShowsItsConversion(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules})
	openForm(t, d, "C0002", 0, "R2 流动人口系统有")
	focusOn(t, d, "公民身份证号")
	d.keys("ctrl+u")
	d.typeText("410102851120246")
	d.expect("410102851120246", "= 410102198511202466")
	d.keys("ctrl+u")
	d.typeText("410102851120255") // a man's number
	d.keys("tab")
	d.expect("15 位身份证号转换为 18 位是 " + citizenID("410102", "19851120", "255"))
	d.expectNot("身份证号第 17 位")
}

// TestForm_NoDivisionTableIsSaid: a database without its division table
// checks codes for their form only; the home screen says the table is
// missing and how to get it, and a code on a form is marked unchecked
// rather than passing silently.
func TestForm_NoDivisionTableIsSaid(t *testing.T) {
	rules := &hecha.Rules{Now: func() time.Time { return testNow }}
	db := mustStore(t, rules)
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules})
	d.expect("没有行政区划代码表", "hecha sync")
	openForm(t, d, "C0001", 0, "R1 查无此人")
	d.keys("right", "tab") // 婚出, to the destination
	d.typeText("999999001")
	d.expect("999999001", "未核对：无区划代码表", "没有行政区划代码表：hecha sync 从县里取得")
}

// longAddress is longer than the value column at 80 columns.
const longAddress = "河南省郑州市中原区林山寨街道建设路社区幸福里小区东区十二号楼三单元六层六零二室北户"

// TestForm_LongTextScrollsToTheCursor: at 80 columns a long address
// shows around the cursor, so its end can be seen and edited.
func TestForm_LongTextScrollsToTheCursor(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules})
	openForm(t, d, "C0002", 0, "R2 流动人口系统有")
	focusOn(t, d, "户籍所在地地址")
	d.keys("ctrl+u")
	d.typeText(longAddress)
	d.expect("六零二室北户") // the end, where the cursor is
	d.keys("backspace")
	d.expect("六零二室北")
	d.expectNot("六零二室北户")
	d.keys("home")
	d.expect("户籍所在地地址       河南省郑州市")
	d.expectNot("六零二室北")
	d.keys("end")
	d.expect("六零二室北")
	d.keys("tab") // left: its start and a mark that it goes on
	d.expect("户籍所在地地址       河南省郑州市", "…")
}

func TestInputView_NoColorShowsTheCursor(t *testing.T) {
	s := NewStyles(true)
	s.NoColor = true
	ti := textinput.New()
	ti.Width = 12
	ti.SetValue("一二三四五六七八九十甲乙丙丁戊")
	for _, tc := range []struct {
		pos  int
		want string
	}{
		{15, "…甲乙丙丁戊_"},
		{0, "|一二三四五…"},
		{6, "…二三四五六|…"},
		{12, "…甲乙|丙丁戊"},
		{2, "一二|三四五…"},
	} {
		ti.SetCursor(tc.pos)
		got := inputView(s, ti)
		if got != tc.want {
			t.Errorf("cursor at %d: %q, want %q", tc.pos, got, tc.want)
		}
		if w := ansi.StringWidth(got); w > ti.Width+1 {
			t.Errorf("cursor at %d: %q is %d cells", tc.pos, got, w)
		}
	}
}
