package hecha

import (
	"maps"
	"strings"
	"sync"
)

// MemRegistry is an in-memory floating and resident registry. It
// implements FloatingRegistry and ResidentRegistry and answers every query
// from map indexes, never by scanning the registry: one by citizen ID, one
// by name + sex + birth year. A day or month query looks up the year's
// bucket (the same name, sex and year: a handful of records even for the
// commonest names) and keeps the records of that day or month.
//
// Each index maps a key to the first record with that key and chains the
// rest through a per-record "next" array, so a million records cost no
// million small allocations. Name buckets are chained in birth-date order.
//
// The county loads its registries into a MemRegistry before comparing;
// tests use it as the reference implementation. It is safe for concurrent
// use: any number of readers, and Add calls, which take a write lock.
type MemRegistry struct {
	mu       sync.RWMutex
	floating recordIndex[FloatingRecord]
	resident recordIndex[ResidentRecord]
}

// recordIndex holds one system's records and their two indexes.
type recordIndex[R any] struct {
	recs     []R
	byID     map[string]int32      // citizen ID key → first record
	idNext   []int32               // per record: the next with the same ID, or -1
	byName   map[nameSexYear]int32 // name key → first record, earliest birth date
	nameNext []int32               // per record: the next in the bucket, or -1
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
	m := &MemRegistry{}
	m.Grow(0, 0)
	return m
}

// Grow makes room for that many more floating and resident records, so a
// bulk load does not grow the indexes step by step.
func (m *MemRegistry) Grow(floating, resident int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.floating.grow(floating)
	m.resident.grow(resident)
}

// AddFloating adds a floating-system record.
func (m *MemRegistry) AddFloating(rec FloatingRecord) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.floating.add(rec, rec.CitizenID, nameSexYear{strings.TrimSpace(rec.Name), rec.Sex, rec.BirthDate.Year}, floatingBirth)
}

// AddResident adds a resident-system record.
func (m *MemRegistry) AddResident(rec ResidentRecord) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.resident.add(rec, rec.CitizenID, nameSexYear{strings.TrimSpace(rec.Name), rec.Sex, rec.BirthDate.Year}, residentBirth)
}

// Len returns the number of records in both systems together.
func (m *MemRegistry) Len() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.floating.recs) + len(m.resident.recs)
}

// FloatingByCitizenID implements FloatingRegistry: the records with this
// ID (compared trimmed and upper-cased), as copies.
func (m *MemRegistry) FloatingByCitizenID(id string) ([]FloatingRecord, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.floating.byCitizenID(id, copyFloating), nil
}

// FloatingByNameSexBirth implements FloatingRegistry. The name is compared
// trimmed; an empty name or a zero birth date matches nothing.
func (m *MemRegistry) FloatingByNameSexBirth(name string, sex Sex, birth Date, p Precision) ([]FloatingRecord, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.floating.byNameSexBirth(name, sex, birth, p, floatingBirth, copyFloating), nil
}

// ResidentByCitizenID implements ResidentRegistry, as FloatingByCitizenID.
func (m *MemRegistry) ResidentByCitizenID(id string) ([]ResidentRecord, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.resident.byCitizenID(id, copyResident), nil
}

// ResidentByNameSexBirth implements ResidentRegistry, as
// FloatingByNameSexBirth.
func (m *MemRegistry) ResidentByNameSexBirth(name string, sex Sex, birth Date, p Precision) ([]ResidentRecord, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.resident.byNameSexBirth(name, sex, birth, p, residentBirth, copyResident), nil
}

func floatingBirth(r *FloatingRecord) Date { return r.BirthDate }
func residentBirth(r *ResidentRecord) Date { return r.BirthDate }

func copyFloating(r *FloatingRecord) FloatingRecord { return *r }

// copyResident copies r with its outflow registration, so a caller's
// change cannot reach the registry.
func copyResident(r *ResidentRecord) ResidentRecord {
	c := *r
	if r.Outflow != nil {
		o := *r.Outflow
		c.Outflow = &o
	}
	return c
}

// grow makes room for n more records.
func (x *recordIndex[R]) grow(n int) {
	x.recs = growCap(x.recs, n)
	x.idNext = growCap(x.idNext, n)
	x.nameNext = growCap(x.nameNext, n)
	byID := make(map[string]int32, len(x.byID)+n)
	maps.Copy(byID, x.byID)
	byName := make(map[nameSexYear]int32, len(x.byName)+n)
	maps.Copy(byName, x.byName)
	x.byID, x.byName = byID, byName
}

func growCap[T any](s []T, n int) []T {
	if cap(s)-len(s) >= n {
		return s
	}
	out := make([]T, len(s), len(s)+n)
	copy(out, s)
	return out
}

// add appends rec and indexes it under its ID and name keys. The name
// bucket stays in birth-date order, a record after those born the same day
// or earlier.
func (x *recordIndex[R]) add(rec R, citizenID string, nk nameSexYear, birth func(*R) Date) {
	i := int32(len(x.recs))
	x.recs = append(x.recs, rec)
	x.idNext = append(x.idNext, -1)
	x.nameNext = append(x.nameNext, -1)
	if k := registryIDKey(citizenID); k != "" {
		if head, ok := x.byID[k]; ok {
			// Append at the end of the chain, keeping the order of adding.
			for x.idNext[head] >= 0 {
				head = x.idNext[head]
			}
			x.idNext[head] = i
		} else {
			x.byID[k] = i
		}
	}
	d := birth(&x.recs[i])
	head, ok := x.byName[nk]
	switch {
	case !ok:
		x.byName[nk] = i
	case birth(&x.recs[head]).After(d):
		x.nameNext[i] = head
		x.byName[nk] = i
	default:
		prev := head
		for next := x.nameNext[prev]; next >= 0 && !birth(&x.recs[next]).After(d); next = x.nameNext[prev] {
			prev = next
		}
		x.nameNext[i] = x.nameNext[prev]
		x.nameNext[prev] = i
	}
}

// byCitizenID returns copies of the records with this ID.
func (x *recordIndex[R]) byCitizenID(id string, cp func(*R) R) []R {
	k := registryIDKey(id)
	if k == "" {
		return nil
	}
	head, ok := x.byID[k]
	if !ok {
		return nil
	}
	var out []R
	for i := head; i >= 0; i = x.idNext[i] {
		out = append(out, cp(&x.recs[i]))
	}
	return out
}

// byNameSexBirth returns copies of the records of the name bucket whose
// birth date agrees with birth at precision p, in birth-date order.
func (x *recordIndex[R]) byNameSexBirth(name string, sex Sex, birth Date, p Precision, birthOf func(*R) Date, cp func(*R) R) []R {
	name = strings.TrimSpace(name)
	if name == "" || birth.IsZero() {
		return nil
	}
	head, ok := x.byName[nameSexYear{name, sex, birth.Year}]
	if !ok {
		return nil
	}
	var out []R
	for i := head; i >= 0; i = x.nameNext[i] {
		d := birthOf(&x.recs[i])
		if d.Matches(birth, p) {
			out = append(out, cp(&x.recs[i]))
			continue
		}
		// The bucket is sorted: past the day or month, nothing more matches.
		if p == PrecisionDay && d.After(birth) || p == PrecisionMonth && d.Month > birth.Month {
			break
		}
	}
	return out
}

// registryIDKey is the index key of a citizen ID: trimmed, upper case
// (a final x is written both ways).
func registryIDKey(id string) string {
	return strings.ToUpper(strings.TrimSpace(id))
}
