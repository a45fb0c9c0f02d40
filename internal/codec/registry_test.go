package codec

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"hecha"
	"hecha/internal/codec/codectest"
)

// TestRegistryCodec_AsJSON: every record reads back from its binary layout
// as it did from JSON, and the layout is smaller.
func TestRegistryCodec_AsJSON(t *testing.T) {
	fl, rs := codectest.RandomRecords(rand.New(rand.NewPCG(31, 32)), 200)
	if len(fl) < 50 || len(rs) < 50 {
		t.Fatalf("only %d floating and %d resident records", len(fl), len(rs))
	}
	var binSize, jsonSize int
	for i := range fl {
		data := EncodeFloating(&fl[i])
		var got hecha.FloatingRecord
		if err := DecodeFloating(data, &got); err != nil {
			t.Fatalf("floating %d: %v", i, err)
		}
		if g, w := codectest.JSON(t, &got), codectest.JSON(t, &fl[i]); g != w {
			t.Fatalf("floating %d reads\n%s\nwant\n%s", i, g, w)
		}
		binSize, jsonSize = binSize+len(data), jsonSize+len(codectest.JSON(t, &fl[i]))
	}
	for i := range rs {
		data := EncodeResident(&rs[i])
		var got hecha.ResidentRecord
		if err := DecodeResident(data, &got); err != nil {
			t.Fatalf("resident %d: %v", i, err)
		}
		if g, w := codectest.JSON(t, &got), codectest.JSON(t, &rs[i]); g != w {
			t.Fatalf("resident %d reads\n%s\nwant\n%s", i, g, w)
		}
		binSize, jsonSize = binSize+len(data), jsonSize+len(codectest.JSON(t, &rs[i]))
	}
	if binSize >= jsonSize {
		t.Errorf("binary records take %d bytes, JSON %d", binSize, jsonSize)
	}
}

// TestRegistryCodec_Malformed: a record cut short, with a byte too many,
// of the other registry or of another version does not decode.
func TestRegistryCodec_Malformed(t *testing.T) {
	f := hecha.FloatingRecord{ID: "F1", Name: "张三", Sex: "1", BirthDate: hecha.NewDate(1990, 1, 2), InflowDivision: "440305"}
	r := hecha.ResidentRecord{ID: "R1", Name: "李四", Outflow: &hecha.Outflow{Destination: "440305"}}
	fd, rd := EncodeFloating(&f), EncodeResident(&r)
	for n := 0; n < len(fd); n++ {
		if err := DecodeFloating(fd[:n], new(hecha.FloatingRecord)); err == nil {
			t.Fatalf("a floating record cut to %d of %d bytes decoded", n, len(fd))
		}
	}
	for n := 0; n < len(rd); n++ {
		if err := DecodeResident(rd[:n], new(hecha.ResidentRecord)); err == nil {
			t.Fatalf("a resident record cut to %d of %d bytes decoded", n, len(rd))
		}
	}
	if err := DecodeFloating(append(slices.Clone(fd), 0), new(hecha.FloatingRecord)); err == nil {
		t.Error("a floating record with a byte too many decoded")
	}
	if err := DecodeResident(append(slices.Clone(rd), 0), new(hecha.ResidentRecord)); err == nil {
		t.Error("a resident record with a byte too many decoded")
	}
	js, _ := json.Marshal(&f)
	for _, bad := range [][]byte{js, {1, 0}, {CaseV1}, {}} {
		if err := DecodeFloating(bad, new(hecha.FloatingRecord)); err == nil {
			t.Errorf("%x decoded as a floating record", bad)
		}
		if err := DecodeResident(bad, new(hecha.ResidentRecord)); err == nil {
			t.Errorf("%x decoded as a resident record", bad)
		}
	}
}

// FuzzDecodeRegistry: any stored bytes either fail to decode or decode to
// a record that encodes to the same bytes; nothing panics.
func FuzzDecodeRegistry(f *testing.F) {
	fl, rs := codectest.RandomRecords(rand.New(rand.NewPCG(33, 34)), 6)
	for i := range fl {
		f.Add(EncodeFloating(&fl[i]))
	}
	for i := range rs {
		f.Add(EncodeResident(&rs[i]))
	}
	f.Add([]byte(`{"id":"F1"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var fr hecha.FloatingRecord
		if DecodeFloating(data, &fr) == nil {
			var again hecha.FloatingRecord
			if err := DecodeFloating(EncodeFloating(&fr), &again); err != nil || fmt.Sprint(again) != fmt.Sprint(fr) {
				t.Fatalf("floating round trip: %v\n%v\n%v", err, fr, again)
			}
		}
		var rr hecha.ResidentRecord
		if DecodeResident(data, &rr) == nil {
			var again hecha.ResidentRecord
			if err := DecodeResident(EncodeResident(&rr), &again); err != nil || codectest.JSON(t, &again) != codectest.JSON(t, &rr) {
				t.Fatalf("resident round trip: %v\n%v\n%v", err, rr, again)
			}
		}
	})
}
