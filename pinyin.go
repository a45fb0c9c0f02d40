package hecha

import (
	"strings"
	"sync"
	"unicode"

	"github.com/mozillazg/go-pinyin"
)

// pinyinArgs converts one Han character to its first reading, without tones.
var pinyinArgs = func() pinyin.Args {
	a := pinyin.NewArgs()
	a.Style = pinyin.Normal
	a.Fallback = func(rune, pinyin.Args) []string { return nil }
	return a
}()

// pinyinCache holds the reading of each Han character seen: go-pinyin
// converts character by character (no phrases), so caching per rune gives
// the same result far faster.
var pinyinCache sync.Map // rune → string

// runePinyin returns the reading of the Han character r, or "".
func runePinyin(r rune) string {
	if v, ok := pinyinCache.Load(r); ok {
		return v.(string)
	}
	var p string
	if ps := pinyin.SinglePinyin(r, pinyinArgs); len(ps) > 0 {
		p = ps[0]
	}
	pinyinCache.Store(r, p)
	return p
}

// PinyinKeys returns the full pinyin of s without tones or separators and
// the initials of its syllables, both lower-case: "张三" → "zhangsan", "zs".
// A Han character takes its first reading (go-pinyin, NormalStyle);
// ASCII letters and digits are kept lower-cased, each as its own initial
// at the start of a word; everything else (·, spaces, punctuation) is
// dropped.
func PinyinKeys(s string) (full, initials string) {
	var f, in strings.Builder
	f.Grow(len(s) * 2)
	wordStart := true
	for _, r := range s {
		switch {
		case r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			r = unicode.ToLower(r)
			f.WriteRune(r)
			if wordStart {
				in.WriteRune(r)
			}
			wordStart = false
		case unicode.Is(unicode.Han, r):
			if p := runePinyin(r); p != "" {
				f.WriteString(p)
				in.WriteByte(p[0])
			}
			wordStart = true
		default:
			wordStart = true
		}
	}
	return f.String(), in.String()
}

// MatchesName reports whether query matches a name whose pinyin keys (from
// PinyinKeys, computed once by the caller and kept) are full and initials:
// the query, trimmed and lower-cased, is a substring of the name or of the
// full pinyin, or a prefix of the initials. An empty query matches.
func MatchesName(name, full, initials, query string) bool {
	q := strings.ToLower(strings.TrimSpace(query))
	if q == "" {
		return true
	}
	return strings.Contains(name, q) || strings.Contains(full, q) || strings.HasPrefix(initials, q)
}
