package hecha

import "strings"

// Sex is a GB/T 2261.1 sex code.
type Sex string

// The sex codes of GB/T 2261.1.
const (
	SexUnknown     Sex = "0" // 未知的性别
	SexMale        Sex = "1" // 男
	SexFemale      Sex = "2" // 女
	SexUnspecified Sex = "9" // 未说明的性别
)

// MaritalStatus is a GB/T 2261.2 marital status code.
type MaritalStatus string

// Education is a GB 4658-1984 education code (10–90).
type Education string

// HukouType is the household type (户口性质): 农业, 非农业, 居民 or 其他.
// Import also accepts the GA 324.1 category codes and names, mapped.
type HukouType string

// The household types.
const (
	HukouAgricultural    HukouType = "10" // 农业
	HukouNonAgricultural HukouType = "20" // 非农业
	HukouResident        HukouType = "30" // 居民 (unified household registration)
	HukouOther           HukouType = "90" // 其他
)

// Reason is a reason for moving (流动原因). The list is configurable
// (Rules.Reasons); DefaultReasons seeds it.
type Reason string

// Relationship is a GB/T 4761-2008 relationship-to-householder code.
type Relationship string

// CodeEntry is one value of a code table.
type CodeEntry struct {
	Code string
	Zh   string
	En   string
	// Aliases are further names accepted on import (older or longer names).
	Aliases []string
}

// CodeTable is an enumeration with national standard codes. Parse accepts
// the code or any of its names; the zero value is an empty table.
type CodeTable struct {
	// Field names the item in errors ("sex", "education", ...).
	Field   string
	Entries []CodeEntry
	// Map translates further codes (other standards' codes) to an entry's code.
	Map map[string]string
}

// Parse returns the code for s: a code of the table, a name of one of its
// entries (Chinese, English or alias), or a code that Map translates. An
// empty s is "" and no error; anything else unknown is an EINVALID error
// naming the table's field.
func (t *CodeTable) Parse(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	for _, e := range t.Entries {
		if s == e.Code || s == e.Zh || strings.EqualFold(s, e.En) {
			return e.Code, nil
		}
		for _, a := range e.Aliases {
			if s == a {
				return e.Code, nil
			}
		}
	}
	if c, ok := t.Map[s]; ok {
		return c, nil
	}
	return "", Invalid(t.Field, "code.unknown", s)
}

// Has reports whether code is a code of the table.
func (t *CodeTable) Has(code string) bool {
	_, ok := t.Lookup(code)
	return ok
}

// Lookup returns the entry for code.
func (t *CodeTable) Lookup(code string) (CodeEntry, bool) {
	for _, e := range t.Entries {
		if e.Code == code {
			return e, true
		}
	}
	return CodeEntry{}, false
}

// Name returns the display name of code in lang, or code itself when the
// table does not know it.
func (t *CodeTable) Name(lang Lang, code string) string {
	e, ok := t.Lookup(code)
	if !ok {
		return code
	}
	if lang == English {
		return e.En
	}
	return e.Zh
}
