package sync_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"hecha"
	"hecha/codefile"
	"hecha/internal/countytest"
	"hecha/sheet"
	hsync "hecha/sync"
)

// TestCountyLevel_CityWithoutCounties_EndToEnd follows cases whose people
// live in 东莞 (441900, a city without counties: its own county level)
// through the real store and sync API: imported on the county from file
// rows, distributed with the comparison attached, pulled by a township
// that learns the county's division table (and the national historic
// list) in the same round, verified with R2 and R4, pushed and accepted.
// It runs on the small real extract in ../testdata and on the full tables
// in ../shared/data when present.
func TestCountyLevel_CityWithoutCounties_EndToEnd(t *testing.T) {
	t.Run("testdata", func(t *testing.T) {
		table := fxRules(t).Divisions
		f, err := os.Open(filepath.Join("..", "testdata", "regions_no_counties.csv"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := codefile.LoadDivisions(table, f); err != nil {
			t.Fatal(err)
		}
		historic, err := os.ReadFile(filepath.Join("..", "testdata", "gbt2260_historic_small.csv"))
		if err != nil {
			t.Fatal(err)
		}
		dongguanEndToEnd(t, table, historic)
	})
	t.Run("shared", func(t *testing.T) {
		dir := filepath.Join("..", "..", "shared", "data", "regions")
		historic, err := os.ReadFile(filepath.Join(dir, "china_gbt2260_historic.csv"))
		if errors.Is(err, os.ErrNotExist) {
			if os.Getenv("HECHA_CI") != "" {
				t.Fatalf("%s absent under CI", dir)
			}
			t.Skipf("%s absent: the real tables are checked where ../shared/data is", dir)
		}
		if err != nil {
			t.Fatal(err)
		}
		table, err := sheet.LoadDivisionDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		dongguanEndToEnd(t, table, historic)
	})
}

func dongguanEndToEnd(t *testing.T, table *hecha.DivisionTable, historic []byte) {
	ctx := context.Background()
	if err := codefile.LoadHistoric(table, bytes.NewReader(historic)); err != nil {
		t.Fatal(err)
	}
	rules := &hecha.Rules{Divisions: table, Now: fxClock}
	county := countytest.Open(t, countytest.Options{Rules: rules, Now: fxClock})
	if err := county.SetCounty(ctx, fxCounty); err != nil {
		t.Fatal(err)
	}
	if err := county.SaveDivisions(ctx, table); err != nil {
		t.Fatal(err)
	}
	if err := county.SaveHistoricDivisions(ctx, historic); err != nil {
		t.Fatal(err)
	}

	// The national files write 东莞 as 441900, padded or not; the
	// registries too. Everything goes through the import parsers.
	caseHeader, err := sheet.NewCaseHeader(sheet.CaseColumns)
	if err != nil {
		t.Fatal(err)
	}
	floatingHeader, err := sheet.NewFloatingHeader(sheet.FloatingColumns)
	if err != nil {
		t.Fatal(err)
	}
	residentHeader, err := sheet.NewResidentHeader(sheet.ResidentColumns)
	if err != nil {
		t.Fatal(err)
	}
	var cases []hecha.Case
	for i, written := range []string{"441900", "441900000000"} {
		c := fxCase(townA, 700+i)
		c.Person.CurrentAddress = "广东省东莞市南城街道宏图路" + string(rune('1'+i)) + "号"
		row := sheet.CaseRow(&c)
		row[indexOf(t, sheet.CaseColumns, "现居住地行政区划")] = written
		parsed, err := caseHeader.ParseCase(row, rules)
		if err != nil {
			t.Fatalf("case in 东莞 written %s: %v", written, err)
		}
		if parsed.Person.CurrentDivision != "441900" {
			t.Fatalf("current division %s read as %s", written, parsed.Person.CurrentDivision)
		}
		cases = append(cases, parsed)
	}
	if _, err := county.ImportCases(ctx, cases); err != nil {
		t.Fatalf("import cases in 东莞: %v", err)
	}
	p0, p1 := cases[0].Person, cases[1].Person
	fl := hecha.FloatingRecord{ID: "LD-DG-1", Name: p0.Name, Sex: p0.Sex, BirthDate: p0.BirthDate, CitizenID: p0.CitizenID,
		HouseholdDivision: p0.HouseholdDivision, InflowDivision: "441900", InflowDate: hecha.NewDate(2015, 4, 1)}
	flRow := sheet.FloatingRow(&fl)
	flRow[indexOf(t, sheet.FloatingColumns, "流入地行政区划")] = "441900"
	fl, err = floatingHeader.ParseFloating(flRow, rules)
	if err != nil {
		t.Fatalf("floating record in 东莞: %v", err)
	}
	rs := hecha.ResidentRecord{ID: "CZ-DG-1", Name: p1.Name, Sex: p1.Sex, BirthDate: p1.BirthDate, CitizenID: p1.CitizenID,
		HouseholdDivision: p1.HouseholdDivision,
		Outflow:           &hecha.Outflow{Date: hecha.NewDate(2015, 3, 1), Destination: "441900", Reason: "1"}}
	rsRow := sheet.ResidentRow(&rs)
	rsRow[indexOf(t, sheet.ResidentColumns, "流出地行政区划")] = "441900003000"
	rs, err = residentHeader.ParseResident(rsRow, rules)
	if err != nil {
		t.Fatalf("resident record moved to 东莞: %v", err)
	}
	if err := county.PutFloating(ctx, []hecha.FloatingRecord{fl}); err != nil {
		t.Fatal(err)
	}
	if err := county.PutResident(ctx, []hecha.ResidentRecord{rs}); err != nil {
		t.Fatal(err)
	}

	// Distribution attaches the comparison: R2 and R4, not R3 and R5.
	ids := []string{cases[0].ID, cases[1].ID}
	if err := county.Assign(ctx, ids, townA, "test"); err != nil {
		t.Fatal(err)
	}
	want := map[string]hecha.Form{cases[0].ID: hecha.FormR2, cases[1].ID: hecha.FormR4}
	assigned, err := county.Cases(ctx, hecha.CaseFilter{Unit: townA})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range assigned {
		if len(c.Candidates) != 1 || c.Candidates[0].Form != want[c.ID] {
			t.Fatalf("case %s distributed with candidates %+v, want one leading to %s", c.ID, c.Candidates, want[c.ID])
		}
	}
	token, _, err := county.CreateToken(ctx, townA)
	if err != nil {
		t.Fatal(err)
	}

	// The township starts with a table that has never heard of 东莞.
	ts := serveCounty(t, county)
	defer ts.Close()
	town := openTownship(t, tempPath(t, "town.db"), townA)
	defer town.Close()
	if err := town.Rules().Divisions.Check("current_division", "441900", hecha.LevelCounty); err == nil {
		t.Fatal("the township knows 东莞 before the first round")
	}
	s := &hsync.Syncer{Store: town, Client: newClient(t, ts.URL, token), Now: fxClock}
	rep, err := s.Round(ctx)
	if err != nil || rep.PulledCases != 2 {
		t.Fatalf("first round: %+v, %v", rep, err)
	}
	live := town.Rules().Divisions
	if err := live.Check("current_division", "441900", hecha.LevelCounty); err != nil {
		t.Fatalf("after the round the township's table refuses 东莞: %v", err)
	}
	stored, err := town.Divisions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range []*hecha.DivisionTable{live, stored} {
		if err := tb.Check("current_division", "4419", hecha.LevelCounty); err != nil {
			t.Errorf("township table: 东莞 as a city code: %v", err)
		}
		// The national historic list came along: an abolished Beijing
		// district is a valid ID area, a code no edition has is not.
		if err := tb.CheckIDArea("citizen_id", "110103"); err != nil {
			t.Errorf("township table: 110103 崇文区: %v", err)
		}
		if err := tb.CheckIDArea("citizen_id", "449999"); err == nil {
			t.Error("township table accepts the ID area 449999")
		}
	}

	// The clerk confirms both.
	var saved []hecha.Result
	for _, id := range ids {
		c, err := town.Case(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Candidates) != 1 || hecha.FormFor(c, &c.Candidates[0]) != want[id] {
			t.Fatalf("township: case %s candidates %+v", id, c.Candidates)
		}
		v := hecha.Prefill(c)
		v.Education, v.HukouType, v.Marital, v.Reason = "60", hecha.HukouAgricultural, "20", "1"
		v.HouseholdAddress = "郑州市中原区伊河路12号"
		res, err := town.SaveResult(ctx, &hecha.Result{
			CaseID: id, Form: want[id], CandidateID: c.Candidates[0].RecordID(), CaseRev: c.Rev,
			Verified: &v, SignOff: &hecha.SignOff{Confirmed: true, Name: "李建国"},
		})
		if err != nil {
			t.Fatalf("save %s for %s: %v", want[id], id, err)
		}
		saved = append(saved, *res)
	}
	total := syncUntilDone(t, s, 3)
	if total.Accepted != 2 || total.Rejected+total.Conflict != 0 {
		t.Fatalf("push: %+v", total)
	}
	assertSynced(t, county, town, townA, saved)
	for _, res := range saved {
		got, err := county.ResultsOf(ctx, res.CaseID)
		if err != nil || len(got) != 1 || got[0].Verified.CurrentDivision != "441900" {
			t.Fatalf("county holds %+v, %v", got, err)
		}
	}
}

// indexOf returns the index of name in cols.
func indexOf(t *testing.T, cols []string, name string) int {
	t.Helper()
	for i, c := range cols {
		if c == name {
			return i
		}
	}
	t.Fatalf("no column %s in %v", name, cols)
	return -1
}
