package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hecha/cmd/internal/cli"
	"hecha/internal/countytest"
	"hecha/sheet"
)

func TestImportRegionsSetsCounty(t *testing.T) {
	f := newFixture(t)
	db := countytest.New(t)
	r := run(t, db, "import", "regions", f.regions)
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "added 12, changed 0, unchanged 0, rejected 0") {
		t.Errorf("first import: %s", r.stdout)
	}
	if !strings.Contains(r.stdout, "410102 河南省/郑州市/中原区") {
		t.Errorf("county not settled: %s", r.stdout)
	}
	if _, err := os.Stat(cli.RegionsPath(db)); !os.IsNotExist(err) {
		t.Errorf("a division file beside the database: %v", err)
	}
	if got := storedDivisions(t, db); got.Len() != 12 {
		t.Fatalf("the database holds %d divisions, want 12", got.Len())
	}

	// The same file again changes nothing.
	r = run(t, db, "import", "regions", f.regions)
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "unchanged 12") {
		t.Errorf("second import: %s", r.stdout)
	}

	// A renamed division counts as changed; a bad row is reported by line.
	f.write(t, "more.csv", "code,name,parent_code,level\n410102002,建设路街道办事处,410102,township\n\n41010x,坏,,\n")
	r = run(t, db, "import", "regions", filepath.Join(f.dir, "more.csv"))
	wantCode(t, r, cli.ExitFailure)
	if !strings.Contains(r.stdout, "added 0, changed 1, unchanged 0, rejected 1") || !strings.Contains(r.stderr, "line 4") {
		t.Errorf("bad row: stdout %q stderr %q", r.stdout, r.stderr)
	}

	// The table is read again on the next start.
	r = run(t, db, "token", "create", "--township", "410102002")
	wantCode(t, r, 0)
	if !strings.Contains(r.stderr, "建设路街道办事处") {
		t.Errorf("renamed township not loaded: %s", r.stderr)
	}
}

func TestImportRegionsUnreadable(t *testing.T) {
	f := newFixture(t)
	db := countytest.New(t)
	wantCode(t, run(t, db, "import", "regions", filepath.Join(f.dir, "missing.csv")), cli.ExitUsage)
	wantCode(t, run(t, db, "import", "regions", f.write(t, "odd.csv", "foo,bar\n1,2\n")), cli.ExitUsage)
}

func TestImportCases(t *testing.T) {
	f := newFixture(t)
	db := countytest.New(t)
	wantCode(t, run(t, db, "import", "regions", f.regions), 0)

	r := run(t, db, "import", "cases", f.cases)
	wantCode(t, r, cli.ExitFailure)
	if !strings.Contains(r.stdout, "added 4, changed 0, unchanged 0, rejected 2") {
		t.Errorf("summary: %s", r.stdout)
	}
	// Line 5 has a wrong check digit; line 6 repeats C001 of line 2.
	if !strings.Contains(r.stderr, "line 5, field ") || !strings.Contains(r.stderr, "line 6, field ") || !strings.Contains(r.stderr, "line 2") {
		t.Errorf("rejected rows:\n%s", r.stderr)
	}
	for _, l := range strings.Split(strings.TrimSpace(r.stderr), "\n") {
		if !strings.HasPrefix(l, "line ") {
			t.Errorf("stray line on stderr: %q", l)
		}
	}

	// The same file again changes nothing.
	r = run(t, db, "import", "cases", f.cases)
	wantCode(t, r, cli.ExitFailure)
	if !strings.Contains(r.stdout, "added 0, changed 0, unchanged 4, rejected 2") {
		t.Errorf("second import: %s", r.stdout)
	}

	// A clean file exits 0; a changed case counts as changed.
	lines := strings.Split(strings.TrimSpace(readFile(t, f.cases)), "\n")
	clean := lines[0] + "\n" + strings.Replace(lines[1], "南京东路1号", "南京东路9号", 1) + "\n"
	r = run(t, db, "import", "cases", f.write(t, "clean.csv", clean))
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "added 0, changed 1, unchanged 0, rejected 0") {
		t.Errorf("changed case: %s", r.stdout)
	}
}

func TestImportCasesChinese(t *testing.T) {
	f := newFixture(t)
	db := countytest.New(t)
	wantCode(t, run(t, db, "import", "regions", f.regions), 0)
	r := run(t, db, "import", "cases", f.cases, "--lang", "zh")
	wantCode(t, r, cli.ExitFailure)
	if !strings.Contains(r.stdout, "新增 4，修改 0，未变 0，拒收 2") || !strings.Contains(r.stderr, "第 5 行，字段 ") {
		t.Errorf("stdout %q\nstderr %q", r.stdout, r.stderr)
	}
}

func TestImportNeedsRegions(t *testing.T) {
	f := newFixture(t)
	db := countytest.New(t)
	r := run(t, db, "import", "cases", f.cases)
	if r.code != cli.ExitFailure || !strings.Contains(r.stderr, "import regions") {
		t.Errorf("cases before regions: %d %q", r.code, r.stderr)
	}
}

func TestImportCasesUnreadable(t *testing.T) {
	f := newFixture(t)
	db := countytest.New(t)
	wantCode(t, run(t, db, "import", "regions", f.regions), 0)
	for name, path := range map[string]string{
		"missing":   filepath.Join(f.dir, "nope.csv"),
		"no header": f.write(t, "bad.csv", "foo,bar\n1,2\n"),
		"xlsx junk": f.write(t, "bad.xlsx", "PK\x03\x04garbage"),
	} {
		r := run(t, db, "import", "cases", path)
		if r.code != cli.ExitUsage || r.stderr == "" {
			t.Errorf("%s: exit %d, stderr %q", name, r.code, r.stderr)
		}
	}
}

func TestImportRegistries(t *testing.T) {
	f := newFixture(t)
	db := countytest.New(t)
	wantCode(t, run(t, db, "import", "regions", f.regions), 0)
	for _, tc := range []struct{ kind, file, first, again string }{
		{"floating", f.floating, "added 1, changed 0, unchanged 0", "added 0, changed 0, unchanged 1"},
		{"resident", f.resident, "added 2, changed 0, unchanged 0", "added 0, changed 0, unchanged 2"},
	} {
		r := run(t, db, "import", tc.kind, tc.file)
		wantCode(t, r, 0)
		if !strings.Contains(r.stdout, tc.first) {
			t.Errorf("%s first: %s", tc.kind, r.stdout)
		}
		r = run(t, db, "import", tc.kind, tc.file)
		wantCode(t, r, 0)
		if !strings.Contains(r.stdout, tc.again) {
			t.Errorf("%s again: %s", tc.kind, r.stdout)
		}
	}
	changed := strings.Replace(readFile(t, f.resident), "2016-05-01,440103", "2016-05-01,310101", 1)
	r := run(t, db, "import", "resident", f.write(t, "resident2.csv", changed))
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "added 0, changed 1, unchanged 1") {
		t.Errorf("changed record: %s", r.stdout)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestImportEncodings imports the same cases as GB18030 CSV and as XLSX.
func TestImportEncodings(t *testing.T) {
	f := newFixture(t)
	rows := readCSV(t, f.cases)
	for _, tc := range []struct {
		name   string
		format sheet.Format
		enc    sheet.Encoding
	}{
		{"cases-gb18030.csv", sheet.CSV, sheet.GB18030},
		{"cases.xlsx", sheet.XLSX, sheet.UTF8BOM},
	} {
		db := countytest.New(t)
		wantCode(t, run(t, db, "import", "regions", f.regions), 0)
		path := filepath.Join(f.dir, tc.name)
		w, err := sheet.Create(path, tc.format, tc.enc)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if err := w.Write(r); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		r := run(t, db, "import", "cases", path)
		wantCode(t, r, cli.ExitFailure)
		if !strings.Contains(r.stdout, "added 4, changed 0, unchanged 0, rejected 2") || !strings.Contains(r.stderr, "line 5, field ") {
			t.Errorf("%s: stdout %q stderr %q", tc.name, r.stdout, r.stderr)
		}
		r = run(t, db, "cases", "show", "C001")
		if !strings.Contains(r.stdout, "张三") {
			t.Errorf("%s: names garbled:\n%s", tc.name, r.stdout)
		}
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	file, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	rows, err := csv.NewReader(file).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestImportCasesLineEndingsAndHeaders imports a cases file with CR-only
// line endings, one with a header and no rows, and one with a column the
// county does not know.
func TestImportCasesLineEndingsAndHeaders(t *testing.T) {
	f := newFixture(t)
	db := countytest.New(t)
	wantCode(t, run(t, db, "import", "regions", f.regions), 0)
	lines := strings.Split(strings.TrimSpace(readFile(t, f.cases)), "\n")
	for i := range lines {
		lines[i] = strings.TrimSuffix(lines[i], "\r")
	}

	r := run(t, db, "import", "cases", f.write(t, "mac.csv", lines[0]+"\r"+lines[1]+"\r"))
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "added 1, changed 0, unchanged 0, rejected 0") {
		t.Errorf("CR-only: stdout %q stderr %q", r.stdout, r.stderr)
	}

	r = run(t, db, "import", "cases", f.write(t, "header.csv", lines[0]+"\r\n"))
	wantCode(t, r, cli.ExitFailure)
	if !strings.Contains(r.stderr, "header.csv has no data rows") || strings.Contains(r.stdout, "added") {
		t.Errorf("no rows: stdout %q stderr %q", r.stdout, r.stderr)
	}

	r = run(t, db, "import", "cases", f.write(t, "extra.csv", lines[0]+",联系电话\n"+lines[1]+",13800000000\n"))
	wantCode(t, r, 0)
	if !strings.Contains(r.stderr, `"联系电话", is not a known column name`) {
		t.Errorf("unknown column not named: stderr %q", r.stderr)
	}
}
