package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"
)

// formFlow scripts one form through the whole program: a bad value and a
// required field left empty, a save that they block, then the fixes and
// a save that goes through.
type formFlow struct {
	form   string
	caseID string
	pick   []string // keys on the detail screen picking the candidate
	title  string   // the form's title, to wait for
	bad    []string // keys, or text to type (see press)
	good   []string
}

// tabs returns n presses of tab.
func tabs(n int) []string { return repeat(n, "tab") }

func repeat(n int, k string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = k
	}
	return out
}

func join(parts ...[]string) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// signOff ticks the sign-off and names the resident clerk; from is how
// many tabs away the checkbox is.
func signOff(from int) []string {
	return join(tabs(from), []string{"space", "tab", "周会计", "ctrl+s"})
}

var formFlows = []formFlow{
	{form: "R1", caseID: "C0001", title: "R1 查无此人 ·",
		bad:  []string{"right", "tab", "4101", "ctrl+s"}, // 婚出 to a city; its address left empty
		good: []string{"ctrl+u", "410102001", "tab", "林山寨村5组", "ctrl+s"}},
	{form: "R2", caseID: "C0002", title: "R2 流动人口系统有",
		bad:  join(tabs(3), []string{"ctrl+u", "19851340", "ctrl+s"}), // no such date; no sign-off
		good: join([]string{"ctrl+u", "1985-11-20"}, signOff(11))},
	{form: "R3", caseID: "C0002", pick: []string{"n"}, title: "R3 流动人口系统有",
		bad:  join(tabs(3), []string{"20990101", "ctrl+s"}), // not withdrawn; a future date
		good: join([]string{"space"}, tabs(3), []string{"ctrl+u", "20230105"}, signOff(15))},
	{form: "R4", caseID: "C0002", pick: []string{"n", "n"}, title: "R4 常住系统已流出登记",
		bad:  join(tabs(2), []string{"ctrl+u", "410102198511202467", "ctrl+s"}), // a wrong check digit
		good: join([]string{"ctrl+u", "410102198511202466"}, signOff(12))},
	{form: "R5", caseID: "C0002", pick: []string{"n", "n", "n"}, title: "R5 常住系统已流出登记",
		bad:  []string{"ctrl+u", "440304", "ctrl+s"}, // another county; no date
		good: join([]string{"ctrl+u", "440305", "tab", "tab", "2023-01-05"}, signOff(15))},
	{form: "R6", caseID: "C0002", pick: []string{"n", "n", "n", "n"}, title: "R6 常住系统未流出登记",
		bad:  []string{"ctrl+u", "20230230", "ctrl+s"}, // no such date
		good: join([]string{"ctrl+u", "20230228"}, signOff(18))},
	{form: "P1", caseID: "C0003", title: "P1 省内流动",
		bad:  []string{"tab", "ctrl+u", "440305", "ctrl+s"}, // not the inflow county; no current division
		good: join([]string{"ctrl+u", "410102002"}, tabs(7), []string{"410102002"}, signOff(10))},
	{form: "P2", caseID: "C0003", pick: []string{"0"}, title: "P2 省内流动",
		bad:  []string{"left", "ctrl+s"}, // 其他 without a remark
		good: []string{"tab", "外出打工多年未归", "ctrl+s"}},
	{form: "M", caseID: "C0004", title: "M 常住与流出不一致处理",
		bad:  []string{"left", "tab", "赵6", "ctrl+s"}, // a digit in the name; three choices not made
		good: join([]string{"ctrl+u", "赵六"}, repeat(3, "tab,right"), []string{"tab", "space", "tab", "周会计", "ctrl+s"})},
}

// press sends a key by name ("tab", "ctrl+s", "tab,right" for two) or
// types the text rune by rune.
func press(tm *teatest.TestModel, k string) {
	if strings.Contains(k, ",") {
		for _, p := range strings.Split(k, ",") {
			press(tm, p)
		}
		return
	}
	if _, ok := namedKeys[k]; ok {
		tm.Send(keyMsg(k))
		return
	}
	for _, r := range k {
		tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

// waitFor waits until the program has drawn s.
func waitFor(tb testing.TB, tm *teatest.TestModel, s string) {
	tb.Helper()
	teatest.WaitFor(tb, tm.Output(), func(b []byte) bool { return strings.Contains(ansi.Strip(string(b)), s) },
		teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
}

// waitForAll waits until the program has drawn every one of want (in
// any frames since the last wait).
func waitForAll(tb testing.TB, tm *teatest.TestModel, want ...string) {
	tb.Helper()
	teatest.WaitFor(tb, tm.Output(), func(b []byte) bool {
		s := ansi.Strip(string(b))
		for _, w := range want {
			if !strings.Contains(s, w) {
				return false
			}
		}
		return true
	}, teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
}

// runFlow runs a flow's first part, and with fix its second, then quits
// and returns the last frame.
func runFlow(t *testing.T, f formFlow, fix bool) string {
	rules := testRules(t)
	db := mustStore(t, rules)
	m := New(context.Background(), Config{Store: db, Registry: db, Rules: rules,
		Now: func() time.Time { return testNow }, DraftDelay: time.Millisecond})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	waitFor(t, tm, "乡级核查工作台")
	press(tm, "enter")
	waitFor(t, tm, "C0004")
	for _, k := range []string{"/", f.caseID, "enter"} {
		press(tm, k)
	}
	waitFor(t, tm, "个案 "+f.caseID)
	for _, k := range append(f.pick, "enter") {
		press(tm, k)
	}
	// The detail names the form that applies too: only with the form's
	// own footer drawn is the form open and taking keys.
	waitForAll(t, tm, f.title, "ctrl+s 保存结果")
	for _, k := range f.bad {
		press(tm, k)
	}
	waitFor(t, tm, "未保存")
	if fix {
		for _, k := range f.good {
			press(tm, k)
		}
		// The status bar's count follows the save a moment later: the
		// frame quit on must show it.
		waitForAll(t, tm, "已保存 "+f.caseID, "待上传 1")
	}
	press(tm, "ctrl+c") // writes the draft, then quits
	final := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(Model)
	return ansi.Strip(final.View())
}

// TestFormGolden runs every form's flow at 80x24 without colour: the
// "blocked" frame shows each bad value's error at its field and the
// required fields left empty, after a save they blocked; the "saved"
// frame is the case list after the fixed form was saved. Regenerate with
// go test ./tui -run TestFormGolden -update.
func TestFormGolden(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole program for every form")
	}
	lipgloss.SetColorProfile(termenv.Ascii)
	defer lipgloss.SetColorProfile(termenv.ANSI256)
	for _, f := range formFlows {
		t.Run(f.form, func(t *testing.T) {
			t.Run("blocked", func(t *testing.T) {
				view := runFlow(t, f, false)
				if !strings.Contains(view, "✗") || !strings.Contains(view, "未保存") {
					t.Fatalf("no error shown:\n%s", view)
				}
				golden.RequireEqual(t, []byte(view))
			})
			t.Run("saved", func(t *testing.T) {
				view := runFlow(t, f, true)
				if !strings.Contains(view, "[↑]  "+f.caseID) {
					t.Fatalf("the case is not shown waiting for upload:\n%s", view)
				}
				golden.RequireEqual(t, []byte(view))
			})
		})
	}
}
