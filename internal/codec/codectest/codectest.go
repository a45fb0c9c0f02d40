// Package codectest makes the values the codec's tests and the stores'
// tests encode: random cases and registry records with every field set
// or empty, and their JSON, the encoding before the binary one.
package codectest

import (
	"encoding/json"
	"math/rand/v2"
	"testing"
	"time"

	"hecha"
)

// RandomCase returns a case with every field set from r, some left empty.
func RandomCase(r *rand.Rand) hecha.Case {
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

// ViaJSON returns c as it comes back from JSON, the encoding the stores
// used before the binary one.
func ViaJSON(t testing.TB, c *hecha.Case) hecha.Case {
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

// RandomRecords returns the registry records of n random cases'
// candidates.
func RandomRecords(r *rand.Rand, n int) ([]hecha.FloatingRecord, []hecha.ResidentRecord) {
	var fl []hecha.FloatingRecord
	var rs []hecha.ResidentRecord
	for range n {
		c := RandomCase(r)
		for _, cd := range c.Candidates {
			if cd.Floating != nil {
				fl = append(fl, *cd.Floating)
			}
			if cd.Resident != nil {
				rs = append(rs, *cd.Resident)
			}
		}
	}
	return fl, rs
}

// JSON returns v marshalled, for comparing records as JSON stored them.
func JSON(t testing.TB, v any) string {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
