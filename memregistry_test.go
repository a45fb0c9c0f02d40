package hecha

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

// floatingIDs returns the record ids of recs.
func floatingIDs(recs []FloatingRecord) []string {
	var out []string
	for _, r := range recs {
		out = append(out, r.ID)
	}
	return out
}

func TestMemRegistry_ByCitizenID(t *testing.T) {
	birth := NewDate(1970, 1, 1)
	var id string
	for seq := 10; ; seq++ { // a number whose check character is X
		id = fxIDSeq("410102", birth, fmt.Sprintf("%03d", seq))
		if id[17] == 'X' {
			break
		}
	}
	m := NewMemRegistry()
	m.AddFloating(FloatingRecord{ID: "F1", Name: "王磊", Sex: SexMale, BirthDate: birth, CitizenID: id})
	m.AddResident(ResidentRecord{ID: "R1", Name: "王磊", Sex: SexMale, BirthDate: birth, CitizenID: id[:17] + "x"})
	for _, q := range []string{id, id[:17] + "x", " " + id + " "} {
		fl, _ := m.FloatingByCitizenID(q)
		rs, _ := m.ResidentByCitizenID(q)
		if len(fl) != 1 || len(rs) != 1 {
			t.Errorf("%q: %d floating, %d resident", q, len(fl), len(rs))
		}
	}
	if fl, _ := m.FloatingByCitizenID(""); fl != nil {
		t.Errorf("empty ID found %v", fl)
	}
	if m.Len() != 2 {
		t.Errorf("Len = %d", m.Len())
	}
}

func TestMemRegistry_ByNameSexBirth(t *testing.T) {
	m := NewMemRegistry()
	add := func(id, name string, sex Sex, birth Date) {
		m.AddFloating(FloatingRecord{ID: id, Name: name, Sex: sex, BirthDate: birth})
		m.AddResident(ResidentRecord{ID: id, Name: name, Sex: sex, BirthDate: birth})
	}
	// Added out of order: the index keeps each bucket sorted by birth date.
	add("d31", "张伟", SexMale, NewDate(1990, 3, 31))
	add("y", "张伟", SexMale, NewDate(1990, 12, 1))
	add("d15a", "张伟", SexMale, NewDate(1990, 3, 15))
	add("d01", "张伟", SexMale, NewDate(1990, 3, 1))
	add("d15b", "张伟", SexMale, NewDate(1990, 3, 15))
	add("jan", "张伟", SexMale, NewDate(1990, 1, 31))
	add("female", "张伟", SexFemale, NewDate(1990, 3, 15))
	add("other-year", "张伟", SexMale, NewDate(1989, 3, 15))
	add("other-name", "张玮", SexMale, NewDate(1990, 3, 15))

	birth := NewDate(1990, 3, 15)
	rows := []struct {
		p    Precision
		want []string
	}{
		{PrecisionDay, []string{"d15a", "d15b"}},
		{PrecisionMonth, []string{"d01", "d15a", "d15b", "d31"}},
		{PrecisionYear, []string{"jan", "d01", "d15a", "d15b", "d31", "y"}},
	}
	for _, tc := range rows {
		fl, err := m.FloatingByNameSexBirth(" 张伟 ", SexMale, birth, tc.p)
		if err != nil || !slices.Equal(floatingIDs(fl), tc.want) {
			t.Errorf("floating %v: %v (%v), want %v", tc.p, floatingIDs(fl), err, tc.want)
		}
		rs, _ := m.ResidentByNameSexBirth("张伟", SexMale, birth, tc.p)
		if len(rs) != len(tc.want) {
			t.Errorf("resident %v: %d records, want %d", tc.p, len(rs), len(tc.want))
		}
	}
	for _, q := range []struct {
		name  string
		birth Date
	}{{"", birth}, {"张伟", Date{}}, {"李娜", birth}} {
		if fl, _ := m.FloatingByNameSexBirth(q.name, SexMale, q.birth, PrecisionYear); len(fl) != 0 {
			t.Errorf("%q %v found %v", q.name, q.birth, floatingIDs(fl))
		}
	}
}

func TestMemRegistry_ReturnsCopies(t *testing.T) {
	m := NewMemRegistry()
	birth := NewDate(1980, 5, 5)
	id := fxID("410102", birth, SexMale)
	m.AddResident(ResidentRecord{ID: "R1", Name: "赵强", Sex: SexMale, BirthDate: birth, CitizenID: id,
		Outflow: &Outflow{Destination: "440305"}})
	rs, _ := m.ResidentByCitizenID(id)
	rs[0].Name = "改了"
	rs[0].Outflow.Destination = "110101"
	again, _ := m.ResidentByCitizenID(id)
	if again[0].Name != "赵强" || again[0].Outflow.Destination != "440305" {
		t.Fatalf("a caller's change reached the registry: %+v %+v", again[0], *again[0].Outflow)
	}
}

func TestMemRegistry_ConcurrentReaders(t *testing.T) {
	m := NewMemRegistry()
	birth := NewDate(1975, 8, 8)
	for i := range 200 {
		m.AddFloating(FloatingRecord{ID: fmt.Sprint(i), Name: "陈静", Sex: SexFemale, BirthDate: fxAddDays(birth, i%60)})
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 200 {
				if fl, _ := m.FloatingByNameSexBirth("陈静", SexFemale, birth, PrecisionYear); len(fl) == 0 {
					t.Errorf("goroutine %d found nothing", g)
					return
				}
			}
		}()
	}
	// A writer alongside the readers must be safe too (run with -race).
	m.AddResident(ResidentRecord{ID: "R", Name: "陈静", Sex: SexFemale, BirthDate: birth})
	wg.Wait()
}

// fxAddDays returns d plus n days.
func fxAddDays(d Date, n int) Date {
	return DateOf(time.Date(d.Year, d.Month, d.Day+n, 0, 0, 0, 0, time.UTC))
}
