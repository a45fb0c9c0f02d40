package gen

import "testing"

// TestKeySet adds keys through several growths, 0 among them, and checks
// membership against a map.
func TestKeySet(t *testing.T) {
	s := newKeySet(4)
	want := map[uint64]bool{}
	for i := range uint64(50_000) {
		k := mix64(i) % 200_000 // repeats and collisions
		if i == 7 {
			k = 0
		}
		s.add(k)
		want[k] = true
	}
	if s.len() != len(want) {
		t.Fatalf("%d keys, want %d", s.len(), len(want))
	}
	for k := range uint64(200_000) {
		if s.has(k) != want[k] {
			t.Fatalf("has(%d) = %v", k, s.has(k))
		}
	}
	if !s.has(0) {
		t.Error("0 was added and is not held")
	}
}
