package hecha

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// regionsDir is the real division data, next to the repository.
var regionsDir = filepath.Join("..", "shared", "data", "regions")

var (
	realOnce  sync.Once
	realTable *DivisionTable
	realErr   error
)

// realDivisions loads ../shared/data/regions once, or skips the test when
// it is absent.
func realDivisions(tb testing.TB) *DivisionTable {
	tb.Helper()
	if _, err := os.Stat(filepath.Join(regionsDir, "henan_villages.csv")); errors.Is(err, os.ErrNotExist) {
		tb.Skipf("%s absent", regionsDir)
	}
	realOnce.Do(func() { realTable, realErr = LoadDivisionDir(regionsDir) })
	if realErr != nil {
		tb.Fatal(realErr)
	}
	return realTable
}

func TestRealDivisionCounts(t *testing.T) {
	tb := realDivisions(t)
	count := map[Level]int{}
	for _, d := range tb.All() {
		count[d.Code.Level()]++
	}
	// china_counties.csv has 3351 rows: 31 provinces, 342 prefectures and
	// 2978 counties, of which 东莞, 中山 and 儋州 (cities without counties)
	// repeat their city's code; henan_counties.csv's 200 rows all overlap.
	want := map[Level]int{LevelProvince: 31, LevelCity: 342, LevelCounty: 2975, LevelTownship: 2586, LevelVillage: 52378}
	for l, n := range want {
		if count[l] != n {
			t.Errorf("%v: %d divisions, want %d", l, count[l], n)
		}
	}
	if tb.Len() != 3348+2586+52378 {
		t.Errorf("Len = %d", tb.Len())
	}
	if n := len(tb.Children("")); n != 31 {
		t.Errorf("%d roots, want the 31 provinces", n)
	}
	henan := 0
	for _, d := range tb.All() {
		if d.Code.Within("41") && d.Code.Level() <= LevelCounty {
			henan++
		}
	}
	if henan != 200 {
		t.Errorf("Henan to county level: %d, want the 200 rows of henan_counties.csv", henan)
	}
}

func TestRealDivisionNames(t *testing.T) {
	tb := realDivisions(t)
	if got := tb.FullName("410102001002"); got != "河南省/郑州市/中原区/林山寨街道/碧沙岗社区居委会" {
		t.Errorf("FullName(410102001002) = %q", got)
	}
	if got := tb.FullName("410102001"); got != "河南省/郑州市/中原区/林山寨街道" {
		t.Errorf("FullName(410102001) = %q", got)
	}
	if got := tb.FullName("419001"); got != "河南省/省直辖县级行政区划/济源市" {
		t.Errorf("FullName(419001) = %q", got)
	}
	for _, q := range []string{"lsz", "linshan", "林山", "410102", "linshanzhai"} {
		got := tb.Search(q, "", 10)
		if !slices.Contains(divCodes(got), "410102001") {
			t.Errorf("Search(%q) = %v, want 林山寨街道 among the first 10", q, got)
		}
	}
	if got := tb.Search("410102", "", 1); len(got) != 1 || got[0].Code != "410102" {
		t.Errorf("Search(410102) first = %v", got)
	}
	if got := tb.Search("linshanzhai", "", 1); len(got) != 1 || got[0].Code != "410102001" {
		t.Errorf("Search(linshanzhai) first = %v", got)
	}
	for _, d := range tb.Search("lsz", "4101", 0) {
		if !d.Code.Within("4101") {
			t.Errorf("Search within 4101 gave %v", d)
		}
	}
}

func TestRealDivisionCheck(t *testing.T) {
	tb := realDivisions(t)
	if err := tb.Check("d", "410102001", LevelTownship); err != nil {
		t.Error(err)
	}
	if err := tb.Check("d", "410102999", LevelTownship); ErrorCode(err) != EINVALID {
		t.Errorf("unknown Henan township: %v", err)
	}
	if err := tb.Check("d", "440305001", LevelTownship); err != nil {
		t.Errorf("Shenzhen township (table knows Guangdong to county level): %v", err)
	}
	if err := tb.Check("d", "441900003", LevelTownship); err != nil {
		t.Errorf("Dongguan township: %v", err)
	}
	// A bride's new home in 义乌市 (浙江): the township is accepted, not
	// checked; under a county that does not exist it is an error.
	if err := tb.Check("d", "330782001", LevelTownship); err != nil || !tb.Unchecked("330782001") {
		t.Errorf("Yiwu township: %v, unchecked %v", err, tb.Unchecked("330782001"))
	}
	for _, c := range []Code{"330799001", "999999001", "330782"} {
		if tb.Unchecked(c) {
			t.Errorf("Unchecked(%s)", c)
		}
	}
	for _, c := range []Code{"330799001", "999999001"} {
		if err := tb.Check("d", c, LevelTownship); ErrorCode(err) != EINVALID {
			t.Errorf("Check(%s) under no county: %v", c, err)
		}
	}
	if tb.Unchecked("410102001") {
		t.Error("a Henan township is checked")
	}
}

func TestRealCheckIDArea(t *testing.T) {
	tb := realDivisions(t)
	// 410107 新密区 existed 1983–1987; 410104 became 管城回族区; 410181 巩义市.
	for _, a := range []Code{"410107", "410104", "410181", "410102", "4101", "110105", "440305"} {
		if err := tb.CheckIDArea("citizen_id", a); err != nil {
			t.Errorf("CheckIDArea(%s): %v", a, err)
		}
	}
	// Made up, an NBS development zone, and an unknown province.
	for _, a := range []Code{"419999", "410171", "410198", "990101"} {
		if err := tb.CheckIDArea("citizen_id", a); ErrorCode(err) != EINVALID {
			t.Errorf("CheckIDArea(%s) = %v, want invalid", a, err)
		}
	}
}

func TestRealDivisionRoundTrip(t *testing.T) {
	tb := realDivisions(t)
	var buf bytes.Buffer
	if err := tb.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	assertSameTable(t, tb, buf.Bytes())
}

func TestLoadDivisionDirErrors(t *testing.T) {
	if _, err := LoadDivisionDir(t.TempDir()); ErrorCode(err) != EINVALID {
		t.Errorf("empty dir: %v", err)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "regions.csv"), []byte("code,name,parent_code,level\n410000,河南省,,province\n4101,,41,city\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "henan_townships.csv"), []byte("code,name,county_code\n410102001,林山寨街道,410102\nx,y,z\n"), 0o644)
	tb, err := LoadDivisionDir(dir)
	e := AsErrors(err)
	if tb == nil || tb.Len() != 2 || ErrorCode(err) != EINVALID || len(e) != 1 || e[0].Field != "code" || e[0].Args[0] != 3 {
		t.Fatalf("LoadDivisionDir = %v, %v", tb, err)
	}
	if msg := err.Error(); !strings.Contains(msg, "henan_townships.csv: code: line 3") || !strings.Contains(msg, "regions.csv: name: line 3") {
		t.Errorf("error %q does not name the files and lines", msg)
	}
}
