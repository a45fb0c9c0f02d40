package gen

// keySet is a set of person keys (personKey hashes): open addressing with
// linear probing in one slice, 8 bytes a slot, at most half full. It
// holds the generator's largest state, one key per person made, in about
// a third of what a map takes (a million cases: some 1.5 million people).
type keySet struct {
	slots []uint64 // 0 is an empty slot; key 0 is stored as zeroKey
	n     int
}

// zeroKey stands for the key 0, which marks an empty slot. The two keys
// count as one, as colliding person keys do (personKey).
const zeroKey = 0x9E3779B97F4A7C15

func newKeySet(hint int) *keySet {
	size := 16
	for size < 2*hint {
		size *= 2
	}
	return &keySet{slots: make([]uint64, size)}
}

// find returns the slot of k: where it is, or the empty slot where it goes.
func (s *keySet) find(k uint64) int {
	mask := len(s.slots) - 1
	i := int(mix64(k)) & mask
	for s.slots[i] != 0 && s.slots[i] != k {
		i = (i + 1) & mask
	}
	return i
}

func (s *keySet) has(k uint64) bool {
	if k == 0 {
		k = zeroKey
	}
	return s.slots[s.find(k)] == k
}

func (s *keySet) add(k uint64) {
	if k == 0 {
		k = zeroKey
	}
	i := s.find(k)
	if s.slots[i] == k {
		return
	}
	s.slots[i] = k
	s.n++
	if 2*s.n > len(s.slots) {
		old := s.slots
		s.slots = make([]uint64, 2*len(old))
		for _, k := range old {
			if k != 0 {
				s.slots[s.find(k)] = k
			}
		}
	}
}

// len returns the number of keys held.
func (s *keySet) len() int { return s.n }
