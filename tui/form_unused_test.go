package tui

import (
	"context"
	"testing"

	"hecha"
)

// TestForm_UnusedValueStaysInSightUntilCleared: a destination typed under
// 婚出 is not used once the reason becomes 死亡. It is neither hidden nor
// dropped in silence (README: what the result does not use is pointed
// out): the field stays with an error that blocks the save until it is
// cleared, and then it goes.
func TestForm_UnusedValueStaysInSightUntilCleared(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules})
	openForm(t, d, "C0001", 0, "R1 查无此人")
	d.keys("right", "tab") // 婚出: the destination
	d.typeText("410102001")
	d.keys("shift+tab", "right", "right") // 迁出, 死亡
	d.expect("‹ 死亡 ›", "婚出地/户口迁出地", "410102001", "✗ 当前的选择用不到这一项")
	d.expectNot("婚出地/户口迁出地地址") // empty: hidden as before
	d.keys("ctrl+s")
	d.expect("还有 1 处需要改正，未保存")
	if vs, _ := db.History(context.Background(), "C0001"); len(vs) != 0 {
		t.Fatalf("saved %+v", vs)
	}
	focusOn(t, d, "婚出地/户口迁出地")
	d.keys("ctrl+u", "tab")
	d.expectNot("婚出地/户口迁出地", "用不到")
	d.keys("ctrl+s")
	d.expect("已保存 C0001")
	vs, err := db.History(context.Background(), "C0001")
	if err != nil || len(vs) != 1 {
		t.Fatalf("history %v, %v", vs, err)
	}
	if n := vs[0].Result.NotFound; n == nil || n.Reason != hecha.NotFoundDied || n.Destination != "" {
		t.Fatalf("saved %+v", n)
	}
}
