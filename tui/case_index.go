package tui

import (
	"slices"
	"strings"
	"time"
	"unicode"

	"hecha"
	"hecha/report"
)

// caseIndex holds every case in memory with its search keys, built once
// in a command when the list loads. Searching is a scan of plain
// lower-case strings: for each case one key "name\x00pinyin\x00case
// id\x00citizen id" (all slices of one backing string, so the index costs
// no allocation per case) searched with strings.Contains, and the initials
// matched by prefix.
//
// A case is kept as a caseRow, not as the hecha.CaseSummary it came from
// (224 bytes each): the texts the list shows, and its enumerations as
// small numbers. The summaries read from the database are garbage once
// the index is built, which takes 100,000 cases from some 38 MB to 24.
type caseIndex struct {
	rows     []caseRow
	keys     []string
	initials []string
	villages []hecha.Code // the villages cases are in, sorted
	idWidth  int          // the widest case id, in cells
	nameWdth int          // the widest name, in cells
	// vals holds the values of the rows' enumerations (status, kind, sex,
	// form), each once; a row holds their positions.
	vals []string
}

// caseRow is one case as the list keeps it.
type caseRow struct {
	id, name, citizen       string // the name cleaned for display
	unit, village           hecha.Code
	birth                   uint32 // year<<9 | month<<5 | day
	status, kind, sex, form uint16 // positions in caseIndex.vals
}

// newCaseIndex builds the index of sums, which are in case id order.
func newCaseIndex(sums []hecha.CaseSummary) *caseIndex {
	n := 0
	for i := range sums {
		n += keysLen(&sums[i])
	}
	ib := newIndexBuilder(len(sums), n)
	for i := range sums {
		ib.add(&sums[i])
	}
	return ib.done()
}

// keysLen is about how many bytes s's search keys take.
func keysLen(s *hecha.CaseSummary) int {
	return len(s.Name) + len(s.Pinyin) + len(s.ID) + len(s.CitizenID) + len(s.Initials) + 4
}

// indexBuilder builds a caseIndex one summary at a time, in case id
// order, so that the summaries need not all be held first
// (store.TownshipDB.EachSummary).
type indexBuilder struct {
	ix       *caseIndex
	b        strings.Builder
	ends     []int32 // per case, where its keys and its initials end in b
	villages map[hecha.Code]bool
}

// newIndexBuilder starts an index sized for about n cases whose keys take
// about size bytes (0 and 0 when unknown).
func newIndexBuilder(n, size int) *indexBuilder {
	ib := &indexBuilder{ix: &caseIndex{rows: make([]caseRow, 0, n)}, ends: make([]int32, 0, 2*n),
		villages: map[hecha.Code]bool{}}
	ib.b.Grow(size)
	return ib
}

// add adds s, whose strings the index may keep.
func (ib *indexBuilder) add(s *hecha.CaseSummary) {
	ix, b := ib.ix, &ib.b
	name := clean(s.Name)
	full, initials := s.Pinyin, s.Initials
	if name != "" && (full == "" || !strings.Contains(initials, hecha.PinyinSep)) {
		// Keys written before they held other readings (or a name
		// with none) are made here.
		full, initials = hecha.NamePinyinKeys(name)
	}
	writeLower(b, name)
	b.WriteByte(0)
	writeLower(b, full)
	b.WriteByte(0)
	writeLower(b, s.ID)
	b.WriteByte(0)
	writeLower(b, s.CitizenID)
	ib.ends = append(ib.ends, int32(b.Len()))
	writeLower(b, initials)
	ib.ends = append(ib.ends, int32(b.Len()))
	if s.Village != "" {
		ib.villages[s.Village] = true
	}
	ix.rows = append(ix.rows, caseRow{id: s.ID, name: name, citizen: s.CitizenID, unit: s.Unit, village: s.Village,
		birth: packDate(s.BirthDate), status: ix.intern(string(s.Status)), kind: ix.intern(string(s.Kind)),
		sex: ix.intern(string(s.Sex)), form: ix.intern(string(s.Form))})
	ix.idWidth = max(ix.idWidth, cellWidth(s.ID))
	ix.nameWdth = max(ix.nameWdth, cellWidth(name))
}

// done returns the index built.
func (ib *indexBuilder) done() *caseIndex {
	ix := ib.ix
	ix.keys, ix.initials = make([]string, len(ix.rows)), make([]string, len(ix.rows))
	all := ib.b.String()
	start := int32(0)
	for i := range ix.rows {
		ix.keys[i] = all[start:ib.ends[2*i]]
		ix.initials[i] = all[ib.ends[2*i]:ib.ends[2*i+1]]
		start = ib.ends[2*i+1]
	}
	for v := range ib.villages {
		ix.villages = append(ix.villages, v)
	}
	slices.Sort(ix.villages)
	return ix
}

// intern returns the position of value v in ix.vals, adding it. The
// values are few (statuses, kinds, sexes, forms): a scan beats a map.
func (ix *caseIndex) intern(v string) uint16 {
	for i, x := range ix.vals {
		if x == v {
			return uint16(i)
		}
	}
	if len(ix.vals) == 1<<16-1 {
		return ix.intern("") // beyond any real data: a damaged database
	}
	ix.vals = append(ix.vals, strings.Clone(v))
	return uint16(len(ix.vals) - 1)
}

// packDate packs a date into a caseRow's birth; a date out of range packs
// as none.
func packDate(d hecha.Date) uint32 {
	if d.Year < 0 || d.Year >= 1<<22 || d.Month < 0 || d.Month > 12 || d.Day < 0 || d.Day > 31 {
		return 0
	}
	return uint32(d.Year)<<9 | uint32(d.Month)<<5 | uint32(d.Day)
}

// The fields of row i.
func (ix *caseIndex) status(i int) hecha.Status { return hecha.Status(ix.vals[ix.rows[i].status]) }
func (ix *caseIndex) kind(i int) hecha.Kind     { return hecha.Kind(ix.vals[ix.rows[i].kind]) }
func (ix *caseIndex) sex(i int) hecha.Sex       { return hecha.Sex(ix.vals[ix.rows[i].sex]) }
func (ix *caseIndex) form(i int) hecha.Form     { return hecha.Form(ix.vals[ix.rows[i].form]) }
func (ix *caseIndex) birth(i int) hecha.Date {
	b := ix.rows[i].birth
	return hecha.Date{Year: int(b >> 9), Month: time.Month(b >> 5 & 15), Day: int(b & 31)}
}

// setStatus records that case i's status (and, when form is not "", the
// form of its result or draft) changed here.
func (ix *caseIndex) setStatus(i int, st hecha.Status, form hecha.Form) {
	ix.rows[i].status = ix.intern(string(st))
	if form != "" {
		ix.rows[i].form = ix.intern(string(form))
	}
}

// progressItem returns case i as the progress report counts it, by the
// rule of report.ProgressItemOfSummary.
func (ix *caseIndex) progressItem(i int) report.ProgressItem {
	r := &ix.rows[i]
	s := hecha.CaseSummary{Kind: ix.kind(i), Unit: r.unit, Village: r.village, Status: ix.status(i), Form: ix.form(i)}
	return report.ProgressItemOfSummary(&s)
}

// writeLower writes s lower-cased (ASCII letters only; Chinese has no case).
// It scans bytes, not runes: no byte of a multi-byte UTF-8 sequence is
// ASCII, and decoding runes was a sixth of building the index.
func writeLower(b *strings.Builder, s string) {
	i := 0
	for i < len(s) && (s[i] < 'A' || s[i] > 'Z') {
		i++
	}
	b.WriteString(s[:i])
	for ; i < len(s); i++ {
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
	i, ok := slices.BinarySearchFunc(ix.rows, id, func(r caseRow, id string) int { return strings.Compare(r.id, id) })
	if ok {
		return i
	}
	// Not in id order after all (a store that sorts otherwise): scan.
	for j := range ix.rows {
		if ix.rows[j].id == id {
			return j
		}
	}
	return -1
}

// filter selects cases by status, kind and village.
type filter struct {
	statuses []hecha.Status // nil: every status
	kind     hecha.Kind     // "": every kind
	village  hecha.Code     // "": every village; noVillage: none
}

// match reports whether f selects case i of ix.
func (f filter) match(ix *caseIndex, i int) bool {
	if f.kind != "" && ix.kind(i) != f.kind {
		return false
	}
	switch {
	case f.village == noVillage:
		if ix.rows[i].village != "" {
			return false
		}
	case f.village != "" && ix.rows[i].village != f.village:
		return false
	}
	if f.statuses == nil {
		return true
	}
	st := ix.status(i)
	for _, want := range f.statuses {
		if st == want {
			return true
		}
	}
	return false
}

// countStatuses counts the cases f selects by status.
func (ix *caseIndex) countStatuses(f filter) map[hecha.Status]int {
	out := map[hecha.Status]int{}
	for i := range ix.rows {
		if f.match(ix, i) {
			out[ix.status(i)]++
		}
	}
	return out
}

// selectAll returns the positions of the cases f selects, in order.
func (ix *caseIndex) selectAll(f filter) []int32 {
	out := make([]int32, 0, len(ix.rows)/4)
	for i := range ix.rows {
		if f.match(ix, i) {
			out = append(out, int32(i))
		}
	}
	return out
}

// search returns the positions in from whose keys match the normalised
// query q: a substring of the name, the full pinyin, the case id or the
// citizen ID, or a prefix of the initials (any of their spellings: 曾 as
// zeng or ceng, chenbw for 陈博文). It writes into dst's storage
// when dst is from, so narrowing needs no allocation.
func (ix *caseIndex) search(dst, from []int32, q string) []int32 {
	if q == "" {
		return append(dst[:0], from...)
	}
	out := dst[:0]
	// The initials' other spellings each follow a separator: a prefix of
	// one is the separator and the query, made once here.
	sq := hecha.PinyinSep + q
	for _, i := range from {
		in := ix.initials[i]
		if strings.Contains(ix.keys[i], q) || strings.HasPrefix(in, q) || len(in) > len(q) && strings.Contains(in, sq) {
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
		id := old.rows[i].id
		for j < len(nix.rows) && nix.rows[j].id < id {
			j++
		}
		if j < len(nix.rows) && nix.rows[j].id == id {
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
