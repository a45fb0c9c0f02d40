package hecha

import "strings"

// Level is the level of an administrative division.
type Level int

// The levels of division codes, from the top.
const (
	LevelNone     Level = iota
	LevelProvince       // 省: 2 digits
	LevelCity           // 市: 4 digits
	LevelCounty         // 县: 6 digits
	LevelTownship       // 乡: 9 digits
	LevelVillage        // 村: 12 digits
)

// levelWords are the words files use for the levels (codefile.WriteDivisions writes them).
var levelWords = [...]string{LevelNone: "", LevelProvince: "province", LevelCity: "city", LevelCounty: "county", LevelTownship: "township", LevelVillage: "village"}

// String returns "province", "city", "county", "township", "village", or ""
// for LevelNone.
func (l Level) String() string {
	if l < LevelNone || l > LevelVillage {
		return ""
	}
	return levelWords[l]
}

// ParseLevel reads a level written as a word (province, city, county,
// township, village), in Chinese (省, 市, 县, 乡, 村, also 省级, 地级, 县级,
// 乡级, 村级) or as its number 1–5. It returns LevelNone and false for
// anything else.
func ParseLevel(s string) (Level, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "province", "省", "省级", "1":
		return LevelProvince, true
	case "city", "prefecture", "市", "地级", "地市级", "市级", "2":
		return LevelCity, true
	case "county", "县", "县级", "区县", "3":
		return LevelCounty, true
	case "township", "town", "乡", "乡级", "乡镇", "4":
		return LevelTownship, true
	case "village", "村", "村级", "5":
		return LevelVillage, true
	}
	return LevelNone, false
}

// levelDigits is the length of a normalised code at each level.
var levelDigits = [...]int{LevelNone: 0, LevelProvince: 2, LevelCity: 4, LevelCounty: 6, LevelTownship: 9, LevelVillage: 12}

// Code is a normalised division code: 2, 4, 6, 9 or 12 digits, with no
// trailing all-zero level (410000 is the province 41; 410102001000 is the
// township 410102001). The empty Code means "not given".
type Code string

// ParseCode reads a division code of 2, 4, 6, 9 or 12 digits, or a code
// padded with zeros to 6 or 12 digits as GB/T 2260 and the statistical
// codes write them, and returns it normalised. It checks the form only;
// whether the code exists is the DivisionTable's question. Errors are
// EINVALID about field.
func ParseCode(field, s string) (Code, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	if !allDigits(s) {
		return "", Invalid(field, "division.format", s)
	}
	switch len(s) {
	case 2, 4, 6, 9, 12:
	default:
		return "", Invalid(field, "division.format", s)
	}
	c := Code(s)
	// Strip trailing all-zero levels: 410100 → 4101, 410102001000 → 410102001.
	for {
		l := c.Level()
		if l <= LevelProvince {
			break
		}
		prev := levelDigits[l-1]
		if strings.Trim(string(c[prev:]), "0") != "" {
			break
		}
		c = c[:prev]
	}
	if c[:2] == "00" {
		return "", Invalid(field, "division.format", s)
	}
	return c, nil
}

// Level returns the level of c by its length, or LevelNone.
func (c Code) Level() Level {
	for l, n := range levelDigits {
		if l > 0 && len(c) == n {
			return Level(l)
		}
	}
	return LevelNone
}

// Parent returns the code one level up, or "" for a province.
func (c Code) Parent() Code {
	l := c.Level()
	if l <= LevelProvince {
		return ""
	}
	return c[:levelDigits[l-1]]
}

// At returns the ancestor of c at level l (c itself at its own level), or
// "" when c is above l.
func (c Code) At(l Level) Code {
	if l <= LevelNone || c.Level() < l {
		return ""
	}
	return c[:levelDigits[l]]
}

// Chain returns c's ancestors from the province down to c itself.
func (c Code) Chain() []Code {
	var out []Code
	for l := LevelProvince; l <= c.Level(); l++ {
		out = append(out, c.At(l))
	}
	return out
}

// Province returns the 2-digit province part of c.
func (c Code) Province() Code { return c.At(LevelProvince) }

// County returns the 6-digit county part of c, or "" above county level.
func (c Code) County() Code { return c.At(LevelCounty) }

// SameCounty reports whether c and d agree to county level (截止到县级):
// their first 6 digits, padded with zeros, are equal and at least one of
// them reaches county level. A city without counties is its own county
// level (DESIGN §2): the division table gives it as the 6-digit county
// code 441900 (DivisionTable.Canonical), which agrees with itself and with
// its townships (441900003). The bare city code 4419, which ParseCode
// makes of 441900, also agrees with the townships; but two bare city codes
// do not agree, since the code alone does not say whether the city has
// counties: DivisionTable.SameCounty asks the table.
func (c Code) SameCounty(d Code) bool {
	if c.Level() < LevelCity || d.Level() < LevelCity || c.Level() < LevelCounty && d.Level() < LevelCounty {
		return false
	}
	return c.countyPart() == d.countyPart()
}

// countyPart returns the first 6 digits of c, padding a city with zeros.
func (c Code) countyPart() string {
	if len(c) >= 6 {
		return string(c[:6])
	}
	return string(c) + "00"
}

// Within reports whether c lies within ancestor, or is ancestor itself.
func (c Code) Within(ancestor Code) bool {
	return ancestor != "" && strings.HasPrefix(string(c), string(ancestor)) && c.Level() >= ancestor.Level()
}

// Padded returns c padded with zeros to 6 digits (provinces, cities,
// counties) or 12 digits (townships, villages), as files write it.
func (c Code) Padded() string {
	switch {
	case c == "":
		return ""
	case len(c) <= 6:
		return string(c) + strings.Repeat("0", 6-len(c))
	default:
		return string(c) + strings.Repeat("0", 12-len(c))
	}
}

// Division is one entry of the division table.
type Division struct {
	Code Code   `json:"code"`
	Name string `json:"name"`
	// Level is set only where the code alone does not tell the level: a
	// city without counties is its own county-level unit (东莞, whose
	// county-level row GB/T 2260 writes as 441900 again), held as the
	// 6-digit Code 441900 with Level LevelCounty beside the city 4419.
	// DivisionTable.Add needs it to tell that row from the padded city.
	Level Level `json:"level,omitempty"`
}
