package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"hecha"
)

// randomCase returns a case with every field set from r, some left empty.
func randomCase(r *rand.Rand) hecha.Case {
	str := func() string {
		if r.IntN(5) == 0 {
			return ""
		}
		runes := []rune("张王李赵abc·\"\\\n 01")
		n := r.IntN(12)
		out := make([]rune, n)
		for i := range out {
			out[i] = runes[r.IntN(len(runes))]
		}
		return string(out)
	}
	date := func() hecha.Date {
		if r.IntN(4) == 0 {
			return hecha.Date{}
		}
		return hecha.NewDate(1900+r.IntN(200), time.Month(1+r.IntN(12)), 1+r.IntN(28))
	}
	zones := []*time.Location{time.UTC, time.Local, time.FixedZone("CST", 8*3600), time.FixedZone("", -5*3600)}
	when := func() time.Time {
		if r.IntN(4) == 0 {
			return time.Time{}
		}
		return time.Unix(r.Int64N(4e9), r.Int64N(1e9)).In(zones[r.IntN(len(zones))])
	}
	person := func() hecha.Person {
		p := hecha.Person{Name: str(), Sex: hecha.Sex(str()), CurrentAddress: str(), CurrentDivision: hecha.Code(str()),
			HouseholdAddress: str(), HouseholdDivision: hecha.Code(str()), CitizenID: str(), BirthDate: date(),
			Education: hecha.Education(str()), HukouType: hecha.HukouType(str()), Reason: hecha.Reason(str()),
			OutflowDate: date(), ReturnDate: date(), Marital: hecha.MaritalStatus(str())}
		for range r.IntN(3) {
			p.Members = append(p.Members, hecha.Member{Name: str(), Relationship: hecha.Relationship(str()),
				CitizenID: str(), Sex: hecha.Sex(str()), BirthDate: date()})
		}
		return p
	}
	basic := func() *hecha.Basic {
		if r.IntN(2) == 0 {
			return nil
		}
		return &hecha.Basic{Name: str(), Sex: hecha.Sex(str()), BirthDate: date(), CitizenID: str()}
	}
	c := hecha.Case{ID: str(), Kind: hecha.Kind(str()), Person: person(), Unit: hecha.Code(str()),
		InflowDivision: hecha.Code(str()), InflowAddress: str(), InflowDate: date(),
		Resident: basic(), Outflow: basic(), Rev: r.IntN(1000) - 1, UpdatedAt: when()}
	if r.IntN(2) == 0 {
		c.Assignment = &hecha.Assignment{Unit: hecha.Code(str()), At: when(), By: str()}
	}
	for range r.IntN(4) {
		cd := hecha.Candidate{Source: hecha.Source(str()), ByID: r.IntN(2) == 0, Form: hecha.Form(str())}
		for range r.IntN(3) {
			cd.Differs = append(cd.Differs, str())
		}
		if r.IntN(2) == 0 {
			cd.Floating = &hecha.FloatingRecord{ID: str(), Name: str(), Sex: hecha.Sex(str()), BirthDate: date(),
				CitizenID: str(), HouseholdDivision: hecha.Code(str()), HouseholdAddress: str(),
				InflowDivision: hecha.Code(str()), InflowAddress: str(), InflowDate: date(), Withdrawn: r.IntN(2) == 0,
				Education: hecha.Education(str()), Marital: hecha.MaritalStatus(str()), Reason: hecha.Reason(str())}
		}
		if r.IntN(2) == 0 {
			cd.Resident = &hecha.ResidentRecord{ID: str(), Name: str(), Sex: hecha.Sex(str()), BirthDate: date(),
				CitizenID: str(), HouseholdDivision: hecha.Code(str()), HouseholdAddress: str(),
				Education: hecha.Education(str()), HukouType: hecha.HukouType(str()), Marital: hecha.MaritalStatus(str())}
			if r.IntN(2) == 0 {
				cd.Resident.Outflow = &hecha.Outflow{Date: date(), Destination: hecha.Code(str()), Address: str(), Reason: hecha.Reason(str())}
			}
		}
		c.Candidates = append(c.Candidates, cd)
	}
	return c
}

// viaJSON returns c as it comes back from JSON, the store's encoding
// before the binary one.
func viaJSON(t *testing.T, c *hecha.Case) hecha.Case {
	t.Helper()
	data, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var out hecha.Case
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatalf("%v: %s", err, data)
	}
	return out
}

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
// basic items costs a byte for them in caseV2, and a mask with unknown
// bits does not decode.
func TestCaseCodec_SharedItems(t *testing.T) {
	c := hecha.Case{ID: "C1", Person: hecha.Person{Name: "阿依古丽·买买提", Sex: "2", BirthDate: hecha.NewDate(1990, 3, 15),
		CitizenID: "41010219900315001X", HouseholdDivision: "410102001002", HouseholdAddress: "林山寨村3组"}}
	p := &c.Person
	alone, err := encodeCase(&c)
	if err != nil {
		t.Fatal(err)
	}
	c.Candidates = []hecha.Candidate{{Source: hecha.SourceFloating, Floating: &hecha.FloatingRecord{ID: "F1", Name: p.Name,
		Sex: p.Sex, BirthDate: p.BirthDate, CitizenID: p.CitizenID, HouseholdDivision: p.HouseholdDivision,
		HouseholdAddress: p.HouseholdAddress, InflowDivision: "440305"}}}
	data, err := encodeCase(&c)
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
	if err := decodeCase(data, &got); err != nil {
		t.Fatal(err)
	}
	if g, w := asJSON(t, &got), asJSON(t, &c); g != w {
		t.Errorf("reads\n%s\nwant\n%s", g, w)
	}
	mask := bytes.Index(data, []byte("\x02F1")) + 3
	data[mask] |= 0x80
	if err := decodeCase(data, new(hecha.Case)); err == nil {
		t.Error("a mask with an unknown bit decoded")
	}
}

// TestCaseCodec_AsJSON: a case read back from the binary encoding is the
// case JSON gave back (same JSON, the same instants in the same offsets),
// for cases with every field set or empty; a JSON value is refused.
func TestCaseCodec_AsJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 2000 {
		c := randomCase(r)
		if i%2 == 0 {
			shareBasics(r, &c)
		}
		data, err := encodeCase(&c)
		if err != nil {
			t.Fatal(err)
		}
		if data[0] != caseV2 {
			t.Fatalf("case %d written as %q", i, data[:1])
		}
		var got hecha.Case
		if err := decodeCase(data, &got); err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		want := viaJSON(t, &c)
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
		if err := decodeCase(wj, new(hecha.Case)); err == nil {
			t.Fatalf("case %d as JSON decoded", i)
		}
	}
}

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

// TestCaseCodec_Malformed: cut or damaged values are refused, never read
// as a case and never panic.
func TestCaseCodec_Malformed(t *testing.T) {
	c := randomCase(rand.New(rand.NewPCG(3, 4)))
	c.Candidates = append(c.Candidates, hecha.Candidate{Floating: &hecha.FloatingRecord{ID: "F1"}})
	data, err := encodeCase(&c)
	if err != nil {
		t.Fatal(err)
	}
	for n := 1; n < len(data); n++ {
		var got hecha.Case
		if err := decodeCase(data[:n], &got); err == nil {
			t.Fatalf("a value cut to %d of %d bytes decoded", n, len(data))
		}
	}
	if err := decodeCase(append(slices.Clone(data), 0), new(hecha.Case)); err == nil {
		t.Error("a value with a byte too many decoded")
	}
	for _, bad := range [][]byte{{caseV1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, {stateV1}, {9, 9}, {}} {
		if err := decodeCase(bad, new(hecha.Case)); err == nil {
			t.Errorf("%x decoded as a case", bad)
		}
		if err := decodeState(bad, new(caseState)); err == nil {
			t.Errorf("%x decoded as a case state", bad)
		}
	}
}

// FuzzDecodeCase: any stored bytes either fail to decode or decode to a
// case (or a county case state) that encodes and decodes to itself;
// nothing panics.
func FuzzDecodeCase(f *testing.F) {
	r := rand.New(rand.NewPCG(5, 6))
	for range 8 {
		c := randomCase(r)
		data, _ := encodeCase(&c)
		f.Add(data)
	}
	f.Add([]byte(`{"id":"C1","person":{"birth_date":"1990-01-01"}}`))
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
		var c hecha.Case
		if decodeCase(data, &c) != nil {
			return
		}
		again, err := encodeCase(&c)
		if err != nil {
			t.Fatal(err)
		}
		var c2 hecha.Case
		if err := decodeCase(again, &c2); err != nil {
			t.Fatalf("re-encoded case does not decode: %v", err)
		}
		a, _ := json.Marshal(&c)
		b, _ := json.Marshal(&c2)
		if !bytes.Equal(a, b) {
			t.Fatalf("round trip changed the case:\n%s\n%s", a, b)
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

// BenchmarkCaseCodec encodes and decodes cases in the store's binary
// encoding and, for comparison, as JSON (the encoding before it), and
// reports the stored size of a case as bytes/case.
func BenchmarkCaseCodec(b *testing.B) {
	r := rand.New(rand.NewPCG(7, 8))
	cases := make([]hecha.Case, 256)
	for i := range cases {
		cases[i] = randomCase(r)
	}
	codecs := []struct {
		name string
		enc  func(*hecha.Case) ([]byte, error)
		dec  func([]byte, *hecha.Case) error
	}{
		{"binary", encodeCase, decodeCase},
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
