package tui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"hecha"
)

// failingSyncer fails every round with the error it holds.
type failingSyncer struct{ err error }

func (s failingSyncer) SyncRound(context.Context, func(SyncProgress)) (SyncReport, error) {
	return SyncReport{}, s.err
}

// untrustedStore holds one case made entirely of text from outside: its
// name and a household member's, its addresses, its id, ID number and
// division codes, a candidate record with the same, a draft, a result the
// county rejected with a message, and the township.
func untrustedStore(name, addr, id, citizen, code, msg string) *memStore {
	st := newMemStore(hecha.Settings{Township: hecha.Code(code), Clerk: name})
	b := hecha.NewDate(1990, 1, 2)
	c := hecha.Case{ID: id, Kind: hecha.KindCrossProvince, Unit: hecha.Code(code),
		Person: hecha.Person{Name: name, Sex: hecha.SexFemale, BirthDate: b, CitizenID: citizen,
			CurrentDivision: hecha.Code(code), CurrentAddress: addr, HouseholdDivision: hecha.Code(code),
			HouseholdAddress: addr, Members: []hecha.Member{{Name: name, CitizenID: citizen, BirthDate: b}}},
		Candidates: []hecha.Candidate{
			{Source: hecha.SourceFloating, Form: hecha.FormR3, Differs: []string{"name", "current_division"},
				Floating: &hecha.FloatingRecord{ID: id, Name: name, CitizenID: citizen, BirthDate: b,
					HouseholdDivision: hecha.Code(code), InflowDivision: hecha.Code(code)}},
			{Source: hecha.SourceResident, Form: hecha.FormR5,
				Resident: &hecha.ResidentRecord{ID: id, Name: name, CitizenID: citizen,
					Outflow: &hecha.Outflow{Destination: hecha.Code(code)}}},
		}}
	st.add(c, hecha.StatusRejected, hecha.Form(msg))
	st.drafts[id] = &hecha.Draft{CaseID: id, Form: hecha.FormR1, Focus: "not_found.remark",
		Values: map[string]string{"not_found.reason": "9", "not_found.remark": addr, "not_found.destination": code}}
	er := hecha.Error{Code: hecha.EINVALID, Field: "name", MsgID: msg, Args: []any{name}, Detail: msg}
	res := hecha.Result{ID: id + msg, CaseID: id, Form: hecha.FormR1, Clerk: name, SavedAt: testNow,
		NotFound: &hecha.NotFound{Reason: hecha.NotFoundOther, Remark: addr}}
	out := hecha.Outcome{ResultID: res.ID, Status: hecha.ResultRejected, Errors: hecha.Errors{&er}}
	st.history[id] = []hecha.ResultVersion{{Seq: 1, Result: res, Upload: out}}
	st.outbox = []hecha.OutboxItem{{ResultID: res.ID, CaseID: id, State: hecha.OutboxRejected, Outcome: out}}
	st.fl = []hecha.FloatingRecord{*c.Candidates[0].Floating}
	return st
}

// checkSafe fails when view holds a control, escape or bidi character
// (under the Ascii profile lipgloss draws no escapes at all), invalid
// UTF-8, or a line wider than w.
func checkSafe(t *testing.T, where, view string, w int) {
	t.Helper()
	if !utf8.ValidString(view) {
		t.Fatalf("%s: invalid UTF-8 on screen: %q", where, view)
	}
	for _, line := range strings.Split(view, "\n") {
		for _, r := range line {
			if r < 0x20 || r >= 0x7f && r <= 0x9f || r == 0x200e || r == 0x200f || r >= 0x2028 && r <= 0x202e ||
				r >= 0x2066 && r <= 0x2069 || r == 0x061c {
				t.Fatalf("%s: %U on screen: %q", where, r, line)
			}
		}
		if n := ansi.StringWidth(line); n > w {
			t.Fatalf("%s: a line %d cells wide on a %d-cell screen: %q", where, n, w, line)
		}
	}
}

// untrustedSeeds are texts from outside that have broken terminals:
// escapes (clear screen, set title, blink), C0 and C1 controls, bidi
// overrides, invalid UTF-8, ambiguous-width and over-long text, format
// verbs.
var untrustedSeeds = []struct {
	name, addr, id, citizen, code, msg string
	w, h                               int
}{
	{"张三\x1b[2J\x1b]0;title\x07", "地址\u202e反向\u2066x", "C1\x9b31m", "4101\x7f\x00", "4101\r\n02", "县里说：\x1b[5m错\u200f", 80, 24},
	{"阿依古丽·买买提", "幸福路①号—3栋“阳光”小区", "C0101", "410102199001021234", "440305", "tui.error", 120, 40},
	{"\xff\xfe李", "\t地址\v", "", "", "", "", 20, 6},
	{strings.Repeat("买买提·", 40), strings.Repeat("①—“”", 60), strings.Repeat("X", 80), "1", "41010200100", "%v%d%!", 33, 9},
}

// TestScreensUntrustedText walks every screen of the running program —
// home, list, detail, form, history, problems, progress, export — over a
// case made of each seed's text, and checks what each screen draws
// (before the root's own guard) and the whole frame: no control, escape
// or bidi character, no line wider than the terminal.
func TestScreensUntrustedText(t *testing.T) {
	lipgloss.SetColorProfile(termenv.Ascii)
	defer lipgloss.SetColorProfile(termenv.ANSI256)
	for i, sd := range untrustedSeeds {
		st := untrustedStore(sd.name, sd.addr, sd.id, sd.citizen, sd.code, sd.msg)
		fx := &fakeExports{err: hecha.Errorf(hecha.EUNAVAILABLE, "", sd.msg, sd.name)}
		cfg := Config{Store: st, Registry: st, Rules: testRules(t), ExportWorksheet: fx.worksheet, ExportBatch: fx.batch,
			Syncer: failingSyncer{&hecha.Error{Code: hecha.EINTERNAL, Detail: sd.msg}}, SyncEvery: -1}
		w, h := sd.w, sd.h
		d := startDriver(t, cfg, w, h, true)
		check := func(where string) {
			t.Helper()
			where = fmt.Sprintf("seed %d, %s", i, where)
			checkSafe(t, where, d.m.body(w, d.m.bodyHeight()), w)
			checkSafe(t, where+", frame", d.m.View(), w)
		}
		check("home")
		d.keys("enter", "7") // the list, every status
		check("list")
		d.keys("enter") // the case
		check("detail")
		d.keys("n")
		check("detail, second candidate")
		d.keys("0", "enter") // none: R1, from the draft
		check("form")
		d.keys("ctrl+s")
		check("form saved or blocked")
		d.keys("esc", "h")
		check("history")
		cfg.Syncer = nil
		d = startDriver(t, cfg, w, h, true)
		d.keys("p")
		check("problems")
		d.keys("esc", "r")
		check("progress")
		d.keys("esc", "x")
		d.typeText(sd.addr)
		check("export")
		d.keys("enter")
		check("export failed")
	}
}

// FuzzScreensUntrustedText draws every screen straight from its model
// (the program's flow is TestScreensUntrustedText's) over a case made of
// arbitrary text, at an arbitrary size, with the checks of checkSafe.
func FuzzScreensUntrustedText(f *testing.F) {
	for _, sd := range untrustedSeeds {
		f.Add(sd.name, sd.addr, sd.id, sd.citizen, sd.code, sd.msg, sd.w, sd.h)
	}
	rules := testRules(f)
	f.Fuzz(func(t *testing.T, name, addr, id, citizen, code, msg string, w, h int) {
		w, h = 20+abs(w)%181, 6+abs(h)%55
		lipgloss.SetColorProfile(termenv.Ascii)
		defer lipgloss.SetColorProfile(termenv.ANSI256)
		st := untrustedStore(name, addr, id, citizen, code, msg)
		ctx := context.Background()
		fx := &fakeExports{}
		m := New(ctx, Config{Store: st, Registry: st, Rules: rules, ExportWorksheet: fx.worksheet, ExportBatch: fx.batch, Now: testClock})
		mm, _ := m.Update(tea.WindowSizeMsg{Width: w, Height: h})
		m = mm.(Model)
		mm, _ = m.Update(loadStatus(m.env)())
		m = mm.(Model)
		m.message, m.isErr = msg+name, true
		checkSafe(t, "home", m.View(), w)

		sums, _ := st.Summaries(ctx)
		m.list, _ = m.list.update(summariesMsg{gen: m.list.gen, ix: newCaseIndex(sums)})
		m.list.tab = len(listTabs) - 1
		m.list = m.list.refilter()
		m.list.input = []rune(name)
		checkSafe(t, "list", m.list.view(w, h), w)

		c, _ := st.Case(ctx, id)
		vs, _ := st.History(ctx, id)
		m.detail, _ = m.detail.open(id)
		m.detail, _ = m.detail.update(caseMsg{id: id, c: c, draft: st.drafts[id], versions: vs})
		for range 3 {
			checkSafe(t, "detail", m.detail.view(w, h), w)
			m.detail, _ = m.detail.update(keyMsg("n"))
		}
		m.detail, _ = m.detail.update(compareMsg{id: id, gen: m.detail.gen, cands: c.Candidates, query: addr})
		checkSafe(t, "detail after a lookup", m.detail.view(w, h), w)

		m.form, _ = m.form.open(openFormMsg{c: c, form: hecha.FormR1, draft: st.drafts[id], county: vs[0].Upload.Errors,
			prev: &vs[0].Result})
		m.form.submit = true
		checkSafe(t, "form", m.form.view(w, h), w)
		m.form, _ = m.form.open(openFormMsg{c: c, form: hecha.FormR3, prev: &vs[0].Result, county: vs[0].Upload.Errors})
		m.form = m.form.setProblems(vs[0].Upload.Errors)
		m.form.submit = true
		checkSafe(t, "form with the county's errors", m.form.view(w, h), w)

		m.history, _ = m.history.open(c)
		m.history, _ = m.history.update(historyMsg{caseID: id, versions: vs})
		checkSafe(t, "history", m.history.view(w, h), w)

		m.problems, _ = m.problems.update(problemsMsg{gen: m.problems.gen, items: st.outbox})
		checkSafe(t, "problems", m.problems.view(w, h), w)

		var pc tea.Cmd
		m.progress, pc = m.progress.rebuild(m.list.ix, hecha.Code(code))
		m.progress, _ = m.progress.update(pc())
		checkSafe(t, "progress", m.progress.view(w, h, m.townshipName()), w)

		m.export = m.export.open()
		m.export.ti.SetValue(addr)
		m.export, _ = m.export.done(exportDoneMsg{kind: exportBatch, n: 1, path: addr, batchID: msg})
		checkSafe(t, "export", m.export.view(w, h), w)
		m.export, _ = m.export.done(exportDoneMsg{err: &hecha.Error{Code: hecha.EUNAVAILABLE, Detail: msg}})
		checkSafe(t, "export failed", m.export.view(w, h), w)
	})
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func TestTerminalSafe(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"张三", "张三"},
		{"\x1b[1;38;5;2m张三\x1b[0m", "\x1b[1;38;5;2m张三\x1b[0m"}, // styles stay
		{"a\x1b]0;title\x07b", "a\ufffd]0;title\ufffdb"},       // an OSC title is cut apart
		{"a\x1b[2Jb", "a\ufffd[2Jb"},                           // not SGR: clear screen
		{"a\u202eb\u2066c", "abc"},                             // bidi controls go
		{"a\u009b31mb", "a\ufffd31mb"},                         // C1 CSI
		{"a\xffb", "a\ufffdb"},
		{"a\tb", "a b"},
	} {
		if got := terminalSafe(tc.in); got != tc.want {
			t.Errorf("terminalSafe(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// FuzzTerminalSafe checks that the root's guard leaves no escape but SGR
// and no control or bidi character, and changes clean text not at all.
func FuzzTerminalSafe(f *testing.F) {
	f.Add("\x1b[1m张\x1b[0m\x1b]8;;x\x07\u202e\x9b")
	f.Fuzz(func(t *testing.T, s string) {
		out := terminalSafe(s)
		rest := out
		for {
			i := strings.IndexByte(rest, 0x1b)
			if i < 0 {
				break
			}
			n := sgrLen(rest[i:])
			if n == 0 {
				t.Fatalf("terminalSafe(%q) = %q keeps a non-SGR escape", s, out)
			}
			rest = rest[:i] + rest[i+n:]
		}
		checkSafe(t, "guarded", rest, 1<<30)
		if clean(s) == s && !strings.ContainsRune(s, 0x1b) && out != s {
			t.Fatalf("terminalSafe(%q) = %q changed clean text", s, out)
		}
	})
}
