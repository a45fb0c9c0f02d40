package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"hecha"
	"hecha/internal/countytest"
)

// TestProvinceImportWithoutCounty: an import without --county on a
// province's database says that the database is the province's and to
// pass --county, instead of naming one county as the one it serves; the
// database stays the province's.
func TestProvinceImportWithoutCounty(t *testing.T) {
	dsn := provinceDB(t)
	data := t.TempDir()
	wantCode(t, run(t, dsn, "gen", "--county", provinceCounties[0], "--out", data, "--cases", "40", "--seed", "3",
		"--defects", "0", "--now", "2024-05-31"), 0)
	for _, kind := range []string{"regions", "cases"} {
		r := run(t, dsn, "import", kind, filepath.Join(data, kind+".csv"))
		wantCode(t, r, 0)
		if strings.Contains(r.stdout, "serves the county") || !strings.Contains(r.stdout, "province's database of 2 counties") ||
			!strings.Contains(r.stdout, "pass --county") {
			t.Errorf("import %s without --county:\n%s", kind, r.stdout)
		}
		zh := run(t, dsn, "--lang", "zh", "import", kind, filepath.Join(data, kind+".csv"))
		if !strings.Contains(zh.stdout, "省级数据库") || !strings.Contains(zh.stdout, "--county") {
			t.Errorf("import %s without --county, in Chinese:\n%s", kind, zh.stdout)
		}
	}
	// Still the province's: a report without --county covers both.
	r := run(t, dsn, "report", "progress", "--unit", "41")
	wantCode(t, r, 0)
	if line(r.stdout, "中牟县") == "" || line(r.stdout, "尉氏县") == "" {
		t.Errorf("the province's report after the imports:\n%s", r.stdout)
	}
}

// TestProvinceCaseShowAmbiguous: on a province's database, "cases show" of
// an id two counties hold names both and asks for --county; with it, it
// shows that county's case.
func TestProvinceCaseShowAmbiguous(t *testing.T) {
	dsn := provinceDB(t)
	s, err := postgresBackend(t).Open(dsn, countytest.Options{Now: testClock, StoredDivisions: true})
	if err != nil {
		t.Fatal(err)
	}
	cases, err := s.Cases(context.Background(), hecha.CaseFilter{})
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t)
	for i, county := range provinceCounties {
		var town hecha.Code
		for _, c := range cases {
			if c.Unit.Within(hecha.Code(county)) {
				town = c.Unit.At(hecha.LevelTownship)
				break
			}
		}
		file := f.write(t, county+".csv", strings.Join([]string{
			"个案编号,个案类型,姓名,性别,户籍地行政区划,公民身份证号,出生日期,流入地行政区划,流入地地址,流入日期,常住姓名,常住性别,常住出生日期,常住公民身份证号",
			"DUP1,省内流动,周八,男," + string(town) + "," + citizenID(county, "1980-01-01", 8+i, "1") + ",1980-01-01," + string(town) + ",建设路8号,2020-02-02,,,,",
		}, "\n")+"\n")
		wantCode(t, run(t, dsn, "import", "cases", file, "--county", county), 0)
	}
	r := run(t, dsn, "cases", "show", "DUP1")
	if r.code == 0 || !strings.Contains(r.stderr, "410122") || !strings.Contains(r.stderr, "410223") ||
		!strings.Contains(r.stderr, "name the county with --county") {
		t.Errorf("cases show of an id in two counties: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = run(t, dsn, "--lang", "zh", "cases", "show", "DUP1")
	if r.code == 0 || !strings.Contains(r.stderr, "请用 --county 指定县") {
		t.Errorf("cases show of an id in two counties, in Chinese: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = run(t, dsn, "cases", "show", "DUP1", "--county", "410223")
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "DUP1") {
		t.Errorf("cases show --county:\n%s", r.stdout)
	}
}
