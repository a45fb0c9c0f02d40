package tui

import (
	"context"
	"regexp"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"hecha"
)

func TestProgress_FromHomeAndFollowsSaves(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules})
	d.expect("r 进度表") // in the home screen's help
	d.keys("r")
	d.expect("跨省流动人口个案信息核查进度表 · 林山寨街道", "单位", "分发", "核查率", "R6", "只计跨省流出个案")
	// The two cross-province cases, in the township and its village.
	row := func(label string) string {
		t.Helper()
		for _, l := range strings.Split(d.screen(), "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), label) {
				return strings.Join(strings.Fields(l), " ")
			}
		}
		t.Fatalf("no row %q:\n%s", label, d.screen())
		return ""
	}
	if got := row("林山寨街道"); got != "林山寨街道 2 0 2 0.0% 0 0 0 0 0 0" {
		t.Fatalf("township row %q", got)
	}
	if got := row("林山寨村"); got != "林山寨村 2 0 2 0.0% 0 0 0 0 0 0" {
		t.Fatalf("village row %q", got)
	}
	if got := row("合计"); got != "合计 2 0 2 0.0% 0 0 0 0 0 0" {
		t.Fatalf("total row %q", got)
	}

	// C0001 saved as 查无此人: the table counts it.
	d.keys("esc", "enter", "enter", "enter", "right", "right", "right", "ctrl+s")
	d.expect("已保存 C0001")
	d.keys("esc", "r")
	if got := row("林山寨村"); got != "林山寨村 2 1 1 50.0% 1 0 0 0 0 0" {
		t.Fatalf("village row after the save %q", got)
	}
}

// TestProgress_FitsAndScrolls lays out a township of 5,000 cases in 20
// villages at 80 and 120 columns: no line wider than the screen, the
// header and the total always shown, the villages scrolling between.
func TestProgress_FitsAndScrolls(t *testing.T) {
	sums := benchSummaries(5000)
	for i := range sums {
		sums[i].Form = hecha.Forms[i%6]
	}
	e := &env{lang: hecha.Chinese, st: NewStyles(false), rules: testRules(t)}
	p := newProgressModel(e)
	p, cmd := p.rebuild(newCaseIndex(sums), "410102001")
	p, _ = p.update(cmd())
	for _, size := range [][2]int{{80, 21}, {120, 37}, {60, 21}} {
		w, h := size[0], size[1]
		p = p.resize(h)
		p.offset = 0
		seen := map[string]bool{}
		for range 10 {
			view := ansi.Strip(p.view(w, h, "林山寨街道"))
			lines := strings.Split(view, "\n")
			if len(lines) > h {
				t.Fatalf("%dx%d: %d lines", w, h, len(lines))
			}
			for _, l := range lines {
				if n := ansi.StringWidth(l); n > w {
					t.Fatalf("%dx%d: line %d cells wide: %q", w, h, n, l)
				}
				if m := regexp.MustCompile(`4101020010\d\d|林山寨村|建设路社区`).FindString(l); m != "" {
					seen[m] = true
				}
			}
			if !strings.Contains(lines[1], "分发") || !strings.Contains(view, "合计") {
				t.Fatalf("%dx%d: header or total missing:\n%s", w, h, view)
			}
			if w >= 80 && !strings.Contains(lines[1], "R6") {
				t.Fatalf("%dx%d: result columns left out:\n%s", w, h, view)
			}
			p, _ = p.update(keyMsg("pgdown"))
		}
		if w >= 80 && len(seen) != 20 {
			t.Fatalf("%dx%d: scrolling showed %d of 20 villages", w, h, len(seen))
		}
	}
}

// TestProgress_OpenedBeforeTheStatus checks that a table opened before
// the township is known is computed again once it is.
func TestProgress_OpenedBeforeTheStatus(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	d := &driver{tb: t, m: New(context.Background(), Config{Store: db, Registry: db, Rules: rules, Now: testClock})}
	d.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	d.send(openProgressMsg{})
	d.expect(" 中原区") // no township yet: the top is the cases' county
	d.run(loadStatus(d.m.env))
	d.expect("跨省流动人口个案信息核查进度表 · 林山寨街道", " 林山寨街道", "   林山寨村")
	d.expectNot("中原区")
}
