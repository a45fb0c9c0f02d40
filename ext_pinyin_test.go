package hecha_test

import (
	"strings"
	"testing"

	"github.com/mozillazg/go-pinyin"

	"hecha"
)

// TestPinyinKeysAgreeWithLazyPinyin checks the per-character cache against
// go-pinyin's own conversion of whole names.
// The names are a few chosen ones and a sample of the division table's (the
// extract's, and the whole real table's when it is there).
func TestPinyinKeysAgreeWithLazyPinyin(t *testing.T) {
	onDivisionTables(t, func(t *testing.T, tb *hecha.DivisionTable) {
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
			full, initials := hecha.PinyinKeys(n)
			full, _, _ = strings.Cut(full, hecha.PinyinSep) // the usual readings first
			initials, _, _ = strings.Cut(initials, hecha.PinyinSep)
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
