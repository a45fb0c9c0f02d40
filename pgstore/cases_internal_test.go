package pgstore

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"testing"
	"time"

	"hecha"
	"hecha/internal/codec/codectest"
)

// TestNewCaseRow: an imported case is stored in the binary layout and
// reads back as the case, and its hash is that of its content JSON, as
// imports have hashed it since the first schema (a case imported again
// unchanged after an upgrade stays unchanged).
func TestNewCaseRow(t *testing.T) {
	now := time.Date(2026, 3, 4, 5, 6, 7, 890, time.FixedZone("CST", 8*3600))
	person := hecha.Person{
		Name: "张三", Sex: hecha.SexMale, CurrentAddress: `广东省深圳市 "1" 号 <&>`, CurrentDivision: "440305",
		HouseholdAddress: "河南省郑州市", HouseholdDivision: "410102001", CitizenID: "41010219900101001X",
		BirthDate: hecha.NewDate(1990, 1, 1), Education: "20", HukouType: hecha.HukouAgricultural, Reason: "1",
		OutflowDate: hecha.NewDate(2015, 3, 1), ReturnDate: hecha.NewDate(2020, 5, 6), Marital: "10",
		Members: []hecha.Member{{Name: "李四"}},
	}
	basic := &hecha.Basic{Name: "王五", Sex: hecha.SexFemale, BirthDate: hecha.NewDate(1991, 2, 3), CitizenID: "410102199102030021"}
	for _, c := range []hecha.Case{
		{ID: "C1", Kind: hecha.KindCrossProvince, Person: person},
		{ID: "C2", Kind: hecha.KindInProvince, Person: person, InflowDivision: "410103001", InflowAddress: "某地", InflowDate: hecha.NewDate(2019, 1, 2)},
		{ID: "C3", Kind: hecha.KindMismatch, Person: person, Resident: basic, Outflow: basic},
		{ID: "C4"},
	} {
		c.Rev, c.UpdatedAt = 1, now
		hash, data, err := newCaseRow(&c)
		if err != nil {
			t.Fatal(err)
		}
		if storedAsJSON(data) {
			t.Errorf("case %s stored as JSON", c.ID)
		}
		got, err := decodeCase(data)
		if err != nil {
			t.Fatal(err)
		}
		if g, w := codectest.JSON(t, got), codectest.JSON(t, &c); g != w {
			t.Errorf("case %s reads back as\n%s\nwant\n%s", c.ID, g, w)
		}
		if wantHash, _ := c.ContentHash(); !bytes.Equal(hash, wantHash) {
			t.Errorf("case %s: hash %x, want %x", c.ID, hash, wantHash)
		}
	}
}

// TestDecodeCase_JSONRows: a case stored as JSON, as every case was before
// schema version 4, reads as it did, and the same case in binary reads
// the same; a damaged row is an error naming the case's decoding.
func TestDecodeCase_JSONRows(t *testing.T) {
	c := codectest.RandomCase(rand.New(rand.NewPCG(1, 2)))
	js, err := json.Marshal(&c)
	if err != nil {
		t.Fatal(err)
	}
	bin, err := encodeCase(&c)
	if err != nil {
		t.Fatal(err)
	}
	want := codectest.JSON(t, codectest.ViaJSON(t, &c))
	for name, data := range map[string][]byte{"json": js, "binary": bin} {
		got, err := decodeCase(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if g := codectest.JSON(t, got); g != want {
			t.Errorf("%s row reads\n%s\nwant\n%s", name, g, want)
		}
	}
	for _, bad := range [][]byte{js[:len(js)-1], bin[:len(bin)-1], {}} {
		if _, err := decodeCase(bad); err == nil {
			t.Errorf("%q decoded", bad)
		}
	}
}
