package tui

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"hecha"
)

// FuzzCellWidth checks the fast width count against ansi.StringWidth and
// that pad and fit keep to the width asked for.
func FuzzCellWidth(f *testing.F) {
	for _, s := range []string{"", "张三", "阿依古丽·买买提", "ab\x1b[1mc", "Ａ１、。", "e\u0301", "👍🏽", "\x00\x7f", "李\u200d四"} {
		f.Add(s, 7)
	}
	f.Fuzz(func(t *testing.T, s string, w int) {
		if got, want := cellWidth(s), ansi.StringWidth(s); got != want {
			t.Fatalf("cellWidth(%q) = %d, ansi says %d", s, got, want)
		}
		w = w%100 + 1
		if w < 1 {
			w += 100
		}
		if n := ansi.StringWidth(fit(s, w)); n > w {
			t.Fatalf("fit(%q, %d) is %d wide", s, w, n)
		}
		if !strings.ContainsRune(s, '\x1b') {
			if n := ansi.StringWidth(pad(s, w)); n != w && utf8.ValidString(s) {
				t.Fatalf("pad(%q, %d) is %d wide", s, w, n)
			}
		}
	})
}

// FuzzListSearch types arbitrary queries into the list: nothing panics,
// every case shown matches, and extending a query never widens the
// matches.
func FuzzListSearch(f *testing.F) {
	for _, q := range []string{"zs", "张", "4101", "C00", "X", " l s ", "\x00", "ZHANG san"} {
		f.Add(q)
	}
	sums := benchSummaries(2000)
	f.Fuzz(func(t *testing.T, q string) {
		l := benchList(sums)
		l, _ = l.update(keyMsg("/"))
		prev := -1
		for _, r := range q {
			l, _ = l.update(keyMsg(string(r)))
			if r == ' ' {
				continue
			}
			if prev >= 0 && len(l.shown) > prev && !strings.ContainsRune(q, '\x7f') {
				t.Fatalf("typing %q widened the matches from %d to %d", r, prev, len(l.shown))
			}
			prev = len(l.shown)
		}
		nq := normQuery(string(l.input))
		for _, i := range l.shown {
			if nq != "" && !strings.Contains(l.ix.keys[i], nq) && !hecha.HasPinyinPrefix(l.ix.initials[i], nq) {
				t.Fatalf("case %s shown for %q", l.ix.rows[i].id, nq)
			}
		}
		_ = l.view(80, 21)
	})
}

// FuzzRowUntrustedText draws rows of cases whose names and numbers come
// from outside: no control character reaches the screen and no row is
// wider than the terminal.
func FuzzRowUntrustedText(f *testing.F) {
	f.Add("张三\x1b[2J", "4101\x07", "C1\u202e", 80)
	f.Add("阿依古丽·买买提", "41010219900102123X", "KS4101", 40)
	f.Fuzz(func(t *testing.T, name, id, caseID string, w int) {
		w = w%150 + 1
		if w < 1 {
			w += 150
		}
		full, initials := hecha.PinyinKeys(name)
		sums := []hecha.CaseSummary{{ID: caseID, Name: name, Pinyin: full, Initials: initials, CitizenID: id, Status: hecha.StatusPending}}
		l := benchList(sums)
		for _, line := range strings.Split(l.view(w, 10), "\n") {
			plain := ansi.Strip(line)
			for _, r := range plain {
				if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u202e' || r == '\u202d' {
					t.Fatalf("control character %U on screen: %q", r, plain)
				}
			}
			if n := ansi.StringWidth(line); n > w {
				t.Fatalf("line %d wide on a %d-cell screen: %q", n, w, plain)
			}
		}
	})
}

// FuzzFormValues builds and checks results from arbitrary raw field
// values (a draft read back from disk, say): nothing panics, and every
// problem is about a field of the form or none.
func FuzzFormValues(f *testing.F) {
	f.Add("R1", "1", "4101", "20230230", "9")
	f.Add("R6", "", "x", "2023-01-05", "1")
	f.Add("M", "corrected", "赵6", "19920707", "resident")
	rules := testRules(f)
	cases := testCases()
	f.Fuzz(func(t *testing.T, form, a, b, c, d string) {
		fm := hecha.Form(form)
		var cs *hecha.Case
		for i := range cases {
			if hecha.FormFor(&cases[i], nil) == fm || fm.Kind() == cases[i].Kind {
				cs = &cases[i]
			}
		}
		if cs == nil {
			cs = &cases[0]
		}
		vals := prefillValues(cs, fm)
		for i, fd := range allFields(fm, vals) {
			vals[fd.path] = []string{a, b, c, d}[i%4]
		}
		vals[pathMembers] = b
		e := &env{lang: hecha.Chinese, st: NewStyles(false), rules: rules}
		res, errs := check(e, cs, fm, vals)
		if res == nil {
			t.Fatal("no result")
		}
		fm2 := formModel{env: e, form: fm, c: cs, values: vals, touched: map[string]bool{}, isOpen: true}
		fm2 = fm2.recheck()
		_ = fm2.view(80, 20)
		_ = errs
	})
}
