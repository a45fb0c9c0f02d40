package hecha_test

import (
	"bytes"
	"errors"
	"hecha"
	"hecha/codefile"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"hecha/internal/testenv"
)

// regionsDir is the real division data, next to the repository.
var regionsDir = filepath.Join("..", "shared", "data", "regions")

// extractDir is a small extract of it kept in the repository, so that the
// tests of real names and codes run in every clone; see its README.md.
var extractDir = filepath.Join("testdata", "regions")

var (
	realOnce     sync.Once
	realTable    *hecha.DivisionTable
	realErr      error
	extractOnce  sync.Once
	extractTable *hecha.DivisionTable
	extractErr   error
)

// realDivisions loads the whole of ../shared/data/regions once. It needs
// the data (testenv: a skip on a bare machine, a failure under CI).
func realDivisions(tb testing.TB) *hecha.DivisionTable {
	tb.Helper()
	testenv.SharedData(tb, "regions", "henan_villages.csv")
	realOnce.Do(func() { realTable, realErr = loadDivisionDir(regionsDir) })
	if realErr != nil {
		tb.Fatal(realErr)
	}
	return realTable
}

// extractDivisions loads testdata/regions once.
func extractDivisions(tb testing.TB) *hecha.DivisionTable {
	tb.Helper()
	extractOnce.Do(func() { extractTable, extractErr = loadDivisionDir(extractDir) })
	if extractErr != nil {
		tb.Fatal(extractErr)
	}
	return extractTable
}

// onDivisionTables runs fn on the extract, in every clone, and on the whole
// real table, which needs ../shared/data.
func onDivisionTables(t *testing.T, fn func(t *testing.T, tb *hecha.DivisionTable)) {
	t.Run("extract", func(t *testing.T) { fn(t, extractDivisions(t)) })
	t.Run("real", func(t *testing.T) { fn(t, realDivisions(t)) })
}

// TestDivisionExtractIsReal: every row of the extract is a row of the
// real file of the same name, byte for byte, and the extract stays small.
func TestDivisionExtractIsReal(t *testing.T) {
	var size int64
	for _, name := range append(slices.Clone(codefile.DivisionFiles), "README.md") {
		fi, err := os.Stat(filepath.Join(extractDir, name))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		size += fi.Size()
	}
	if size > 200<<10 {
		t.Errorf("testdata/regions holds %d bytes; keep the extract under 200 KB", size)
	}
	dir := testenv.SharedData(t, "regions")
	for _, name := range codefile.DivisionFiles {
		small, err := os.ReadFile(filepath.Join(extractDir, name))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		whole, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("%s is in the extract but not in %s: %v", name, dir, err)
		}
		rows := map[string]bool{}
		for _, l := range strings.Split(string(whole), "\n") {
			rows[strings.TrimPrefix(l, "\ufeff")] = true
		}
		for i, l := range strings.Split(strings.TrimSuffix(string(small), "\n"), "\n") {
			if !rows[strings.TrimPrefix(l, "\ufeff")] {
				t.Errorf("%s line %d is not a row of the real file: %q", name, i+1, l)
			}
		}
	}
}

func TestRealDivisionCounts(t *testing.T) {
	tb := realDivisions(t)
	count := map[hecha.Level]int{}
	for _, d := range tb.All() {
		count[d.Code.Level()]++
	}
	// china_counties.csv has 3351 rows: 31 provinces, 342 prefectures and
	// 2978 counties, of which 东莞, 中山 and 儋州 (cities without counties)
	// repeat their city's code as their own county-level row (441900);
	// henan_counties.csv's 200 rows all overlap.
	want := map[hecha.Level]int{hecha.LevelProvince: 31, hecha.LevelCity: 342, hecha.LevelCounty: 2978, hecha.LevelTownship: 2586, hecha.LevelVillage: 52378}
	for l, n := range want {
		if count[l] != n {
			t.Errorf("%v: %d divisions, want %d", l, count[l], n)
		}
	}
	if tb.Len() != 3351+2586+52378 {
		t.Errorf("Len = %d", tb.Len())
	}
	if n := len(tb.Children("")); n != 31 {
		t.Errorf("%d roots, want the 31 provinces", n)
	}
	henan := 0
	for _, d := range tb.All() {
		if d.Code.Within("41") && d.Code.Level() <= hecha.LevelCounty {
			henan++
		}
	}
	if henan != 200 {
		t.Errorf("Henan to county level: %d, want the 200 rows of henan_counties.csv", henan)
	}
}

func TestRealDivisionNames(t *testing.T) {
	onDivisionTables(t, func(t *testing.T, tb *hecha.DivisionTable) {
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
	})
}

func TestRealDivisionCheck(t *testing.T) {
	onDivisionTables(t, func(t *testing.T, tb *hecha.DivisionTable) {
		if err := tb.Check("d", "410102001", hecha.LevelTownship); err != nil {
			t.Error(err)
		}
		if err := tb.Check("d", "410102999", hecha.LevelTownship); hecha.ErrorCode(err) != hecha.EINVALID {
			t.Errorf("unknown Henan township: %v", err)
		}
		if err := tb.Check("d", "440305001", hecha.LevelTownship); err != nil {
			t.Errorf("Shenzhen township (table knows Guangdong to county level): %v", err)
		}
		if err := tb.Check("d", "441900003", hecha.LevelTownship); err != nil {
			t.Errorf("Dongguan township: %v", err)
		}

		// A bride's new home in 义乌市 (浙江): the township is accepted, not
		// checked; under a county that does not exist it is an error.
		if err := tb.Check("d", "330782001", hecha.LevelTownship); err != nil || !tb.Unchecked("330782001") {
			t.Errorf("Yiwu township: %v, unchecked %v", err, tb.Unchecked("330782001"))
		}
		for _, c := range []hecha.Code{"330799001", "999999001", "330782"} {
			if tb.Unchecked(c) {
				t.Errorf("Unchecked(%s)", c)
			}
		}
		for _, c := range []hecha.Code{"330799001", "999999001"} {
			if err := tb.Check("d", c, hecha.LevelTownship); hecha.ErrorCode(err) != hecha.EINVALID {
				t.Errorf("Check(%s) under no county: %v", c, err)
			}
		}
		if tb.Unchecked("410102001") {
			t.Error("a Henan township is checked")
		}
	})
}

func TestRealCheckIDArea(t *testing.T) {
	onDivisionTables(t, func(t *testing.T, tb *hecha.DivisionTable) {
		// 410107 新密区 existed 1983–1987; 410104 became 管城回族区; 410181 巩义市.
		for _, a := range []hecha.Code{"410107", "410104", "410181", "410102", "4101", "110105", "440305"} {
			if err := tb.CheckIDArea("citizen_id", a); err != nil {
				t.Errorf("CheckIDArea(%s): %v", a, err)
			}
		}
		// Made up, an NBS development zone, and an unknown province.
		for _, a := range []hecha.Code{"419999", "410171", "410198", "990101"} {
			if err := tb.CheckIDArea("citizen_id", a); hecha.ErrorCode(err) != hecha.EINVALID {
				t.Errorf("CheckIDArea(%s) = %v, want invalid", a, err)
			}
		}
	})
}

func TestRealDivisionRoundTrip(t *testing.T) {
	onDivisionTables(t, func(t *testing.T, tb *hecha.DivisionTable) {
		var buf bytes.Buffer
		if err := codefile.WriteDivisions(&buf, tb); err != nil {
			t.Fatal(err)
		}
		assertSameTable(t, tb, buf.Bytes())
	})
}

// loadDivisionDir reads the files of codefile.DivisionFiles present in dir with
// LoadDivisionFiles, as sheet.LoadDivisionDir does, for the root's own
// tests (which cannot import sheet; its tests cover the folder itself).
func loadDivisionDir(dir string) (*hecha.DivisionTable, error) {
	var files []codefile.DivisionFile
	for _, name := range codefile.DivisionFiles {
		path := filepath.Join(dir, name)
		fi, err := os.Stat(path)
		if err != nil {
			continue
		}
		files = append(files, codefile.DivisionFile{Name: name, Size: fi.Size(),
			Open: func() (io.ReadCloser, error) { return os.Open(path) }})
	}
	return codefile.LoadDivisionFiles(files)
}
