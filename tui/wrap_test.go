package tui

import (
	"reflect"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestWrapText_KeepsValuesWhole(t *testing.T) {
	for _, tc := range []struct {
		in   string
		w    int
		want []string
	}{
		// A date at the edge goes to the next line whole, not as 1989-02- / 24.
		{"与身份证号中的出生日期不一致：1989-02-24", 36, []string{"与身份证号中的出生日期不一致：", "1989-02-24"}},
		{"birth date disagrees with the ID number: 1989-02-24", 45, []string{"birth date disagrees with the ID number:", "1989-02-24"}},
		// No line begins with closing punctuation.
		{"一二三四五，六七", 10, []string{"一二三四", "五，六七"}},
		// An opening mark stays with what it opens.
		{"一二三（四五）", 8, []string{"一二三", "（四五）"}},
		// A run wider than a line is cut.
		{"ID 410102198511202466", 10, []string{"ID", "4101021985", "11202466"}},
		{"", 10, []string{""}},
	} {
		got := wrapText(tc.in, tc.w)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("wrapText(%q, %d) = %q, want %q", tc.in, tc.w, got, tc.want)
		}
		for _, l := range got {
			if ansi.StringWidth(l) > tc.w {
				t.Errorf("wrapText(%q, %d): line %q is too wide", tc.in, tc.w, l)
			}
		}
		if strings.Join(got, "") != strings.ReplaceAll(tc.in, " ", "") && !strings.Contains(tc.in, " ") {
			t.Errorf("wrapText(%q, %d) lost text: %q", tc.in, tc.w, got)
		}
	}
}

func FuzzWrapText(f *testing.F) {
	f.Add("与身份证号中的出生日期不一致：1989-02-24", 20)
	f.Add("（“a b”）", 3)
	f.Fuzz(func(t *testing.T, s string, w int) {
		s = clean(strings.ReplaceAll(s, "\n", " "))
		w = w%100 + 1
		if w < 0 {
			w = -w + 1
		}
		for _, l := range wrapText(s, w) {
			if ansi.StringWidth(l) > max(w, 2) {
				t.Fatalf("wrapText(%q, %d): line %q is %d cells", s, w, l, ansi.StringWidth(l))
			}
		}
	})
}
