package sheet

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

var testCols = []ExportColumn{
	{Header: "个案编号", Width: 16},
	{Header: "姓名", Width: 9},
	{Header: "备注", Width: 30, Wrap: true, Input: true},
	{Header: "核查结果", Input: true, Choices: []string{"R1 查无此人", "R2 流动人口系统，流入地一致"}},
	{Header: "个数", Numeric: true},
}

var testRows = [][]string{
	{"C001", "阿依古丽·买买提", "=HYPERLINK(\"x\")", "", "3"},
	{"C002", "张三", "第一行\n第二行", "R1 查无此人", "-1"},
}

// readAll reads a table back with tabfile, as an import would.
func exportReadAll(t *testing.T, path string) [][]string {
	t.Helper()
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	out := [][]string{r.Header()}
	for {
		_, cells, err := r.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, cells)
	}
}

func exportWriteTable(t *testing.T, path string, o ExportOptions) {
	t.Helper()
	w, err := CreateExport(path, testCols, o)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("the file exists before it is complete: %v", err)
	}
	for _, r := range testRows {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Choices(3, 1, w.Rows(), testCols[3].Choices); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestCSV(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	exportWriteTable(t, path, ExportOptions{Format: CSV})
	data, _ := os.ReadFile(path)
	if !bytes.HasPrefix(data, []byte("\xEF\xBB\xBF个案编号,")) {
		t.Errorf("no BOM or header: %q", data[:20])
	}
	got := exportReadAll(t, path)
	if got[1][2] != "'=HYPERLINK(\"x\")" {
		t.Errorf("formula not guarded: %q", got[1][2])
	}
	if got[2][4] != "-1" || got[2][2] != "第一行\n第二行" || got[1][1] != "阿依古丽·买买提" {
		t.Errorf("rows %q", got[1:])
	}

	// GB18030 for old spreadsheet programs.
	gb := filepath.Join(dir, "gb.csv")
	exportWriteTable(t, gb, ExportOptions{Format: CSV, Encoding: GB18030})
	raw, _ := os.ReadFile(gb)
	text, err := simplifiedchinese.GB18030.NewDecoder().Bytes(raw)
	if err != nil || !strings.HasPrefix(string(text), "个案编号,姓名") || !strings.Contains(string(text), "阿依古丽·买买提") {
		t.Errorf("GB18030: %q, %v", text, err)
	}
	if got := exportReadAll(t, gb); !slices.Equal(got[2], exportReadAll(t, path)[2]) {
		t.Errorf("GB18030 reads back as %q", got[2])
	}
}

func TestXLSX(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.xlsx")
	exportWriteTable(t, path, ExportOptions{Format: XLSX, Title: "待核查个案 & 工作表", Sheet: "待核查个案", Freeze: 2})

	got := exportReadAll(t, path)
	if !slices.Equal(got[0], []string{"个案编号", "姓名", "备注", "核查结果", "个数"}) || got[1][2] != "=HYPERLINK(\"x\")" || got[2][3] != "R1 查无此人" {
		t.Errorf("cells %q", got)
	}

	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetName(0)
	if sheet != "待核查个案" {
		t.Errorf("sheet %q", sheet)
	}
	if w, _ := f.GetColWidth(sheet, "C"); w != 30 {
		t.Errorf("width of C = %v", w)
	}
	if w, _ := f.GetColWidth(sheet, "D"); w != DefaultWidth {
		t.Errorf("width of D = %v", w)
	}
	if typ, _ := f.GetCellType(sheet, "E2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("number stored as %v", typ)
	}
	if v, _ := f.GetCellValue(sheet, "A1"); v != "个案编号" {
		t.Errorf("A1 = %q", v)
	}
	dvs, err := f.GetDataValidations(sheet)
	if err != nil || len(dvs) != 1 || dvs[0].Sqref != "D2:D3" || !strings.Contains(dvs[0].Formula1, "R1 查无此人") {
		t.Errorf("drop-down lists %+v, %v", dvs, err)
	}
	pl, err := f.GetPageLayout(sheet)
	if err != nil || pl.Orientation == nil || *pl.Orientation != "landscape" || pl.Size == nil || *pl.Size != a4 {
		t.Errorf("page layout %+v, %v", pl, err)
	}
	names := f.GetDefinedName()
	if len(names) != 1 || names[0].Name != "_xlnm.Print_Titles" || names[0].RefersTo != "'待核查个案'!$A:$B,'待核查个案'!$1:$1" {
		t.Errorf("print titles %+v", names)
	}
	panes, err := f.GetPanes(sheet)
	if err != nil || !panes.Freeze || panes.XSplit != 2 || panes.YSplit != 1 {
		t.Errorf("panes %+v, %v", panes, err)
	}
	hf, err := f.GetHeaderFooter(sheet)
	if err != nil || !strings.Contains(hf.OddHeader, "待核查个案 && 工作表") || !strings.Contains(hf.OddFooter, "&P") {
		t.Errorf("header and footer %+v, %v", hf, err)
	}
}

func TestAbort(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "gone.xlsx")
	w, err := CreateExport(path, testCols, ExportOptions{Format: XLSX})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(testRows[0])
	w.Abort()
	w.Abort()
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("left behind: %v", entries)
	}
	if _, err := CreateExport(filepath.Join(dir, "no", "such", "dir.csv"), testCols, ExportOptions{}); err == nil {
		t.Error("created a file in a folder that does not exist")
	}
}

func TestSheetName(t *testing.T) {
	if got := sheetName(" a/b[c]:d*e?f\\g'h "); got != "a_b_c__d_e_f_g_h" {
		t.Errorf("sheetName = %q", got)
	}
	if got := sheetName(strings.Repeat("长", 40)); len([]rune(got)) != 31 {
		t.Errorf("long name kept %d characters", len([]rune(got)))
	}
}

// TestLongChoices leaves out a list a workbook cannot take.
func TestLongChoices(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewExport(&buf, testCols, ExportOptions{Format: XLSX})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(testRows[0])
	long := []string{strings.Repeat("长", 200), strings.Repeat("短", 100)}
	if err := w.Choices(3, 1, 1, long); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if dvs, _ := f.GetDataValidations("Sheet1"); len(dvs) != 0 {
		t.Errorf("a list too long was added: %+v", dvs)
	}
}
