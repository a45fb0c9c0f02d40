package hecha

import (
	"sort"
	"strings"
	"sync"
)

// MemRegistry is an in-memory floating and resident registry. It
// implements FloatingRegistry and ResidentRegistry and answers every query
// from map indexes: by citizen ID, and by name + sex + birth year with the
// year's records kept sorted by birth date, so a day, month or year lookup
// is one map lookup and a binary search, never a scan of the registry.
//
// The county loads its registries into a MemRegistry before comparing;
// tests use it as the reference implementation. It is safe for concurrent
// use: any number of readers, and Add calls, which take a write lock.
type MemRegistry struct {
	mu        sync.RWMutex
	floating  []FloatingRecord
	resident  []ResidentRecord
	floatByID map[string][]int
	resByID   map[string][]int
	floatByNS map[nameSexYear][]int // sorted by birth date, then by insertion
	resByNS   map[nameSexYear][]int
}

// nameSexYear keys the name index: the trimmed name, the sex and the birth
// year.
type nameSexYear struct {
	name string
	sex  Sex
	year int
}

// NewMemRegistry returns an empty registry.
func NewMemRegistry() *MemRegistry {
	return &MemRegistry{
		floatByID: map[string][]int{},
		resByID:   map[string][]int{},
		floatByNS: map[nameSexYear][]int{},
		resByNS:   map[nameSexYear][]int{},
	}
}

// AddFloating adds a floating-system record.
func (m *MemRegistry) AddFloating(rec FloatingRecord) {
	m.mu.Lock()
	defer m.mu.Unlock()
	i := len(m.floating)
	m.floating = append(m.floating, rec)
	if k := registryIDKey(rec.CitizenID); k != "" {
		m.floatByID[k] = append(m.floatByID[k], i)
	}
	k := nameSexYear{strings.TrimSpace(rec.Name), rec.Sex, rec.BirthDate.Year}
	m.floatByNS[k] = insertByBirth(m.floatByNS[k], i, func(j int) Date { return m.floating[j].BirthDate })
}

// AddResident adds a resident-system record.
func (m *MemRegistry) AddResident(rec ResidentRecord) {
	m.mu.Lock()
	defer m.mu.Unlock()
	i := len(m.resident)
	m.resident = append(m.resident, rec)
	if k := registryIDKey(rec.CitizenID); k != "" {
		m.resByID[k] = append(m.resByID[k], i)
	}
	k := nameSexYear{strings.TrimSpace(rec.Name), rec.Sex, rec.BirthDate.Year}
	m.resByNS[k] = insertByBirth(m.resByNS[k], i, func(j int) Date { return m.resident[j].BirthDate })
}

// Len returns the number of records in both systems together.
func (m *MemRegistry) Len() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.floating) + len(m.resident)
}

// FloatingByCitizenID implements FloatingRegistry. The records returned are
// copies.
func (m *MemRegistry) FloatingByCitizenID(id string) ([]FloatingRecord, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	k := registryIDKey(id)
	if k == "" {
		return nil, nil
	}
	return m.floatCopies(m.floatByID[k]), nil
}

// FloatingByNameSexBirth implements FloatingRegistry. The name is compared
// trimmed; an empty name or a zero birth date matches nothing.
func (m *MemRegistry) FloatingByNameSexBirth(name string, sex Sex, birth Date, p Precision) ([]FloatingRecord, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, nil
	}
	idx := m.floatByNS[nameSexYear{name, sex, birth.Year}]
	return m.floatCopies(birthRange(idx, birth, p, func(j int) Date { return m.floating[j].BirthDate })), nil
}

// ResidentByCitizenID implements ResidentRegistry. The records returned
// are copies.
func (m *MemRegistry) ResidentByCitizenID(id string) ([]ResidentRecord, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	k := registryIDKey(id)
	if k == "" {
		return nil, nil
	}
	return m.resCopies(m.resByID[k]), nil
}

// ResidentByNameSexBirth implements ResidentRegistry.
func (m *MemRegistry) ResidentByNameSexBirth(name string, sex Sex, birth Date, p Precision) ([]ResidentRecord, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, nil
	}
	idx := m.resByNS[nameSexYear{name, sex, birth.Year}]
	return m.resCopies(birthRange(idx, birth, p, func(j int) Date { return m.resident[j].BirthDate })), nil
}

func (m *MemRegistry) floatCopies(idx []int) []FloatingRecord {
	if len(idx) == 0 {
		return nil
	}
	out := make([]FloatingRecord, len(idx))
	for n, i := range idx {
		out[n] = m.floating[i]
	}
	return out
}

func (m *MemRegistry) resCopies(idx []int) []ResidentRecord {
	if len(idx) == 0 {
		return nil
	}
	out := make([]ResidentRecord, len(idx))
	for n, i := range idx {
		out[n] = m.resident[i]
		if o := out[n].Outflow; o != nil {
			c := *o
			out[n].Outflow = &c
		}
	}
	return out
}

// registryIDKey is the index key of a citizen ID: trimmed, upper case
// (a final x is written both ways).
func registryIDKey(id string) string {
	return strings.ToUpper(strings.TrimSpace(id))
}

// insertByBirth inserts i into idx, which is sorted by birth date, after
// every entry with the same or an earlier date.
func insertByBirth(idx []int, i int, birth func(int) Date) []int {
	d := birth(i)
	at := sort.Search(len(idx), func(n int) bool { return birth(idx[n]).After(d) })
	idx = append(idx, 0)
	copy(idx[at+1:], idx[at:])
	idx[at] = i
	return idx
}

// birthRange returns the part of idx (one name-sex-year bucket, sorted by
// birth date) whose birth dates agree with birth at precision p.
func birthRange(idx []int, birth Date, p Precision, dateOf func(int) Date) []int {
	if len(idx) == 0 || birth.IsZero() {
		return nil
	}
	if p == PrecisionYear {
		return idx
	}
	var from, to Date
	if p == PrecisionMonth {
		from, to = Date{birth.Year, birth.Month, 0}, Date{birth.Year, birth.Month, 32}
	} else {
		from, to = birth, birth
	}
	lo := sort.Search(len(idx), func(n int) bool { return !dateOf(idx[n]).Before(from) })
	hi := sort.Search(len(idx), func(n int) bool { return dateOf(idx[n]).After(to) })
	if lo >= hi {
		return nil
	}
	return idx[lo:hi]
}
