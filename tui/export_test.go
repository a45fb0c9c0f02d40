package tui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hecha"
)

// fakeExports stands in for the command's export functions: each writes
// a small file and records the path it was given.
type fakeExports struct {
	worksheets, batches []string
	err                 error
	waiting             int
}

func (f *fakeExports) worksheet(_ context.Context, path string) (int, error) {
	f.worksheets = append(f.worksheets, path)
	if f.err != nil {
		return 0, f.err
	}
	return 3, os.WriteFile(path, []byte("sheet"), 0o600)
}

func (f *fakeExports) batch(_ context.Context, path string) (int, string, error) {
	f.batches = append(f.batches, path)
	if f.waiting == 0 {
		return 0, "", nil
	}
	return f.waiting, "01HBATCH", os.WriteFile(path, []byte("batch"), 0o600)
}

func TestExport_WorksheetAndBatch(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	rules := testRules(t)
	db := mustStore(t, rules)
	fx := &fakeExports{waiting: 2}
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules, ExportWorksheet: fx.worksheet, ExportBatch: fx.batch})
	d.keys("?")
	d.expect("x", "导出")
	d.keys("?", "x")
	d.expect("入户核查工作表", "离线批次文件", "文件名：核查工作表-20240315.xlsx", "当前文件夹")

	// The default, in the current folder; said where it went.
	d.keys("enter")
	want := filepath.Join(dir, "核查工作表-20240315.xlsx")
	if len(fx.worksheets) != 1 || fx.worksheets[0] != want {
		t.Fatalf("worksheet written to %q, want %q", fx.worksheets, want)
	}
	d.expect("已导出 3 个未核查个案到 " + dir)

	// Again: the file exists; a second enter replaces it.
	d.keys("enter")
	d.expect("文件已存在：再按回车覆盖")
	if len(fx.worksheets) != 1 {
		t.Fatal("an existing file was replaced without asking")
	}
	d.keys("enter")
	if len(fx.worksheets) != 2 {
		t.Fatal("the confirmed export did not run")
	}

	// A name without a format is a workbook; letters and ? are text here.
	d.keys("ctrl+u")
	d.typeText("s?名单")
	d.expect("将写入 s?名单.xlsx")
	d.keys("enter")
	if got := fx.worksheets[len(fx.worksheets)-1]; got != filepath.Join(dir, "s?名单.xlsx") {
		t.Fatalf("worksheet written to %q", got)
	}

	// The batch: its own default name follows the choice (when the name
	// was left empty or as offered).
	d.keys("ctrl+u", "down")
	d.expect("(*) 离线批次文件", "批次-20240315-1030.hecha")
	d.keys("ctrl+u")
	d.typeText("批次.hecha")
	d.keys("enter")
	if len(fx.batches) != 1 || fx.batches[0] != filepath.Join(dir, "批次.hecha") {
		t.Fatalf("batch written to %q", fx.batches)
	}
	d.expect("已把 2 个结果写入", "01HBATCH")
	fx.waiting = 0
	d.keys("ctrl+u")
	d.typeText("空.hecha")
	d.keys("enter")
	d.expect("没有等待上传的结果，没有写文件")

	// An error shows as one; esc goes back home.
	fx.err = hecha.Errorf(hecha.EUNAVAILABLE, "", "tui.export.no_name")
	d.keys("up", "ctrl+u")
	d.typeText(filepath.Join(dir, "坏.xlsx"))
	d.keys("enter")
	d.expect("错误：请填写文件名")
	d.keys("esc")
	d.expect("乡级核查工作台")
}

func TestExport_NotOfferedWithoutFunctions(t *testing.T) {
	rules := testRules(t)
	db := mustStore(t, rules)
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules})
	d.keys("?")
	if strings.Contains(d.screen(), "x 导出") {
		t.Fatalf("export offered without a function:\n%s", d.screen())
	}
	d.keys("?", "x")
	d.expect("乡级核查工作台")
	// Only the batch wired: the screen offers just that.
	d = newDriver(t, Config{Store: db, Registry: db, Rules: rules, ExportBatch: (&fakeExports{}).batch})
	d.keys("x")
	d.expect("离线批次文件", "批次-20240315-1030.hecha")
	d.expectNot("入户核查工作表")
}

// TestExport_NameStaysWithItsExport: a name typed for the batch does not
// become the worksheet's (批次-….hecha.xlsx), nor the other way round;
// each comes back when its export is chosen again.
func TestExport_NameStaysWithItsExport(t *testing.T) {
	t.Chdir(t.TempDir())
	rules := testRules(t)
	db := mustStore(t, rules)
	fx := &fakeExports{waiting: 2}
	d := newDriver(t, Config{Store: db, Registry: db, Rules: rules, ExportWorksheet: fx.worksheet, ExportBatch: fx.batch})
	d.keys("x", "down")
	d.expect("(*) 离线批次文件", "批次-20240315-1030.hecha")
	d.keys("backspace", "backspace", "backspace", "backspace", "backspace", "backspace")
	d.typeText("-u盘.hecha")
	d.expect("批次-20240315-1030-u盘.hecha")
	d.keys("up")
	d.expect("(*) 入户核查工作表", "文件名：核查工作表-20240315.xlsx")
	d.expectNot("hecha.xlsx", "u盘")
	d.keys("ctrl+u")
	d.typeText("三组名单")
	d.keys("down")
	d.expect("批次-20240315-1030-u盘.hecha")
	d.expectNot("三组名单")
	d.keys("up")
	d.expect("三组名单")
}
