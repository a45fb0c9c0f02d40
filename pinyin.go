package hecha

import (
	"strings"
	"sync"
	"sync/atomic"
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

// The reading of each Han character seen is cached: go-pinyin converts
// character by character (no phrases), so caching per rune gives the same
// result far faster. The common CJK block is an array of atomic pointers
// (a lock-free read per character); other characters use a sync.Map.
const (
	pinyinLo = 0x3400
	pinyinHi = 0xA000
)

var (
	pinyinBMP   [pinyinHi - pinyinLo]atomic.Pointer[string]
	pinyinOther sync.Map // rune → string
)

// runePinyin returns the reading of the Han character r, or "".
func runePinyin(r rune) string {
	if r >= pinyinLo && r < pinyinHi {
		slot := &pinyinBMP[r-pinyinLo]
		if p := slot.Load(); p != nil {
			return *p
		}
		p := convertRune(r)
		slot.Store(&p)
		return p
	}
	if v, ok := pinyinOther.Load(r); ok {
		return v.(string)
	}
	p := convertRune(r)
	pinyinOther.Store(r, p)
	return p
}

// convertRune asks go-pinyin for the first reading of r.
func convertRune(r rune) string {
	if ps := pinyin.SinglePinyin(r, pinyinArgs); len(ps) > 0 {
		return ps[0]
	}
	return ""
}

// PinyinKeys returns the full pinyin of s without tones or separators and
// the initials of its syllables, both lower-case: "张三" → "zhangsan", "zs".
// A Han character takes its first reading (go-pinyin, NormalStyle);
// ASCII letters and digits are kept lower-cased, each as its own initial
// at the start of a word; everything else (·, spaces, punctuation) is
// dropped.
func PinyinKeys(s string) (full, initials string) {
	var fullBuf [96]byte
	var initBuf [32]byte
	f, in := fullBuf[:0], initBuf[:0]
	wordStart := true
	for _, r := range s {
		switch {
		case r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			c := byte(unicode.ToLower(r))
			f = append(f, c)
			if wordStart {
				in = append(in, c)
			}
			wordStart = false
		case unicode.Is(unicode.Han, r):
			if p := runePinyin(r); p != "" {
				f = append(f, p...)
				in = append(in, p[0])
			}
			wordStart = true
		default:
			wordStart = true
		}
	}
	// One allocation holds both keys.
	both := string(append(f, in...))
	return both[:len(f)], both[len(f):]
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
