package hecha

import (
	"slices"
	"strings"
	"sync"
)

// DivisionTable is the loaded table of division codes (DESIGN §7): the whole
// country to county level and the home province down to village. It is held
// in memory, indexed by code, by parent and for search (each entry's pinyin
// is computed once: when it is added, or, for a bulk load, on the first
// search). All methods are safe for concurrent use; loading takes a write
// lock.
//
// The tree is built from the codes themselves: an entry's parent is its
// nearest ancestor code present in the table, so an entry whose parent
// level is missing (济源 419001 when 4190 is not loaded) hangs under the
// next level up, and an entry whose ancestors are all missing is a root.
//
// A city without counties (东莞 441900, 中山 442000, 儋州 460400) is its
// own county level (DESIGN §2): GB/T 2260 and the statistical table list
// it twice, as a city and again as its own county-level row. The table
// holds both: the city 4419 and, under it, the county-level entry with
// the 6-digit code 441900 (Division.Level says so), under which its
// townships (441900003) hang as under any county. See Canonical.
type DivisionTable struct {
	mu       sync.RWMutex
	byCode   map[Code]*divEntry
	sorted   []*divEntry           // every entry, by code (see reindex)
	nsorted  int                   // how many of sorted are in order
	slab     []divEntry            // storage for new entries
	children map[Code][]*divEntry  // by nearest present ancestor ("" for roots), by code
	historic map[Code]historicCode // GB/T 2260 county-level codes valid as ID areas
	// historicProv holds the provinces the historic table covers.
	historicProv map[Code]bool
	// unkeyed holds the entries a bulk load added (or renamed) without
	// their search keys: pinyin is most of a load's cost, and only Search
	// needs it, so it is computed on the first search (ensureKeys).
	unkeyed []*divEntry
	// keysMu serialises ensureKeys.
	keysMu sync.Mutex
}

// divEntry is one division with its precomputed search keys.
type divEntry struct {
	Division
	parent   Code   // nearest present ancestor, "" for a root
	full     string // full pinyin, lower-case, no separators
	initials string // pinyin initials
}

// historicCode is one row of the historic GB/T 2260 table.
type historicCode struct {
	Name     string
	From, To int // years; 0 means open
}

// NewDivisionTable returns an empty table.
func NewDivisionTable() *DivisionTable {
	return &DivisionTable{
		byCode:   map[Code]*divEntry{},
		children: map[Code][]*divEntry{},
	}
}

// NewDivisionTableSize returns an empty table whose index is sized for
// about n divisions, for a caller that knows how many it will load.
func NewDivisionTableSize(n int) *DivisionTable {
	return &DivisionTable{
		byCode:   make(map[Code]*divEntry, min(max(n, 0), 1<<22)),
		children: map[Code][]*divEntry{},
	}
}

// lazyInit makes the zero DivisionTable usable; callers hold the write lock.
func (t *DivisionTable) lazyInit() {
	if t.byCode == nil {
		t.byCode = map[Code]*divEntry{}
		t.children = map[Code][]*divEntry{}
	}
}

// Add adds d to the table, or renames the entry when its code is already
// there. The code is normalised with ParseCode (a padded code is fine);
// the name, trimmed, must not be empty nor hold control characters
// (CleanText). The parent is derived from the code: the entry hangs under
// its nearest ancestor in the table, and entries already added below it
// move under it. Errors are EINVALID about "code" or "name".
func (t *DivisionTable) Add(d Division) error {
	c, name, err := normDivision(d)
	if err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.lazyInit()
	t.add(c, name, true)
	return nil
}

// DivisionLoader adds divisions to a table in bulk, as a reader of
// division files does: Add or AddHistoric each row, Flush after each file
// (cheap: files come mostly in code order), Done at the end, which indexes
// the table once. The table is locked from Loader until Done.
type DivisionLoader struct {
	t *DivisionTable
}

// Loader starts a bulk load into t. When t is empty its index is sized
// for about n divisions (0: unknown).
func (t *DivisionTable) Loader(n int) *DivisionLoader {
	t.mu.Lock()
	if len(t.byCode) == 0 && n > 0 {
		t.byCode = make(map[Code]*divEntry, min(n, 1<<22))
	}
	t.lazyInit()
	return &DivisionLoader{t: t}
}

// Add adds a division, or renames it when its code is there: c as
// ParseCode returns it (a city's own county-level row as 441900), name
// cleaned (CleanText with MaxDivisionNameLen). See DivisionTable.Add for
// checked input.
func (l *DivisionLoader) Add(c Code, name string) { l.t.add(c, name, false) }

// AddHistoric adds a historic GB/T 2260 county-level code (years 0 when
// open): it does not become a division, but CheckIDArea accepts it as an
// ID number's area, and its province is checked against the historic
// table.
func (l *DivisionLoader) AddHistoric(c Code, name string, from, to int) {
	t := l.t
	if t.historic == nil {
		t.historic = map[Code]historicCode{}
		t.historicProv = map[Code]bool{}
	}
	t.historic[c] = historicCode{Name: name, From: from, To: to}
	t.historicProv[c.Province()] = true
}

// Flush sorts the divisions added since the last Flush into the table.
func (l *DivisionLoader) Flush() { l.t.mergeAdded() }

// Done indexes the table and unlocks it.
func (l *DivisionLoader) Done() {
	l.t.reindex()
	l.t.mu.Unlock()
}

// Rows calls f for every division in code order with its parent, the
// nearest ancestor in the table ("" for a root), as a writer of division
// files needs them.
func (t *DivisionTable) Rows(f func(d Division, parent Code)) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	for _, e := range t.sorted {
		f(e.Division, e.parent)
	}
}

// normDivision normalises d's code and name.
func normDivision(d Division) (Code, string, error) {
	c, err := ParseCode("code", string(d.Code))
	if err != nil {
		return "", "", err
	}
	if c == "" {
		return "", "", Invalid("code", "division.required")
	}
	switch {
	case d.Level == LevelCounty && c.Level() == LevelCity:
		// A city's own county-level row: 441900 again.
		c += "00"
	case d.Level != LevelNone && d.Level != c.Level():
		return "", "", Invalid("level", "division.level_fit", d.Level.String(), string(d.Code))
	}
	name, err := CleanText("name", d.Name, MaxDivisionNameLen)
	if err != nil {
		return "", "", err
	}
	if name == "" {
		return "", "", Invalid("name", "division.name")
	}
	return c, name, nil
}

// add inserts or renames one entry; callers hold the write lock. With
// keepSorted the indexes are updated in place; otherwise the caller calls
// reindex once a batch is in.
func (t *DivisionTable) add(c Code, name string, keepSorted bool) {
	if e, ok := t.byCode[c]; ok {
		if e.Name != name {
			e.Name = name
			t.setKeys(e, keepSorted)
		}
		return
	}
	// Entries are allocated in slabs: one allocation per 1024 entries.
	if len(t.slab) == cap(t.slab) {
		t.slab = make([]divEntry, 0, 1024)
	}
	t.slab = append(t.slab, divEntry{Division: Division{Code: c, Name: name, Level: divOwnLevel(c)}})
	e := &t.slab[len(t.slab)-1]
	t.setKeys(e, keepSorted)
	t.byCode[c] = e
	if !keepSorted {
		t.sorted = append(t.sorted, e)
		return
	}
	i, _ := slices.BinarySearchFunc(t.sorted, c, divCmpCode)
	t.sorted = slices.Insert(t.sorted, i, e)
	t.nsorted++
	e.parent = t.nearestAncestor(c)
	t.children[e.parent] = divInsertSorted(t.children[e.parent], e)
	// Entries that hung above the new one and lie within it move under it.
	kids := t.children[e.parent]
	var stay []*divEntry
	for _, k := range kids {
		if k != e && k.Code.Within(c) {
			k.parent = c
			t.children[c] = divInsertSorted(t.children[c], k)
			continue
		}
		stay = append(stay, k)
	}
	t.children[e.parent] = stay
}

// setKeys computes e's search keys now, or with later leaves them to the
// first search (ensureKeys); callers hold the write lock.
func (t *DivisionTable) setKeys(e *divEntry, now bool) {
	if now {
		e.full, e.initials = PinyinKeys(e.Name)
		return
	}
	e.full, e.initials = "", ""
	t.unkeyed = append(t.unkeyed, e)
}

// PrepareSearch computes the search keys a bulk load left to the first
// Search, so that a caller can do it in the background (a program does
// right after loading the table) and the first search does not wait for
// it. Lookups go on meanwhile: the keys are computed outside the lock.
func (t *DivisionTable) PrepareSearch() {
	if t != nil {
		t.ensureKeys()
	}
}

// ensureKeys computes the search keys of the entries in t.unkeyed. The
// pinyin is computed under no lock; storing it takes the write lock
// briefly, and skips an entry renamed meanwhile (the rename keyed it or
// queued it again).
func (t *DivisionTable) ensureKeys() {
	t.keysMu.Lock()
	defer t.keysMu.Unlock()
	type job struct {
		e              *divEntry
		name           string
		full, initials string
	}
	t.mu.RLock()
	jobs := make([]job, len(t.unkeyed))
	for i, e := range t.unkeyed {
		jobs[i] = job{e: e, name: e.Name}
	}
	t.mu.RUnlock()
	if len(jobs) == 0 {
		return
	}
	for i := range jobs {
		jobs[i].full, jobs[i].initials = PinyinKeys(jobs[i].name)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, j := range jobs {
		if j.e.Name == j.name {
			j.e.full, j.e.initials = j.full, j.initials
		}
	}
	// Entries queued since the snapshot stay queued.
	t.unkeyed = slices.Clone(t.unkeyed[len(jobs):])
	if len(t.unkeyed) == 0 {
		t.unkeyed = nil
	}
}

// reindex rebuilds the sorted list and the tree after a batch of adds;
// callers hold the write lock.
func (t *DivisionTable) reindex() {
	t.mergeAdded()
	t.rebuildTree()
}

// mergeAdded sorts the entries added since the last call, which sit at the
// end of t.sorted (files come mostly in code order, so this is cheap), and
// merges them into the sorted prefix.
func (t *DivisionTable) mergeAdded() {
	old, added := t.sorted[:t.nsorted], t.sorted[t.nsorted:]
	if len(added) == 0 {
		return
	}
	cmp := func(a, b *divEntry) int { return strings.Compare(string(a.Code), string(b.Code)) }
	if !slices.IsSortedFunc(added, cmp) {
		slices.SortFunc(added, cmp)
	}
	if len(old) == 0 || cmp(old[len(old)-1], added[0]) < 0 {
		t.nsorted = len(t.sorted)
		return
	}
	merged := make([]*divEntry, 0, len(t.sorted))
	i, j := 0, 0
	for i < len(old) && j < len(added) {
		if cmp(old[i], added[j]) <= 0 {
			merged = append(merged, old[i])
			i++
		} else {
			merged = append(merged, added[j])
			j++
		}
	}
	merged = append(append(merged, old[i:]...), added[j:]...)
	t.sorted, t.nsorted = merged, len(merged)
}

// rebuildTree hangs every entry under its nearest ancestor in the table.
func (t *DivisionTable) rebuildTree() {
	clear(t.children)
	for _, e := range t.sorted {
		e.parent = t.nearestAncestor(e.Code)
		t.children[e.parent] = append(t.children[e.parent], e)
	}
}

// nearestAncestor returns the closest proper ancestor of c in the table,
// or "".
func (t *DivisionTable) nearestAncestor(c Code) Code {
	for l := c.Level() - 1; l >= LevelProvince; l-- {
		a := c.At(l)
		if _, ok := t.byCode[a]; ok {
			return a
		}
	}
	return ""
}

// divOwnLevel returns the Level a Division with code c carries: LevelCounty
// for a city's own county-level code (441900: 6 digits ending in 00, which
// ParseCode would read as the city), else LevelNone.
func divOwnLevel(c Code) Level {
	if c.Level() == LevelCounty && c[4:] == "00" {
		return LevelCounty
	}
	return LevelNone
}

func divCmpCode(e *divEntry, c Code) int { return strings.Compare(string(e.Code), string(c)) }

func divInsertSorted(list []*divEntry, e *divEntry) []*divEntry {
	i, found := slices.BinarySearchFunc(list, e.Code, divCmpCode)
	if found {
		return list
	}
	return slices.Insert(list, i, e)
}

// Lookup returns the division with code c.
func (t *DivisionTable) Lookup(c Code) (Division, bool) {
	if t == nil {
		return Division{}, false
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	e, ok := t.byCode[c]
	if !ok {
		return Division{}, false
	}
	return e.Division, true
}

// Len returns the number of divisions in the table.
func (t *DivisionTable) Len() int {
	if t == nil {
		return 0
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	return len(t.byCode)
}

// Children returns the divisions directly under c (those whose nearest
// ancestor in the table is c), sorted by code. Children("") returns the
// roots: the provinces, in any well-formed table.
func (t *DivisionTable) Children(c Code) []Division {
	if t == nil {
		return nil
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	return divList(t.children[c])
}

// All returns every division in the table, sorted by code.
func (t *DivisionTable) All() []Division {
	if t == nil {
		return nil
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	return divList(t.sorted)
}

func divList(list []*divEntry) []Division {
	out := make([]Division, len(list))
	for i, e := range list {
		out[i] = e.Division
	}
	return out
}

// Path returns the divisions from the province down to c, only those
// present in the table (济源市 419001 gives 河南省, 省直辖县级行政区划,
// 济源市; a code missing from the table gives its known ancestors only).
func (t *DivisionTable) Path(c Code) []Division {
	if t == nil {
		return nil
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	var out []Division
	for _, a := range c.Chain() {
		if e, ok := t.byCode[a]; ok {
			out = append(out, e.Division)
		}
	}
	return out
}

// CodeAndName writes c padded, followed by its full name when t knows it,
// as files meant for people do: "410102001000 河南省/郑州市/中原区/林山寨街道".
// The code comes first, so it is what a reader takes back; "" for no code.
func (t *DivisionTable) CodeAndName(c Code) string {
	if c == "" {
		return ""
	}
	if _, ok := t.Lookup(c); ok {
		return c.Padded() + " " + t.FullName(c)
	}
	return c.Padded()
}

// FullName returns the names on c's path joined by "/", as
// "河南省/郑州市/中原区/林山寨街道", a name repeated by the next level
// given once ("广东省/东莞市/南城街道" for 441900003 under 东莞's own
// county-level entry). For a code missing from the table it
// is the known part followed by the code ("河南省/郑州市/中原区/410102999");
// for "" it is "".
func (t *DivisionTable) FullName(c Code) string {
	if c == "" {
		return ""
	}
	path := t.Path(c)
	parts := make([]string, 0, len(path)+1)
	for _, d := range path {
		// A city without counties and its own county-level entry share
		// the name: 广东省/东莞市, not 广东省/东莞市/东莞市.
		if len(parts) > 0 && parts[len(parts)-1] == d.Name {
			continue
		}
		parts = append(parts, d.Name)
	}
	if len(path) == 0 || path[len(path)-1].Code != c {
		parts = append(parts, string(c))
	}
	return strings.Join(parts, "/")
}

// Check reports whether c is a usable division code for field: it must be
// given (division.required), be in the table (division.unknown, with the
// code) and reach at least level min (division.level.<min>, e.g. 至少要到乡级
// for LevelTownship). Errors are EINVALID about field.
//
// A city without counties reaches county level (DESIGN §2): 441900 东莞
// passes for LevelCounty whether given as the table's county-level code
// 441900 or as the city 4419 that ParseCode makes of it (see Canonical).
//
// The table knows other provinces only to county level (a cross-province
// case's current address, a bride's new home), so a code below county level
// that is missing from the table is accepted when its nearest ancestor in
// the table is a county or township under which the table holds no
// subdivisions at all (or a city under which it holds none, as in a table
// that lacks a city's own county-level row): the table cannot tell, so the
// code's form is all that is checked. Inside the home province, where
// townships and villages are loaded, an unknown township or village is an
// error.
//
// A nil table checks only that c is given and its level.
func (t *DivisionTable) Check(field string, c Code, min Level) error {
	if c == "" {
		return Invalid(field, "division.required")
	}
	if c.Level() == LevelNone {
		return Invalid(field, "division.format", string(c))
	}
	if t != nil && !t.known(c) {
		return Invalid(field, "division.unknown", string(c))
	}
	if t.Canonical(c).Level() < min {
		return Invalid(field, "division.level."+min.String())
	}
	return nil
}

// Unchecked reports whether c is accepted by Check without being in the
// table: a township or village under a county (of another province) whose
// subdivisions the table does not hold. Its form and its county are
// checked, the township itself cannot be; the interface marks such a code
// "not checked". A nil table reports false.
func (t *DivisionTable) Unchecked(c Code) bool {
	if t == nil || c.Level() <= LevelCounty {
		return false
	}
	t.mu.RLock()
	_, in := t.byCode[c]
	t.mu.RUnlock()
	return !in && t.known(c)
}

// known reports whether c is in the table, or lies below a county or
// township whose subdivisions the table does not hold (see Check).
func (t *DivisionTable) known(c Code) bool {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if _, ok := t.byCode[c]; ok {
		return true
	}
	if c.Level() <= LevelCounty {
		return false
	}
	a := t.nearestAncestor(c)
	return a.Level() >= LevelCity && len(t.children[a]) == 0
}

// Canonical returns the code the table gives the unit c: for a city
// without counties, which is its own county level (DESIGN §2), its
// county-level code; for any other code c itself. A city is without
// counties when its only county-level entry carries the city's own name:
// 东莞 4419 → 441900 (GB/T 2260 lists 441900 again as its own
// county-level row), 嘉峪关 6202 → 620201 (the statistical table's single
// county-level unit 嘉峪关市; GB/T 2260 and ID numbers write 620200).
// Parsers of outside input store codes in this form, so that two records
// of the same place agree (Code.SameCounty) without the table.
func (t *DivisionTable) Canonical(c Code) Code {
	if t == nil || c.Level() != LevelCity {
		return c
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.canonical(c)
}

// canonical is Canonical; callers hold the read lock.
func (t *DivisionTable) canonical(c Code) Code {
	if c.Level() != LevelCity {
		return c
	}
	city, ok := t.byCode[c]
	if !ok {
		return c
	}
	var only *divEntry
	for _, k := range t.children[c] {
		if k.Code.Level() != LevelCounty {
			continue
		}
		if only != nil {
			return c
		}
		only = k
	}
	if only != nil && only.Name == city.Name {
		return only.Code
	}
	return c
}

// SameCounty reports whether a and b agree to county level as
// Code.SameCounty does, after Canonical: 4419 and 441900 (东莞, a city
// without counties) agree with each other and with 441900003; 6202,
// 620201 and 620201100 (嘉峪关) too. A nil table compares the codes alone.
func (t *DivisionTable) SameCounty(a, b Code) bool {
	return t.Canonical(a).SameCounty(t.Canonical(b))
}

// CheckIDArea reports whether area, the first 6 digits of a citizen ID
// number (normalised as ParseCode does), is a valid ID area code; if not it
// returns an EINVALID error about field with message id.area.
//
// Valid are: any code in the historic table (LoadHistoric: every edition
// of GB/T 2260, abolished counties too, since they still appear in old
// numbers); a county-level code in the table (a county newer than the
// historic table; a city without counties such as 东莞 441900); and, for
// a province the historic table does not cover (or when none is loaded),
// any code whose province is in the table. The national historic table
// (china_gbt2260_historic.csv) covers every province, so with it a code
// found in no edition is refused. NBS-only development zone codes
// (5th–6th digits 71–80, e.g. 410171) are in the current table but are
// not GB/T 2260 codes and never appear in ID numbers: where the historic
// table covers the province they are valid only if it lists them. The
// error shows the whole 6-digit code (810000, not 81).
func (t *DivisionTable) CheckIDArea(field string, area Code) error {
	if area == "" || area.Level() > LevelCounty || t == nil {
		if area != "" && area.Level() <= LevelCounty && t == nil {
			return nil
		}
		return Invalid(field, "id.area", area.Padded())
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	hkey := area
	if divOwnLevel(area) == LevelCounty {
		hkey = area[:4] // the historic table holds 441900 as ParseCode reads it
	}
	if _, ok := t.historic[hkey]; ok {
		return nil
	}
	covered := t.historicProv[area.Province()]
	county := t.canonical(area)
	if _, ok := t.byCode[county]; ok && county.Level() == LevelCounty && !(covered && divIsDevZone(county)) {
		return nil
	}
	if !covered {
		if _, ok := t.byCode[area.Province()]; ok {
			return nil
		}
	}
	return Invalid(field, "id.area", area.Padded())
}

// divIsDevZone reports whether the county code c is an NBS development-zone
// code (5th–6th digits 71–80).
func divIsDevZone(c Code) bool {
	if c.Level() != LevelCounty {
		return false
	}
	n := atoi(string(c[4:6]))
	return n >= 71 && n <= 80
}

// AreaName names an ID number's area code for display: the full name from
// the table when the code is there, else its name in the historic table
// (an abolished county, as "新密区"), else "" and false.
func (t *DivisionTable) AreaName(area Code) (string, bool) {
	if t == nil || area == "" {
		return "", false
	}
	if _, ok := t.Lookup(area); ok {
		return t.FullName(area), true
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	if h, ok := t.historic[area]; ok {
		return h.Name, true
	}
	return "", false
}
