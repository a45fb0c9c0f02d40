package tui

import (
	"context"
	"slices"
	"strings"
	"testing"
	"unicode"

	"hecha"
)

// dataTexts returns the texts of cases and of the division table: what a
// screen may show in Chinese whatever the interface's language.
func dataTexts(rules *hecha.Rules, cases []hecha.Case) []string {
	var out []string
	for _, c := range cases {
		p := &c.Person
		out = append(out, p.Name, p.CurrentAddress, p.HouseholdAddress, c.InflowAddress)
		for _, m := range p.Members {
			out = append(out, m.Name)
		}
		for _, b := range []*hecha.Basic{c.Resident, c.Outflow} {
			if b != nil {
				out = append(out, b.Name)
			}
		}
		for _, cd := range c.Candidates {
			if cd.Floating != nil {
				out = append(out, cd.Floating.Name)
			}
			if cd.Resident != nil {
				out = append(out, cd.Resident.Name)
			}
		}
	}
	for _, code := range []hecha.Code{"410102001001", "410102001002", "410102002", "440305", "440304"} {
		out = append(out, strings.Split(rules.Divisions.FullName(code), "/")...)
	}
	out = append(out, "王芳")
	// The longest first, so that a name is removed before a part of it.
	slices.SortFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}

// TestEnglish_NoChineseButData walks the screens in English and checks
// that, once the cases' and the division table's own texts are taken out,
// no Chinese character is left: every word of the interface has its
// English.
func TestEnglish_NoChineseButData(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	if err := db.ApplyCases(context.Background(), widthCases(), 2); err != nil {
		t.Fatal(err)
	}
	fx := &fakeExports{}
	d := newDriverSize(t, Config{Store: db, Registry: db, Rules: rules, Lang: hecha.English,
		ExportWorksheet: fx.worksheet, ExportBatch: fx.batch}, 120, 40)
	data := dataTexts(rules, append(testCases(), widthCases()...))
	check := func(where string) {
		t.Helper()
		s := d.screen()
		for _, text := range data {
			if text == "" {
				continue
			}
			s = strings.ReplaceAll(s, text, "")
			// Cut to fit: a beginning of the text and the ellipsis.
			for r := []rune(text); len(r) > 1; r = r[:len(r)-1] {
				s = strings.ReplaceAll(s, string(r[:len(r)-1])+"…", "")
			}
		}
		for _, line := range strings.Split(s, "\n") {
			if strings.ContainsFunc(line, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
				t.Errorf("%s: Chinese left on an English screen: %q\n%s", where, line, d.screen())
				return
			}
		}
	}
	check("home")
	d.keys("?")
	check("home, all keys")
	d.keys("?", "enter")
	d.expect("Not verified", "Search:")
	check("list")
	for _, tab := range []string{"tab", "tab", "tab", "t", "v"} {
		d.keys(tab)
		check("list, " + tab)
	}
	d = newDriverSize(t, Config{Store: db, Registry: db, Rules: rules, Lang: hecha.English}, 120, 40)
	d.keys("enter", "/")
	d.typeText("C0101")
	d.keys("enter")
	d.expect("Case C0101")
	check("detail")
	d.keys("enter")
	d.expect("R3 Floating, address differs")
	check("form")
	d.keys("ctrl+s")
	check("form, blocked")
	d.keys("esc", "h")
	check("history")
	d.keys("esc", "esc", "esc", "esc")
	d = newDriverSize(t, Config{Store: db, Registry: db, Rules: rules, Lang: hecha.English,
		ExportWorksheet: fx.worksheet, ExportBatch: fx.batch}, 120, 40)
	for _, k := range []string{"r", "esc", "x", "esc", "p"} {
		d.keys(k)
		check("after " + k)
	}
	for _, id := range []string{"C0003", "C0004"} { // the other kinds' detail and form
		d = newDriverSize(t, Config{Store: db, Registry: db, Rules: rules, Lang: hecha.English}, 120, 40)
		d.keys("enter", "/")
		d.typeText(id)
		d.keys("enter")
		check("detail of " + id)
		d.keys("enter")
		check("form of " + id)
	}
}

func TestEnglish_HomeCountsAndFooter(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	county := &fakeCounty{db: db, answer: func(r hecha.Result) hecha.Outcome {
		return hecha.Outcome{ResultID: r.ID, Status: hecha.ResultRejected, At: testNow,
			Errors: hecha.Errors{hecha.Invalid("not_found.remark", "text.too_long", 10)}}
	}}
	fx := &fakeExports{}
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules, Lang: hecha.English, Syncer: county, SyncEvery: -1,
		ExportWorksheet: fx.worksheet, ExportBatch: fx.batch})
	// Every home key but sync (ctrl+y is global) fits at 80 columns.
	d.expect("enter/l cases", "r progress", "x export", "p problems", "q quit", "?/F1 all keys")
	d.keys("enter", "enter", "enter")
	d.expect("R1 No such person")
	d.keys("right", "right", "right", "right", "tab")
	d.typeText("moved away long ago")
	d.keys("ctrl+s")
	d.keys("esc", "esc")
	d.expect("1 result was rejected or is in conflict; press p")
	d.expectNot("1 results")
}
