package sheet

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf16"

	"golang.org/x/text/encoding/simplifiedchinese"

	"hecha"
)

// sample is a table with Chinese text, a middle dot, quotes, commas, a
// line break inside a cell, leading zeros and an 18-digit number.
var sample = [][]string{
	{"个案编号", "姓名", "公民身份证号", "现居住地地址", "备注"},
	{"0001", "张伟", "41012219900101001X", "广东省深圳市宝安区西乡街道, 107国道旁"},
	{"0002", "阿依古丽·买买提", "410122198512120026", "浙江省杭州市\"滨江\"区", "第一行\n第二行"},
	{"0003", "李娜", "410122200002290020", " 前后有空格 ", "€ 𠀀 ㈠"},
}

// readAll reads every row after the header with its line.
func readAll(t *testing.T, r *Reader) (lines []int, rows [][]string) {
	t.Helper()
	for {
		line, cells, err := r.Next()
		if err == io.EOF {
			return lines, rows
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		lines = append(lines, line)
		rows = append(rows, trimRight(cells))
	}
}

// trimRight drops trailing empty cells, which a workbook does not store.
func trimRight(cells []string) []string {
	for len(cells) > 0 && cells[len(cells)-1] == "" {
		cells = cells[:len(cells)-1]
	}
	return cells
}

func writeTable(t *testing.T, format Format, enc Encoding, rows [][]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, format, enc)
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range rows {
		if err := w.Write(row); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestRoundTrip(t *testing.T) {
	tests := []struct {
		name   string
		format Format
		enc    Encoding
		prefix string
	}{
		{"utf8-bom", CSV, UTF8BOM, "\xEF\xBB\xBF个案编号"},
		{"utf8", CSV, UTF8, "个案编号"},
		{"gb18030", CSV, GB18030, "\xb8\xf6\xb0\xb8"}, // 个案 in GB18030
		{"xlsx", XLSX, UTF8BOM, "PK\x03\x04"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := writeTable(t, tt.format, tt.enc, sample)
			if !bytes.HasPrefix(data, []byte(tt.prefix)) {
				t.Fatalf("file starts %q, want %q", data[:min(12, len(data))], tt.prefix)
			}
			r, err := NewReader(bytes.NewReader(data), "sample."+tt.format.String())
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if got := r.Header(); !reflect.DeepEqual(got, sample[0]) {
				t.Errorf("header = %q, want %q", got, sample[0])
			}
			lines, rows := readAll(t, r)
			if !reflect.DeepEqual(rows, sample[1:]) {
				t.Errorf("rows = %q,\nwant %q", rows, sample[1:])
			}
			// The cell with a line break spans two lines of the CSV file,
			// but a spreadsheet shows it as one row.
			if want := []int{2, 3, 4}; !reflect.DeepEqual(lines, want) {
				t.Errorf("lines = %v, want %v", lines, want)
			}
		})
	}
}

func TestReadCSV(t *testing.T) {
	gb, err := simplifiedchinese.GB18030.NewEncoder().String("姓名,性别\r\n张伟,男\r\n王芳,女\r\n")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		in     string
		header []string
		rows   [][]string
		lines  []int
	}{
		{"bom crlf", "\xEF\xBB\xBF姓名,性别\r\n张伟,男\r\n", []string{"姓名", "性别"}, [][]string{{"张伟", "男"}}, []int{2}},
		{"gb18030", gb, []string{"姓名", "性别"}, [][]string{{"张伟", "男"}, {"王芳", "女"}}, []int{2, 3}},
		{"ragged", "a,b,c\n1\n1,2,3,4\n", []string{"a", "b", "c"}, [][]string{{"1"}, {"1", "2", "3", "4"}}, []int{2, 3}},
		{"lazy quotes", "a,b\nx\"y,\"p\"q\"\n", []string{"a", "b"}, [][]string{{"x\"y", "p\"q"}}, []int{2}},
		{"blank lines keep numbering", "\n\na,b\n\n1,2\n,,\n  , \n3,4", []string{"a", "b"}, [][]string{{"1", "2"}, {"3", "4"}}, []int{5, 8}},
		{"tab separated", "姓名\t性别\n张伟\t男\n", []string{"姓名", "性别"}, [][]string{{"张伟", "男"}}, []int{2}},
		{"utf16 bom", "\xFF\xFEa\x00\t\x00b\x00\n\x001\x00\t\x002\x00\n\x00", []string{"a", "b"}, [][]string{{"1", "2"}}, []int{2}},
		{"no final newline", "a\n1", []string{"a"}, [][]string{{"1"}}, []int{2}},
		// Excel's "CSV (Macintosh)" ends lines with CR alone.
		{"cr only", "姓名,性别\r张伟,男\r\r王芳,女\r", []string{"姓名", "性别"}, [][]string{{"张伟", "男"}, {"王芳", "女"}}, []int{2, 4}},
		{"cr only quoted break", "a,b\r\"x\ry\",2\r3,4", []string{"a", "b"}, [][]string{{"x\ny", "2"}, {"3", "4"}}, []int{2, 3}},
		{"mixed endings", "a,b\r\n1,2\r3,4\n5,6", []string{"a", "b"}, [][]string{{"1", "2"}, {"3", "4"}, {"5", "6"}}, []int{2, 3, 4}},
		{"utf16le no bom", utf16LE("姓名,性别,ID\r\n张伟,男,41010219800101001X\r\n"), []string{"姓名", "性别", "ID"}, [][]string{{"张伟", "男", "41010219800101001X"}}, []int{2}},
		{"utf16be no bom", utf16BE("a,b\n1,2\n"), []string{"a", "b"}, [][]string{{"1", "2"}}, []int{2}},
		// One NUL in one cell is that cell's problem, for the parser to name.
		{"nul in a cell", "姓名,性别\n张伟,男\n王\x00芳,女\n", []string{"姓名", "性别"}, [][]string{{"张伟", "男"}, {"王\x00芳", "女"}}, []int{2, 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewReader(strings.NewReader(tt.in), "t.csv")
			if err != nil {
				t.Fatal(err)
			}
			if got := r.Header(); !reflect.DeepEqual(got, tt.header) {
				t.Errorf("header = %q, want %q", got, tt.header)
			}
			lines, rows := readAll(t, r)
			if !reflect.DeepEqual(rows, tt.rows) || !reflect.DeepEqual(lines, tt.lines) {
				t.Errorf("rows = %q at %v, want %q at %v", rows, lines, tt.rows, tt.lines)
			}
		})
	}
}

// TestReadLongASCIIPrefix checks that a GB18030 file whose first megabyte
// is plain ASCII is still decoded as GB18030.
func TestReadLongASCIIPrefix(t *testing.T) {
	var b strings.Builder
	b.WriteString("name,sex\n")
	for b.Len() < sniffSize+10 {
		b.WriteString("zhang,1\n")
	}
	tail, _ := simplifiedchinese.GB18030.NewEncoder().String("王芳,2\n")
	b.WriteString(tail)
	r, err := NewReader(strings.NewReader(b.String()), "long.csv")
	if err != nil {
		t.Fatal(err)
	}
	_, rows := readAll(t, r)
	if last := rows[len(rows)-1]; last[0] != "王芳" {
		t.Errorf("last row = %q, want 王芳", last)
	}
}

func TestReadUTF8AcrossSniffBoundary(t *testing.T) {
	// A multi-byte character straddles the end of the inspected prefix.
	var b strings.Builder
	b.WriteString("姓名\n")
	for b.Len() < sniffSize-1 {
		b.WriteString("a\n")
	}
	b.WriteString("张伟\n")
	r, err := NewReader(strings.NewReader(b.String()), "big.csv")
	if err != nil {
		t.Fatal(err)
	}
	_, rows := readAll(t, r)
	if last := rows[len(rows)-1]; last[0] != "张伟" {
		t.Errorf("last row = %q, want 张伟", last)
	}
}

// TestReadCROnlyLong reads a CR-ended file longer than the buffers the
// line-break conversion works through, so that some CR falls at the end
// of one.
func TestReadCROnlyLong(t *testing.T) {
	var b strings.Builder
	b.WriteString("a,b\r")
	const n = 20000
	for i := range n {
		fmt.Fprintf(&b, "%d,x\r\n%d,y\r", i, i)
	}
	r, err := NewReader(strings.NewReader(b.String()), "mac.csv")
	if err != nil {
		t.Fatal(err)
	}
	lines, rows := readAll(t, r)
	if len(rows) != 2*n || lines[len(lines)-1] != 2*n+1 {
		t.Fatalf("%d rows, last at line %d; want %d, %d", len(rows), lines[len(lines)-1], 2*n, 2*n+1)
	}
	for _, row := range rows {
		if len(row) != 2 || strings.ContainsRune(row[1], '\r') {
			t.Fatalf("row %q", row)
		}
	}
}

func TestReadErrors(t *testing.T) {
	xlsx := writeTable(t, XLSX, UTF8BOM, sample)
	tests := []struct {
		name string
		in   []byte
		code string
		msg  string
	}{
		{"empty", nil, hecha.EINVALID, "tabfile.empty"},
		{"only blank lines", []byte("\n\n ,\n"), hecha.EINVALID, "tabfile.empty"},
		{"binary", []byte("\x00\x01\x02garbage"), hecha.EINVALID, "tabfile.not_table"},
		{"old xls", []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest"), hecha.EINVALID, "tabfile.ole"},
		{"truncated xlsx", xlsx[:len(xlsx)/2], hecha.EINVALID, "tabfile.bad_xlsx"},
		{"zip magic only", []byte("PK\x03\x04"), hecha.EINVALID, "tabfile.bad_xlsx"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewReader(bytes.NewReader(tt.in), "bad.file")
			if err == nil {
				r.Close()
				t.Fatal("no error")
			}
			var he *hecha.Error
			if !errors.As(err, &he) || he.Code != tt.code || he.MsgID != tt.msg {
				t.Fatalf("err = %#v, want code %s msg %s", err, tt.code, tt.msg)
			}
			for _, lang := range []hecha.Lang{hecha.Chinese, hecha.English} {
				if m := he.Message(lang); !strings.Contains(m, "bad.file") {
					t.Errorf("%s message %q does not name the file", lang, m)
				}
			}
		})
	}
}

func TestOpenAndCreate(t *testing.T) {
	dir := t.TempDir()
	for _, format := range []Format{CSV, XLSX} {
		path := filepath.Join(dir, "out."+format.String())
		w, err := Create(path, format, GB18030)
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range sample {
			if err := w.Write(row); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if FormatOf(path) != format {
			t.Errorf("FormatOf(%s) = %v", path, FormatOf(path))
		}
		r, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		_, rows := readAll(t, r)
		if err := r.Close(); err != nil {
			t.Error(err)
		}
		if !reflect.DeepEqual(rows, sample[1:]) {
			t.Errorf("%v: rows = %q", format, rows)
		}
	}
	_, err := Open(filepath.Join(dir, "missing.csv"))
	if hecha.ErrorCode(err) != hecha.ENOTFOUND || !strings.Contains(hecha.ErrorMessage(err, hecha.Chinese), "missing.csv") {
		t.Errorf("Open(missing) = %v", err)
	}
	if _, err := Create(filepath.Join(dir, "no", "such", "dir.csv"), CSV, UTF8BOM); hecha.ErrorCode(err) != hecha.EINVALID {
		t.Errorf("Create in a missing directory = %v", err)
	}
}

// TestXLSXBlankRows checks that rows a workbook leaves out still count.
func TestXLSXBlankRows(t *testing.T) {
	data := writeTable(t, XLSX, UTF8BOM, [][]string{{"a", "b"}, {"", ""}, {"1", "2"}, {" ", ""}, {"3", ""}})
	r, err := NewReader(bytes.NewReader(data), "gaps.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	lines, rows := readAll(t, r)
	if want := []int{3, 5}; !reflect.DeepEqual(lines, want) {
		t.Errorf("lines = %v, want %v (rows %q)", lines, want, rows)
	}
}

func TestParseFlags(t *testing.T) {
	for in, want := range map[string]Format{"csv": CSV, "XLSX": XLSX, ".xlsx": XLSX} {
		if got, err := ParseFormat(in); err != nil || got != want {
			t.Errorf("ParseFormat(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := ParseFormat("xls"); hecha.ErrorCode(err) != hecha.EINVALID || hecha.ErrorField(err) != "format" {
		t.Errorf("ParseFormat(xls) = %v", err)
	}
	for in, want := range map[string]Encoding{"utf8": UTF8BOM, "UTF-8": UTF8BOM, "": UTF8BOM, "gb18030": GB18030, "GBK": GB18030, "utf8-nobom": UTF8} {
		if got, err := ParseEncoding(in); err != nil || got != want {
			t.Errorf("ParseEncoding(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := ParseEncoding("latin1"); hecha.ErrorCode(err) != hecha.EINVALID || hecha.ErrorField(err) != "encoding" {
		t.Errorf("ParseEncoding(latin1) = %v", err)
	}
	for _, e := range []Encoding{UTF8BOM, UTF8, GB18030} {
		if got, err := ParseEncoding(e.String()); err != nil || got != e {
			t.Errorf("ParseEncoding(%v.String()) = %v, %v", e, got, err)
		}
	}
}

func TestMessagesBothLanguages(t *testing.T) {
	for _, id := range hecha.CatalogueKeys() {
		if !strings.HasPrefix(id, "tabfile.") {
			continue
		}
		m, _ := hecha.CatalogueEntry(id)
		if m.Zh == "" || m.En == "" {
			t.Errorf("%s lacks a language: %+v", id, m)
		}
	}
}

// utf16LE and utf16BE encode s in UTF-16 without a byte-order mark.
func utf16LE(s string) string { return encodeUTF16(s, false) }
func utf16BE(s string) string { return encodeUTF16(s, true) }

func encodeUTF16(s string, big bool) string {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		if big {
			b = append(b, byte(u>>8), byte(u))
		} else {
			b = append(b, byte(u), byte(u>>8))
		}
	}
	return string(b)
}
