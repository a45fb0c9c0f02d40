package tui

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"hecha"
	"hecha/store"
)

// testNow is the fixed clock of every test.
var testNow = time.Date(2024, 3, 15, 10, 30, 0, 0, time.UTC)

// testClock is the clock of every test: it always reads testNow.
func testClock() time.Time { return testNow }

// testRules returns rules with a small division table: the township
// 林山寨街道 of 中原区 with two villages, and 深圳 to county level.
func testRules(tb testing.TB) *hecha.Rules {
	tb.Helper()
	r, err := fixtureRules()
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

// fixtureRules builds testRules' table.
func fixtureRules() (*hecha.Rules, error) {
	t := hecha.NewDivisionTable()
	for _, d := range []hecha.Division{
		{Code: "41", Name: "河南省"}, {Code: "4101", Name: "郑州市"}, {Code: "410102", Name: "中原区"},
		{Code: "410102001", Name: "林山寨街道"}, {Code: "410102001001", Name: "林山寨村"},
		{Code: "410102001002", Name: "建设路社区"}, {Code: "410102002", Name: "建设路街道"},
		{Code: "44", Name: "广东省"}, {Code: "4403", Name: "深圳市"}, {Code: "440305", Name: "南山区"},
		{Code: "440304", Name: "福田区"},
	} {
		if err := t.Add(d); err != nil {
			return nil, err
		}
	}
	return &hecha.Rules{Divisions: t, Now: func() time.Time { return testNow }}, nil
}

// citizenID returns a valid ID number for area, birth (yyyymmdd) and a
// 3-digit sequence (odd for men).
func citizenID(area, birth, seq string) string {
	first := area + birth + seq
	return first + string(hecha.IDCheckDigit(first))
}

// testCases are one case of each kind, and a second cross-province one
// with a floating-system candidate.
func testCases() []hecha.Case {
	person := func(name string, sex hecha.Sex, birth string, seq string) hecha.Person {
		b, _ := hecha.ParseDate("", birth)
		return hecha.Person{
			Name: name, Sex: sex, BirthDate: b, CitizenID: citizenID("410102", birth, seq),
			HouseholdDivision: "410102001001", HouseholdAddress: "林山寨村3组",
			CurrentDivision: "440305", CurrentAddress: "深圳市南山区科技园1号",
			Education: "20", HukouType: "10", Reason: "1", Marital: "20",
			OutflowDate: hecha.NewDate(2015, 3, 1),
		}
	}
	zs := person("张三", hecha.SexMale, "19900102", "123")
	ls := person("李四", hecha.SexFemale, "19851120", "246")
	ww := person("王五", hecha.SexMale, "19780505", "135")
	ww.CurrentDivision = ""
	zl := person("赵六", hecha.SexFemale, "19920707", "288")
	lsFloat := func(id string, inflow hecha.Code) hecha.Candidate {
		return hecha.Candidate{Source: hecha.SourceFloating, ByID: true, Floating: &hecha.FloatingRecord{
			ID: id, Name: "李四", Sex: hecha.SexFemale, BirthDate: ls.BirthDate, CitizenID: ls.CitizenID,
			HouseholdDivision: "410102001", InflowDivision: inflow, InflowDate: hecha.NewDate(2015, 4, 1)}}
	}
	lsRes := func(id string, out *hecha.Outflow) hecha.Candidate {
		return hecha.Candidate{Source: hecha.SourceResident, Resident: &hecha.ResidentRecord{
			ID: id, Name: "李四", Sex: hecha.SexFemale, BirthDate: ls.BirthDate, CitizenID: ls.CitizenID,
			HouseholdDivision: "410102001001", Outflow: out}}
	}
	cands := []hecha.Candidate{
		lsFloat("F1", "440305"), lsFloat("F2", "440304"),
		lsRes("R1", &hecha.Outflow{Date: hecha.NewDate(2015, 3, 1), Destination: "440305", Reason: "1"}),
		lsRes("R2", &hecha.Outflow{Date: hecha.NewDate(2015, 3, 1), Destination: "440304", Reason: "1"}),
		lsRes("R3", nil),
	}
	cands[1].Differs = []string{"current_division"}
	cands[3].Differs = []string{"current_division"}
	for i := range cands {
		cands[i].Form = []hecha.Form{hecha.FormR2, hecha.FormR3, hecha.FormR4, hecha.FormR5, hecha.FormR6}[i]
	}
	return []hecha.Case{
		{ID: "C0001", Kind: hecha.KindCrossProvince, Person: zs, Unit: "410102001"},
		{ID: "C0002", Kind: hecha.KindCrossProvince, Person: ls, Unit: "410102001", Candidates: cands},
		{ID: "C0003", Kind: hecha.KindInProvince, Person: ww, Unit: "410102001",
			InflowDivision: "410102002", InflowAddress: "建设路88号", InflowDate: hecha.NewDate(2019, 6, 1),
			Candidates: []hecha.Candidate{{Source: hecha.SourceResident, ByID: true, Form: hecha.FormP1,
				Resident: &hecha.ResidentRecord{ID: "R9", Name: "王五", Sex: hecha.SexMale, BirthDate: ww.BirthDate,
					CitizenID: ww.CitizenID, HouseholdDivision: "410102001001"}}}},
		{ID: "C0004", Kind: hecha.KindMismatch, Person: zl, Unit: "410102001",
			Resident: &hecha.Basic{Name: "赵六", Sex: hecha.SexFemale, BirthDate: zl.BirthDate, CitizenID: zl.CitizenID},
			Outflow:  &hecha.Basic{Name: "赵陆", Sex: hecha.SexFemale, BirthDate: zl.BirthDate, CitizenID: zl.CitizenID}},
	}
}

// mustStore opens a township store in a temporary folder with the test
// cases and the township set.
func mustStore(tb testing.TB, rules *hecha.Rules) *store.TownshipDB {
	tb.Helper()
	db, err := store.OpenTownship(filepath.Join(tb.TempDir(), "hecha.db"), store.WithRules(rules),
		store.WithNow(func() time.Time { return testNow }), store.WithNoSync())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	ctx := context.Background()
	if err := db.SaveSettings(ctx, hecha.Settings{Township: "410102001", Clerk: "王芳"}); err != nil {
		tb.Fatal(err)
	}
	if err := db.ApplyCases(ctx, testCases(), 1); err != nil {
		tb.Fatal(err)
	}
	return db
}

// driver runs a model as the Bubble Tea runtime would, but synchronously:
// every command is run and its messages fed back, except commands that do
// not answer within a short time (the sync ticker).
type driver struct {
	tb   testing.TB
	m    Model
	quit bool
	// literal says the data may hold text like "[5m" (an escape made
	// harmless), which the check for cut escape sequences would take for
	// one.
	literal bool
}

func newDriver(tb testing.TB, cfg Config) *driver {
	tb.Helper()
	return newDriverSize(tb, cfg, 80, 24)
}

// newDriverSize is newDriver on a w×h terminal.
func newDriverSize(tb testing.TB, cfg Config, w, h int) *driver {
	tb.Helper()
	return startDriver(tb, cfg, w, h, false)
}

// startDriver starts a driver on a w×h terminal; see driver.literal.
func startDriver(tb testing.TB, cfg Config, w, h int, literal bool) *driver {
	tb.Helper()
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return testNow }
	}
	if cfg.DraftDelay == 0 {
		cfg.DraftDelay = time.Millisecond
	}
	d := &driver{tb: tb, m: New(context.Background(), cfg), literal: literal}
	d.send(tea.WindowSizeMsg{Width: w, Height: h})
	d.run(d.m.Init())
	return d
}

// send delivers msg, checks the frame and runs what msg returned.
func (d *driver) send(msg tea.Msg) {
	d.tb.Helper()
	m, cmd := d.m.Update(msg)
	d.m = m.(Model)
	d.checkFrame()
	d.run(cmd)
}

// sgrLeft matches the remains of an escape sequence cut apart.
var sgrLeft = regexp.MustCompile(`\[[0-9;]*m`)

// checkFrame fails when the view does not fit the terminal or holds a
// broken escape sequence.
func (d *driver) checkFrame() {
	d.tb.Helper()
	view := d.m.View()
	lines := strings.Split(view, "\n")
	if len(lines) > d.m.height {
		d.tb.Fatalf("view has %d lines on a %d-line terminal", len(lines), d.m.height)
	}
	for i, l := range lines {
		if w := ansi.StringWidth(l); w > d.m.width {
			d.tb.Fatalf("line %d is %d cells wide on a %d-cell terminal: %q", i, w, d.m.width, ansi.Strip(l))
		}
	}
	if s := ansi.Strip(view); !d.literal && sgrLeft.MatchString(s) {
		d.tb.Fatalf("broken escape sequence on screen:\n%s", s)
	}
}

// driverWait is how long run waits for a command's message before taking
// it for a ticker (the background sync's): long enough for any I/O on a
// busy machine, as tests that sync tick once an hour.
const driverWait = 5 * time.Second

// run runs cmd and delivers its messages, depth first.
func (d *driver) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	ch := make(chan tea.Msg, 1)
	go func() { ch <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-ch:
	case <-time.After(driverWait):
		return // a ticker: not part of this step
	}
	switch msg := msg.(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			d.run(c)
		}
	case tea.QuitMsg:
		d.quit = true
	default:
		// tea.Sequence's message is an unexported []tea.Cmd.
		if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeOf(tea.Cmd(nil)) {
			for i := 0; i < v.Len(); i++ {
				d.run(v.Index(i).Interface().(tea.Cmd))
			}
			return
		}
		d.send(msg)
	}
}

// keys types each key: a name as tea.KeyMsg.String gives it ("enter",
// "ctrl+s", "tab") or text typed rune by rune.
func (d *driver) keys(keys ...string) {
	d.tb.Helper()
	for _, k := range keys {
		d.send(keyMsg(k))
	}
}

// typeText types s, each rune a keystroke.
func (d *driver) typeText(s string) {
	d.tb.Helper()
	for _, r := range s {
		d.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

var namedKeys = map[string]tea.KeyType{
	"enter": tea.KeyEnter, "esc": tea.KeyEsc, "tab": tea.KeyTab, "shift+tab": tea.KeyShiftTab,
	"up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight,
	"pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown, "home": tea.KeyHome, "end": tea.KeyEnd,
	"backspace": tea.KeyBackspace, "space": tea.KeySpace, "ctrl+s": tea.KeyCtrlS, "ctrl+c": tea.KeyCtrlC,
	"ctrl+y": tea.KeyCtrlY, "ctrl+n": tea.KeyCtrlN, "ctrl+d": tea.KeyCtrlD, "ctrl+u": tea.KeyCtrlU,
	"f9": tea.KeyF9, "f1": tea.KeyF1,
}

func keyMsg(k string) tea.KeyMsg {
	if t, ok := namedKeys[k]; ok {
		if t == tea.KeySpace {
			return tea.KeyMsg{Type: t, Runes: []rune{' '}}
		}
		return tea.KeyMsg{Type: t}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

// screen returns the view without colour or other escapes.
func (d *driver) screen() string { return ansi.Strip(d.m.View()) }

// expect fails unless the screen shows every one of want.
func (d *driver) expect(want ...string) {
	d.tb.Helper()
	s := d.screen()
	for _, w := range want {
		if !strings.Contains(s, w) {
			d.tb.Fatalf("screen lacks %q:\n%s", w, s)
		}
	}
}

// expectNot fails if the screen shows any of unwanted.
func (d *driver) expectNot(unwanted ...string) {
	d.tb.Helper()
	s := d.screen()
	for _, w := range unwanted {
		if strings.Contains(s, w) {
			d.tb.Fatalf("screen shows %q:\n%s", w, s)
		}
	}
}

// TestMain renders in colour, so the checks see real escape sequences;
// the golden tests switch to the Ascii profile themselves.
func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.ANSI256)
	os.Exit(m.Run())
}

// expectLine fails unless one line of the screen shows all of want.
func (d *driver) expectLine(want ...string) {
	d.tb.Helper()
	for _, line := range strings.Split(d.screen(), "\n") {
		ok := true
		for _, w := range want {
			ok = ok && strings.Contains(line, w)
		}
		if ok {
			return
		}
	}
	d.tb.Fatalf("no line shows all of %q:\n%s", want, d.screen())
}
