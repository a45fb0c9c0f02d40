package sheet

import (
	"archive/zip"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// a4 is the paper size code of A4 in a workbook's page setup.
const a4 = 9

// maxChoices is the longest drop-down list a workbook takes, in
// characters with the separating commas.
const maxChoices = 255

// xlsxWriter streams a workbook laid out for printing.
type xlsxWriter struct {
	out    io.Writer
	book   *excelize.File
	sheet  string
	stream *excelize.StreamWriter
	cols   []ExportColumn
	// styles[i] is the style of column i's cells; headStyle the header's.
	styles    []int
	headStyle int
	line      int // the sheet row last written
}

func newXLSX(out io.Writer, cols []ExportColumn, o ExportOptions) (*xlsxWriter, error) {
	x := &xlsxWriter{out: out, book: excelize.NewFile(), sheet: "Sheet1", cols: cols}
	// Zip straight into out: by default the workbook is first zipped
	// whole into memory (File.WriteToBuffer), which grew with the rows
	// (331 MB for a worksheet of 279,000 cases; issue 17). The buffer
	// excelize passes stays empty and writes nothing.
	x.book.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(out) })
	if err := x.setup(o); err != nil {
		x.book.Close()
		return nil, err
	}
	return x, nil
}

// setup names the sheet, sets the page up for printing and starts the
// stream with the column widths and the frozen panes.
func (x *xlsxWriter) setup(o ExportOptions) error {
	if name := sheetName(o.Sheet); name != "" {
		if err := x.book.SetSheetName(x.sheet, name); err != nil {
			return fmt.Errorf("name worksheet: %w", err)
		}
		x.sheet = name
	}
	size, landscape, order := a4, "landscape", "overThenDown"
	if err := x.book.SetPageLayout(x.sheet, &excelize.PageLayoutOptions{Size: &size, Orientation: &landscape, PageOrder: &order}); err != nil {
		return fmt.Errorf("page layout: %w", err)
	}
	narrow, edge := 0.4, 0.3
	if err := x.book.SetPageMargins(x.sheet, &excelize.PageLayoutMarginsOptions{
		Left: &narrow, Right: &narrow, Top: &narrow, Bottom: &narrow, Header: &edge, Footer: &edge,
	}); err != nil {
		return fmt.Errorf("page margins: %w", err)
	}
	hf := &excelize.HeaderFooterOptions{OddFooter: "&C&P / &N"}
	if o.Title != "" {
		hf.OddHeader = "&C" + strings.ReplaceAll(o.Title, "&", "&&")
	}
	if err := x.book.SetHeaderFooter(x.sheet, hf); err != nil {
		return fmt.Errorf("page header: %w", err)
	}
	titles := "'" + x.sheet + "'!$1:$1"
	if o.Freeze > 0 && o.Freeze <= len(x.cols) {
		last, _ := excelize.ColumnNumberToName(o.Freeze)
		titles = "'" + x.sheet + "'!$A:$" + last + "," + titles
	}
	if err := x.book.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: titles, Scope: x.sheet}); err != nil {
		return fmt.Errorf("print titles: %w", err)
	}
	if err := x.makeStyles(); err != nil {
		return err
	}

	sw, err := x.book.NewStreamWriter(x.sheet)
	if err != nil {
		return fmt.Errorf("start worksheet: %w", err)
	}
	x.stream = sw
	if o.Freeze > 0 && o.Freeze < len(x.cols) {
		cell, _ := excelize.CoordinatesToCellName(o.Freeze+1, 2)
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, XSplit: o.Freeze, YSplit: 1, TopLeftCell: cell, ActivePane: "bottomRight"}); err != nil {
			return fmt.Errorf("freeze panes: %w", err)
		}
	}
	for i, c := range x.cols {
		w := c.Width
		if w <= 0 {
			w = DefaultWidth
		}
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return fmt.Errorf("column width: %w", err)
		}
	}
	return nil
}

// makeStyles makes the header's style and each column's: thin borders,
// text kept as text (so a number typed in stays as typed), wrapping where
// the column wraps, input columns shaded, numbers aligned right.
func (x *xlsxWriter) makeStyles() error {
	border := []excelize.Border{
		{Type: "left", Color: "808080", Style: 1}, {Type: "right", Color: "808080", Style: 1},
		{Type: "top", Color: "808080", Style: 1}, {Type: "bottom", Color: "808080", Style: 1},
	}
	var err error
	x.headStyle, err = x.book.NewStyle(&excelize.Style{
		Border: border, Font: &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9D9D9"}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
	})
	if err != nil {
		return fmt.Errorf("header style: %w", err)
	}
	cache := map[string]int{}
	for _, c := range x.cols {
		key := fmt.Sprint(c.Wrap, c.Input, c.Numeric)
		id, ok := cache[key]
		if !ok {
			st := &excelize.Style{Border: border, Alignment: &excelize.Alignment{Vertical: "top", WrapText: c.Wrap}}
			if c.Numeric {
				st.Alignment.Horizontal = "right"
			} else {
				st.NumFmt = 49 // text
			}
			if c.Input {
				st.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFF8DC"}}
			}
			if id, err = x.book.NewStyle(st); err != nil {
				return fmt.Errorf("cell style: %w", err)
			}
			cache[key] = id
		}
		x.styles = append(x.styles, id)
	}
	return nil
}

// header writes the header row.
func (x *xlsxWriter) header(cells []string) error {
	vals := make([]any, len(cells))
	for i, c := range cells {
		vals[i] = excelize.Cell{StyleID: x.headStyle, Value: c}
	}
	x.line = 1
	if err := x.stream.SetRow("A1", vals, excelize.RowOpts{Height: 30}); err != nil {
		return fmt.Errorf("header: %w", err)
	}
	return nil
}

// row writes one row after the header.
func (x *xlsxWriter) row(cells []string) error {
	x.line++
	n := max(len(cells), len(x.cols))
	vals := make([]any, n)
	for i := range n {
		v := ""
		if i < len(cells) {
			v = cells[i]
		}
		cell := excelize.Cell{Value: v}
		if i < len(x.cols) {
			cell.StyleID = x.styles[i]
			if x.cols[i].Numeric {
				if n, err := strconv.Atoi(v); err == nil {
					cell.Value = n
				}
			}
		}
		vals[i] = cell
	}
	ref, err := excelize.CoordinatesToCellName(1, x.line)
	if err != nil {
		return fmt.Errorf("row %d: %w", x.line, err)
	}
	if err := x.stream.SetRow(ref, vals); err != nil {
		return fmt.Errorf("row %d: %w", x.line, err)
	}
	return nil
}

// choices adds a drop-down list to column col for sheet rows first..last.
func (x *xlsxWriter) choices(col, first, last int, list []string) error {
	if len(list) == 0 || utf8.RuneCountInString(strings.Join(list, ",")) > maxChoices {
		return nil
	}
	from, err := excelize.CoordinatesToCellName(col+1, first)
	if err != nil {
		return err
	}
	to, err := excelize.CoordinatesToCellName(col+1, last)
	if err != nil {
		return err
	}
	dv := excelize.NewDataValidation(true)
	dv.Sqref = from + ":" + to
	if err := dv.SetDropList(list); err != nil {
		return nil // too long after all: no list
	}
	dv.SetError(excelize.DataValidationErrorStyleWarning, "", "")
	return x.book.AddDataValidation(x.sheet, dv)
}

// close completes the workbook and writes it out.
func (x *xlsxWriter) close() error {
	if x.book == nil {
		return nil
	}
	defer func() { x.book.Close(); x.book = nil }()
	if err := x.stream.Flush(); err != nil {
		return fmt.Errorf("finish worksheet: %w", err)
	}
	if err := x.book.Write(x.out); err != nil {
		return fmt.Errorf("save workbook: %w", err)
	}
	return nil
}

// sheetName makes s a usable worksheet name: without the characters a
// name cannot hold, at most 31 characters.
func sheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\'`, r) {
			return '_'
		}
		return r
	}, strings.TrimSpace(s))
	if utf8.RuneCountInString(s) > 31 {
		s = string([]rune(s)[:31])
	}
	return s
}
