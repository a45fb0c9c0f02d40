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
	d.keys("enter", "enter")
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
	d.keys("enter", "enter")
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
