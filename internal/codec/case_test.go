package codec

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"slices"
	"testing"

	"hecha"
	"hecha/internal/codec/codectest"
)

// shareBasics gives each of c's candidates' records some of the person's
// basic items (each item with even odds), as real candidates share them.
func shareBasics(r *rand.Rand, c *hecha.Case) {
	p := &c.Person
	pick := func() bool { return r.IntN(2) == 0 }
	for _, cd := range c.Candidates {
		if f := cd.Floating; f != nil {
			if pick() {
				f.Name = p.Name
			}
			if pick() {
				f.Sex = p.Sex
			}
			if pick() {
				f.BirthDate = p.BirthDate
			}
			if pick() {
				f.CitizenID = p.CitizenID
			}
			if pick() {
				f.HouseholdDivision = p.HouseholdDivision
			}
			if pick() {
				f.HouseholdAddress = p.HouseholdAddress
			}
		}
		if rr := cd.Resident; rr != nil {
			if pick() {
				rr.Name = p.Name
			}
			if pick() {
				rr.Sex = p.Sex
			}
			if pick() {
				rr.BirthDate = p.BirthDate
			}
			if pick() {
				rr.CitizenID = p.CitizenID
			}
			if pick() {
				rr.HouseholdDivision = p.HouseholdDivision
			}
			if pick() {
				rr.HouseholdAddress = p.HouseholdAddress
			}
		}
	}
}

// TestCaseCodec_SharedItems: a candidate's record that shares the person's
// basic items costs a byte for them in CaseV2, and a mask with unknown
// bits does not decode.
func TestCaseCodec_SharedItems(t *testing.T) {
	c := hecha.Case{ID: "C1", Person: hecha.Person{Name: "阿依古丽·买买提", Sex: "2", BirthDate: hecha.NewDate(1990, 3, 15),
		CitizenID: "41010219900315001X", HouseholdDivision: "410102001002", HouseholdAddress: "林山寨村3组"}}
	p := &c.Person
	alone, err := EncodeCase(&c)
	if err != nil {
		t.Fatal(err)
	}
	c.Candidates = []hecha.Candidate{{Source: hecha.SourceFloating, Floating: &hecha.FloatingRecord{ID: "F1", Name: p.Name,
		Sex: p.Sex, BirthDate: p.BirthDate, CitizenID: p.CitizenID, HouseholdDivision: p.HouseholdDivision,
		HouseholdAddress: p.HouseholdAddress, InflowDivision: "440305"}}}
	data, err := EncodeCase(&c)
	if err != nil {
		t.Fatal(err)
	}
	// Source, flag, id, mask, inflow division, inflow address (empty),
	// inflow date (zero), withdrawn, three empty items, the resident's
	// flag, and the candidate's ByID, Differs and Form.
	if n, want := len(data)-len(alone), 1+len(hecha.SourceFloating)+1+3+1+7+1+3+1+3+1+1+1+1; n != want {
		t.Errorf("a candidate sharing every basic item takes %d bytes, want %d", n, want)
	}
	var got hecha.Case
	if err := DecodeCase(data, &got); err != nil {
		t.Fatal(err)
	}
	if g, w := codectest.JSON(t, &got), codectest.JSON(t, &c); g != w {
		t.Errorf("reads\n%s\nwant\n%s", g, w)
	}
	mask := bytes.Index(data, []byte("\x02F1")) + 3
	data[mask] |= 0x80
	if err := DecodeCase(data, new(hecha.Case)); err == nil {
		t.Error("a mask with an unknown bit decoded")
	}
}

// TestCaseCodec_AsJSON: a case read back from the binary encoding is the
// case JSON gave back (same JSON, the same instants in the same offsets),
// for cases with every field set or empty; a JSON value is refused.
func TestCaseCodec_AsJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 2000 {
		c := codectest.RandomCase(r)
		if i%2 == 0 {
			shareBasics(r, &c)
		}
		data, err := EncodeCase(&c)
		if err != nil {
			t.Fatal(err)
		}
		if data[0] != CaseV2 {
			t.Fatalf("case %d written as %q", i, data[:1])
		}
		var got hecha.Case
		if err := DecodeCase(data, &got); err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		want := codectest.ViaJSON(t, &c)
		gj, _ := json.Marshal(&got)
		wj, _ := json.Marshal(&want)
		if !bytes.Equal(gj, wj) {
			t.Fatalf("case %d:\nbinary %s\nJSON   %s", i, gj, wj)
		}
		if !got.UpdatedAt.Equal(c.UpdatedAt) {
			t.Fatalf("case %d: updated at %v, want %v", i, got.UpdatedAt, c.UpdatedAt)
		}
		// A JSON value is not read as a case: migrateBinaryValues
		// rewrote those on disk, and none is written since.
		if err := DecodeCase(wj, new(hecha.Case)); err == nil {
			t.Fatalf("case %d as JSON decoded", i)
		}
	}
}

// TestCaseCodec_Malformed: cut or damaged values are refused, never read
// as a case and never panic.
func TestCaseCodec_Malformed(t *testing.T) {
	c := codectest.RandomCase(rand.New(rand.NewPCG(3, 4)))
	c.Candidates = append(c.Candidates, hecha.Candidate{Floating: &hecha.FloatingRecord{ID: "F1"}})
	data, err := EncodeCase(&c)
	if err != nil {
		t.Fatal(err)
	}
	for n := 1; n < len(data); n++ {
		var got hecha.Case
		if err := DecodeCase(data[:n], &got); err == nil {
			t.Fatalf("a value cut to %d of %d bytes decoded", n, len(data))
		}
	}
	if err := DecodeCase(append(slices.Clone(data), 0), new(hecha.Case)); err == nil {
		t.Error("a value with a byte too many decoded")
	}
	for _, bad := range [][]byte{{CaseV1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, {9, 9}, {}} {
		if err := DecodeCase(bad, new(hecha.Case)); err == nil {
			t.Errorf("%x decoded as a case", bad)
		}
	}
}

// FuzzDecodeCase: any stored bytes either fail to decode or decode to a
// case that encodes and decodes to itself;
// nothing panics.
func FuzzDecodeCase(f *testing.F) {
	r := rand.New(rand.NewPCG(5, 6))
	for range 8 {
		c := codectest.RandomCase(r)
		data, _ := EncodeCase(&c)
		f.Add(data)
	}
	f.Add([]byte(`{"id":"C1","person":{"birth_date":"1990-01-01"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var c hecha.Case
		if DecodeCase(data, &c) != nil {
			return
		}
		again, err := EncodeCase(&c)
		if err != nil {
			t.Fatal(err)
		}
		var c2 hecha.Case
		if err := DecodeCase(again, &c2); err != nil {
			t.Fatalf("re-encoded case does not decode: %v", err)
		}
		a, _ := json.Marshal(&c)
		b, _ := json.Marshal(&c2)
		if !bytes.Equal(a, b) {
			t.Fatalf("round trip changed the case:\n%s\n%s", a, b)
		}
	})
}

// BenchmarkCaseCodec encodes and decodes cases in the store's binary
// encoding and, for comparison, as JSON (the encoding before it), and
// reports the stored size of a case as bytes/case.
func BenchmarkCaseCodec(b *testing.B) {
	r := rand.New(rand.NewPCG(7, 8))
	cases := make([]hecha.Case, 256)
	for i := range cases {
		cases[i] = codectest.RandomCase(r)
	}
	codecs := []struct {
		name string
		enc  func(*hecha.Case) ([]byte, error)
		dec  func([]byte, *hecha.Case) error
	}{
		{"binary", EncodeCase, DecodeCase},
		{"json", func(c *hecha.Case) ([]byte, error) { return json.Marshal(c) },
			func(data []byte, c *hecha.Case) error { return json.Unmarshal(data, c) }},
	}
	for _, cd := range codecs {
		stored := make([][]byte, len(cases))
		size := 0
		for i := range cases {
			data, err := cd.enc(&cases[i])
			if err != nil {
				b.Fatal(err)
			}
			stored[i], size = data, size+len(data)
		}
		b.Run(cd.name+"/encode", func(b *testing.B) {
			for i := range b.N {
				if _, err := cd.enc(&cases[i%len(cases)]); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(size)/float64(len(cases)), "bytes/case")
		})
		b.Run(cd.name+"/decode", func(b *testing.B) {
			var c hecha.Case
			for i := range b.N {
				if err := cd.dec(stored[i%len(stored)], &c); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
