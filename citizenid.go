package hecha

import (
	"strings"
	"time"
	"unicode/utf8"
)

// CitizenID is the parsed form of a citizen ID number (公民身份号码,
// GB 11643-1999).
type CitizenID struct {
	Number string // the 18-digit number (converted from 15 digits when Legacy is set)
	Legacy string // the 15-digit number as given, or ""
	Area   Code   // first 6 digits, normalised (410100 → 4101)
	Birth  Date
	Sex    Sex
}

// idWeights are the GB 11643-1999 weights of the first 17 digits.
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// idCheckChars maps the weighted sum mod 11 to the check character.
const idCheckChars = "10X98765432"

// IDCheckDigit returns the GB 11643-1999 check character ('0'–'9' or 'X')
// of the first 17 digits of an ID number, or 0 when first17 is not 17 ASCII
// digits.
func IDCheckDigit(first17 string) byte {
	if len(first17) != 17 || !allDigits(first17) {
		return 0
	}
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(first17[i]-'0') * idWeights[i]
	}
	return idCheckChars[sum%11]
}

// idClean trims s, drops the spaces clerks type inside a number, maps
// full-width digits and X to ASCII and upper-cases x.
func idClean(s string) string {
	s = strings.TrimSpace(s)
	if !strings.ContainsFunc(s, func(r rune) bool {
		return r == ' ' || r == '\u3000' || r == 'x' || r >= 0xFF10
	}) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == ' ' || r == '\u3000':
		case r == 'x' || r == 'ｘ' || r == 'Ｘ':
			b.WriteByte('X')
		case r >= '０' && r <= '９':
			b.WriteByte(byte('0' + r - '０'))
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// IsPlaceholderID reports whether s is one of the placeholders found in
// real data instead of an ID number: 18 zeros; 000000 + an 8-digit birth
// date + 0000 (given to children who had no number yet); any number whose
// first 17 digits are all the same; each with any check character. The
// 15-digit forms (15 equal digits; 000000 + 6 digits + 000) count too.
func IsPlaceholderID(s string) bool {
	s = idClean(s)
	switch len(s) {
	case 18:
		last := s[17]
		if !allDigits(s[:17]) || !(last == 'X' || last >= '0' && last <= '9') {
			return false
		}
		return idSameDigits(s[:17]) || s[:6] == "000000" && s[14:17] == "000"
	case 15:
		if !allDigits(s) {
			return false
		}
		return idSameDigits(s) || s[:6] == "000000" && s[12:] == "000"
	}
	return false
}

func idSameDigits(s string) bool {
	return strings.Count(s, s[:1]) == len(s)
}

// ParseCitizenID checks s as a citizen ID number (DESIGN §7) and returns
// its parts. It trims s, drops inner spaces, accepts full-width digits and
// a lower-case x. An 18-character number must be 17 digits and a digit or
// X whose GB 11643 check character is right; a 15-digit legacy number is
// converted to 18 digits ("19" before the year, check character computed)
// and kept in Legacy. The birth date must exist (Date.Valid); whether it
// lies in the future is the form's question (it knows today from Rules).
// Placeholders (see IsPlaceholderID) are never valid.
//
// An empty s is the zero CitizenID and no error: whether the number is
// required is the form's question. Errors are EINVALID about field with
// message id.placeholder, id.length, id.chars, id.birth, id.checksum or
// id.area.
func ParseCitizenID(field, s string) (CitizenID, error) {
	s = idClean(s)
	if s == "" {
		return CitizenID{}, nil
	}
	if IsPlaceholderID(s) {
		return CitizenID{}, Invalid(field, "id.placeholder", s)
	}
	var id CitizenID
	switch n := utf8.RuneCountInString(s); {
	case n == 15 && len(s) == 15:
		if !allDigits(s) {
			return CitizenID{}, Invalid(field, "id.chars")
		}
		first17 := s[:6] + "19" + s[6:]
		id.Legacy = s
		id.Number = first17 + string(IDCheckDigit(first17))
	case n == 18 && len(s) == 18:
		last := s[17]
		if !allDigits(s[:17]) || !(last == 'X' || last >= '0' && last <= '9') {
			return CitizenID{}, Invalid(field, "id.chars")
		}
		id.Number = s
	case n == 15 || n == 18:
		return CitizenID{}, Invalid(field, "id.chars")
	default:
		return CitizenID{}, Invalid(field, "id.length", n)
	}
	num := id.Number
	id.Birth = Date{atoi(num[6:10]), time.Month(atoi(num[10:12])), atoi(num[12:14])}
	if !id.Birth.Valid() {
		return CitizenID{}, Invalid(field, "id.birth", num[6:14])
	}
	if want := IDCheckDigit(num[:17]); id.Legacy == "" && num[17] != want {
		return CitizenID{}, Invalid(field, "id.checksum", string(want), string(num[17]))
	}
	area, err := ParseCode(field, num[:6])
	if err != nil || area == "" {
		return CitizenID{}, Invalid(field, "id.area", num[:6])
	}
	id.Area = area
	if (num[16]-'0')%2 == 1 {
		id.Sex = SexMale
	} else {
		id.Sex = SexFemale
	}
	return id, nil
}
