package sheet

import (
	"strconv"

	"hecha"
)

// allDigits reports whether s is a non-empty run of ASCII digits.
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

// indexField returns "name[i]".
func indexField(name string, i int) string {
	return name + "[" + strconv.Itoa(i) + "]"
}
