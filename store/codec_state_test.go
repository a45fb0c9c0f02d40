package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"hecha"
	"hecha/internal/codec"
)

// TestStateCodec: a county case state reads back as written; one as JSON
// does not decode.
func TestStateCodec(t *testing.T) {
	for _, st := range []caseState{
		{},
		{Status: hecha.StatusDone, ImportHash: bytes.Repeat([]byte{7}, 33), ContentRev: 3, AssignRev: 5,
			Results: []string{"01J0000000000000000000000A", "01J0000000000000000000000B"}, InForce: "01J0000000000000000000000B"},
	} {
		data, err := encodeState(&st)
		if err != nil {
			t.Fatal(err)
		}
		var got caseState
		if err := decodeState(data, &got); err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got) != fmt.Sprint(st) {
			t.Errorf("state %+v read back as %+v", st, got)
		}
		js, _ := json.Marshal(&st)
		if err := decodeState(js, &got); err == nil {
			t.Errorf("state as JSON decoded")
		}
	}
}

// TestStateCodec_Malformed: values of another layout, cut or empty are
// refused, never read as a case state and never panic.
func TestStateCodec_Malformed(t *testing.T) {
	for _, bad := range [][]byte{{codec.CaseV1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, {stateV1}, {9, 9}, {}} {
		if err := decodeState(bad, new(caseState)); err == nil {
			t.Errorf("%x decoded as a case state", bad)
		}
	}
}

// FuzzDecodeState: any stored bytes either fail to decode or decode to a
// county case state that encodes and decodes to itself; nothing panics.
func FuzzDecodeState(f *testing.F) {
	f.Add(mustEncodeState(f, &caseState{Status: hecha.StatusDone, ImportHash: []byte{2, 1}, Results: []string{"R1"}, InForce: "R1"}))
	f.Fuzz(func(t *testing.T, data []byte) {
		var st caseState
		if decodeState(data, &st) == nil {
			again, err := encodeState(&st)
			if err != nil {
				t.Fatal(err)
			}
			var st2 caseState
			if err := decodeState(again, &st2); err != nil {
				t.Fatalf("re-encoded state does not decode: %v", err)
			}
			if a, b := fmt.Sprint(st), fmt.Sprint(st2); a != b {
				t.Fatalf("round trip changed the state:\n%s\n%s", a, b)
			}
		}
	})
}

func mustEncodeState(tb testing.TB, st *caseState) []byte {
	tb.Helper()
	data, err := encodeState(st)
	if err != nil {
		tb.Fatal(err)
	}
	return data
}
