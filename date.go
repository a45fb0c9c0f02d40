package hecha

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Precision is how closely two birth dates must agree in the comparison:
// the clerk picks day, month or year.
type Precision int

// The precisions of the comparison, from the strictest.
const (
	PrecisionDay Precision = iota
	PrecisionMonth
	PrecisionYear
)

// String returns "day", "month" or "year".
func (p Precision) String() string {
	switch p {
	case PrecisionMonth:
		return "month"
	case PrecisionYear:
		return "year"
	default:
		return "day"
	}
}

// Date is a calendar date without time or zone. The zero Date means "not
// given".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// NewDate returns the date y-m-d; it does not check that the date exists.
func NewDate(y int, m time.Month, d int) Date { return Date{y, m, d} }

// DateOf returns the calendar date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate reads a date written 2023-01-05, 20230105, 2023/01/05,
// 2023.1.5 or 2023年1月5日, in ASCII or full-width digits; a time of day
// after it, as spreadsheets export dates ("2023/1/5 0:00:00",
// "2023-01-05T00:00:00"), is ignored. An empty string is the zero Date and
// no error. A malformed date is an EINVALID error about field with message
// date.format, a date that does not exist (2023-02-30) date.nonexistent.
func ParseDate(field, s string) (Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Date{}, nil
	}
	orig := s
	s = dateASCII(s)
	if i := strings.IndexAny(s, " T"); i > 0 && isTimeOfDay(strings.TrimSpace(s[i+1:])) {
		s = s[:i]
	}
	var y, m, d int
	switch {
	case len(s) == 8 && allDigits(s):
		y, m, d = atoi(s[:4]), atoi(s[4:6]), atoi(s[6:])
	default:
		parts, ok := dateParts(s)
		if !ok {
			return Date{}, Invalid(field, "date.format", orig)
		}
		y, m, d = atoi(parts[0]), atoi(parts[1]), atoi(parts[2])
	}
	dt := Date{y, time.Month(m), d}
	if !dt.Valid() {
		return Date{}, Invalid(field, "date.nonexistent", orig)
	}
	return dt, nil
}

// dateParts splits a date written with separators into year, month and
// day: YYYY-M-D with one separator (-, / or .) used twice, or YYYY年M月D日
// (日 optional). Month and day have one or two digits.
func dateParts(s string) ([3]string, bool) {
	var parts []string
	if strings.Contains(s, "年") {
		s = strings.TrimSuffix(s, "日")
		y, rest, ok1 := strings.Cut(s, "年")
		m, d, ok2 := strings.Cut(rest, "月")
		if !ok1 || !ok2 {
			return [3]string{}, false
		}
		parts = []string{y, m, d}
	} else {
		i := strings.IndexAny(s, "-/.")
		if i < 0 {
			return [3]string{}, false
		}
		parts = strings.Split(s, s[i:i+1])
	}
	if len(parts) != 3 || len(parts[0]) != 4 || !allDigits(parts[0]) ||
		len(parts[1]) > 2 || !allDigits(parts[1]) || len(parts[2]) > 2 || !allDigits(parts[2]) {
		return [3]string{}, false
	}
	return [3]string{parts[0], parts[1], parts[2]}, true
}

// dateASCII maps full-width digits and separators to ASCII.
func dateASCII(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r >= 0xFF01 && r <= 0xFF5E || r == 0x3000 }) {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r == 0x3000:
			return ' '
		case r >= 0xFF01 && r <= 0xFF5E:
			return r - 0xFF01 + '!'
		}
		return r
	}, s)
}

// isTimeOfDay reports whether s is a time of day as spreadsheets write it
// after a date: H:MM, HH:MM:SS, optionally with fractions of a second.
func isTimeOfDay(s string) bool {
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return false
	}
	if i := strings.IndexByte(parts[len(parts)-1], '.'); i >= 0 {
		if !allDigits(parts[len(parts)-1][i+1:]) {
			return false
		}
		parts[len(parts)-1] = parts[len(parts)-1][:i]
	}
	for i, p := range parts {
		if len(p) == 0 || len(p) > 2 || !allDigits(p) || i > 0 && len(p) != 2 {
			return false
		}
	}
	return atoi(parts[0]) < 24 && atoi(parts[1]) < 60 && (len(parts) < 3 || atoi(parts[2]) < 61)
}

// Valid reports whether d is a real calendar date between 1850 and 2200.
func (d Date) Valid() bool {
	if d.Year < 1850 || d.Year > 2200 || d.Month < 1 || d.Month > 12 || d.Day < 1 {
		return false
	}
	t := time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
	return t.Day() == d.Day && t.Month() == d.Month
}

// IsZero reports whether d is the zero Date ("not given").
func (d Date) IsZero() bool { return d == Date{} }

// String returns d as 2006-01-02, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Compact returns d as 20060102, or "" for the zero Date.
func (d Date) Compact() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d%02d%02d", d.Year, int(d.Month), d.Day)
}

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return sign(d.Year - e.Year)
	case d.Month != e.Month:
		return sign(int(d.Month) - int(e.Month))
	default:
		return sign(d.Day - e.Day)
	}
}

// Matches reports whether d and e agree at precision p.
func (d Date) Matches(e Date, p Precision) bool {
	switch p {
	case PrecisionYear:
		return d.Year == e.Year
	case PrecisionMonth:
		return d.Year == e.Year && d.Month == e.Month
	default:
		return d == e
	}
}

// MarshalJSON writes d as "2006-01-02", or "" for the zero Date.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte(`""`), nil
	}
	if d.Year < 0 || d.Year > 9999 || d.Month < 1 || d.Month > 12 || d.Day < 1 || d.Day > 31 {
		return json.Marshal(d.String())
	}
	b := make([]byte, 0, 12)
	b = append(b, '"')
	b = appendDigits(b, d.Year, 4)
	b = append(b, '-')
	b = appendDigits(b, int(d.Month), 2)
	b = append(b, '-')
	b = appendDigits(b, d.Day, 2)
	return append(b, '"'), nil
}

// appendDigits appends n as exactly width decimal digits.
func appendDigits(b []byte, n, width int) []byte {
	for i := width - 1; i >= 0; i-- {
		b = append(b, 0)
	}
	for i := len(b) - 1; i >= len(b)-width; i-- {
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return b
}

// UnmarshalJSON reads a date in any form ParseDate accepts.
func (d *Date) UnmarshalJSON(b []byte) error {
	// The form this package writes, read without a detour through a string.
	if len(b) == 12 && b[0] == '"' && b[11] == '"' && b[5] == '-' && b[8] == '-' {
		if s := string(b[1:11]); allDigits(s[:4]) && allDigits(s[5:7]) && allDigits(s[8:]) {
			v := Date{atoi(s[:4]), time.Month(atoi(s[5:7])), atoi(s[8:])}
			if v.Valid() {
				*d = v
				return nil
			}
		}
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := ParseDate("date", s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
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

// atoi converts a short string of ASCII digits; callers check allDigits.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
