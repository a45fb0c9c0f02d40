package tui

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"hecha"
	"hecha/store"
)

// fakeCounty plays the county for the TUI: each round takes the outbox
// and answers every result with the outcome answer gives, or fails with
// err.
type fakeCounty struct {
	db     *store.TownshipDB
	err    error
	answer func(hecha.Result) hecha.Outcome
	rounds atomic.Int32
}

func (f *fakeCounty) SyncRound(ctx context.Context, progress func(SyncProgress)) (SyncReport, error) {
	f.rounds.Add(1)
	if f.err != nil {
		return SyncReport{}, f.err
	}
	batch, err := f.db.NextBatch(ctx, 100)
	if err != nil {
		return SyncReport{}, err
	}
	rep := SyncReport{Uploaded: len(batch)}
	var outs []hecha.Outcome
	for i, r := range batch {
		progress(SyncProgress{Phase: "sync.phase.push", Done: i + 1, Total: len(batch)})
		o := hecha.Outcome{ResultID: r.ID, Status: hecha.ResultAccepted, At: testNow}
		if f.answer != nil {
			o = f.answer(r)
		}
		switch o.Status {
		case hecha.ResultRejected:
			rep.Rejected++
		case hecha.ResultConflict:
			rep.Conflicts++
		default:
			rep.Accepted++
		}
		outs = append(outs, o)
	}
	if err := f.db.Acknowledge(ctx, outs); err != nil {
		return rep, err
	}
	st, err := f.db.Settings(ctx)
	if err != nil {
		return rep, err
	}
	st.LastSync = testNow
	return rep, f.db.SaveSettings(ctx, st)
}

func TestSync_OfflineIsANormalState(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	county := &fakeCounty{db: db, err: hecha.Errorf(hecha.EUNAVAILABLE, "", "")}
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules, Syncer: county, SyncEvery: -1})
	if county.rounds.Load() == 0 {
		t.Fatal("no background round at start")
	}
	d.expect("│ 离线 │", "连接：离线", "离线也可以正常核查")
	d.expectNot("错误")
	d.keys("s") // by hand: said plainly, not as an error
	d.expect("县里的服务器暂时连不上，继续离线工作")
	d.expectNot("错误", "✗")
}

func TestSync_UploadsAndShowsTheCaseDone(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	county := &fakeCounty{db: db}
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules, Syncer: county, SyncEvery: -1})
	d.expect("│ 在线 │", "上次同步")
	openForm(t, d, "C0001", 0, "R1 查无此人")
	d.keys("right", "right", "right") // 死亡
	d.keys("ctrl+s")
	// Saving starts a round; the county accepts.
	d.expect("[✓]  C0001", "上次同步 03-15 10:30", "待上传 0", "同步完成：上传 1（接受 1，退回 0，冲突 0）")
	d.keys("esc", "esc")
	d.expect("已核查       1")
}

func TestSync_RejectedResultIsCorrectedAndSavedAgain(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	county := &fakeCounty{db: db, answer: func(r hecha.Result) hecha.Outcome {
		return hecha.Outcome{ResultID: r.ID, Status: hecha.ResultRejected, At: testNow,
			Errors: hecha.Errors{hecha.Invalid("not_found.remark", "text.too_long", 10)}}
	}}
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules, Syncer: county, SyncEvery: -1})
	openForm(t, d, "C0001", 0, "R1 查无此人")
	d.keys("right", "right", "right", "right", "tab") // 其他
	d.typeText("很久以前就搬走了，去向不明")
	d.keys("ctrl+s")
	d.expect("退回 1")
	d.keys("7")
	d.expect("[!]  C0001")
	d.keys("esc", "esc") // the search, then the list
	d.expect("有 1 条结果被退回或冲突")
	d.keys("p")
	d.expect("被退回和冲突的结果", "被退回 C0001", "太长了：最多 10 个字")
	first, err := db.History(context.Background(), "C0001")
	if err != nil || len(first) != 1 {
		t.Fatalf("history %v, %v", first, err)
	}

	// Open it from there, shorten the remark and save again: a new result
	// replacing the rejected one.
	county.answer = nil
	d.keys("enter")
	d.expect("个案 C0001", "当前结果：R1 查无此人（被退回）")
	d.keys("enter")
	d.expect("查无此人原因 ‹ 其他 ›", "很久以前就搬走了", "✗ 县里退回：太长了：最多 10 个字")
	d.keys("tab", "ctrl+u")
	d.typeText("去向不明")
	d.expectNot("县里退回")
	d.keys("ctrl+s")
	// Back where the case was opened from; the round that followed the
	// save took the correction.
	d.expect("被退回和冲突的结果", "没有被退回或冲突的结果", "同步完成：上传 1（接受 1")
	vs, err := db.History(context.Background(), "C0001")
	if err != nil || len(vs) != 2 || vs[1].Result.Replaces != first[0].Result.ID {
		t.Fatalf("history %+v, %v", vs, err)
	}
}

func TestSync_ProgressBar(t *testing.T) {
	e := &env{lang: hecha.Chinese, st: NewStyles(true), cfg: Config{Syncer: &fakeCounty{}}}
	s := newSyncModel(e)
	if s.progressLine(80) != "" {
		t.Fatal("a progress line with no round running")
	}
	s.running = true
	s, _ = s.update(syncProgressMsg{p: SyncProgress{Phase: "tui.sync.title", Done: 50, Total: 200}})
	line := s.progressLine(60)
	if !strings.Contains(line, "同步") || !strings.Contains(line, "50/200") || !strings.Contains(line, "#") {
		t.Fatalf("progress line %q", line)
	}
	if w := cellWidth(line); w > 60 {
		t.Fatalf("progress line %d cells wide", w)
	}
}

func TestSync_DemoToggle(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	county := &fakeCounty{db: db}
	online := true
	toggle := func() bool {
		online = !online
		if online {
			county.err = nil
		} else {
			county.err = hecha.Errorf(hecha.EUNAVAILABLE, "", "")
		}
		return online
	}
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules, Syncer: county, SyncEvery: -1, ToggleConnection: toggle})
	d.expect("│ 在线 │")
	d.keys("?")
	d.expect("F9", "演示：断开/恢复连接")
	d.keys("f9")
	d.expect("演示：已断开连接", "│ 离线 │")
	d.keys("f9")
	d.expect("演示：已恢复连接", "│ 在线 │")
}

func TestApp_HelpAndQuit(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules})
	d.expect("enter/l 个案列表", "q 退出")
	d.expectNot("F9")
	d.keys("?")
	d.expect("?/F1", "全部按键", "ctrl+c")
	d.keys("enter") // the full help stays on, with the list's keys
	d.expect("pgdn", "下一页", "home/g", "第一条")
	d.keys("?")
	d.expectNot("pgdn")
	d.keys("esc")
	d.expect("乡级核查工作台")
	d.expectNot("esc 返回") // nothing to go back to from home
	d.keys("esc")
	if d.quit {
		t.Fatal("esc on the home screen quit")
	}
	d.expect("乡级核查工作台", "按 q 退出")
	d.keys("q")
	if !d.quit {
		t.Fatal("q on the home screen did not quit")
	}
}

func TestApp_QuitAsksWhileResultsWaitForUpload(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules})
	openForm(t, d, "C0001", 0, "R1 查无此人")
	d.keys("right", "right", "right") // 死亡
	d.keys("ctrl+s")
	d.expect("已保存")
	d.keys("esc", "esc")
	d.expect("乡级核查工作台", "待上传 1")
	d.keys("q")
	if d.quit {
		t.Fatal("q quit with a result waiting for upload, without asking")
	}
	d.expect("1 条结果未上传", "再按 q 退出")
	d.keys("l", "esc") // another key: the question is off
	d.keys("q")
	if d.quit {
		t.Fatal("q after another key quit without asking again")
	}
	d.keys("q")
	if !d.quit {
		t.Fatal("a second q did not quit")
	}
}

// TestApp_FullHelpIsNotCut opens the full help on the list, a case and a
// form at 80x24: the columns that do not fit side by side go below, none
// cut to "…".
func TestApp_FullHelpIsNotCut(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	fx := &fakeExports{}
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules, ExportWorksheet: fx.worksheet,
		ExportBatch: fx.batch, ToggleConnection: func() bool { return true }})
	d.keys("enter", "?")
	d.expect("shift+tab", "esc    返回", "ctrl+y 立即同步", "F9     演示", "ctrl+c 退出")
	d.expectNot("…")
	d.keys("enter")
	d.expect("个案 C0001", "手工查找", "ctrl+c 退出")
	d.expectNot("…")
	d.keys("enter")
	d.expect("R1 查无此人", "ctrl+s", "ctrl+c 退出")
	d.expectNot("…")
}

// TestApp_DemoQuitAsksWhileAnythingWasDone: the demonstration removes
// everything on exit, so q asks once drafts or results exist, synced or
// not.
func TestApp_DemoQuitAsksWhileAnythingWasDone(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules, Syncer: &fakeCounty{db: db}, SyncEvery: -1,
		ToggleConnection: func() bool { return true }})
	openForm(t, d, "C0001", 0, "R1 查无此人")
	d.keys("right", "right", "right", "ctrl+s") // 死亡, saved and uploaded
	d.keys("esc", "esc")
	d.expect("乡级核查工作台", "待上传 0")
	d.keys("q")
	if d.quit {
		t.Fatal("q quit the demo with work done, without asking")
	}
	d.expect("演示：退出后这次的 1 个草稿和结果都不保留")
	d.keys("q")
	if !d.quit {
		t.Fatal("a second q did not quit")
	}
}

// TestSync_ProbeMarksOfflineAndReconnects checks that the status bar does
// not say 在线 long after the county went away: a light probe between
// rounds marks the connection offline at once, and when the county answers
// again a round starts without waiting for the next one.
func TestSync_ProbeMarksOfflineAndReconnects(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	county := &fakeCounty{db: db}
	var down atomic.Bool
	probes := atomic.Int32{}
	probe := func(context.Context) error {
		probes.Add(1)
		if down.Load() {
			return hecha.Errorf(hecha.EUNAVAILABLE, "", "")
		}
		return nil
	}
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules, Syncer: county, SyncEvery: -1, Probe: probe, ProbeEvery: -1})
	d.expect("│ 在线 │")
	rounds := county.rounds.Load()

	down.Store(true)
	county.err = hecha.Errorf(hecha.EUNAVAILABLE, "", "")
	d.send(probeTickMsg{})
	d.expect("│ 离线 │")
	if county.rounds.Load() != rounds || probes.Load() != 1 {
		t.Fatalf("rounds %d→%d, probes %d: the probe should not run a round", rounds, county.rounds.Load(), probes.Load())
	}

	down.Store(false)
	county.err = nil
	d.send(probeTickMsg{})
	d.expect("│ 在线 │")
	if county.rounds.Load() != rounds+1 {
		t.Fatalf("rounds %d, want a round at once when the county answers again", county.rounds.Load())
	}
	// While online a good probe changes nothing and starts no round.
	d.send(probeTickMsg{})
	if county.rounds.Load() != rounds+1 {
		t.Fatalf("rounds %d after a probe while online", county.rounds.Load())
	}
}

// A county that refuses the terminal (here: a certificate that is not the
// pinned one) is not "offline": the status says refused, and the home
// screen shows the whole message, which says what to do, not only the
// status bar's first line of it.
func TestSync_RefusalIsShownWhole(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	refused := &hecha.Error{Code: hecha.EUNAUTHORIZED, Field: "fingerprint",
		Detail: "县级服务器证书与本机登记的不符，已断开连接，请打电话给县里核对证书指纹。令牌和数据都没有发出。县里确认换了证书后重新设置：hecha setup --fingerprint 新指纹"}
	county := &fakeCounty{db: db, err: refused}
	d := newDriverSize(t, Config{Store: db, Registry: db, Rules: rules, Syncer: county, SyncEvery: -1}, 120, 40)
	d.expect("│ 被拒绝 │", "连接：被拒绝", "令牌和数据都没有发出", "hecha setup --fingerprint 新指纹")
	d.expectNot("离线也可以正常核查")

	// On 80x24 as much as fits, cut with a mark, the counts kept.
	d = newDriver(t, Config{Store: db, Registry: db, Rules: rules, Syncer: county, SyncEvery: -1})
	d.expect("连接：被拒绝", "未核查", "合计", "证书指纹: 县级服务器证书与本机登记的不符")
	d.expectNot("内部错误")

	// Offline again (the county unreachable): the refusal is gone.
	county.err = hecha.Errorf(hecha.EUNAVAILABLE, "", "")
	d.keys("s")
	d.expect("连接：离线", "离线也可以正常核查")
	d.expectNot("被拒绝", "县级服务器证书")
}
