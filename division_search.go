package hecha

import (
	"slices"
	"strings"
	"unicode"
)

// Search ranks.
const (
	rankExactCode = iota
	rankCodePrefix
	divRankNamePrefix
	rankPinyinPrefix
	rankSubstring
	rankCount
)

// Search finds divisions for a picker. query is a code prefix (digits; a
// padded code such as 410100 also finds 4101 exactly), a substring of the
// Chinese name, a prefix or substring of the full pinyin ("linshanzhai",
// spaces and apostrophes ignored; any reading of a character with
// several: zhongmu and zhongmou both find 中牟县) or a prefix of the
// initials ("lsz").
// within restricts the search to c's subtree, itself included ("" searches
// everything). Results are ranked: exact code, code prefix, name prefix,
// pinyin or initials prefix, substring; within a rank higher levels come
// first, then codes in order. At most limit results are returned (limit <=
// 0: all). An empty query returns the children of within.
//
// A city without counties is found as its county-level entry only (东莞
// 441900, not also the city 4419 of the same name; 620200 finds 嘉峪关's
// 620201): that is the code a county-level field takes (Canonical).
//
// The pinyin keys are computed once per entry (when it is added one by one,
// or for a bulk load on the first search or PrepareSearch), so a search is
// a scan of plain strings.
func (t *DivisionTable) Search(query string, within Code, limit int) []Division {
	if t == nil {
		return nil
	}
	q := strings.ToLower(strings.TrimSpace(query))
	if q == "" {
		out := t.Children(within)
		if limit > 0 && len(out) > limit {
			out = out[:limit]
		}
		return out
	}
	// A bulk load may queue entries between ensureKeys and the lock.
	for t.ensureKeys(); ; t.ensureKeys() {
		t.mu.RLock()
		if len(t.unkeyed) == 0 {
			break
		}
		t.mu.RUnlock()
	}
	defer t.mu.RUnlock()
	var buckets [rankCount][]*divEntry
	if allDigits(q) {
		exact, _ := ParseCode("", q)
		exact = t.canonical(exact)
		found := false
		for _, e := range t.prefixRange(q, within) {
			if e.Code == exact || string(e.Code) == q {
				found = found || e.Code == exact
				buckets[rankExactCode] = append(buckets[rankExactCode], e)
			} else {
				buckets[rankCodePrefix] = append(buckets[rankCodePrefix], e)
			}
		}
		if e, ok := t.byCode[exact]; ok && !found && (within == "" || exact.Within(within)) {
			buckets[rankExactCode] = append(buckets[rankExactCode], e)
		}
	} else {
		qp := divPinyinQuery(q)
		for _, e := range t.prefixRange(string(within), "") {
			if r := divRankName(e, q, qp); r >= 0 {
				buckets[r] = append(buckets[r], e)
			}
		}
	}
	var out []Division
	for _, b := range buckets {
		slices.SortStableFunc(b, func(x, y *divEntry) int { return int(x.Code.Level()) - int(y.Code.Level()) })
		for _, e := range b {
			if limit > 0 && len(out) >= limit {
				return out
			}
			if e.Code.Level() == LevelCity && t.canonical(e.Code) != e.Code {
				continue // its own county-level entry is found too
			}
			out = append(out, e.Division)
		}
	}
	return out
}

// prefixRange returns the entries whose code starts with prefix and lies
// within within (either may be ""); callers hold the read lock.
func (t *DivisionTable) prefixRange(prefix string, within Code) []*divEntry {
	if len(within) > len(prefix) {
		if !strings.HasPrefix(string(within), prefix) {
			return nil
		}
		prefix = string(within)
	} else if !strings.HasPrefix(prefix, string(within)) {
		return nil
	}
	lo, _ := slices.BinarySearchFunc(t.sorted, Code(prefix), divCmpCode)
	hi := lo
	for hi < len(t.sorted) && strings.HasPrefix(string(t.sorted[hi].Code), prefix) {
		hi++
	}
	return t.sorted[lo:hi]
}

// divPinyinQuery returns q reduced to what pinyin keys hold (ASCII letters
// and digits), or "" when q holds anything else (Han characters).
func divPinyinQuery(q string) string {
	var b strings.Builder
	for _, r := range q {
		switch {
		case r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
		case r == ' ' || r == '\'' || r == '-':
		default:
			return ""
		}
	}
	return b.String()
}

// divRankName ranks e against the name query q and its pinyin form qp, or
// returns -1 when it does not match.
func divRankName(e *divEntry, q, qp string) int {
	switch {
	case strings.HasPrefix(e.Name, q):
		return divRankNamePrefix
	case qp != "" && (HasPinyinPrefix(e.full, qp) || HasPinyinPrefix(e.initials, qp)):
		return rankPinyinPrefix
	case strings.Contains(e.Name, q) || qp != "" && strings.Contains(e.full, qp):
		return rankSubstring
	}
	return -1
}
