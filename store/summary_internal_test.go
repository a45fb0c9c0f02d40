package store

import (
	"encoding/json"
	"testing"
	"time"

	"hecha"
)

// This file tests the unexported summary codec directly (the other tests
// use the external package store_test).

var fxSummary = hecha.CaseSummary{
	ID: "C0000001", Kind: hecha.KindCrossProvince, Name: "阿依古丽·买买提", Pinyin: "ayiguli", Initials: "aygl",
	CitizenID: "41010219900315001X", Sex: hecha.SexFemale, BirthDate: hecha.NewDate(1990, 3, 15),
	Unit: "410102001", Village: "410102001002", Status: hecha.StatusUpload, Form: hecha.FormR4,
	UpdatedAt: time.Date(2024, 3, 15, 10, 0, 0, 123, time.UTC),
}

func TestSummaryCodec_RoundTrip(t *testing.T) {
	for _, s := range []hecha.CaseSummary{fxSummary, {}, {ID: "x", UpdatedAt: time.Unix(0, -5)}} {
		var got hecha.CaseSummary
		if err := decodeSummary(encodeSummary(&s), &got); err != nil {
			t.Fatalf("decode %+v: %v", s, err)
		}
		if !got.UpdatedAt.Equal(s.UpdatedAt) {
			t.Errorf("UpdatedAt = %v, want %v", got.UpdatedAt, s.UpdatedAt)
		}
		got.UpdatedAt, s.UpdatedAt = time.Time{}, time.Time{}
		if got != s {
			t.Errorf("round trip = %+v, want %+v", got, s)
		}
	}
}

func TestSummaryCodec_RejectsDamage(t *testing.T) {
	b := encodeSummary(&fxSummary)
	for n := 0; n < len(b); n++ {
		var s hecha.CaseSummary
		if err := decodeSummary(b[:n], &s); err == nil {
			t.Errorf("decoded a value cut to %d of %d bytes", n, len(b))
		}
	}
	var s hecha.CaseSummary
	if err := decodeSummary(append(b, 0), &s); err == nil {
		t.Error("decoded a value with a trailing byte")
	}
}

func FuzzDecodeSummary(f *testing.F) {
	f.Add(encodeSummary(&fxSummary))
	f.Add([]byte{summaryV1})
	f.Add([]byte{summaryV1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f})
	f.Fuzz(func(t *testing.T, data []byte) {
		var s hecha.CaseSummary
		if err := decodeSummary(data, &s); err != nil {
			return
		}
		// Whatever decodes encodes back to a value that decodes the same.
		var again hecha.CaseSummary
		if err := decodeSummary(encodeSummary(&s), &again); err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		if !again.UpdatedAt.Equal(s.UpdatedAt) {
			t.Fatalf("UpdatedAt %v != %v", again.UpdatedAt, s.UpdatedAt)
		}
	})
}

// BenchmarkSummaryDecode compares the binary summary codec with JSON, the
// obvious alternative, on the same summary.
func BenchmarkSummaryDecode(b *testing.B) {
	bin := encodeSummary(&fxSummary)
	js, _ := json.Marshal(&fxSummary)
	b.Run("binary", func(b *testing.B) {
		var s hecha.CaseSummary
		for b.Loop() {
			if err := decodeSummary(bin, &s); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("json", func(b *testing.B) {
		var s hecha.CaseSummary
		for b.Loop() {
			if err := json.Unmarshal(js, &s); err != nil {
				b.Fatal(err)
			}
		}
	})
}
