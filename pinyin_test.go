package hecha

import (
	"strings"
	"testing"
	"unicode"

	"github.com/mozillazg/go-pinyin"
)

func TestPinyinKeys(t *testing.T) {
	tests := []struct{ in, full, initials string }{
		{"张三", "zhangsan", "zs"},
		{"阿依古丽·买买提", "ayigulimaimaiti", "ayglmmt"},
		{"林山寨街道", "linshanzhaijiedao", "lszjd"},
		{"Li Na", "lina", "ln"},
		{"李NA", "lina", "ln"},
		{"第2村", "di2cun", "d2c"},
		{"  ", "", ""},
		{"·-、。", "", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		full, initials := PinyinKeys(tt.in)
		// The usual readings first; alternates (TestPinyinKeysHeteronyms) after.
		full, _, _ = strings.Cut(full, PinyinSep)
		initials, _, _ = strings.Cut(initials, PinyinSep)
		if full != tt.full || initials != tt.initials {
			t.Errorf("PinyinKeys(%q) = %q, %q; want %q, %q", tt.in, full, initials, tt.full, tt.initials)
		}
	}
}

func TestPinyinKeysOutput(t *testing.T) {
	for _, s := range []string{"ÄÖÜ ß", "Ｌｉ", "𠀀", "\x00\xff", "Ⅻ"} {
		full, initials := PinyinKeys(s)
		for _, r := range full + initials {
			if r >= 0x80 || !unicode.IsLower(r) && !unicode.IsDigit(r) {
				t.Errorf("PinyinKeys(%q) = %q, %q: holds %q", s, full, initials, r)
			}
		}
	}
}

func TestMatchesName(t *testing.T) {
	full, initials := PinyinKeys("阿依古丽·买买提")
	for _, q := range []string{"", "阿依", "买买提", "ayi", "AYI", " guli ", "maimaiti", "ayg", "aygl"} {
		if !MatchesName("阿依古丽·买买提", full, initials, q) {
			t.Errorf("MatchesName(%q) = false", q)
		}
	}
	for _, q := range []string{"张", "zhang", "gl", "ayz", "阿依 古丽"} {
		if MatchesName("阿依古丽·买买提", full, initials, q) {
			t.Errorf("MatchesName(%q) = true", q)
		}
	}
}

// TestPinyinKeysHeteronyms: a character with several readings matches by
// any of them, for names and places, and the surname in full followed by
// the initials of the rest matches too.
func TestPinyinKeysHeteronyms(t *testing.T) {
	for _, tc := range []struct {
		name  string
		match []string
		not   []string
	}{
		{"*中牟县", []string{"zhongmu", "zhongmou", "zhongmuxian", "zmx", "mux"}, []string{"zhongmux1", "zhongmx"}},
		{"曾晨", []string{"zeng", "ceng", "zengchen", "cengchen", "zc", "cc", "zengc", "cengc"}, []string{"zz"}},
		{"陈博文", []string{"chenbw", "chenb", "chenbowen", "cbw", "bowen"}, []string{"bw", "chenw"}},
		{"单长乐", []string{"shanzhangle", "danchangle", "danzhangyue", "dcl", "shanzl"}, nil},
		{"张三", []string{"zhangs", "zs", "zhangsan"}, []string{"zhangz"}},
	} {
		// A leading * marks a place: PinyinKeys, without the surname forms.
		keys := NamePinyinKeys
		if place, ok := strings.CutPrefix(tc.name, "*"); ok {
			tc.name, keys = place, PinyinKeys
		}
		full, initials := keys(tc.name)
		for _, q := range tc.match {
			if !MatchesName(tc.name, full, initials, q) {
				t.Errorf("%s (%q, %q): %q does not match", tc.name, full, initials, q)
			}
		}
		for _, q := range tc.not {
			if MatchesName(tc.name, full, initials, q) {
				t.Errorf("%s (%q, %q): %q matches", tc.name, full, initials, q)
			}
		}
		// The first spellings are the usual readings.
		if f, _, _ := strings.Cut(full, PinyinSep); f != strings.Join(pinyin.LazyPinyin(tc.name, pinyin.NewArgs()), "") {
			t.Errorf("%s: first spelling %q, go-pinyin says %q", tc.name, f, pinyin.LazyPinyin(tc.name, pinyin.NewArgs()))
		}
	}
}

// TestPinyinKeysStaySmall bounds the alternates of a name of characters
// with many readings.
func TestPinyinKeysStaySmall(t *testing.T) {
	full, initials := NamePinyinKeys("和重朝查单仇")
	if n := strings.Count(full, PinyinSep); n > maxPinyinAlternates {
		t.Errorf("%d full alternates", n)
	}
	if n := strings.Count(initials, PinyinSep); n > 2*maxPinyinAlternates {
		t.Errorf("%d initials alternates", n)
	}
}
