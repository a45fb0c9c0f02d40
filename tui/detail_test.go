package tui

import (
	"context"
	"testing"

	"hecha"
)

// openCase goes from home to case id's detail.
func openCase(tb testing.TB, d *driver, id string) {
	tb.Helper()
	openList(tb, d)
	d.keys("/")
	d.typeText(id)
	d.keys("enter")
	d.expect("个案 " + id)
}

func TestDetail_CandidatesAndTheFormFollows(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules})
	openCase(t, d, "C0002")
	d.expect("1. 流动人口系统（身份证号相同）", "→ R2", "适用结果：R2")
	for _, want := range []string{"R3", "R4", "R5", "R6"} {
		d.keys("n")
		d.expect("适用结果：" + want)
	}
	d.keys("n") // past the last: none
	d.expect("适用结果：R1 查无此人", "› 0. 不选任何候选")
	d.keys("n", "n") // the second candidate: inflow in 福田区, marked as differing
	d.expect("适用结果：R3", "* 现居住地/流入地", "440304 福田区", "* 表示与个案不一致")
	d.keys("0")
	d.expect("适用结果：R1")
}

func TestDetail_KindsShowTheirRecords(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules})
	openCase(t, d, "C0004")
	d.expect("常住人口记录", "流出人口记录", "* 姓名", "赵六", "赵陆", "适用结果：M")
	d.keys("esc", "/", "ctrl+u")
	d.typeText("C0003")
	d.keys("enter")
	d.expect("流入地：河南省/郑州市/中原区/建设路街道", "适用结果：P1")
	d.keys("0")
	d.expect("适用结果：P2")
}

func TestDetail_CompareAgainAtAnotherPrecision(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	// 张三 in the floating system with another day of birth: found only
	// when the birth date needs to agree to the month.
	rec := hecha.FloatingRecord{ID: "FZ", Name: "张三", Sex: hecha.SexMale, BirthDate: hecha.NewDate(1990, 1, 20),
		CitizenID: citizenID("410102", "19900120", "111"), HouseholdDivision: "410102001",
		InflowDivision: "440305", InflowDate: hecha.NewDate(2016, 1, 1)}
	if err := db.ApplyRegistry(context.Background(), []hecha.FloatingRecord{rec}, nil, 1); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules})
	openCase(t, d, "C0001")
	d.expect("两个系统都没有找到此人", "适用结果：R1")
	d.keys("d") // to the month
	d.expect("出生日期精确到月", "流动人口系统", "→ R2", "适用结果：R2", "* 出生日期")
	d.keys("d", "d") // year, then day again
	d.expect("出生日期精确到日", "两个系统都没有找到此人")
}

func TestDetail_LookUpByHand(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	rec := hecha.ResidentRecord{ID: "RX", Name: "张叁", Sex: hecha.SexMale, BirthDate: hecha.NewDate(1990, 1, 2),
		CitizenID: citizenID("410102", "19900102", "999"), HouseholdDivision: "410102001001"}
	if err := db.ApplyRegistry(context.Background(), nil, []hecha.ResidentRecord{rec}, 1); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules})
	openCase(t, d, "C0001")
	d.keys("/")
	d.expect("查找：")
	d.typeText(rec.CitizenID)
	d.keys("enter")
	d.expect("找到 1 条", "常住人口系统", "张叁", "→ R6", "* 姓名", "* 公民身份证号")
	d.keys("/")
	d.typeText("张叁")
	d.keys("enter")
	d.expect("手工查找“张叁”：找到 1 条")
}

func TestDetail_History(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	if _, err := db.SaveResult(context.Background(), &hecha.Result{CaseID: "C0001", Form: hecha.FormR1,
		NotFound: &hecha.NotFound{Reason: hecha.NotFoundDied}}); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules})
	d.keys("enter")
	d.expect("C0002")
	d.keys("7") // all: the case is no longer pending
	d.keys("enter")
	d.expect("当前结果：R1 查无此人（未上传）")
	d.keys("h")
	d.expect("核查历史 C0001", "1. R1 查无此人", "未上传")
	d.keys("esc")
	d.expect("个案 C0001")
}

// TestDetail_LongValuesAndMoreBelow checks the case detail at 80x24: a
// long division or address wraps instead of losing its end (the code
// above all), and when the items go on below the screen a line says so.
func TestDetail_LongValuesAndMoreBelow(t *testing.T) {
	rules := testRules(t)
	if err := rules.Divisions.Add(hecha.Division{Code: "410102001003", Name: "东大街社区居民委员会第二居民小组"}); err != nil {
		t.Fatal(err)
	}
	db := mustStore(t, rules)
	c := testCases()[1]
	c.ID = "C0009"
	c.Person.HouseholdDivision = "410102001003"
	c.Person.HouseholdAddress = "河南省郑州市中原区林山寨街道东大街社区居民委员会30号院1号楼4单元1101号东户"
	if err := db.ApplyCases(context.Background(), []hecha.Case{c}, 2); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules})
	openCase(t, d, "C0009")
	d.expect("还有", "行")
	for range 10 {
		d.keys("pgdown")
	}
	d.expectNot("还有")
	d.expect("(410102001003)", "1101号东户", "返回日期")
}

// TestDetail_MismatchFooterOffersOnlyWhatWorks checks that a mismatch
// case (no comparison, one form) offers no candidate keys, and that they
// do nothing there.
func TestDetail_MismatchFooterOffersOnlyWhatWorks(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules})
	openCase(t, d, "C0004")
	d.expect("填写结果", "h 历史")
	d.expectNot("下一个候选", "不选候选", "换比对精度", "手工查找")
	d.keys("?")
	d.expectNot("上一个候选", "下一个候选")
	d.keys("?", "n", "0", "d", "/")
	d.expect("适用结果：M")
	d.expectNot("查找：")
}

// TestHistory_ShowsWhatWasSaved checks that the history shows a saved
// result's content read-only (no form, no draft), newest first.
func TestHistory_ShowsWhatWasSaved(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	ctx := context.Background()
	first, err := db.SaveResult(ctx, &hecha.Result{CaseID: "C0001", Form: hecha.FormR1,
		NotFound: &hecha.NotFound{Reason: hecha.NotFoundOther, Remark: "邻居说已搬走多年"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveResult(ctx, &hecha.Result{CaseID: "C0001", Form: hecha.FormR1, Replaces: first.ID,
		NotFound: &hecha.NotFound{Reason: hecha.NotFoundMarriedOut, Destination: "440305001", DestAddress: "南山区某村1号"}}); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules})
	d.keys("enter", "7", "enter")
	d.expect("个案 C0001")
	d.keys("h")
	// The newest is open: its reason, destination (named, not checked) and address.
	d.expect("核查历史 C0001", "› 2. R1 查无此人", "查无此人原因", "婚出", "广东省/深圳市/南山区 (440305001) （乡镇未核对）", "南山区某村1号")
	d.expectNot("邻居说已搬走多年")
	d.keys("down") // the first version
	d.expect("› 1. R1 查无此人", "其他", "邻居说已搬走多年")
	d.expectNot("南山区某村1号")
	d.keys("esc")
	d.expect("个案 C0001")
	if _, err := db.Draft(ctx, "C0001"); hecha.ErrorCode(err) != hecha.ENOTFOUND {
		t.Fatalf("viewing the history left a draft: %v", err)
	}
}

// TestForm_UnchangedCorrectionLeavesNoDraft checks that a correction form
// opened, changed and changed back, then left, leaves no draft: the case
// keeps its result and its state.
func TestForm_UnchangedCorrectionLeavesNoDraft(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	ctx := context.Background()
	if _, err := db.SaveResult(ctx, &hecha.Result{CaseID: "C0001", Form: hecha.FormR1,
		NotFound: &hecha.NotFound{Reason: hecha.NotFoundDied}}); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules})
	d.keys("enter", "7", "enter")
	d.expect("个案 C0001")
	d.keys("0", "enter")
	d.expect("R1 查无此人", "‹ 死亡 ›")
	d.keys("right")
	d.expect("‹ 其他 ›")
	d.keys("left")
	d.expect("‹ 死亡 ›")
	d.keys("esc")
	d.expect("个案 C0001")
	d.expectNot("草稿")
	if _, err := db.Draft(ctx, "C0001"); hecha.ErrorCode(err) != hecha.ENOTFOUND {
		t.Fatalf("an unchanged correction left a draft: %v", err)
	}
	// Opened and left at once: no draft either.
	d.keys("enter", "esc")
	if _, err := db.Draft(ctx, "C0001"); hecha.ErrorCode(err) != hecha.ENOTFOUND {
		t.Fatalf("an untouched correction left a draft: %v", err)
	}
	// A new form whose field is set and emptied again leaves none either.
	d.keys("esc", "/")
	d.typeText("C0003")
	d.keys("enter", "0", "enter")
	d.expect("P2 省内流动")
	d.keys("left", "tab") // 其他: the remark shows
	d.typeText("x")
	d.keys("backspace", "shift+tab", "backspace", "esc") // emptied, the reason unset again
	if _, err := db.Draft(ctx, "C0003"); hecha.ErrorCode(err) != hecha.ENOTFOUND {
		t.Fatalf("a new form emptied again left a draft: %v", err)
	}
	d.keys("esc", "/", "ctrl+u")
	d.typeText("C0001")
	d.keys("enter")
	d.expect("个案 C0001")
	// A real change still leaves one.
	d.keys("enter", "right", "esc")
	if _, err := db.Draft(ctx, "C0001"); err != nil {
		t.Fatalf("a changed correction left no draft: %v", err)
	}
}

// TestHistory_MismatchShowsTheValuesKept checks that a saved M result
// shows, for each item, the value its choice kept.
func TestHistory_MismatchShowsTheValuesKept(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	if _, err := db.SaveResult(context.Background(), &hecha.Result{CaseID: "C0004", Form: hecha.FormM,
		Mismatch: &hecha.MismatchResolution{NameChoice: hecha.KeepOutflow, SexChoice: hecha.KeepResident,
			BirthDateChoice: hecha.KeepResident, CitizenIDChoice: hecha.KeepResident},
		SignOff: &hecha.SignOff{Confirmed: true, Name: "周会计"}}); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules})
	d.keys("enter", "7")
	d.keys("/")
	d.typeText("C0004")
	d.keys("enter", "h")
	d.expectLine("姓名取值", "以流出人口为准", "= 赵陆")
	d.expectLine("性别取值", "以常住人口为准", "= 女")
}

// TestDetail_LookupAddsNeverRemoves: a hand lookup that finds nothing
// leaves the comparison's candidates and pick alone (a typo must not lead
// to R1 查无此人), also after the case is opened again; one that finds a
// record adds it.
func TestDetail_LookupAddsNeverRemoves(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	rec := hecha.ResidentRecord{ID: "RX", Name: "李肆", Sex: hecha.SexFemale, BirthDate: hecha.NewDate(1985, 11, 20),
		CitizenID: citizenID("410102", "19851120", "888"), HouseholdDivision: "410102001001"}
	if err := db.ApplyRegistry(context.Background(), nil, []hecha.ResidentRecord{rec}, 1); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules})
	openCase(t, d, "C0002")
	d.keys("n", "n", "n") // the R5 candidate
	d.expect("适用结果：R5")
	d.keys("/")
	d.typeText("王浩")
	d.keys("enter")
	d.expect("手工查找“王浩”：找到 0 条", "5. 常住人口系统", "› 4. 常住人口系统", "适用结果：R5")
	d.expectNot("R1 查无此人")
	d.keys("esc", "esc", "esc") // home, and the case again
	openCase(t, d, "C0002")
	d.expect("› 4. 常住人口系统", "适用结果：R5")

	d.keys("/")
	d.typeText("李肆")
	d.keys("enter")
	d.expect("手工查找“李肆”：找到 1 条", "› 6. 常住人口系统", "李肆", "适用结果：R6")
	d.keys("b")
	d.expect("› 5. 常住人口系统")
}
