package main

import (
	"context"
	"encoding/csv"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/xuri/excelize/v2"

	"hecha"
	"hecha/cmd/internal/cli"
	"hecha/internal/countytest"
	"hecha/sheet"
)

// reportCounty is the fixture's county with the cases distributed, an
// in-province case and a mismatch case added, and three results in force:
// R1 for C001, P2 for P001 (inflow 建设路街道), M for M001.
func reportCounty(t *testing.T) string {
	t.Helper()
	f := newFixture(t)
	db := loadedCounty(t, f)
	more := f.write(t, "more.csv", strings.Join([]string{
		"个案编号,个案类型,姓名,性别,户籍地行政区划,公民身份证号,出生日期,流入地行政区划,流入地地址,流入日期,常住姓名,常住性别,常住出生日期,常住公民身份证号",
		"P001,省内流动,周八,男,410102001," + citizenID("410102", "1980-01-01", 8, "1") + ",1980-01-01,410102002,建设路8号,2020-02-02,,,,",
		"M001,常住流出不一致,吴九,男,410102001001," + citizenID("410102", "1975-05-05", 9, "1") + ",1975-05-05,,,,吴玖,男,1975-05-05," + citizenID("410102", "1975-05-05", 9, "1"),
	}, "\n")+"\n")
	wantCode(t, run(t, db, "import", "cases", more), 0)
	wantCode(t, run(t, db, "assign", "--auto"), 0)

	rules := &hecha.Rules{Now: func() time.Time { return testNow }}
	withDB(t, db, countytest.Options{Rules: rules, Now: rules.Now, StoredDivisions: true}, func(s hecha.CountyStore) {
		ctx := context.Background()
		get := func(id string) *hecha.Case {
			c, err := s.Case(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		c1, p1, m1 := get("C001"), get("P001"), get("M001")
		results := []hecha.Result{
			{CaseID: "C001", Form: hecha.FormR1, CaseRev: c1.Rev, NotFound: &hecha.NotFound{Reason: hecha.NotFoundDied}},
			{CaseID: "P001", Form: hecha.FormP2, CaseRev: p1.Rev, NotFound: &hecha.NotFound{Reason: hecha.NotFoundMovedOut,
				Destination: "410102002", DestAddress: "建设路9号"}},
			{CaseID: "M001", Form: hecha.FormM, CaseRev: m1.Rev, SignOff: &hecha.SignOff{Confirmed: true, Name: "李建国"},
				Mismatch: &hecha.MismatchResolution{NameChoice: hecha.KeepOutflow, SexChoice: hecha.KeepResident,
					BirthDateChoice: hecha.KeepResident, CitizenIDChoice: hecha.KeepResident}},
		}
		for i := range results {
			results[i].ID = hecha.NewResultID(testNow)
			results[i].Township, results[i].Clerk, results[i].SavedAt = "410102001", "王芳", testNow
		}
		outs, err := s.ApplyResults(ctx, "410102001", results)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range outs {
			if o.Status != hecha.ResultAccepted {
				t.Fatalf("result %s: %s %v", o.ResultID, o.Status, o.Errors)
			}
		}
	})
	return db
}

// fits fails the test when a line of out is wider than 80 cells.
func fits(t *testing.T, out string) {
	t.Helper()
	for _, l := range strings.Split(out, "\n") {
		if w := ansi.StringWidth(l); w > 80 {
			t.Errorf("line %d cells wide: %q", w, l)
		}
	}
}

// line returns the line of out that starts (after spaces) with prefix.
func line(out, prefix string) string {
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), prefix) {
			return strings.Join(strings.Fields(l), " ")
		}
	}
	return ""
}

func TestReportProgress(t *testing.T) {
	db := reportCounty(t)
	r := run(t, db, "report", "progress")
	wantCode(t, r, 0)
	fits(t, r.stdout)
	for prefix, want := range map[string]string{
		"unit":                "unit cases done open rate R1 R2 R3 R4 R5 R6",
		"中原区":                 "中原区 3 1 2 33.3% 1 0 0 0 0 0",
		"林山寨街道":               "林山寨街道 2 1 1 50.0% 1 0 0 0 0 0",
		"建设路社区":               "建设路社区 1 0 1 0.0% 0 0 0 0 0 0",
		"(not in a village)":  "(not in a village) 1 1 0 100.0% 1 0 0 0 0 0",
		"建设路街道":               "建设路街道 1 0 1 0.0% 0 0 0 0 0 0",
		"undistributed":       "undistributed 1 0 1 0.0% 0 0 0 0 0 0",
		"total":               "total 4 1 3 25.0% 1 0 0 0 0 0",
		"Only cross-province": "Only cross-province cases are counted; for the others see notfound and mismatch.",
	} {
		if got := line(r.stdout, prefix); got != want {
			t.Errorf("%s row = %q, want %q\n%s", prefix, got, want, r.stdout)
		}
	}

	// In Chinese, from a township down.
	r = run(t, db, "report", "progress", "--unit", "410102001", "--lang", "zh")
	wantCode(t, r, 0)
	fits(t, r.stdout)
	if !strings.HasPrefix(r.stdout, "跨省流动人口个案信息核查进度表\n只统计跨省流出个案") || line(r.stdout, "单位") != "单位 分发 已核 未核 核查率 R1 R2 R3 R4 R5 R6" ||
		line(r.stdout, "林山寨街道") != "林山寨街道 2 1 1 50.0% 1 0 0 0 0 0" || line(r.stdout, "建设路街道") != "" {
		t.Errorf("township progress:\n%s", r.stdout)
	}

	// CSV on the standard output, with full headers and codes.
	r = run(t, db, "report", "progress", "--format", "csv")
	wantCode(t, r, 0)
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.stdout, "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(recs[0][:6], []string{"unit code", "unit", "cases assigned", "verified", "not verified", "rate verified"}) ||
		!slices.Equal(recs[2], []string{"410102001", "  林山寨街道", "2", "1", "1", "50.0%", "1", "0", "0", "0", "0", "0"}) {
		t.Errorf("CSV:\n%q", recs)
	}
}

func TestReportFiles(t *testing.T) {
	db := reportCounty(t)
	dir := t.TempDir()

	xl := filepath.Join(dir, "progress.xlsx")
	r := run(t, db, "report", "progress", "-o", xl)
	wantCode(t, r, 0)
	wantOut(t, r, "wrote 7 rows to")
	f, err := excelize.OpenFile(xl)
	if err != nil {
		t.Fatal(err)
	}
	name := f.GetSheetName(0)
	if v, _ := f.GetCellValue(name, "C2"); v != "3" {
		t.Errorf("C2 = %q", v)
	}
	if typ, _ := f.GetCellType(name, "C2"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("a count stored as text")
	}
	f.Close()

	// The mismatch summary as GB18030 CSV.
	mm := filepath.Join(dir, "mismatch.csv")
	wantCode(t, run(t, db, "report", "mismatch", "-o", mm, "--encoding", "gb18030"), 0)
	rows := readTable(t, mm)
	if got := rows[len(rows)-1]; !slices.Equal(got, []string{"", "total", "1", "1", "0", "1", "1", "0", "0", "0", "0", "0", "0"}) {
		t.Errorf("mismatch total %q", got)
	}

	// A text table to a file.
	txt := filepath.Join(dir, "mismatch.txt")
	wantCode(t, run(t, db, "report", "mismatch", "--format", "table", "-o", txt), 0)
	if rows := readLines(t, txt); !strings.HasPrefix(rows, "Cases whose resident") {
		t.Errorf("text file: %q", rows)
	}

	// Usage errors.
	wantCode(t, run(t, db, "report", "progress", "--format", "xlsx"), cli.ExitUsage)
	wantCode(t, run(t, db, "report", "progress", "--format", "pdf"), cli.ExitUsage)
	wantCode(t, run(t, db, "report", "progress", "--unit", "410199"), cli.ExitUsage)
	wantCode(t, run(t, db, "report", "progress", "--unit", "41x"), cli.ExitUsage)
	wantCode(t, run(t, db, "report", "mismatch", "--encoding", "latin1"), cli.ExitUsage)
}

func TestReportNotFound(t *testing.T) {
	db := reportCounty(t)
	r := run(t, db, "report", "notfound")
	wantCode(t, r, 0)
	fits(t, r.stdout)
	if line(r.stdout, "Inflow township") != "Inflow township 410102002 建设路街道: 1 people" ||
		!strings.HasPrefix(line(r.stdout, "P001"), "P001 周八 "+citizenID("410102", "1980-01-01", 8, "1")+" Moved out 建设路街道 建设路9号") {
		t.Errorf("notfound:\n%s", r.stdout)
	}
	path := filepath.Join(t.TempDir(), "nf.xlsx")
	wantCode(t, run(t, db, "report", "notfound", "-o", path, "--lang", "zh"), 0)
	rows := readTable(t, path)
	if len(rows) != 2 || rows[0][0] != "流入地乡镇代码" || rows[1][0] != "410102002" || rows[1][2] != "P001" || rows[1][10] != "迁出" {
		t.Errorf("notfound file %q", rows)
	}

	// Nothing to list.
	r = run(t, db, "report", "notfound", "--unit", "410102002")
	wantCode(t, r, 0)
	wantOut(t, r, "No in-province case was answered")
}

func TestExportResults(t *testing.T) {
	db := reportCounty(t)
	path := filepath.Join(t.TempDir(), "results.csv")
	r := run(t, db, "export", "results", "-o", path)
	wantCode(t, r, 0)
	wantOut(t, r, "exported 3 results to")
	rows := readTable(t, path)
	if len(rows) != 4 {
		t.Fatalf("%d rows", len(rows))
	}
	for _, h := range []string{"个案编号", "姓名", "核查结果", "查无此人原因", "常驻人口信息员确认", "结果编号", "核查单位", "核查时间"} {
		if !slices.Contains(rows[0], h) {
			t.Errorf("no column %s", h)
		}
	}

	// The columns are the worksheet's: each row reads back as its result.
	h, err := sheet.NewWorksheetHeader(rows[0])
	if err != nil {
		t.Fatal(err)
	}
	rules := &hecha.Rules{Now: func() time.Time { return testNow }}
	withDB(t, db, countytest.Options{Rules: rules, StoredDivisions: true}, func(s hecha.CountyStore) {
		for _, row := range rows[1:] {
			c, err := s.Case(context.Background(), h.CaseID(row))
			if err != nil {
				t.Fatal(err)
			}
			stored, err := s.ResultsOf(context.Background(), c.ID)
			if err != nil {
				t.Fatal(err)
			}
			got, err := h.ParseResult(row, c, rules)
			if err != nil || !got.SameContent(&stored[len(stored)-1]) {
				t.Errorf("%s reads back as %+v, %v", c.ID, got, err)
			}
		}
	})

	wantCode(t, run(t, db, "export", "results"), cli.ExitUsage)
	wantCode(t, run(t, db, "export", "results", "--format", "table", "-o", path), cli.ExitUsage)
	r = run(t, db, "export", "results", "-o", filepath.Join(t.TempDir(), "r.xlsx"), "--unit", "410102002")
	wantCode(t, r, 0)
	wantOut(t, r, "exported 0 results")
}

func readTable(t *testing.T, path string) [][]string {
	t.Helper()
	r, err := sheet.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	rows := [][]string{r.Header()}
	for {
		_, cells, err := r.Next()
		if err == io.EOF {
			return rows
		}
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, cells)
	}
}

func readLines(t *testing.T, path string) string {
	t.Helper()
	rows := readTable(t, path)
	return strings.Join(rows[0], ",")
}
