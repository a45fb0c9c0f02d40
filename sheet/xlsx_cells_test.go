package sheet

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// TestXLSXTypedCells checks how cells a clerk typed into a spreadsheet
// read: dates in the default date format as 2006-01-02, Chinese custom
// date formats as shown, and an ID number stored as a number in the
// scientific notation the import recognises as damaged.
func TestXLSXTypedCells(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	sheet := f.GetSheetName(0)
	day := time.Date(2023, 1, 5, 0, 0, 0, 0, time.UTC)
	f.SetSheetRow(sheet, "A1", &[]any{"出生日期", "流出日期", "公民身份证号", "个案编号"})
	f.SetCellValue(sheet, "A2", day)
	short, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	f.SetCellStyle(sheet, "A2", "A2", short)
	f.SetCellValue(sheet, "B2", day)
	custom := `yyyy"年"m"月"d"日"`
	chinese, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &custom})
	f.SetCellStyle(sheet, "B2", "B2", chinese)
	f.SetCellValue(sheet, "C2", int64(410122199001011234)) // int64: it overflows a 32-bit int
	f.SetCellValue(sheet, "D2", 1001)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	r, err := NewReader(&buf, "typed.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	_, cells, err := r.Next()
	if err != nil {
		t.Fatal(err)
	}
	if cells[0] != "2023-01-05" || cells[1] != "2023年1月5日" || cells[3] != "1001" {
		t.Errorf("cells = %q", cells)
	}
	if !strings.Contains(strings.ToUpper(cells[2]), "E+") {
		t.Errorf("an 18-digit number reads %q; the import expects scientific notation", cells[2])
	}
}
