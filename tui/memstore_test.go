package tui

import (
	"context"
	"slices"
	"sync"

	"hecha"
)

// memStore is a Store and Registry in memory that hands back whatever it
// holds, unvalidated: the interface must draw data from outside (a
// damaged file, a county server gone wrong) safely, whatever it is.
type memStore struct {
	mu       sync.Mutex
	settings hecha.Settings
	cases    map[string]*hecha.Case
	sums     []hecha.CaseSummary
	drafts   map[string]*hecha.Draft
	history  map[string][]hecha.ResultVersion
	outbox   []hecha.OutboxItem
	fl       []hecha.FloatingRecord
	rs       []hecha.ResidentRecord
}

func newMemStore(settings hecha.Settings) *memStore {
	return &memStore{settings: settings, cases: map[string]*hecha.Case{}, drafts: map[string]*hecha.Draft{},
		history: map[string][]hecha.ResultVersion{}}
}

// add puts a case in the store with its summary in status st.
func (m *memStore) add(c hecha.Case, st hecha.Status, form hecha.Form) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.cases[c.ID] = &c
	full, initials := hecha.PinyinKeys(c.Person.Name)
	m.sums = append(m.sums, hecha.CaseSummary{ID: c.ID, Kind: c.Kind, Name: c.Person.Name, Pinyin: full, Initials: initials,
		CitizenID: c.Person.CitizenID, Sex: c.Person.Sex, BirthDate: c.Person.BirthDate, Unit: c.Unit,
		Village: c.Person.HouseholdDivision, Status: st, Form: form})
	slices.SortFunc(m.sums, func(a, b hecha.CaseSummary) int {
		switch {
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	})
}

func (m *memStore) Settings(context.Context) (hecha.Settings, error) { return m.settings, nil }

func (m *memStore) Case(_ context.Context, id string) (*hecha.Case, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.cases[id]
	if !ok {
		return nil, hecha.Errorf(hecha.ENOTFOUND, "", "store.case_not_found", id)
	}
	cp := *c
	return &cp, nil
}

func (m *memStore) Summaries(context.Context) ([]hecha.CaseSummary, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.sums), nil
}

func (m *memStore) Counts(context.Context) (hecha.StatusCounts, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := hecha.StatusCounts{}
	for _, s := range m.sums {
		out[s.Status]++
	}
	return out, nil
}

func (m *memStore) SaveDraft(_ context.Context, d *hecha.Draft) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.drafts[d.CaseID] = d
	return nil
}

func (m *memStore) Draft(_ context.Context, id string) (*hecha.Draft, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	d, ok := m.drafts[id]
	if !ok {
		return nil, hecha.Errorf(hecha.ENOTFOUND, "", "store.draft_not_found", id)
	}
	return d, nil
}

func (m *memStore) DeleteDraft(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.drafts, id)
	return nil
}

func (m *memStore) SaveResult(_ context.Context, res *hecha.Result) (*hecha.Result, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r := *res
	r.ID = "R" + itoa(len(m.outbox)+1)
	vs := m.history[r.CaseID]
	m.history[r.CaseID] = append(vs, hecha.ResultVersion{Seq: uint64(len(vs) + 1), Result: r})
	m.outbox = append(m.outbox, hecha.OutboxItem{ResultID: r.ID, CaseID: r.CaseID, State: hecha.OutboxPending})
	delete(m.drafts, r.CaseID)
	for i := range m.sums {
		if m.sums[i].ID == r.CaseID {
			m.sums[i].Status, m.sums[i].Form = hecha.StatusUpload, r.Form
		}
	}
	return &r, nil
}

func (m *memStore) History(_ context.Context, id string) ([]hecha.ResultVersion, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.history[id]), nil
}

func (m *memStore) Outbox(_ context.Context, states ...hecha.OutboxState) ([]hecha.OutboxItem, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []hecha.OutboxItem
	for _, it := range m.outbox {
		if len(states) == 0 || slices.Contains(states, it.State) {
			out = append(out, it)
		}
	}
	return out, nil
}

func (m *memStore) FloatingByCitizenID(string) ([]hecha.FloatingRecord, error) { return m.fl, nil }
func (m *memStore) FloatingByNameSexBirth(string, hecha.Sex, hecha.Date, hecha.Precision) ([]hecha.FloatingRecord, error) {
	return m.fl, nil
}
func (m *memStore) ResidentByCitizenID(string) ([]hecha.ResidentRecord, error) { return m.rs, nil }
func (m *memStore) ResidentByNameSexBirth(string, hecha.Sex, hecha.Date, hecha.Precision) ([]hecha.ResidentRecord, error) {
	return m.rs, nil
}

var (
	_ Store    = (*memStore)(nil)
	_ Registry = (*memStore)(nil)
)
