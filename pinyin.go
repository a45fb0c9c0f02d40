package hecha

import (
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"

	"github.com/mozillazg/go-pinyin"
)

// pinyinArgs converts one Han character to all its readings (heteronyms:
// 曾 ceng and zeng, 牟 mou and mu), the first the usual one, without tones.
var pinyinArgs = func() pinyin.Args {
	a := pinyin.NewArgs()
	a.Style = pinyin.Normal
	a.Heteronym = true
	a.Fallback = func(rune, pinyin.Args) []string { return nil }
	return a
}()

// PinyinSep separates the alternates in a key from PinyinKeys.
const PinyinSep = "\x01"

// placeVaried is how many characters at the start of a place's name are
// spelled in their other readings.
const placeVaried = 4

// maxPinyinAlternates bounds the other spellings kept of each sort (full
// pinyin, initials, surname in full), so a name of characters with many
// readings (go-pinyin knows rare ones too) costs a few bytes.
const maxPinyinAlternates = 4

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

// runePinyin returns the first reading of the Han character r, or "".
func runePinyin(r rune) string {
	rs := runeReadings(r)
	if i := strings.IndexByte(rs, ','); i >= 0 {
		return rs[:i]
	}
	return rs
}

// runeReadings returns the readings of the Han character r, the first
// one first, comma-separated, or "".
func runeReadings(r rune) string {
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

// convertRune asks go-pinyin for the readings of r, comma-separated.
func convertRune(r rune) string {
	var out []string
	for _, p := range pinyin.SinglePinyin(r, pinyinArgs) {
		if p != "" && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return strings.Join(out, ",")
}

// PinyinKeys returns the full pinyin of s without tones or separators and
// the initials of its syllables, both lower-case: "张三" → "zhangsan", "zs".
// A Han character takes its first reading (go-pinyin, NormalStyle);
// ASCII letters and digits are kept lower-cased, each as its own initial
// at the start of a word; everything else (·, spaces, punctuation) is
// dropped.
//
// Where a character among the first placeVaried has several readings,
// each key goes on with alternates, each after PinyinSep: the spellings
// with one character read otherwise (中牟县 "zhongmouxian" then
// "zhongmuxian"), at most maxPinyinAlternates. Match them with
// strings.Contains (a substring of any spelling) and HasPinyinPrefix.
func PinyinKeys(s string) (full, initials string) {
	return pinyinKeys(s, false)
}

// NamePinyinKeys is PinyinKeys for a person's name: every character's
// other readings are spelled (曾晨 "cengchen" then "zengchen"), and the
// initials go on with the surname in full followed by the initials of the
// rest ("cbw" then "chenbw", for each reading of the surname), as a clerk
// types them.
func NamePinyinKeys(s string) (full, initials string) {
	return pinyinKeys(s, true)
}

func pinyinKeys(s string, name bool) (full, initials string) {
	var fullBuf [96]byte
	var initBuf [32]byte
	f, in := fullBuf[:0], initBuf[:0]
	wordStart := true
	han, several := 0, false
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
			rs := runeReadings(r)
			if p, _, more := strings.Cut(rs, ","); p != "" {
				f = append(f, p...)
				in = append(in, p[0])
				several = several || more && (name || han < placeVaried)
				han++
			}
			wordStart = true
		default:
			wordStart = true
		}
	}
	if several || name && han >= 2 {
		return pinyinAlternates(s, string(f), string(in), name)
	}
	// One allocation holds both keys.
	both := string(append(f, in...))
	return both[:len(f)], both[len(f):]
}

// pinyinUnit is one syllable of a key: a Han character's readings
// (comma-separated), or an ASCII letter or digit (initial says whether it
// begins a word).
type pinyinUnit struct {
	readings string
	initial  bool
}

// pinyinAlternates returns the keys of s, whose first spellings are full
// and initials, with their alternates (see PinyinKeys, NamePinyinKeys).
func pinyinAlternates(s, full, initials string, name bool) (string, string) {
	var unitBuf [16]pinyinUnit
	units := unitBuf[:0]
	wordStart := true
	for i, r := range s {
		switch {
		case r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			units = append(units, pinyinUnit{readings: strings.ToLower(s[i : i+1]), initial: wordStart})
			wordStart = false
		case unicode.Is(unicode.Han, r):
			if rs := runeReadings(r); rs != "" {
				units = append(units, pinyinUnit{readings: rs, initial: true})
			}
			wordStart = true
		default:
			wordStart = true
		}
	}
	var fb, ib strings.Builder
	fb.WriteString(full)
	ib.WriteString(initials)
	// The surname in full, the rest as initials: chenbw.
	if name && len(units) >= 2 && units[0].initial {
		n := 0
		for p := range strings.SplitSeq(units[0].readings, ",") {
			if len(p) > 1 && n < maxPinyinAlternates {
				ib.WriteString(PinyinSep + p + initials[1:])
				n++
			}
		}
	}
	// One character read otherwise at a time; in a place, only among its
	// first few (what is searched for: 中牟 of 中牟县, not the 委员会 of
	// every village's 村民委员会).
	vary := units
	if !name {
		vary = units[:min(len(units), placeVaried)]
	}
	nf, ni := 0, 0
	for j, u := range vary {
		_, rest, _ := strings.Cut(u.readings, ",")
		for p := range strings.SplitSeq(rest, ",") {
			if p == "" || nf >= maxPinyinAlternates {
				break
			}
			fb.WriteString(PinyinSep)
			for k, v := range units {
				if k == j {
					fb.WriteString(p)
				} else {
					first, _, _ := strings.Cut(v.readings, ",")
					fb.WriteString(first)
				}
			}
			nf++
			if u.initial && p[0] != u.readings[0] && ni < maxPinyinAlternates {
				// Its initials differ too (长 chang, zhang).
				ib.WriteString(PinyinSep)
				for k, v := range units {
					switch {
					case !v.initial:
					case k == j:
						ib.WriteByte(p[0])
					default:
						ib.WriteByte(v.readings[0])
					}
				}
				ni++
			}
		}
	}
	return fb.String(), ib.String()
}

// HasPinyinPrefix reports whether one of the spellings in key (a key from
// PinyinKeys) begins with q.
func HasPinyinPrefix(key, q string) bool {
	if strings.HasPrefix(key, q) {
		return true
	}
	if !strings.Contains(key, PinyinSep) {
		return false
	}
	return strings.Contains(key, PinyinSep+q)
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
	return strings.Contains(name, q) || strings.Contains(full, q) || HasPinyinPrefix(initials, q)
}
