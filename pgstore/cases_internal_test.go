package pgstore

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"hecha"
)

// The JSON newCaseJSON builds from the content JSON is the case's own,
// byte for byte, for every kind of case and every field an import sets.
func TestNewCaseJSON(t *testing.T) {
	now := time.Date(2026, 3, 4, 5, 6, 7, 890, time.FixedZone("CST", 8*3600))
	nowJSON, err := json.Marshal(now)
	if err != nil {
		t.Fatal(err)
	}
	tail := fmt.Appendf(nil, `,"rev":1,"updated_at":%s}`, nowJSON)
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
		hash, data, err := newCaseJSON(&c, tail)
		if err != nil {
			t.Fatal(err)
		}
		want, err := json.Marshal(&c)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(data, want) {
			t.Errorf("case %s:\n got %s\nwant %s", c.ID, data, want)
		}
		if wantHash, _ := c.ContentHash(); !bytes.Equal(hash, wantHash) {
			t.Errorf("case %s: hash %x, want %x", c.ID, hash, wantHash)
		}
	}
	// A case that is not a new one is encoded whole.
	c := hecha.Case{ID: "C5", Kind: hecha.KindCrossProvince, Person: person, Unit: "410102001", Rev: 2, UpdatedAt: now}
	_, data, err := newCaseJSON(&c, tail)
	if want, _ := json.Marshal(&c); err != nil || !bytes.Equal(data, want) {
		t.Errorf("assigned case: %s, %v; want %s", data, err, want)
	}
}
