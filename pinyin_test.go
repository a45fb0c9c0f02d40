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
		if full != tt.full || initials != tt.initials {
			t.Errorf("PinyinKeys(%q) = %q, %q; want %q, %q", tt.in, full, initials, tt.full, tt.initials)
		}
	}
}

// TestPinyinKeysAgreeWithLazyPinyin checks the per-character cache against
// go-pinyin's own conversion of whole names.
// The names are a few chosen ones and a sample of the division table's (the
// extract's, and the whole real table's when it is there).
func TestPinyinKeysAgreeWithLazyPinyin(t *testing.T) {
	onDivisionTables(t, func(t *testing.T, tb *DivisionTable) {
		names := []string{"郑州市", "中原区", "林山寨街道", "碧沙岗社区居委会", "驻马店市", "濮阳县", "漯河市", "鹤壁市", "长垣市", "重庆市", "蚌埠市"}
		step := max(1, tb.Len()/600)
		for i, d := range tb.All() {
			if i%step == 0 {
				names = append(names, d.Name)
			}
		}
		args := pinyin.NewArgs()
		for _, n := range names {
			ps := pinyin.LazyPinyin(n, args)
			full, initials := PinyinKeys(n)
			var in strings.Builder
			for _, p := range ps {
				in.WriteByte(p[0])
			}
			if full != strings.Join(ps, "") || initials != in.String() {
				t.Errorf("PinyinKeys(%q) = %q, %q; go-pinyin says %q", n, full, initials, ps)
			}
		}
	})
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
