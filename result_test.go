package hecha

import "testing"

func TestResultSameContent(t *testing.T) {
	c := fxCase()
	a := fxResult(&c, FormR2)
	b := fxResult(&c, FormR2)
	b.ID, b.Replaces, b.Clerk, b.CaseRev = NewResultID(fxNow), "x", "someone else", 7
	if !a.SameContent(&b) {
		t.Error("bookkeeping counted as content")
	}
	v := *b.Verified
	v.CurrentAddress = "别处"
	b.Verified = &v
	if a.SameContent(&b) {
		t.Error("a changed address counted as the same")
	}
	if (*Result)(nil).SameContent(&a) || !(*Result)(nil).SameContent(nil) {
		t.Error("nil results")
	}
}
