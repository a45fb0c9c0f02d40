package sheet

import (
	"hecha"

	"strings"
	"sync"
	"unicode/utf8"
)

// UnknownColumn is a header cell of an import file that names no known
// column: what is in that column is not imported.
type UnknownColumn struct {
	Column  int    // 1-based position in the header row
	Name    string // the header cell, trimmed
	Closest string // the Chinese name of the nearest known column the file lacks; "" when none is near
}

// Message says, in lang, that the column is not imported and which known
// column is closest.
func (u UnknownColumn) Message(lang hecha.Lang) string {
	if u.Closest == "" {
		return hecha.T(lang, "file.unknown_column", u.Column, u.Name)
	}
	return hecha.T(lang, "file.unknown_column_closest", u.Column, u.Name, u.Closest)
}

// Unknown returns the header cells that name no known column, in order.
func (h *Header) Unknown() []UnknownColumn { return h.unknown }

// classifyUnknown looks at the header cells at the positions unknown: one
// that looks like a known column the file lacks is an error
// (file.misspelt_column); the others are kept for Unknown, each with the
// nearest such column when one is near at all.
func (h *Header) classifyUnknown(cols []column, cells []string, unknown []int) error {
	var absent []column
	for _, c := range cols {
		if _, ok := h.index[c.key]; !ok && !c.ignored {
			absent = append(absent, c)
		}
	}
	for _, i := range unknown {
		name := strings.TrimFunc(cells[i], hecha.IsTrimmedSpace)
		u := UnknownColumn{Column: i + 1, Name: name}
		best, bestDist := "", -1
		k := headerKey(cells[i])
		if knownElsewhere()[k] {
			// A column of another kind of file (a resident file given as
			// floating): the missing columns say more than a guess.
			h.unknown = append(h.unknown, u)
			continue
		}
		for _, c := range absent {
			for _, n := range append([]string{c.zh, c.key}, c.aliases...) {
				nk := headerKey(n)
				d := editDistance(k, nk)
				if bestDist < 0 || d < bestDist {
					best, bestDist = c.zh, d
				}
				if looksLike(k, nk, d) {
					return hecha.Invalid("", "file.misspelt_column", name, c.zh, c.key)
				}
			}
		}
		// Nearer than a complete rewrite: worth naming.
		if bestDist >= 0 && bestDist < max(utf8.RuneCountInString(k), utf8.RuneCountInString(best)) {
			u.Closest = best
		}
		h.unknown = append(h.unknown, u)
	}
	return nil
}

// looksLike reports whether the header key a is a misspelling of the
// known name b, d being their edit distance: one character off, or up to
// a third of the longer one, or one holding the other when the shorter
// has at least three characters ("出身日期", "查无此人原因2", "身份证号").
func looksLike(a, b string, d int) bool {
	la, lb := utf8.RuneCountInString(a), utf8.RuneCountInString(b)
	n := max(la, lb)
	switch {
	case d <= 1 && n >= 2:
		return true
	case d*3 <= n:
		return true
	case min(la, lb) >= 3 && (strings.Contains(a, b) || strings.Contains(b, a)):
		return true
	}
	return false
}

// editDistance is the Levenshtein distance of a and b, in characters.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// knownElsewhere returns the header keys of every kind of import file.
var knownElsewhere = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, cols := range [][]column{caseColumns, residentColumns, floatingColumns} {
		for _, c := range cols {
			m[headerKey(c.zh)] = true
		}
	}
	for _, c := range worksheetColumns {
		m[headerKey(c.Header)] = true
	}
	return m
})
