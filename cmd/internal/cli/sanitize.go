package cli

import (
	"strings"
	"unicode/utf8"
)

// Sanitize makes untrusted text (names and addresses from imported files,
// messages from the server) safe to print on a terminal: ESC and every
// other C0 and C1 control character, DEL, and the bidirectional controls
// that can reorder a line are replaced by U+FFFD; a tab becomes a space;
// invalid UTF-8 becomes U+FFFD. Newlines are kept only when keepNewlines
// is set in SanitizeText.
func Sanitize(s string) string {
	return sanitize(s, false)
}

// SanitizeText is Sanitize for multi-line text: newlines are kept.
func SanitizeText(s string) string {
	return sanitize(s, true)
}

func sanitize(s string, keepNewlines bool) string {
	clean := true
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && n <= 1) || unsafeRune(r, keepNewlines) {
			clean = false
			break
		}
		i += n
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
		case r == utf8.RuneError && n <= 1:
			b.WriteRune(utf8.RuneError)
		case r == '\t':
			b.WriteByte(' ')
		case unsafeRune(r, keepNewlines):
			b.WriteRune(utf8.RuneError)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// unsafeRune reports whether r must not reach a terminal.
func unsafeRune(r rune, keepNewlines bool) bool {
	switch {
	case r == '\n':
		return !keepNewlines
	case r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f,
		r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}
