package hecha

import (
	"testing"
	"time"
)

// TestCopySum: the checksum of a kind does not depend on the order items
// come in, nor on the time zone or sub-microsecond part of their times
// (PostgreSQL keeps microseconds), and changes with any content.
func TestCopySum(t *testing.T) {
	at := time.Date(2024, 6, 1, 9, 30, 0, 123456789, time.FixedZone("CST", 8*3600))
	tok := func(id string, created time.Time, revoked bool) *CopyItem {
		return &CopyItem{Kind: CopyTokenItem, Token: &CopyToken{Token: Token{ID: id, Township: "410102001", CreatedAt: created, Revoked: revoked}, Hash: []byte{1, 2}}}
	}
	sum := func(items ...*CopyItem) string {
		var s CopySum
		for _, it := range items {
			if err := s.Add(it); err != nil {
				t.Fatal(err)
			}
		}
		return s.Hex()
	}
	a, b := tok("a", at, false), tok("b", at, true)
	if sum(a, b) != sum(b, a) {
		t.Error("the order changes the checksum")
	}
	if sum(a, b) != sum(tok("a", at.UTC().Truncate(time.Microsecond), false), b) {
		t.Error("the zone or nanoseconds change the checksum")
	}
	for _, other := range []*CopyItem{tok("a", at.Add(time.Second), false), tok("a", at, true), tok("c", at, false)} {
		if sum(other, b) == sum(a, b) {
			t.Errorf("%+v sums as %+v", other.Token, a.Token)
		}
	}
	if sum(a) == sum(a, b) || sum() == sum(a) {
		t.Error("adding an item leaves the checksum")
	}
	c := &CopyItem{Kind: CopyCaseChangeItem, Change: &CopyChange{Township: "410102001", ID: "C1", Seq: 7}}
	if c.Key() != "410102001\x00\x00C1" {
		t.Errorf("key %q", c.Key())
	}
}
