package sheet

// The exports (formerly cmd/internal/export): Export writes the tables
// hecha gives out to people: the field worksheet, the reports and the
// county's export of results. A table is a CSV file (UTF-8 with a
// byte-order mark, or GB18030, through Writer) or
// an XLSX workbook laid out for printing: column widths, a shaded header
// that repeats on every printed page with the first columns, input
// columns shaded, drop-down lists, landscape A4 pages numbered in the
// footer. The file appears under its name only once it is complete.

import (
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"hecha"
)

// ExportColumn describes one column of a table.
type ExportColumn struct {
	Header string
	// Width is the column's width in characters in a workbook; 0 means
	// DefaultWidth.
	Width float64
	// Wrap lets long text wrap inside the cell.
	Wrap bool
	// Input marks a column filled in by hand: shaded in a workbook.
	Input bool
	// Numeric marks a column of numbers: a workbook stores the cells that
	// are integers as numbers and aligns the column right.
	Numeric bool
	// Choices is the column's drop-down list in a workbook (other values
	// stay allowed, with a warning); nil for none.
	Choices []string
}

// DefaultWidth is the width of a column without one.
const DefaultWidth = 12

// ExportOptions say how a table is written.
type ExportOptions struct {
	Format   Format
	Encoding Encoding // CSV only
	// Title is printed at the top of every page of a workbook.
	Title string
	// Sheet names the workbook's worksheet; "" means "Sheet1".
	Sheet string
	// Freeze is how many leading columns stay in view when scrolling and
	// are printed on every page, with the header row.
	Freeze int
}

// Export writes one table: the header row when created, then the rows.
// Close completes the file; Abort discards it.
type Export struct {
	cols []ExportColumn
	csv  *Writer
	xl   *xlsxWriter
	rows int

	// The file being written and its final name, for CreateExport.
	tmp  *os.File
	path string
}

// CreateExport starts the table in a temporary file beside path; Close renames
// it to path, so an interrupted export leaves no partial file behind.
// Errors are hecha errors naming the file.
func CreateExport(path string, cols []ExportColumn, o ExportOptions) (*Export, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return nil, hecha.Invalid("", "open", path, osReason(err))
	}
	w, err := NewExport(tmp, cols, o)
	if err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return nil, err
	}
	w.tmp, w.path = tmp, path
	return w, nil
}

// NewExport writes the table to out; Close does not close out.
func NewExport(out io.Writer, cols []ExportColumn, o ExportOptions) (*Export, error) {
	w := &Export{cols: cols}
	header := make([]string, len(cols))
	for i, c := range cols {
		header[i] = c.Header
	}
	if o.Format == XLSX {
		xl, err := newXLSX(out, cols, o)
		if err != nil {
			return nil, err
		}
		w.xl = xl
		return w, xl.header(header)
	}
	cw, err := NewWriter(out, CSV, o.Encoding)
	if err != nil {
		return nil, err
	}
	w.csv = cw
	return w, cw.Write(header)
}

// Write writes one row. In a CSV file a cell that a spreadsheet would take
// for a formula (it starts with =, +, - or @) gets an apostrophe in front,
// which the worksheet's reader removes again.
func (w *Export) Write(cells []string) error {
	w.rows++
	if w.xl != nil {
		return w.xl.row(cells)
	}
	var guarded []string
	for i, c := range cells {
		if needsGuard(c) && (i >= len(w.cols) || !w.cols[i].Numeric) {
			if guarded == nil {
				guarded = slices.Clone(cells)
			}
			guarded[i] = "'" + c
		}
	}
	if guarded == nil {
		guarded = cells
	}
	return w.csv.Write(guarded)
}

// Rows returns the number of rows written after the header.
func (w *Export) Rows() int { return w.rows }

// Choices offers a drop-down list in column col (from 0) for the rows
// first to last (from 1, counted after the header), in a workbook; a CSV
// file has none, so it does nothing there. A list too long for a
// workbook (255 characters) is left out.
func (w *Export) Choices(col, first, last int, choices []string) error {
	if w.xl == nil || first > last {
		return nil
	}
	return w.xl.choices(col, first+1, last+1, choices)
}

// Close completes the table and, for CreateExport, puts the file in place.
func (w *Export) Close() error {
	var err error
	if w.xl != nil {
		err = w.xl.close()
	} else {
		err = w.csv.Close()
	}
	if w.tmp == nil {
		return err
	}
	if cerr := w.tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(w.tmp.Name(), w.path)
	}
	if err != nil {
		os.Remove(w.tmp.Name())
		return hecha.Invalid("", "open", w.path, err.Error())
	}
	w.tmp = nil
	return nil
}

// Abort discards a table from CreateExport; it does nothing after Close.
func (w *Export) Abort() {
	if w.tmp == nil {
		return
	}
	w.tmp.Close()
	os.Remove(w.tmp.Name())
	w.tmp = nil
}

// needsGuard reports whether a spreadsheet would read s as a formula.
func needsGuard(s string) bool {
	return s != "" && strings.ContainsRune("=+-@", rune(s[0]))
}
