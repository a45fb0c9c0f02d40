package main

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"hecha/internal/testenv"
)

// sgrParams matches the parameters of each SGR sequence on a screen.
var sgrParams = regexp.MustCompile(`\x1b\[([0-9;:]*)m`)

// TestTmuxTerminals runs the real binary in tmux at 80x24 as the
// terminals clerks have see it: with NO_COLOR, on a 16-colour terminal,
// and with --ascii. Without colour no colour or other attribute reaches
// the terminal and every state still shows by its marker; on 16 colours
// only the 16 colours are used; with --ascii nothing but ASCII and
// Chinese text is drawn.
func TestTmuxTerminals(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	requireTmux(t)
	db := fieldTownship(t)
	bin := buildHecha(t)
	base := []string{"LANG=zh_CN.UTF-8", "HOME=" + t.TempDir()}

	t.Run("NO_COLOR", func(t *testing.T) {
		tm := startTmux(t, 80, 24, base, "env", "TERM=xterm-256color", "NO_COLOR=1", bin, "--db", db)
		defer tm.close()
		tm.wait(`乡级核查工作台[\s\S]*\[ \]  未核查`)
		tm.send("Enter")
		tm.wait(`\[未核查 4\][\s\S]*› \[ \]  C001`)
		screen := tm.run("capture-pane", "-p", "-e", "-t", "t")
		for _, m := range sgrParams.FindAllStringSubmatch(screen, -1) {
			if m[1] != "" && m[1] != "0" && m[1] != "39" && m[1] != "49" {
				t.Fatalf("attribute %q drawn without colour:\n%q", m[1], screen)
			}
		}
		tm.send("C-c")
	})

	t.Run("16 colours", func(t *testing.T) {
		tm := startTmux(t, 80, 24, base, "env", "TERM=xterm", "COLORTERM=", bin, "--db", db)
		defer tm.close()
		tm.wait(`乡级核查工作台`)
		tm.send("Enter")
		tm.wait(`\[未核查 4\]`)
		time.Sleep(200 * time.Millisecond)
		screen := tm.run("capture-pane", "-p", "-e", "-t", "t")
		for _, m := range sgrParams.FindAllStringSubmatch(screen, -1) {
			if strings.Contains(m[1], "38;") || strings.Contains(m[1], "48;") {
				t.Fatalf("a colour beyond the 16 (%q) on a 16-colour terminal:\n%q", m[1], screen)
			}
		}
		tm.send("C-c")
	})

	// --ascii, and the consoles that lack box-drawing glyphs without it.
	for _, tc := range []struct{ name, term, flag string }{
		{"ascii", "TERM=xterm-256color", "--ascii"},
		{"TERM=linux", "TERM=linux", ""},
		{"TERM=vt100", "TERM=vt100", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			argv := []string{"env", tc.term, bin, "--db", db}
			if tc.flag != "" {
				argv = append(argv, tc.flag)
			}
			tm := startTmux(t, 80, 24, base, argv...)
			defer tm.close()
			tm.wait(`乡级核查工作台`)
			for _, k := range []string{"", "Enter", "Enter", "Enter", "r", "Escape", "?"} {
				if k != "" {
					tm.send(k)
				}
				time.Sleep(300 * time.Millisecond)
				screen := tm.run("capture-pane", "-p", "-t", "t")
				for _, r := range screen {
					if r > 0x7e && !isChineseText(r) {
						t.Fatalf("%q drawn with %s %s:\n%s", r, tc.term, tc.flag, screen)
					}
				}
			}
			tm.send("C-c")
		})
	}
}

// requireTmux needs tmux: the test skips without it, or fails under CI.
func requireTmux(t *testing.T) {
	t.Helper()
	testenv.Command(t, "tmux")
}

// isChineseText reports whether r is a Chinese character or Chinese
// punctuation, which --ascii leaves alone.
func isChineseText(r rune) bool {
	return r >= 0x4E00 && r <= 0x9FFF || r >= 0x3000 && r <= 0x303F || r >= 0xFF00 && r <= 0xFFEF
}
