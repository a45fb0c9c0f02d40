package hecha

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestNewResultID_SortableAndUnique(t *testing.T) {
	base := time.Date(2024, 6, 15, 10, 0, 0, 0, time.UTC)
	var ids []string
	for i := range 1000 {
		// Many ids in the same millisecond, and a clock that steps back.
		at := base.Add(time.Duration(i/100) * time.Millisecond)
		if i == 500 {
			at = base.Add(-time.Hour)
		}
		ids = append(ids, NewResultID(at))
	}
	if !slices.IsSorted(ids) {
		t.Fatal("ids made one after another do not sort in that order")
	}
	if len(slices.Compact(slices.Clone(ids))) != len(ids) {
		t.Fatal("duplicate ids")
	}
	for _, id := range ids[:5] {
		if !ValidResultID(id) {
			t.Fatalf("%q not valid", id)
		}
	}
}

func TestNewResultID_Concurrent(t *testing.T) {
	const n, g = 500, 8
	var mu sync.Mutex
	seen := map[string]bool{}
	var wg sync.WaitGroup
	for range g {
		wg.Add(1)
		go func() {
			defer wg.Done()
			local := make([]string, 0, n)
			for range n {
				local = append(local, NewResultID(time.Now()))
			}
			mu.Lock()
			defer mu.Unlock()
			for _, id := range local {
				seen[id] = true
			}
		}()
	}
	wg.Wait()
	if len(seen) != n*g {
		t.Fatalf("%d distinct ids of %d", len(seen), n*g)
	}
}

func TestNewResultID_OddClocks(t *testing.T) {
	for _, at := range []time.Time{{}, time.Unix(-5, 0), time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)} {
		if id := NewResultID(at); !ValidResultID(id) {
			t.Errorf("%v: %q", at, id)
		}
	}
}

func TestValidResultID(t *testing.T) {
	good := NewResultID(time.Now())
	rows := map[string]bool{
		good:                          true,
		strings.ToLower(good):         false, // not as NewResultID writes it
		good[:25]:                     false,
		good + "0":                    false,
		"":                            false,
		"8ZZZZZZZZZZZZZZZZZZZZZZZZZ":  false, // overflows 128 bits
		"01ARZ3NDEKTSV4RRFFQ69G5FAU":  false, // U is not Crockford base32
		"01ARZ3NDEKTSV4RRFFQ69G5FAV":  true,
		"01ARZ3NDEKTSV4RRFFQ69G5FA ":  false,
		"01ARZ3NDEKTSV4RRFFQ69G5FAVÜ": false,
	}
	for s, want := range rows {
		if got := ValidResultID(s); got != want {
			t.Errorf("ValidResultID(%q) = %v, want %v", s, got, want)
		}
	}
}

func FuzzValidResultID(f *testing.F) {
	f.Add(NewResultID(time.Now()))
	f.Add("01ARZ3NDEKTSV4RRFFQ69G5FAV")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		if ValidResultID(s) && (len(s) != 26 || s != strings.ToUpper(s)) {
			t.Fatalf("accepted %q", s)
		}
	})
}
