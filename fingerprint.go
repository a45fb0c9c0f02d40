package hecha

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// FingerprintDigits is the length of a certificate fingerprint: the
// SHA-256 of the certificate, in hexadecimal.
const FingerprintDigits = 64

// ParseFingerprint reads the SHA-256 fingerprint of the county server's
// certificate as a person types it or copies it from another program:
// 64 hexadecimal digits in either case, grouped or not by spaces
// (ideographic ones too), colons or hyphens, optionally after a label
// ending in "=" (as openssl prints it). It returns the 64 digits in
// lower case, or EINVALID about field.
func ParseFingerprint(field, s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", Invalid(field, "fingerprint.char", "?")
	}
	if i := strings.LastIndexByte(s, '='); i >= 0 {
		s = s[i+1:]
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9', r >= 'a' && r <= 'f':
			b.WriteRune(r)
		case r >= 'A' && r <= 'F':
			b.WriteRune(r - 'A' + 'a')
		case unicode.IsSpace(r), r == ':', r == '：', r == '-':
		default:
			return "", Invalid(field, "fingerprint.char", string(r))
		}
		if b.Len() > FingerprintDigits {
			break
		}
	}
	fp := b.String()
	if len(fp) != FingerprintDigits {
		if len(fp) > FingerprintDigits {
			return "", Invalid(field, "fingerprint.long", FingerprintDigits)
		}
		return "", Invalid(field, "fingerprint.length", len(fp), FingerprintDigits)
	}
	return fp, nil
}

// FormatFingerprint writes a fingerprint for people to read out and
// compare: upper-case digits in groups of four ("3F2A 9C01 …", 79
// characters). A value that is not 64 hexadecimal digits is returned as
// it is.
func FormatFingerprint(fp string) string {
	if len(fp) != FingerprintDigits {
		return fp
	}
	var b strings.Builder
	for i := 0; i < len(fp); i += 4 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strings.ToUpper(fp[i : i+4]))
	}
	return b.String()
}
