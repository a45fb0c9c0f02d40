package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"hecha"
	"hecha/cmd/internal/cli"
	"hecha/codefile"
	"hecha/sheet"
	"hecha/store"
)

// fieldTownship makes a township database for 林山寨街道 holding two
// cross-province cases, an in-province case and a mismatch case, with
// the division table beside it, and returns its path.
func fieldTownship(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "township.db")
	table := hecha.NewDivisionTable()
	if err := codefile.LoadDivisions(table, strings.NewReader(regionsCSV)); err != nil {
		t.Fatal(err)
	}
	if err := cli.SaveRegions(path, table); err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return testNow }
	db, err := store.OpenTownship(path, store.WithNow(now),
		store.WithRules(&hecha.Rules{Divisions: table, Now: now}), store.WithNoSync())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	if err := db.SaveSettings(ctx, hecha.Settings{Township: "410102001", Clerk: "王芳"}); err != nil {
		t.Fatal(err)
	}
	c1 := testCase("C001", "张三", "1985-03-12", 1)
	c2 := testCase("C002", "李明", "1990-07-01", 2)
	c2.Candidates = []hecha.Candidate{{Source: hecha.SourceFloating, Form: hecha.FormR2,
		Floating: &hecha.FloatingRecord{ID: "F002", InflowDivision: "310101"}}}
	p1 := testCase("P001", "王五", "1978-11-20", 3)
	p1.Kind, p1.Person.CurrentDivision = hecha.KindInProvince, "410102002"
	p1.InflowDivision, p1.InflowAddress, p1.InflowDate = "410102002", "建设路街道3号", hecha.NewDate(2020, 1, 1)
	m1 := testCase("M001", "赵六", "1992-02-02", 4)
	m1.Kind = hecha.KindMismatch
	out := hecha.Basic{Name: "赵六", Sex: hecha.SexMale, BirthDate: m1.Person.BirthDate, CitizenID: m1.Person.CitizenID}
	res := out
	res.Name = "赵陆"
	m1.Resident, m1.Outflow = &res, &out
	cases := []hecha.Case{c1, c2, p1, m1}
	for i := range cases {
		cases[i].Unit, cases[i].Rev = "410102001", 1
	}
	if err := db.ApplyCases(ctx, cases, 1); err != nil {
		t.Fatal(err)
	}
	return path
}

// readSheet reads a table as the import would: the header, then the rows.
func readSheet(t *testing.T, path string) (header []string, rows [][]string) {
	t.Helper()
	r, err := sheet.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for {
		_, cells, err := r.Next()
		if err == io.EOF {
			return r.Header(), rows
		}
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, cells)
	}
}

// fill sets the cells of the row of case id by column name.
func fill(t *testing.T, header []string, rows [][]string, id string, set map[string]string) {
	t.Helper()
	for _, row := range rows {
		if row[0] != id {
			continue
		}
		for name, v := range set {
			i := slices.Index(header, name)
			if i < 0 {
				t.Fatalf("no column %s", name)
			}
			for len(row) <= i {
				row = append(row, "")
			}
			row[i] = v
		}
		for j := range rows {
			if rows[j][0] == id {
				rows[j] = row
			}
		}
		return
	}
	t.Fatalf("no row %s", id)
}

// writeSheet writes a filled sheet as CSV in enc.
func writeSheet(t *testing.T, path string, enc sheet.Encoding, header []string, rows [][]string) {
	t.Helper()
	w, err := sheet.Create(path, sheet.CSV, enc)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range append([][]string{header}, rows...) {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

func history(t *testing.T, path, id string) []hecha.ResultVersion {
	t.Helper()
	db := openTownship(t, path)
	defer db.Close()
	h, err := db.History(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestFieldWorkCSV(t *testing.T) {
	db := fieldTownship(t)
	dir := t.TempDir()
	sheetPath := filepath.Join(dir, "sheet.csv")

	r := run(t, db, "export", "pending", "-o", sheetPath)
	wantCode(t, r, 0)
	wantOut(t, r, "exported 4 cases to verify", "hecha import results")
	header, rows := readSheet(t, sheetPath)
	if len(rows) != 4 || rows[0][0] != "C001" || rows[2][0] != "P001" || rows[3][0] != "M001" {
		t.Fatalf("rows by kind, then number: %q", rows)
	}
	for _, h := range []string{"个案编号", "姓名", "家庭户信息", "核查结果", "查无此人原因", "去向行政区划", "去向地址", "备注",
		"新流入地行政区划", "重新登记日期", "更正去向行政区划", "更正日期", "流出登记日期", "流出登记去向", "流出登记原因",
		"姓名取值", "更正身份证号", "常驻人口信息员确认", "确认人", "流入地行政区划", "常住姓名"} {
		if !slices.Contains(header, h) {
			t.Errorf("the sheet lacks %s", h)
		}
	}
	if got := rows[1][slices.Index(header, "系统比对")]; got != "R2 流动人口系统 F002" {
		t.Errorf("comparison: %q", got)
	}

	// The clerk fills three rows; the in-province one lacks its remark.
	fill(t, header, rows, "C001", map[string]string{"核查结果": "R1", "查无此人原因": "死亡"})
	fill(t, header, rows, "C002", map[string]string{"核查结果": "R2 流动人口系统，流入地一致", "常驻人口信息员确认": "√", "确认人": "李建国",
		"现居住地地址": "上海市黄浦区南京东路9号", "文化程度": "初中", "户口性质": "农业", "婚姻状况": "已婚", "流动原因": "务工经商",
		"流出日期": "2015/4/1"})
	fill(t, header, rows, "P001", map[string]string{"核查结果": "查无此人", "查无此人原因": "其他"})
	filled := filepath.Join(dir, "filled.csv")
	writeSheet(t, filled, sheet.GB18030, header, rows)

	r = run(t, db, "import", "results", filled)
	wantCode(t, r, cli.ExitFailure)
	wantOut(t, r, "saved 2 results (0 of them corrections), unchanged 0, skipped 1 rows without a result, rejected 1")
	if !strings.HasPrefix(r.stderr, "line 4, field no such person › remark: ") || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("rejected rows:\n%s", r.stderr)
	}
	if h := history(t, db, "C002"); len(h) != 1 || h[0].Result.Verified.CurrentAddress != "上海市黄浦区南京东路9号" ||
		h[0].Result.CandidateID != "F002" || h[0].Result.Clerk != "王芳" || h[0].Result.Township != "410102001" {
		t.Errorf("C002 history %+v", h)
	}

	// The same sheet again changes nothing.
	r = run(t, db, "import", "results", filled)
	wantCode(t, r, cli.ExitFailure)
	wantOut(t, r, "saved 0 results (0 of them corrections), unchanged 2, skipped 1 rows without a result, rejected 1")
	if h := history(t, db, "C001"); len(h) != 1 {
		t.Errorf("C001 has %d versions after a second import", len(h))
	}

	// Fixed, and C001 answered differently: a correction.
	fill(t, header, rows, "P001", map[string]string{"备注": "多年未见"})
	fill(t, header, rows, "C001", map[string]string{"查无此人原因": "其他", "备注": "'=无人认识"})
	writeSheet(t, filled, sheet.UTF8BOM, header, rows)
	r = run(t, db, "import", "results", filled)
	wantCode(t, r, 0)
	wantOut(t, r, "saved 2 results (1 of them corrections), unchanged 1, skipped 1 rows without a result, rejected 0")
	h := history(t, db, "C001")
	if len(h) != 2 || h[1].Result.Replaces != h[0].Result.ID || h[1].Result.NotFound.Remark != "=无人认识" {
		t.Errorf("C001 history %+v", h)
	}
	tdb := openTownship(t, db)
	items, err := tdb.Outbox(context.Background())
	tdb.Close()
	if err != nil || len(items) != 4 {
		t.Errorf("outbox %d items, %v", len(items), err)
	}

	// Only the mismatch case is left to verify.
	r = run(t, db, "export", "pending", "-o", sheetPath, "--encoding", "gb18030")
	wantCode(t, r, 0)
	if _, rows := readSheet(t, sheetPath); len(rows) != 1 || rows[0][0] != "M001" {
		t.Errorf("left to verify: %q", rows)
	}
}

func TestFieldWorkXLSX(t *testing.T) {
	db := fieldTownship(t)
	sheetPath := filepath.Join(t.TempDir(), "工作表.xlsx")
	r := run(t, db, "export", "pending", "-o", sheetPath, "--kind", "3")
	wantCode(t, r, 0)
	wantOut(t, r, "exported 1 cases to verify", "(xlsx)")

	// Filled in the workbook itself.
	f, err := excelize.OpenFile(sheetPath)
	if err != nil {
		t.Fatal(err)
	}
	name := f.GetSheetName(0)
	header, _ := f.GetRows(name)
	col := func(h string) string {
		i := slices.Index(header[0], h)
		if i < 0 {
			t.Fatalf("no column %s in %q", h, header[0])
		}
		c, _ := excelize.ColumnNumberToName(i + 1)
		return c
	}
	if v, _ := f.GetCellValue(name, col("常住姓名")+"2"); v != "赵陆" {
		t.Errorf("resident name %q", v)
	}
	for h, v := range map[string]string{"核查结果": "M 不一致逐项确定", "姓名取值": "以流出人口为准", "性别取值": "常住",
		"出生日期取值": "常住", "身份证号取值": "流出", "常驻人口信息员确认": "是", "确认人": "李建国"} {
		f.SetCellValue(name, col(h)+"2", v)
	}
	dvs, _ := f.GetDataValidations(name)
	if len(dvs) == 0 {
		t.Error("no drop-down lists")
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	f.Close()

	r = run(t, db, "import", "results", sheetPath)
	wantCode(t, r, 0)
	wantOut(t, r, "saved 1 results")
	if h := history(t, db, "M001"); len(h) != 1 || h[0].Result.Mismatch.NameChoice != hecha.KeepOutflow {
		t.Errorf("M001 history %+v", h)
	}
}

func TestFieldWorkErrors(t *testing.T) {
	db := fieldTownship(t)
	dir := t.TempDir()
	wantCode(t, run(t, db, "export", "pending"), cli.ExitUsage)
	wantCode(t, run(t, db, "export", "pending", "-o", filepath.Join(dir, "x.csv"), "--format", "pdf"), cli.ExitUsage)
	wantCode(t, run(t, db, "export", "pending", "-o", filepath.Join(dir, "x.csv"), "--kind", "9"), cli.ExitUsage)
	wantCode(t, run(t, db, "export", "pending", "-o", filepath.Join(dir, "no", "dir", "x.csv")), cli.ExitFailure)
	wantCode(t, run(t, db, "import", "results", filepath.Join(dir, "missing.csv")), cli.ExitUsage)

	// A sheet without the result column is refused whole.
	bad := filepath.Join(dir, "bad.csv")
	writeSheet(t, bad, sheet.UTF8BOM, []string{"个案编号", "姓名"}, [][]string{{"C001", "张三"}})
	r := run(t, db, "import", "results", bad)
	wantCode(t, r, cli.ExitUsage)
	wantOut(t, r, "required columns are missing: form")

	// Unknown and repeated cases are rejected by line.
	rows := filepath.Join(dir, "rows.csv")
	writeSheet(t, rows, sheet.UTF8BOM, []string{"个案编号", "核查结果", "查无此人原因"}, [][]string{
		{"C999", "R1", "死亡"}, {"C001", "R1", "死亡"}, {"C001", "R1", "迁出"}, {"", "R1", "死亡"}})
	r = run(t, db, "import", "results", rows)
	wantCode(t, r, cli.ExitFailure)
	wantOut(t, r, "line 2, field case number: this township has no case numbered \"C999\"",
		"line 4, field case number: the case \"C001\" already appears on line 3", "line 5, field case number: ",
		"saved 1 results")

	// In Chinese.
	r = run(t, db, "import", "results", rows, "--lang", "zh")
	wantOut(t, r, "第 2 行，字段 个案编号：本乡镇没有编号为“C999”的个案")
}

// TestExportPendingForTheInterface calls ExportPending as the interface does.
func TestExportPendingForTheInterface(t *testing.T) {
	db := fieldTownship(t)
	var out, errb syncBuffer
	m := newTestMain(db, &out, &errb)
	defer m.Close()
	path := filepath.Join(t.TempDir(), "w.xlsx")
	n, err := m.ExportPending(context.Background(), WorksheetOptions{Path: path, Format: sheet.XLSX, Kind: hecha.KindCrossProvince})
	if err != nil || n != 2 {
		t.Fatalf("ExportPending = %d, %v", n, err)
	}
	if _, rows := readSheet(t, path); len(rows) != 2 {
		t.Errorf("%d rows", len(rows))
	}
}

// TestFieldWorkImportEdges imports sheets that once imported nothing and
// said so as success, or refused a whole file for one cell.
func TestFieldWorkImportEdges(t *testing.T) {
	db := fieldTownship(t)
	dir := t.TempDir()
	sheetPath := filepath.Join(dir, "sheet.csv")
	wantCode(t, run(t, db, "export", "pending", "-o", sheetPath), 0)
	header, rows := readSheet(t, sheetPath)
	fill(t, header, rows, "C001", map[string]string{"核查结果": "R1", "查无此人原因": "死亡"})
	fill(t, header, rows, "P001", map[string]string{"核查结果": "查无此人", "查无此人原因": "死亡"})

	// Saved as "CSV (Macintosh)": every line ends in CR alone.
	mac := filepath.Join(dir, "mac.csv")
	writeSheet(t, mac, sheet.UTF8BOM, header, rows)
	data, err := os.ReadFile(mac)
	if err != nil {
		t.Fatal(err)
	}
	data = bytes.ReplaceAll(bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n")), []byte("\n"), []byte("\r"))
	if bytes.Contains(data, []byte("\n")) {
		t.Fatal("LF left")
	}
	if err := os.WriteFile(mac, data, 0o644); err != nil {
		t.Fatal(err)
	}
	r := run(t, db, "import", "results", mac)
	wantCode(t, r, 0)
	wantOut(t, r, "saved 2 results (0 of them corrections), unchanged 0, skipped 2 rows without a result, rejected 0")

	// A header and no rows is no success.
	empty := filepath.Join(dir, "empty.csv")
	writeSheet(t, empty, sheet.UTF8BOM, header, nil)
	r = run(t, db, "import", "results", empty)
	wantCode(t, r, cli.ExitFailure)
	wantOut(t, r, "empty.csv has no data rows after its header")
	if strings.Contains(r.stdout, "saved") {
		t.Errorf("reported as an import:\n%s", r.stdout)
	}

	// A renamed column is named, with the column it may have been.
	renamed := slices.Clone(header)
	renamed[slices.Index(renamed, "查无此人原因")] = "原因X"
	fill(t, header, rows, "C002", map[string]string{"核查结果": "R1", "查无此人原因": "死亡"})
	ren := filepath.Join(dir, "renamed.csv")
	writeSheet(t, ren, sheet.UTF8BOM, renamed, rows)
	r = run(t, db, "import", "results", ren)
	wantCode(t, r, cli.ExitFailure)
	wantOut(t, r, `note: column `+strconv.Itoa(slices.Index(header, "查无此人原因")+1)+`, "原因X", is not a known column name; its contents are not imported (the closest known name is 查无此人原因)`)

	// Misspelt: refused before anything is read.
	renamed[slices.Index(renamed, "原因X")] = "查无此人原音"
	writeSheet(t, ren, sheet.UTF8BOM, renamed, rows)
	r = run(t, db, "import", "results", ren, "--lang", "zh")
	wantCode(t, r, cli.ExitUsage)
	wantOut(t, r, "列名“查无此人原音”无法识别，看起来像“查无此人原因”")

	// One NUL in one cell is that cell's error, by line and field.
	fill(t, header, rows, "C002", map[string]string{"查无此人原因": "其他", "备注": "搬\x00走"})
	nul := filepath.Join(dir, "nul.csv")
	writeSheet(t, nul, sheet.UTF8BOM, header, rows)
	r = run(t, db, "import", "results", nul)
	wantCode(t, r, cli.ExitFailure)
	wantOut(t, r, "line 3, field no such person › remark: holds control or invalid characters", "rejected 1")
}

// TestImportResultsSaysTheDivisionTableIsMissing: without a division
// table a code is checked for its form only (999999001 passes); the
// import says so and how to get the table.
func TestImportResultsSaysTheDivisionTableIsMissing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "township.db")
	now := func() time.Time { return testNow }
	db, err := store.OpenTownship(path, store.WithNow(now), store.WithNoSync())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := db.SaveSettings(ctx, hecha.Settings{Township: "410102001"}); err != nil {
		t.Fatal(err)
	}
	c := testCase("C001", "张三", "1985-03-12", 1)
	c.Unit, c.Rev = "410102001", 1
	if err := db.ApplyCases(ctx, []hecha.Case{c}, 1); err != nil {
		t.Fatal(err)
	}
	db.Close()
	rows := filepath.Join(t.TempDir(), "rows.csv")
	writeSheet(t, rows, sheet.UTF8BOM, []string{"个案编号", "核查结果", "查无此人原因", "去向行政区划", "去向地址"},
		[][]string{{"C001", "R1", "婚出", "999999001", "某地"}})
	r := run(t, path, "import", "results", rows)
	wantCode(t, r, 0)
	wantOut(t, r, "saved 1 results", "no division table", "hecha sync")
}
