package main

import (
	"path/filepath"
	"strings"
	"testing"
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
