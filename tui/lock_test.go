package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"hecha"
)

// lockClock is a clock the lock tests move by hand.
type lockClock struct{ t time.Time }

func (c *lockClock) now() time.Time { return c.t }

// passphraseCheck accepts only right.
func passphraseCheck(right string) func(string) error {
	return func(p string) error {
		if p != right {
			return hecha.Errorf(hecha.EUNAUTHORIZED, "passphrase", "store.wrong_passphrase")
		}
		return nil
	}
}

// startLockDriver starts a driver whose idle checks are sent by the test
// (lockTickMsg), not by a timer.
func startLockDriver(tb testing.TB, cfg Config) *driver {
	tb.Helper()
	cfg.DraftDelay = time.Millisecond
	d := &driver{tb: tb, m: New(context.Background(), cfg)}
	d.m.lock.tick = func() tea.Cmd { return nil }
	d.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	d.run(d.m.Init())
	return d
}

func TestLock_IdleKeepsTheDraft(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	clock := &lockClock{t: testNow}
	d := startLockDriver(t, Config{Store: db, Registry: db, Rules: rules, Now: clock.now,
		Unlock: passphraseCheck("正确的口令 right"), LockAfter: 15 * time.Minute})
	openForm(t, d, "C0001", 0, "R1 查无此人")
	d.keys("right") // 婚出
	d.expect("‹ 婚出 ›", "张三")

	// Not yet idle long enough; then long enough.
	clock.t = clock.t.Add(14 * time.Minute)
	d.send(lockTickMsg{})
	d.expect("‹ 婚出 ›")
	clock.t = clock.t.Add(time.Minute)
	d.send(lockTickMsg{})
	d.expect("已锁定", "口令：")
	d.expectNot("张三", "婚出", "R1")
	if _, err := db.Draft(context.Background(), "C0001"); err != nil {
		t.Fatalf("no draft written as the lock came on: %v", err)
	}

	// Keys go to the lock screen only, masked.
	d.typeText("q")
	d.expect("已锁定")
	d.expectNot("q")
	d.keys("backspace")

	// Five wrong passphrases: the fifth makes the next try wait.
	for i := 1; i <= 5; i++ {
		d.typeText("wrong")
		d.keys("enter")
		d.expect("口令不对")
	}
	d.expect("已连续错 5 次", "5 秒后再试")
	d.typeText("正确的口令 right")
	d.keys("enter")
	d.expect("已锁定", "请 5 秒后再试")
	clock.t = clock.t.Add(3 * time.Second)
	d.typeText("正确的口令 right")
	d.keys("enter")
	d.expect("已锁定", "请 2 秒后再试")

	// After the wait, the right one: the form as it was.
	clock.t = clock.t.Add(2 * time.Second)
	d.typeText("正确的口令 right")
	d.keys("enter")
	d.expectNot("已锁定")
	d.expect("R1 查无此人", "‹ 婚出 ›")

	// A sixth wrong one after unlocking starts the count again.
	clock.t = clock.t.Add(16 * time.Minute)
	d.send(lockTickMsg{})
	d.expect("已锁定")
	d.typeText("wrong")
	d.keys("enter")
	d.expect("口令不对")
	d.expectNot("秒后再试")
}

func TestLock_NotWithoutUnlock(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	clock := &lockClock{t: testNow}
	d := startLockDriver(t, Config{Store: db, Registry: db, Rules: rules, Now: clock.now})
	clock.t = clock.t.Add(24 * time.Hour)
	d.send(lockTickMsg{})
	d.expectNot("已锁定")
}

func TestUnlockModel(t *testing.T) {
	clock := &lockClock{t: testNow}
	var tried []string
	u := NewUnlock(UnlockConfig{Lang: hecha.Chinese, Now: clock.now, Open: func(p string) error {
		tried = append(tried, p)
		return passphraseCheck("正确的口令 right")(p)
	}})
	step := func(msg tea.Msg) tea.Cmd {
		m, cmd := u.Update(msg)
		u = m.(UnlockModel)
		return cmd
	}
	var run func(cmd tea.Cmd) tea.Msg
	run = func(cmd tea.Cmd) tea.Msg {
		if cmd == nil {
			return nil
		}
		msg := cmd()
		if _, ok := msg.(unlockMsg); ok {
			return run(step(msg))
		}
		return msg
	}
	step(tea.WindowSizeMsg{Width: 80, Height: 24})
	for _, r := range "wrong" {
		step(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	if s := ansi.Strip(u.View()); !strings.Contains(s, "*****") || strings.Contains(s, "wrong") {
		t.Fatalf("the passphrase is not masked:\n%s", s)
	}
	if msg := run(step(tea.KeyMsg{Type: tea.KeyEnter})); msg != nil {
		t.Fatalf("a wrong passphrase returned %T", msg)
	}
	if u.Unlocked() || !strings.Contains(ansi.Strip(u.View()), "口令不对") {
		t.Fatalf("after a wrong passphrase:\n%s", ansi.Strip(u.View()))
	}
	for _, r := range "正确的口令 right" {
		step(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	if _, ok := run(step(tea.KeyMsg{Type: tea.KeyEnter})).(tea.QuitMsg); !ok || !u.Unlocked() {
		t.Fatalf("the right passphrase did not unlock: %v", ansi.Strip(u.View()))
	}
	if len(tried) != 2 || tried[0] != "wrong" {
		t.Fatalf("tried %q", tried)
	}
}
