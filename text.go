package hecha

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The bounds of free text, in characters (runes).
const (
	MaxNameLen = 40
	// MaxDivisionNameLen bounds a division's name.
	MaxDivisionNameLen = 100
	MaxAddressLen      = 120
	MaxRemarkLen       = 200
)

// isBidi reports whether r is a bidirectional-text control, which can make
// a terminal or a spreadsheet show text in another order than it is stored.
func isBidiControl(r rune) bool {
	return r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069 || r == 0x200E || r == 0x200F || r == 0x061C
}

// IsTextControl reports whether r is a C0 or C1 control or DEL, which
// text never holds.
func IsTextControl(r rune) bool {
	return r < 0x20 || r >= 0x7F && r <= 0x9F
}

// IsTrimmedSpace reports whether r is trimmed from the ends of text: white
// space (including the full-width space U+3000), zero-width spaces and BOMs.
func IsTrimmedSpace(r rune) bool {
	return unicode.IsSpace(r) || r == 0x200B || r == 0xFEFF
}

// CleanText trims s (white space including the full-width space, and
// zero-width spaces) and checks it: no C0 or C1 control characters, DEL,
// bidirectional controls, line separators or invalid UTF-8 (text.control),
// and at most max characters (text.too_long, with max; max <= 0 means no
// bound). An empty result is no error. Errors are EINVALID about field.
func CleanText(field, s string, max int) (string, error) {
	if !utf8.ValidString(s) {
		return "", Invalid(field, "text.control")
	}
	s = strings.TrimFunc(s, IsTrimmedSpace)
	for _, r := range s {
		if IsTextControl(r) || isBidiControl(r) || r == 0x2028 || r == 0x2029 {
			return "", Invalid(field, "text.control")
		}
	}
	if max > 0 && utf8.RuneCountInString(s) > max {
		return "", Invalid(field, "text.too_long", max)
	}
	return s, nil
}

// nameDots are the characters written for the middle dot of names such as
// 阿依古丽·买买提; CleanName turns each into U+00B7.
const nameDots = "\u00B7\u2022\u30FB\uFF0E\u2027\uFF65\u22C5\u2219\u0387\u1427\u2E31"

// CleanName cleans a person's name: CleanText with MaxNameLen, required
// (text.required), every middle-dot variant (•, ・, ．, ‧, …, and an ASCII
// full stop between two non-ASCII letters) written "·" with no spaces
// around it, runs of spaces made one. A name holds letters (any script,
// with their combining marks), single spaces between words and "·"
// between parts; digits and other punctuation are rejected
// (text.name_chars). Errors are EINVALID about field.
func CleanName(field, s string) (string, error) {
	s, err := CleanText(field, s, MaxNameLen)
	if err != nil {
		return "", err
	}
	if s == "" {
		return "", Invalid(field, "text.required")
	}
	rs := []rune(s)
	var out []rune
	for i, r := range rs {
		switch {
		case strings.ContainsRune(nameDots, r),
			r == '.' && i > 0 && i < len(rs)-1 && rs[i-1] > 0x7F && unicode.IsLetter(rs[i-1]) && rs[i+1] > 0x7F && unicode.IsLetter(rs[i+1]):
			for len(out) > 0 && out[len(out)-1] == ' ' {
				out = out[:len(out)-1]
			}
			out = append(out, '·')
		case unicode.IsSpace(r):
			if len(out) > 0 && out[len(out)-1] != ' ' && out[len(out)-1] != '·' {
				out = append(out, ' ')
			}
		case unicode.IsLetter(r) || unicode.IsMark(r) && len(out) > 0:
			out = append(out, r)
		default:
			return "", Invalid(field, "text.name_chars")
		}
	}
	name := string(out)
	if strings.HasPrefix(name, "·") || strings.HasSuffix(name, "·") || strings.Contains(name, "··") {
		return "", Invalid(field, "text.name_chars")
	}
	return name, nil
}

// SanitizeForDisplay returns s safe to print on a terminal: tabs, line
// breaks and line separators become spaces, every other control character
// (C0, DEL, C1, so also ESC and CSI) and each invalid UTF-8 byte becomes
// U+FFFD, and bidirectional controls are removed.
func SanitizeForDisplay(s string) string {
	clean := utf8.ValidString(s)
	for _, r := range s {
		if !clean || IsTextControl(r) || isBidiControl(r) || r == 0x2028 || r == 0x2029 {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r == '\t' || r == '\n' || r == '\r' || r == 0x2028 || r == 0x2029:
			b.WriteByte(' ')
		case isBidiControl(r):
		case IsTextControl(r) || r == utf8.RuneError && n == 1:
			b.WriteRune(utf8.RuneError)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
