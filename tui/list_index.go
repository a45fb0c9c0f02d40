package tui

import (
	"slices"
	"strings"
	"unicode"

	"hecha"
)

// caseIndex holds every case summary in memory with its search keys,
// built once in a command when the list loads. Searching is a scan of
// plain lower-case strings: for each case one key "name\x00pinyin\x00case
// id\x00citizen id" (all slices of one backing string, so the index costs
// no allocation per case) searched with strings.Contains, and the initials
// matched by prefix.
type caseIndex struct {
	sums     []hecha.CaseSummary
	keys     []string
	initials []string
	villages []hecha.Code // the villages cases are in, sorted
	idWidth  int          // the widest case id, in cells
	nameWdth int          // the widest name, in cells
}

// newCaseIndex builds the index of sums, which are in case id order.
func newCaseIndex(sums []hecha.CaseSummary) *caseIndex {
	ix := &caseIndex{sums: sums, keys: make([]string, len(sums)), initials: make([]string, len(sums))}
	var b strings.Builder
	n := 0
	for i := range sums {
		s := &sums[i]
		n += len(s.Name) + len(s.Pinyin) + len(s.ID) + len(s.CitizenID) + len(s.Initials) + 4
	}
	b.Grow(n)
	ends := make([]int, 0, 2*len(sums))
	villages := map[hecha.Code]bool{}
	for i := range sums {
		s := &sums[i]
		s.Name = clean(s.Name)
		full, initials := s.Pinyin, s.Initials
		if full == "" && s.Name != "" {
			full, initials = hecha.PinyinKeys(s.Name)
		}
		writeLower(&b, s.Name)
		b.WriteByte(0)
		writeLower(&b, full)
		b.WriteByte(0)
		writeLower(&b, s.ID)
		b.WriteByte(0)
		writeLower(&b, s.CitizenID)
		ends = append(ends, b.Len())
		writeLower(&b, initials)
		ends = append(ends, b.Len())
		if s.Village != "" {
			villages[s.Village] = true
		}
		ix.idWidth = max(ix.idWidth, cellWidth(s.ID))
		ix.nameWdth = max(ix.nameWdth, cellWidth(s.Name))
	}
	all := b.String()
	start := 0
	for i := range sums {
		ix.keys[i] = all[start:ends[2*i]]
		ix.initials[i] = all[ends[2*i]:ends[2*i+1]]
		start = ends[2*i+1]
	}
	for v := range villages {
		ix.villages = append(ix.villages, v)
	}
	slices.Sort(ix.villages)
	return ix
}

// writeLower writes s lower-cased (ASCII letters only; Chinese has no case).
func writeLower(b *strings.Builder, s string) {
	if !strings.ContainsFunc(s, func(r rune) bool { return 'A' <= r && r <= 'Z' }) {
		b.WriteString(s)
		return
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b.WriteByte(c)
	}
}

// normQuery returns a search query as the keys hold it: lower-case,
// without spaces or control characters.
func normQuery(q string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.IsControl(r) || r == 0 {
			return -1
		}
		return unicode.ToLower(r)
	}, q)
}

// find returns the position of case id in the index, or -1.
func (ix *caseIndex) find(id string) int {
	i, ok := slices.BinarySearchFunc(ix.sums, id, func(s hecha.CaseSummary, id string) int { return strings.Compare(s.ID, id) })
	if ok {
		return i
	}
	// Not in id order after all (a store that sorts otherwise): scan.
	for j := range ix.sums {
		if ix.sums[j].ID == id {
			return j
		}
	}
	return -1
}

// filter selects cases by status, kind and village.
type filter struct {
	statuses []hecha.Status // nil: every status
	kind     hecha.Kind     // "": every kind
	village  hecha.Code     // "": every village
}

func (f filter) match(s *hecha.CaseSummary) bool {
	if f.kind != "" && s.Kind != f.kind {
		return false
	}
	if f.village != "" && s.Village != f.village {
		return false
	}
	if f.statuses == nil {
		return true
	}
	for _, st := range f.statuses {
		if s.Status == st {
			return true
		}
	}
	return false
}

// selectAll returns the positions of the cases f selects, in order.
func (ix *caseIndex) selectAll(f filter) []int32 {
	out := make([]int32, 0, len(ix.sums)/4)
	for i := range ix.sums {
		if f.match(&ix.sums[i]) {
			out = append(out, int32(i))
		}
	}
	return out
}

// search returns the positions in from whose keys match the normalised
// query q: a substring of the name, the full pinyin, the case id or the
// citizen ID, or a prefix of the initials. It writes into dst's storage
// when dst is from, so narrowing needs no allocation.
func (ix *caseIndex) search(dst, from []int32, q string) []int32 {
	if q == "" {
		return append(dst[:0], from...)
	}
	out := dst[:0]
	for _, i := range from {
		if strings.Contains(ix.keys[i], q) || strings.HasPrefix(ix.initials[i], q) {
			out = append(out, i)
		}
	}
	return out
}

// remap returns the positions in nix of the cases at positions shown in
// old, leaving out those nix lacks. Both indexes are in case id order, so
// this is one walk through both.
func remap(old *caseIndex, shown []int32, nix *caseIndex) []int32 {
	out := make([]int32, 0, len(shown))
	j := 0
	for _, i := range shown {
		id := old.sums[i].ID
		for j < len(nix.sums) && nix.sums[j].ID < id {
			j++
		}
		if j < len(nix.sums) && nix.sums[j].ID == id {
			out = append(out, int32(j))
		}
	}
	return out
}

// mergeSorted returns the union of two ascending position lists.
func mergeSorted(a, b []int32) []int32 {
	out := make([]int32, 0, max(len(a), len(b)))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || i < len(a) && a[i] < b[j]:
			out = append(out, a[i])
			i++
		case i == len(a) || b[j] < a[i]:
			out = append(out, b[j])
			j++
		default:
			out = append(out, a[i])
			i, j = i+1, j+1
		}
	}
	return out
}
