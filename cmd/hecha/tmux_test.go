package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"hecha"
	"hecha/cmd/internal/cli"
)

// tmuxTerm drives a program in a detached tmux session of its own server
// (a private socket), at a fixed size.
type tmuxTerm struct {
	t      *testing.T
	socket string
}

func newTmux(t *testing.T, width, height int, env []string, argv ...string) *tmuxTerm {
	t.Helper()
	tm := &tmuxTerm{t: t, socket: fmt.Sprintf("hecha-test-%d", os.Getpid())}
	args := []string{"-L", tm.socket, "-f", "/dev/null", "new-session", "-d", "-s", "t",
		"-x", fmt.Sprint(width), "-y", fmt.Sprint(height)}
	for _, e := range env {
		args = append(args, "-e", e)
	}
	args = append(args, argv...)
	if out, err := exec.Command("tmux", args...).CombinedOutput(); err != nil {
		t.Fatalf("tmux new-session: %v\n%s", err, out)
	}
	// The session ends with the program; keep the pane to read its last screen.
	tm.tmux("set-option", "-t", "t", "remain-on-exit", "on")
	t.Cleanup(func() { exec.Command("tmux", "-L", tm.socket, "kill-server").Run() })
	return tm
}

func (tm *tmuxTerm) tmux(args ...string) string {
	tm.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", tm.socket}, args...)...).CombinedOutput()
	if err != nil {
		tm.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// screen returns what the pane shows.
func (tm *tmuxTerm) screen() string { return tm.tmux("capture-pane", "-p", "-t", "t") }

// keys sends tmux key names ("Enter", "C-s", "Tab") or literal text, one
// at a time with a pause, as a person types (an escape followed at once by
// a key would read as alt+key).
func (tm *tmuxTerm) keys(keys ...string) {
	tm.t.Helper()
	for _, k := range keys {
		if strings.HasPrefix(k, "text:") {
			tm.tmux("send-keys", "-t", "t", "-l", strings.TrimPrefix(k, "text:"))
		} else {
			tm.tmux("send-keys", "-t", "t", k)
		}
		time.Sleep(80 * time.Millisecond)
	}
}

// waitFor waits until the screen shows every one of want.
func (tm *tmuxTerm) waitFor(want ...string) string {
	tm.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		s := tm.screen()
		ok := true
		for _, w := range want {
			ok = ok && strings.Contains(s, w)
		}
		if ok {
			return s
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("the screen never showed %q:\n%s", want, s)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// waitMatch waits until the screen matches the regular expression re.
func (tm *tmuxTerm) waitMatch(re string) string {
	tm.t.Helper()
	rx := regexp.MustCompile(re)
	deadline := time.Now().Add(20 * time.Second)
	for {
		s := tm.screen()
		if rx.MatchString(s) {
			return s
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("the screen never matched %s:\n%s", re, s)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// buildHecha builds the command into a temporary folder.
func buildHecha(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "hecha")
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// tmuxGenDay is the date the tmux tests generate their county at.
var tmuxGenDay = time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)

// TestTmuxClerkVerifiesACase runs the real binary in tmux at 80x24
// against a county server this test runs (the demonstration's county):
// the clerk opens a cross-province case, picks "none" so the form is 查无此人,
// saves it without a reason (the error shows at the field), adds the
// reason, saves, syncs, and the result is on the county.
func TestTmuxClerkVerifiesACase(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	requireTmux(t)
	ctx := context.Background()
	dir := t.TempDir()
	// The demonstration's county generated at a fixed date before any day
	// the test runs on; its databases keep the real clock, which the
	// binary under test reads too.
	d, err := newDemo(ctx, dir, tmuxGenDay, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	// The township database goes to the binary, its division table beside it.
	dbPath := d.local.Path()
	if err := d.local.Close(); err != nil {
		t.Fatal(err)
	}
	d.local = nil
	if err := cli.SaveRegions(dbPath, d.rules.Divisions); err != nil {
		t.Fatal(err)
	}

	bin := buildHecha(t)
	tm := newTmux(t, 80, 24, []string{"LANG=zh_CN.UTF-8", "TERM=xterm-256color", "HOME=" + dir},
		bin, "--db", dbPath)
	// The database is encrypted (the demonstration's passphrase): the
	// binary asks first; a wrong passphrase is refused, the right one
	// opens the interface.
	tm.waitFor("已锁定", "口令：")
	tm.keys("text:not the passphrase", "Enter")
	tm.waitFor("口令不对")
	tm.keys("text:"+DemoPassphrase, "Enter")
	tm.waitFor("乡级核查工作台", "未核查", "在线")

	// The list, cross-province cases only, the first one.
	tm.keys("Enter")
	tm.waitFor("[未核查")
	tm.keys("t")
	s := tm.waitFor("跨省流出 ·", "› [ ]")
	tm.keys("Enter")
	s = tm.waitFor("系统比对")
	m := regexp.MustCompile(`个案 (\S+) · 跨省流出`).FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("no case id on the detail screen:\n%s", s)
	}
	caseID := m[1]

	// None of the candidates: 查无此人, saved without a reason.
	tm.keys("0")
	tm.waitFor("适用结果：R1 查无此人")
	tm.keys("Enter")
	tm.waitFor("R1 查无此人 · "+caseID, "查无此人原因")
	tm.keys("C-s")
	s = tm.waitFor("未保存")
	if !regexp.MustCompile(`查无此人原因 +‹ — ›[\s\S]*✗ 必填`).MatchString(s) {
		t.Fatalf("the missing reason is not shown at its field:\n%s", s)
	}

	// The reason (死亡 needs nothing more), saved: back to the list, then
	// the upload.
	tm.keys("Right", "Right", "Right")
	tm.waitFor("‹ 死亡 ›")
	tm.keys("C-s")
	// Back on the list, marked to upload; the round a save starts may
	// already have taken it.
	tm.waitMatch(`\[(↑|✓)\]  ` + regexp.QuoteMeta(caseID) + `.* R1`)
	tm.keys("C-y")
	tm.waitFor("[✓]  "+caseID, "待上传 0")

	results, err := d.county.ResultsOf(ctx, caseID)
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 1 || results[0].Form != hecha.FormR1 || results[0].NotFound == nil || results[0].NotFound.Reason != hecha.NotFoundDied {
		t.Fatalf("the county holds %+v", results)
	}

	tm.keys("C-c")
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(tm.tmux("list-panes", "-t", "t", "-F", "#{pane_dead}"), "1") {
		if time.Now().After(deadline) {
			t.Fatalf("hecha did not quit:\n%s", tm.screen())
		}
		time.Sleep(100 * time.Millisecond)
	}
}
