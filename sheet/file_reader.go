package sheet

// The table files (formerly cmd/internal/tabfile): Reader and Writer read
// and write the tables that hecha imports and exports: CSV in UTF-8 (with
// or without a byte-order mark), GB18030 or UTF-16, and XLSX workbooks.
// They know nothing of what the columns mean.

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"hecha"
)

// sniffSize is how much of a CSV file is inspected to decide its encoding
// before reading it as a stream.
const sniffSize = 1 << 20

// unzipLimit bounds how much an XLSX workbook may expand when unzipped.
const unzipLimit = 1 << 30

var (
	zipMagic = []byte("PK\x03\x04")
	oleMagic = []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")
	utf8BOM  = []byte("\xEF\xBB\xBF")
)

// Reader reads the rows of one table: a CSV file or the first worksheet of
// an XLSX workbook. The first row that is not blank is the header.
type Reader struct {
	name   string
	header []string
	closer io.Closer
	err    error // sticky: once reading failed, Next returns it again

	// CSV.
	csv     *csv.Reader
	row     int // spreadsheet row of the record last read
	lastEnd int // physical line on which the record last read ended

	// XLSX.
	book  *excelize.File
	rows  *excelize.Rows
	xlRow int
}

// Open opens the table at path. Close the Reader when done.
func Open(path string) (*Reader, error) {
	name := filepath.Base(path)
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, hecha.Errorf(hecha.ENOTFOUND, "", "tabfile.not_found", path)
		}
		return nil, hecha.Invalid("", "tabfile.open", path, osReason(err))
	}
	r, err := NewReader(f, name)
	if err != nil {
		f.Close()
		return nil, err
	}
	r.closer = f
	return r, nil
}

// NewReader reads a table from r; name is the file's name for messages.
// It detects the format: a zip archive is read as an XLSX workbook (its
// first worksheet); anything else as CSV in UTF-8 with or without a BOM,
// UTF-16 with or without a BOM, or, when the bytes are not valid UTF-8,
// GB18030. Lines may end in LF, CRLF or CR alone. The
// delimiter is a comma, or a tab when the first line has more tabs than
// commas (Excel's "Unicode text"). Errors that stop reading are EINVALID
// and name the file.
func NewReader(r io.Reader, name string) (*Reader, error) {
	head, err := io.ReadAll(io.LimitReader(r, sniffSize))
	if err != nil {
		return nil, hecha.Invalid("", "tabfile.read", name, 1, err.Error())
	}
	full := len(head) < sniffSize // head holds the whole input
	switch {
	case len(head) == 0:
		return nil, hecha.Invalid("", "tabfile.empty", name)
	case bytes.HasPrefix(head, zipMagic):
		return newXLSXReader(io.MultiReader(bytes.NewReader(head), r), name)
	case bytes.HasPrefix(head, oleMagic):
		return nil, hecha.Invalid("", "tabfile.ole", name)
	}
	src, err := decodeCSV(head, r, full, name)
	if err != nil {
		return nil, err
	}
	return newCSVReader(src, name)
}

// decodeCSV returns the CSV text decoded to UTF-8; head is the start of
// the input and rest the remainder.
func decodeCSV(head []byte, rest io.Reader, full bool, name string) (io.Reader, error) {
	all := func(b []byte) io.Reader { return io.MultiReader(bytes.NewReader(b), rest) }
	switch {
	case bytes.HasPrefix(head, utf8BOM):
		return all(head[len(utf8BOM):]), nil
	case bytes.HasPrefix(head, []byte("\xFF\xFE")), bytes.HasPrefix(head, []byte("\xFE\xFF")):
		dec := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
		return transform.NewReader(all(head), dec), nil
	}
	if order, ok := sniffUTF16(head); ok {
		dec := unicode.UTF16(order, unicode.IgnoreBOM).NewDecoder()
		return transform.NewReader(all(head), dec), nil
	}
	if looksBinary(head) {
		return nil, hecha.Invalid("", "tabfile.not_table", name)
	}
	if !full && isASCII(head) {
		// Nothing decides the encoding yet: read the rest and look at all of it.
		tail, err := io.ReadAll(rest)
		if err != nil {
			return nil, hecha.Invalid("", "tabfile.read", name, 1, err.Error())
		}
		head = append(head, tail...)
		if utf8.Valid(head) {
			return bytes.NewReader(head), nil
		}
		return transform.NewReader(bytes.NewReader(head), simplifiedchinese.GB18030.NewDecoder()), nil
	}
	if validUTF8Prefix(head, full) {
		return all(head), nil
	}
	return transform.NewReader(all(head), simplifiedchinese.GB18030.NewDecoder()), nil
}

// utf16Sniff is how much of the input sniffUTF16 looks at.
const utf16Sniff = 4 << 10

// sniffUTF16 recognises UTF-16 text without a byte-order mark by the NUL
// bytes of its ASCII characters (digits, commas, line breaks), which a
// table always has: they fall on the odd bytes in little-endian order and
// on the even bytes in big-endian order, while the other half of the
// pairs is almost never NUL.
func sniffUTF16(b []byte) (unicode.Endianness, bool) {
	n := min(len(b), utf16Sniff) &^ 1
	if n < 4 {
		return unicode.LittleEndian, false
	}
	var even, odd int // NUL bytes at even and at odd offsets
	for i := 0; i < n; i += 2 {
		if b[i] == 0 {
			even++
		}
		if b[i+1] == 0 {
			odd++
		}
	}
	pairs := n / 2
	switch {
	case odd*4 >= pairs && even*8 <= odd:
		return unicode.LittleEndian, true
	case even*4 >= pairs && odd*8 <= even:
		return unicode.BigEndian, true
	}
	return unicode.LittleEndian, false
}

// looksBinary reports whether b, the start of a file, is no text table:
// more than one byte in 20 is a control character that text does not
// hold. A stray NUL or control character in a cell of a text table is
// read, and left to the parser to name with its line and column.
func looksBinary(b []byte) bool {
	ctrl := 0
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' || c == 0x7F {
			ctrl++
		}
	}
	return ctrl*20 > len(b)
}

// validUTF8Prefix reports whether b is valid UTF-8, allowing b to end in
// the middle of a character when it is only the start of the input.
func validUTF8Prefix(b []byte, full bool) bool {
	if !full {
		// Drop an incomplete last character.
		for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
			if utf8.RuneStart(b[i]) {
				if !utf8.FullRune(b[i:]) {
					b = b[:i]
				}
				break
			}
		}
	}
	return utf8.Valid(b)
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func newCSVReader(src io.Reader, name string) (*Reader, error) {
	br := bufio.NewReader(transform.NewReader(src, crToLF{}))
	cr := csv.NewReader(br)
	cr.Comma = sniffDelimiter(br)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	rd := &Reader{name: name, csv: cr}
	return rd, rd.readHeader()
}

// crToLF turns every line break into LF: a CR alone (the "CSV
// (Macintosh)" of spreadsheet programs) becomes LF, CRLF is kept (the
// CSV reader drops its CR). Without it a file of CR-ended lines would be
// read as one long header row and no data.
type crToLF struct{ transform.NopResetter }

func (crToLF) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	for nSrc < len(src) {
		if nDst >= len(dst) {
			return nDst, nSrc, transform.ErrShortDst
		}
		c := src[nSrc]
		if c == '\r' {
			switch {
			case nSrc+1 < len(src):
				if src[nSrc+1] != '\n' {
					c = '\n'
				}
			case !atEOF:
				// Whether an LF follows is not known yet.
				return nDst, nSrc, transform.ErrShortSrc
			default:
				c = '\n'
			}
		}
		dst[nDst] = c
		nDst++
		nSrc++
	}
	return nDst, nSrc, nil
}

// sniffDelimiter returns a tab when the first line holds more tabs than
// commas, and a comma otherwise.
func sniffDelimiter(br *bufio.Reader) rune {
	b, _ := br.Peek(64 << 10)
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		b = b[:i]
	}
	if bytes.Count(b, []byte("\t")) > bytes.Count(b, []byte(",")) {
		return '\t'
	}
	return ','
}

func newXLSXReader(src io.Reader, name string) (rd *Reader, err error) {
	defer func() {
		// excelize parses outside input; a panic in it is a damaged file.
		if p := recover(); p != nil {
			rd, err = nil, hecha.Invalid("", "tabfile.bad_xlsx", name, fmt.Sprint(p))
		}
	}()
	book, err := excelize.OpenReader(src, excelize.Options{
		// Dates in the default short date format read as 2006-01-02.
		ShortDatePattern: "yyyy-mm-dd",
		UnzipSizeLimit:   unzipLimit,
	})
	if err != nil {
		return nil, hecha.Invalid("", "tabfile.bad_xlsx", name, err.Error())
	}
	sheets := book.GetSheetList()
	if len(sheets) == 0 {
		book.Close()
		return nil, hecha.Invalid("", "tabfile.no_sheet", name)
	}
	rows, err := book.Rows(sheets[0])
	if err != nil {
		book.Close()
		return nil, hecha.Invalid("", "tabfile.bad_xlsx", name, err.Error())
	}
	rd = &Reader{name: name, book: book, rows: rows}
	if err := rd.readHeader(); err != nil {
		rd.Close()
		return nil, err
	}
	return rd, nil
}

// readHeader reads the first row that is not blank.
func (r *Reader) readHeader() error {
	_, cells, err := r.Next()
	if err == io.EOF {
		return hecha.Invalid("", "tabfile.empty", r.name)
	}
	if err != nil {
		return err
	}
	if len(cells) > 0 {
		cells[0] = strings.TrimPrefix(cells[0], "\uFEFF")
	}
	r.header = cells
	return nil
}

// Name returns the file's name as given to NewReader.
func (r *Reader) Name() string { return r.name }

// Header returns the cells of the header row.
func (r *Reader) Header() []string { return r.header }

// Next returns the next row that is not blank (a row whose cells are all
// empty or spaces is skipped) and its line: the row number a spreadsheet
// program shows for it, the header being 1 when it is the file's first
// line. Rows may be shorter or longer than the header (a workbook stores
// no trailing empty cells). At the end Next returns io.EOF. Any other
// error means reading stopped (an unreadable or damaged file); it names
// the file and line, and Next returns it again if called again. Text that
// could not be decoded holds U+FFFD.
func (r *Reader) Next() (line int, cells []string, err error) {
	if r.err != nil {
		return 0, nil, r.err
	}
	for {
		if r.rows != nil {
			line, cells, err = r.nextXLSX()
		} else {
			line, cells, err = r.nextCSV()
		}
		if err != nil {
			if err != io.EOF {
				r.err = err
			}
			return line, nil, err
		}
		if !blank(cells) {
			return line, cells, nil
		}
	}
}

func (r *Reader) nextCSV() (int, []string, error) {
	rec, err := r.csv.Read()
	if err == io.EOF {
		return 0, nil, io.EOF
	}
	if err != nil {
		line := r.row + 1
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			line = r.row + max(1, pe.StartLine-r.lastEnd)
			err = pe.Err
		}
		return line, nil, hecha.Invalid("", "tabfile.read", r.name, line, err.Error())
	}
	// Blank lines skipped by encoding/csv still count as spreadsheet rows;
	// line breaks inside a quoted cell do not.
	start, _ := r.csv.FieldPos(0)
	last, _ := r.csv.FieldPos(len(rec) - 1)
	r.row += max(1, start-r.lastEnd)
	r.lastEnd = last + strings.Count(rec[len(rec)-1], "\n")
	for i, c := range rec {
		if !utf8.ValidString(c) {
			rec[i] = strings.ToValidUTF8(c, "\uFFFD")
		}
	}
	return r.row, rec, nil
}

func (r *Reader) nextXLSX() (line int, cells []string, err error) {
	defer func() {
		if p := recover(); p != nil {
			line, cells, err = r.xlRow, nil, hecha.Invalid("", "tabfile.bad_xlsx", r.name, fmt.Sprint(p))
		}
	}()
	if !r.rows.Next() {
		if err := r.rows.Error(); err != nil {
			return r.xlRow + 1, nil, hecha.Invalid("", "tabfile.bad_xlsx", r.name, err.Error())
		}
		return 0, nil, io.EOF
	}
	r.xlRow++
	cells, err = r.rows.Columns()
	if err != nil {
		return r.xlRow, nil, hecha.Invalid("", "tabfile.bad_xlsx", r.name, err.Error())
	}
	return r.xlRow, cells, nil
}

// Close releases the file. It is safe to call more than once.
func (r *Reader) Close() error {
	var err error
	if r.rows != nil {
		r.rows.Close()
		r.rows = nil
	}
	if r.book != nil {
		err = r.book.Close()
		r.book = nil
	}
	if r.closer != nil {
		if cerr := r.closer.Close(); err == nil {
			err = cerr
		}
		r.closer = nil
	}
	return err
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// osReason returns the reason of an operating-system error without the
// path it repeats.
func osReason(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
