package hecha

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
	"time"
)

// auditChain returns n entries sealed one after the other, and the head.
func auditChain(t testing.TB, n int) ([]AuditEntry, AuditHead) {
	t.Helper()
	var head AuditHead
	var out []AuditEntry
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))
	for i := range n {
		e := AuditEntry{
			Time: at.Add(time.Duration(i) * time.Minute), Township: "410102001", TokenID: "abcdefgh",
			Device: "0123456789abcdef", Remote: "10.0.0.7:51234", Action: "GET /api/v1/cases",
			Detail: fmt.Sprintf("since=%d", i), Cases: []string{fmt.Sprintf("C%03d", i), "C999"}, Count: 2, Outcome: AuditOK,
		}
		if err := e.Validate(); err != nil {
			t.Fatal(err)
		}
		e, head = SealAudit(head, e)
		out = append(out, e)
	}
	return out, head
}

// wantFault checks that err is the verifier's msgID about entry seq.
func wantFault(t *testing.T, err error, msgID string, seq uint64) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.MsgID != msgID || len(e.Args) == 0 || e.Args[0] != seq {
		t.Fatalf("got %v (%#v), want %s about entry %d", err, e, msgID, seq)
	}
	if e.Message(Chinese) == e.MsgID || e.Message(English) == e.MsgID {
		t.Fatalf("%s has no catalogue text", msgID)
	}
}

func TestVerifyAudit(t *testing.T) {
	entries, head := auditChain(t, 6)
	if err := VerifyAudit(entries, head); err != nil {
		t.Fatalf("intact log: %v", err)
	}
	if err := VerifyAudit(nil, AuditHead{}); err != nil {
		t.Fatalf("empty log: %v", err)
	}
	if entries[0].Seq != 1 || entries[5].Seq != 6 || entries[1].Prev != entries[0].Hash || entries[0].Prev != ([32]byte{}) {
		t.Fatalf("chain not linked: %+v", entries[:2])
	}
	if !entries[0].Time.Equal(time.Date(2026, 3, 1, 1, 0, 0, 0, time.UTC)) || entries[0].Time.Location() != time.UTC {
		t.Fatalf("time not kept in UTC: %v", entries[0].Time)
	}

	cp := func() []AuditEntry {
		out := make([]AuditEntry, len(entries))
		copy(out, entries)
		return out
	}
	// Altered: a field changed, the hash left.
	e := cp()
	e[2].Cases = []string{"C777"}
	wantFault(t, VerifyAudit(e, head), "audit.altered", 3)
	// Altered and re-hashed: the next entry no longer links to it.
	e = cp()
	e[2].Township = "410102002"
	e[2].Hash = [32]byte{}
	e[2], _ = SealAudit(AuditHead{Seq: 2, Hash: e[1].Hash}, e[2])
	wantFault(t, VerifyAudit(e, head), "audit.relinked", 4)
	// Removed.
	e = append(cp()[:3], entries[4:]...)
	wantFault(t, VerifyAudit(e, head), "audit.missing.one", 5)
	e = append(cp()[:2], entries[4:]...)
	wantFault(t, VerifyAudit(e, head), "audit.missing", 5)
	// Swapped.
	e = cp()
	e[1], e[2] = e[2], e[1]
	wantFault(t, VerifyAudit(e, head), "audit.missing.one", 3)
	// Duplicated (a copy of entry 2 after it).
	e = append(cp()[:2], entries[1:]...)
	wantFault(t, VerifyAudit(e, head), "audit.order", 2)
	// Inserted: a forged entry sealed after entry 2 takes number 3.
	e = cp()
	forged, _ := SealAudit(AuditHead{Seq: 2, Hash: e[1].Hash}, AuditEntry{Time: e[1].Time, Action: "GET /api/v1/cases", Outcome: AuditOK})
	e = append(e[:2], append([]AuditEntry{forged}, entries[2:]...)...)
	wantFault(t, VerifyAudit(e, head), "audit.order", 3)
	// Forged with a renumbered rest: the hash of each renumbered entry fails.
	// Cut off the end.
	wantFault(t, VerifyAudit(cp()[:4], head), "audit.tail", 5)
	wantFault(t, VerifyAudit(cp()[:5], head), "audit.tail.one", 6)
	// More than the head knows.
	_, shortHead := auditChain(t, 4)
	wantFault(t, VerifyAudit(cp(), AuditHead{Seq: 4, Hash: shortHead.Hash}), "audit.beyond", 5)
	// The last entry replaced by one sealed again.
	e = cp()
	e[5].Detail = "since=0"
	e[5], _ = SealAudit(AuditHead{Seq: 5, Hash: e[4].Hash}, e[5])
	wantFault(t, VerifyAudit(e, head), "audit.head", 6)
}

func TestAuditEncoding(t *testing.T) {
	entries, _ := auditChain(t, 2)
	e := entries[1]
	data := MarshalAudit(&e)
	got, err := UnmarshalAudit(data)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(MarshalAudit(&got), data) || !got.Time.Equal(e.Time) || got.Detail != e.Detail || len(got.Cases) != 2 {
		t.Fatalf("round trip: %+v, want %+v", got, e)
	}
	for _, bad := range [][]byte{nil, {2}, data[:len(data)-1], append(bytes.Clone(data), 0), {1, 0x80}} {
		if _, err := UnmarshalAudit(bad); err == nil {
			t.Errorf("UnmarshalAudit(%x) read an entry", bad)
		}
	}
	// A varint written in two bytes where one does: not canonical.
	noncanon := append([]byte{1, 0x82, 0x00}, data[2:]...)
	if _, err := UnmarshalAudit(noncanon); err == nil {
		t.Error("a non-canonical encoding was read")
	}
}

func TestAuditValidate(t *testing.T) {
	ok := AuditEntry{Time: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), Action: "import cases", Outcome: AuditOK}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		mutate func(*AuditEntry)
		field  string
	}{
		"no time":     {func(e *AuditEntry) { e.Time = time.Time{} }, "time"},
		"no action":   {func(e *AuditEntry) { e.Action = "" }, "action"},
		"no outcome":  {func(e *AuditEntry) { e.Outcome = "" }, "outcome"},
		"long detail": {func(e *AuditEntry) { e.Detail = string(make([]byte, MaxAuditDetail+1)) }, "detail"},
		"empty case":  {func(e *AuditEntry) { e.Cases = []string{""} }, "cases[0]"},
		"count":       {func(e *AuditEntry) { e.Count = -1 }, "count"},
	} {
		e := ok
		tc.mutate(&e)
		err := e.Validate()
		if ErrorCode(err) != EINVALID || ErrorField(err) != tc.field {
			t.Errorf("%s: %v, want EINVALID about %s", name, err, tc.field)
		}
	}
	if got := ClipAudit("核查核查", 8); got != "核…" || len(ClipAudit(string(make([]byte, 5000)), MaxAuditDetail)) > MaxAuditDetail {
		t.Errorf("ClipAudit: %q", got)
	}
}

func TestAuditFilter(t *testing.T) {
	entries, _ := auditChain(t, 3)
	for _, tc := range []struct {
		f    AuditFilter
		want int
	}{
		{AuditFilter{}, 3},
		{AuditFilter{Since: entries[1].Time}, 2},
		{AuditFilter{Township: "410102"}, 3},
		{AuditFilter{Township: "410103"}, 0},
		{AuditFilter{Case: "C001"}, 1},
		{AuditFilter{Case: "C999"}, 3},
	} {
		n := 0
		for i := range entries {
			if tc.f.Match(&entries[i]) {
				n++
			}
		}
		if n != tc.want {
			t.Errorf("%+v matches %d, want %d", tc.f, n, tc.want)
		}
	}
}

// FuzzUnmarshalAudit: the audit reader never panics on stored bytes, and
// what it reads writes back to the same bytes.
func FuzzUnmarshalAudit(f *testing.F) {
	entries, _ := auditChain(f, 2)
	for i := range entries {
		f.Add(MarshalAudit(&entries[i]))
	}
	f.Add([]byte{1})
	f.Add([]byte{1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := UnmarshalAudit(data)
		if err != nil {
			return
		}
		if !bytes.Equal(MarshalAudit(&e), data) {
			t.Fatalf("%x reads as %+v, which writes %x", data, e, MarshalAudit(&e))
		}
		var v AuditVerifier
		_ = v.Add(&e)
	})
}
