package sheet

import (
	"strconv"
	"unicode"

	"hecha"
)

// Small helpers the readers share with the root package's validation,
// copied rather than exported from the root.

// isTextControl reports whether r is a C0 or C1 control or DEL.
func isTextControl(r rune) bool {
	return r < 0x20 || r >= 0x7F && r <= 0x9F
}

// isTrimmedSpace reports whether r is trimmed from the ends of text: white
// space (including the full-width space U+3000), zero-width spaces and BOMs.
func isTrimmedSpace(r rune) bool {
	return unicode.IsSpace(r) || r == 0x200B || r == 0xFEFF
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// normName returns s as hecha.CleanName normalises it, or s unchanged
// when it is not a valid name.
func normName(s string) string {
	if v, err := hecha.CleanName("", s); err == nil {
		return v
	}
	return s
}

// normID returns the 18-digit number of the citizen ID s, or s unchanged
// when it is not one.
func normID(s string) string {
	if id, err := hecha.ParseCitizenID("", s); err == nil && id.Number != "" {
		return id.Number
	}
	return s
}

// divisions returns r's division table; nil (for a nil r too) checks
// codes' form and level only.
func divisions(r *hecha.Rules) *hecha.DivisionTable {
	if r == nil {
		return nil
	}
	return r.Divisions
}

// indexField returns "name[i]".
func indexField(name string, i int) string {
	return name + "[" + strconv.Itoa(i) + "]"
}
