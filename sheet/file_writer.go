package sheet

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"

	"hecha"
)

// Format is the kind of file a Writer writes.
type Format int

// The formats.
const (
	CSV  Format = iota // comma-separated text
	XLSX               // an Excel workbook with one worksheet
)

// String returns "csv" or "xlsx".
func (f Format) String() string {
	if f == XLSX {
		return "xlsx"
	}
	return "csv"
}

// ParseFormat reads a format flag: "csv" or "xlsx" (any case, with or
// without a leading dot). Anything else is EINVALID.
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(strings.TrimPrefix(strings.TrimSpace(s), ".")) {
	case "csv":
		return CSV, nil
	case "xlsx", "excel":
		return XLSX, nil
	}
	return CSV, hecha.Invalid("format", "tabfile.format", s)
}

// FormatOf returns the format a file name's extension names: XLSX for
// .xlsx, CSV for anything else.
func FormatOf(path string) Format {
	if strings.EqualFold(filepath.Ext(path), ".xlsx") {
		return XLSX
	}
	return CSV
}

// Encoding is the character encoding of a CSV file.
type Encoding int

// The encodings. UTF8BOM is the default: spreadsheet programs recognise
// UTF-8 by the byte-order mark. GB18030 is for old spreadsheet programs.
const (
	UTF8BOM Encoding = iota // UTF-8 starting with a byte-order mark
	GB18030                 // GB18030 (a superset of GBK and GB2312)
	UTF8                    // UTF-8 without a byte-order mark
)

// String returns "utf8", "gb18030" or "utf8-nobom".
func (e Encoding) String() string {
	switch e {
	case GB18030:
		return "gb18030"
	case UTF8:
		return "utf8-nobom"
	}
	return "utf8"
}

// ParseEncoding reads an encoding flag: "utf8" (with a BOM; also "utf-8",
// "utf8bom"), "utf8-nobom", or "gb18030" (also "gbk", "gb2312", which it
// covers). Anything else is EINVALID.
func ParseEncoding(s string) (Encoding, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "utf8", "utf-8", "utf8bom", "utf8-bom", "utf-8-bom":
		return UTF8BOM, nil
	case "utf8-nobom", "utf-8-nobom", "utf8nobom":
		return UTF8, nil
	case "gb18030", "gbk", "gb2312", "cp936":
		return GB18030, nil
	}
	return UTF8BOM, hecha.Invalid("encoding", "tabfile.encoding", s)
}

// xlsxSheet is the name of the one worksheet a Writer writes.
const xlsxSheet = "Sheet1"

// xlsxColWidth is the width given to every column of a written workbook.
const xlsxColWidth = 16

// Writer writes a table row by row. The first row written is the header;
// in a workbook it is bold. Close must be called to complete the file.
type Writer struct {
	format Format
	out    io.Writer
	closer io.Closer // the file Create opened

	// CSV.
	buf *bufio.Writer
	enc io.WriteCloser // the GB18030 encoder, when used
	csv *csv.Writer

	// XLSX.
	book   *excelize.File
	stream *excelize.StreamWriter
	bold   int
	row    int
}

// Create creates (or truncates) the file at path and returns a Writer for
// it. The encoding applies to CSV only; a workbook stores Unicode.
func Create(path string, format Format, enc Encoding) (*Writer, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, hecha.Invalid("", "tabfile.open", path, osReason(err))
	}
	w, err := NewWriter(f, format, enc)
	if err != nil {
		f.Close()
		return nil, err
	}
	w.closer = f
	return w, nil
}

// NewWriter returns a Writer writing the table to w. Close does not close w.
func NewWriter(w io.Writer, format Format, enc Encoding) (*Writer, error) {
	wr := &Writer{format: format, out: w}
	if format == XLSX {
		wr.book = excelize.NewFile()
		sw, err := wr.book.NewStreamWriter(xlsxSheet)
		if err != nil {
			return nil, fmt.Errorf("start worksheet: %w", err)
		}
		wr.stream = sw
		if wr.bold, err = wr.book.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}}); err != nil {
			return nil, fmt.Errorf("header style: %w", err)
		}
		return wr, nil
	}
	wr.buf = bufio.NewWriterSize(w, 64<<10)
	var dst io.Writer = wr.buf
	switch enc {
	case GB18030:
		wr.enc = transform.NewWriter(wr.buf, simplifiedchinese.GB18030.NewEncoder())
		dst = wr.enc
	case UTF8BOM:
		wr.buf.WriteString("\uFEFF")
	}
	wr.csv = csv.NewWriter(dst)
	// Line ends as old spreadsheet programs expect them.
	wr.csv.UseCRLF = true
	return wr, nil
}

// Write writes one row. Cells are written as text: a workbook keeps
// "0101" and 18-digit numbers as they are.
func (w *Writer) Write(cells []string) error {
	if w.format == XLSX {
		return w.writeXLSX(cells)
	}
	return w.csv.Write(cells)
}

func (w *Writer) writeXLSX(cells []string) error {
	w.row++
	var opts []excelize.RowOpts
	if w.row == 1 {
		if len(cells) > 0 {
			if err := w.stream.SetColWidth(1, len(cells), xlsxColWidth); err != nil {
				return fmt.Errorf("set column width: %w", err)
			}
		}
		opts = append(opts, excelize.RowOpts{StyleID: w.bold})
	}
	vals := make([]any, len(cells))
	for i, c := range cells {
		vals[i] = c
	}
	cell, err := excelize.CoordinatesToCellName(1, w.row)
	if err != nil {
		return fmt.Errorf("row %d: %w", w.row, err)
	}
	if err := w.stream.SetRow(cell, vals, opts...); err != nil {
		return fmt.Errorf("row %d: %w", w.row, err)
	}
	return nil
}

// Close completes the file: it flushes a CSV file, or saves the workbook.
// When the Writer came from Create it also closes the file.
func (w *Writer) Close() error {
	err := w.finish()
	if w.closer != nil {
		if cerr := w.closer.Close(); err == nil {
			err = cerr
		}
		w.closer = nil
	}
	return err
}

func (w *Writer) finish() error {
	if w.format == XLSX {
		if w.book == nil {
			return nil
		}
		defer func() { w.book.Close(); w.book = nil }()
		if err := w.stream.Flush(); err != nil {
			return fmt.Errorf("finish worksheet: %w", err)
		}
		if err := w.book.Write(w.out); err != nil {
			return fmt.Errorf("save workbook: %w", err)
		}
		return nil
	}
	if w.csv == nil {
		return nil
	}
	w.csv.Flush()
	err := w.csv.Error()
	if w.enc != nil {
		if cerr := w.enc.Close(); err == nil {
			err = cerr
		}
	}
	if ferr := w.buf.Flush(); err == nil {
		err = ferr
	}
	w.csv = nil
	return err
}
