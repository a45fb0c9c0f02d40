package hecha

import (
	"slices"
	"strings"
	"sync"
)

// DivisionTable is the loaded table of division codes (DESIGN §7): the whole
// country to county level and the home province down to village. It is held
// in memory, indexed by code, by parent and for search (each entry's pinyin
// is computed once when it is added). All methods are safe for concurrent
// use; loading takes a write lock.
//
// The tree is built from the codes themselves: an entry's parent is its
// nearest ancestor code present in the table, so a county directly under a
// province (419001 济源市, whose 4190 is not a real city) hangs under the
// province, and an entry whose ancestors are all missing is a root.
type DivisionTable struct {
	mu       sync.RWMutex
	byCode   map[Code]*divEntry
	sorted   []*divEntry           // every entry, by code
	children map[Code][]*divEntry  // by nearest present ancestor ("" for roots), by code
	historic map[Code]historicCode // GB/T 2260 county-level codes valid as ID areas
	// historicProv holds the provinces the historic table covers.
	historicProv map[Code]bool
	// townshipsUnder holds the counties that have townships loaded.
	townshipsUnder map[Code]bool
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
		byCode:         map[Code]*divEntry{},
		children:       map[Code][]*divEntry{},
		townshipsUnder: map[Code]bool{},
	}
}

// init makes the zero DivisionTable usable; callers hold the write lock.
func (t *DivisionTable) init() {
	if t.byCode == nil {
		t.byCode = map[Code]*divEntry{}
		t.children = map[Code][]*divEntry{}
		t.townshipsUnder = map[Code]bool{}
	}
}

// Add adds d to the table, or renames the entry when its code is already
// there. The code must be a normalised code (see ParseCode; a padded code
// is normalised) and the name, trimmed, must not be empty. The parent is
// derived from the code. Errors are EINVALID about "code" or "name".
func (t *DivisionTable) Add(d Division) error {
	c, name, err := checkDivision(d)
	if err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.init()
	t.add(c, name, true)
	return nil
}

// checkDivision normalises d's code and name.
func checkDivision(d Division) (Code, string, error) {
	c, err := ParseCode("code", string(d.Code))
	if err != nil {
		return "", "", err
	}
	if c == "" {
		return "", "", Invalid("code", "division.required")
	}
	name := strings.TrimSpace(d.Name)
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
			e.full, e.initials = PinyinKeys(name)
		}
		return
	}
	e := &divEntry{Division: Division{Code: c, Name: name}}
	e.full, e.initials = PinyinKeys(name)
	t.byCode[c] = e
	if c.Level() == LevelTownship {
		t.townshipsUnder[c.County()] = true
	}
	if !keepSorted {
		t.sorted = append(t.sorted, e)
		return
	}
	i, _ := slices.BinarySearchFunc(t.sorted, c, cmpEntryCode)
	t.sorted = slices.Insert(t.sorted, i, e)
	e.parent = t.nearestAncestor(c)
	t.children[e.parent] = insertSorted(t.children[e.parent], e)
	// Entries that hung above the new one and lie within it move under it.
	kids := t.children[e.parent]
	var stay []*divEntry
	for _, k := range kids {
		if k != e && k.Code.Within(c) {
			k.parent = c
			t.children[c] = insertSorted(t.children[c], k)
			continue
		}
		stay = append(stay, k)
	}
	t.children[e.parent] = stay
}

// reindex rebuilds the sorted list and the tree after a batch of adds;
// callers hold the write lock.
func (t *DivisionTable) reindex() {
	t.sorted = t.sorted[:0]
	for _, e := range t.byCode {
		t.sorted = append(t.sorted, e)
	}
	slices.SortFunc(t.sorted, func(a, b *divEntry) int { return strings.Compare(string(a.Code), string(b.Code)) })
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

func cmpEntryCode(e *divEntry, c Code) int { return strings.Compare(string(e.Code), string(c)) }

func insertSorted(list []*divEntry, e *divEntry) []*divEntry {
	i, found := slices.BinarySearchFunc(list, e.Code, cmpEntryCode)
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
