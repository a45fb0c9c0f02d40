package tui

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"hecha"
	"hecha/store"
)

// widthCases are cases whose text tests the measure of a terminal cell:
// names with the middle dot (U+00B7, of ambiguous East Asian width) and
// addresses with ①, — and “ ” (ambiguous too), one name long enough to
// be cut.
func widthCases() []hecha.Case {
	b := hecha.NewDate(1990, 1, 2)
	ayg := hecha.Person{
		Name: "阿依古丽·买买提", Sex: hecha.SexFemale, BirthDate: b, CitizenID: citizenID("410102", "19900102", "124"),
		HouseholdDivision: "410102001001", HouseholdAddress: "林山寨村“东头”①组",
		CurrentDivision: "440305", CurrentAddress: "南山区幸福路①号—3栋“阳光”小区",
		Education: "60", HukouType: "10", Reason: "1", Marital: "20", OutflowDate: hecha.NewDate(2016, 4, 1),
		Members: []hecha.Member{{Name: "阿迪力·买买提", Relationship: "20", Sex: hecha.SexMale,
			BirthDate: hecha.NewDate(2012, 5, 6), CitizenID: citizenID("410102", "20120506", "133")}},
	}
	mmt := ayg
	mmt.Name, mmt.Sex, mmt.Members = "买买提明·艾则孜·阿卜杜热合曼", hecha.SexMale, nil
	mmt.BirthDate, mmt.CitizenID = hecha.NewDate(1985, 7, 8), citizenID("410102", "19850708", "157")
	float := &hecha.FloatingRecord{ID: "F7", Name: ayg.Name, Sex: ayg.Sex, BirthDate: b, CitizenID: ayg.CitizenID,
		HouseholdDivision: "410102001", InflowDivision: "440304", InflowDate: hecha.NewDate(2016, 5, 1)}
	return []hecha.Case{
		{ID: "C0101", Kind: hecha.KindCrossProvince, Person: ayg, Unit: "410102001",
			Candidates: []hecha.Candidate{{Source: hecha.SourceFloating, ByID: true, Form: hecha.FormR3,
				Differs: []string{"current_division"}, Floating: float}}},
		{ID: "C0102", Kind: hecha.KindCrossProvince, Person: mmt, Unit: "410102001"},
	}
}

// screenScript reaches one screen from the start: steps of keys to press
// (or text to type), each followed by the text that shows it is done.
type screenScript struct {
	name  string
	steps []step
}

type step struct {
	keys []string
	wait string
}

// toCase opens case C0101 from the home screen.
var toCase = []step{{[]string{"enter"}, "C0102"}, {[]string{"/", "C0101", "enter"}, "个案 C0101"}}

var screenScripts = []screenScript{
	{"home", nil},
	{"list", []step{{[]string{"enter"}, "C0102"}}},
	{"detail", toCase},
	{"form", append(append([]step{}, toCase...), step{[]string{"enter"}, "R3 流动人口系统有"})},
	{"progress", []step{{[]string{"r"}, "合计"}}},
	{"export", []step{{[]string{"x"}, "文件名"}}},
}

// widthMode names the measure of ambiguous characters this process uses.
func widthMode() string {
	if ambiguousWide() {
		return "wide"
	}
	return "narrow"
}

// TestScreensGolden draws each screen at 80x24 and at 120x40 without
// colour, over cases whose names and addresses hold characters of
// ambiguous width, and compares the frames with golden files: one set for
// terminals that draw those characters narrow (the default), one for
// those that draw them wide (RUNEWIDTH_EASTASIAN=1; TestScreensGoldenWide
// runs this test so). Every line fits its terminal by the measure in use.
// Regenerate with go test ./tui -run 'TestScreensGolden' -update.
func TestScreensGolden(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole program for every screen")
	}
	lipgloss.SetColorProfile(termenv.Ascii)
	defer lipgloss.SetColorProfile(termenv.ANSI256)
	defer setGlyphs(false)
	t.Run(widthMode(), func(t *testing.T) {
		for _, size := range [][2]int{{80, 24}, {120, 40}} {
			w, h := size[0], size[1]
			t.Run(fmt.Sprintf("%dx%d", w, h), func(t *testing.T) {
				for _, sc := range screenScripts {
					t.Run(sc.name, func(t *testing.T) {
						view := runScreen(t, sc, w, h)
						lines := strings.Split(view, "\n")
						if len(lines) != h {
							t.Fatalf("%d lines on a %d-line terminal", len(lines), h)
						}
						for _, l := range lines {
							if n := ansi.StringWidth(l); n > w {
								t.Fatalf("a line %d cells wide on a %d-cell terminal: %q", n, w, l)
							}
						}
						golden.RequireEqual(t, []byte(view))
					})
				}
			})
		}
	})
}

// runScreen runs the program on a w×h terminal until sc's screen shows
// and returns its last frame, without escapes.
func runScreen(t *testing.T, sc screenScript, w, h int) string {
	rules := testRules(t)
	db := mustStore(t, rules)
	if err := db.ApplyCases(context.Background(), widthCases(), 2); err != nil {
		t.Fatal(err)
	}
	fx := &fakeExports{}
	m := New(context.Background(), Config{Store: db, Registry: db, Rules: rules, ExportWorksheet: fx.worksheet,
		ExportBatch: fx.batch, Now: func() time.Time { return testNow }, DraftDelay: time.Millisecond})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(w, h))
	waitFor(t, tm, "合计") // the home screen with its counts read
	for _, st := range sc.steps {
		for _, k := range st.keys {
			press(tm, k)
		}
		waitFor(t, tm, st.wait)
	}
	press(tm, "ctrl+c")
	final := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(Model)
	return ansi.Strip(final.View())
}

// TestScreensGoldenWide runs TestScreensGolden in a process that measures
// ambiguous characters as two cells, as a terminal set to draw them wide
// needs: ansi reads RUNEWIDTH_EASTASIAN once, at start.
func TestScreensGoldenWide(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the golden screens again in another process")
	}
	if ambiguousWide() {
		t.Skip("this process already measures ambiguous characters wide")
	}
	args := []string{"-test.run=^TestScreensGolden$", "-test.count=1"}
	if f := flag.Lookup("update"); f != nil && f.Value.String() == "true" {
		args = append(args, "-update")
	}
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "RUNEWIDTH_EASTASIAN=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the golden screens measured wide: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join("testdata", "TestScreensGolden", "wide")); err != nil {
		t.Fatalf("no wide golden files: %v\n%s", err, out)
	}
}

// TestAmbiguousWidthMeasure checks what the two measures make of the
// middle dot and of a name holding it, and that the text input follows
// the interface's measure.
func TestAmbiguousWidthMeasure(t *testing.T) {
	name := "阿依古丽·买买提"
	want := 15
	if ambiguousWide() {
		want = 16
	}
	New(context.Background(), Config{Store: newMemStore(hecha.Settings{}), Rules: testRules(t), Now: testClock})
	defer setGlyphs(false)
	if got := cellWidth(name); got != want {
		t.Fatalf("cellWidth(%q) = %d, want %d (%s)", name, got, want, widthMode())
	}
	if got := len(pad(name, 20)); got != len(name)+20-want {
		t.Fatalf("pad(%q, 20) added %d spaces", name, got-len(name))
	}
}

var _ = store.OpenTownship // the fixture's store
