package codefile

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"hecha"
)

// DivisionFiles are the files sheet.LoadDivisionDir reads, in this order, when
// present: the country to county level, the home province's counties,
// townships and villages, the project's own import file, and the historic
// GB/T 2260 codes (LoadHistoric) of the whole country, or, in a folder
// that lacks it, of Henan alone (as earlier versions shipped it).
var DivisionFiles = []string{
	"china_counties.csv",
	"henan_counties.csv",
	"henan_townships.csv",
	"henan_villages.csv",
	"regions.csv",
	"china_gbt2260_historic.csv",
	"henan_gbt2260_historic.csv",
}

// historicFiles are the members of DivisionFiles read by LoadHistoric, in
// order of preference: only the first one present is read.
var historicFiles = []string{"china_gbt2260_historic.csv", "henan_gbt2260_historic.csv"}

// DivisionFile is one file of a folder of division tables, as
// LoadDivisionFiles reads it: its name (one of DivisionFiles), its size
// (to size the index; 0 when unknown) and how to open it. The folder and
// its file system are the caller's (sheet.LoadDivisionDir).
type DivisionFile struct {
	Name string
	Size int64
	Open func() (io.ReadCloser, error)
}

// LoadDivisionFiles loads the files of a folder of division tables into a
// new table: files are those of DivisionFiles present in the folder, in
// the order of DivisionFiles; of the historic tables only the first is
// read. A file with bad rows still loads its good rows; the bad rows come
// back alongside the table as one error joining, per file, the file's
// hecha.Errors (as LoadDivisions returns them) wrapped with the file name:
// ErrorCode is EINVALID, AsErrors gives the first file's rows, Error names
// every file.
// A file that cannot be opened or read is an error and no table.
func LoadDivisionFiles(files []DivisionFile) (*hecha.DivisionTable, error) {
	t := hecha.NewDivisionTable()
	var errs []error
	// Size the index for the files at hand (a row takes about 40 bytes).
	var size int64
	for _, f := range files {
		size += f.Size
	}
	l := t.Loader(int(min(size/40, 1<<22)))
	defer l.Done()
	haveHistoric := false
	for _, file := range files {
		name := file.Name
		historic := slices.Contains(historicFiles, name)
		if historic && haveHistoric {
			continue
		}
		f, err := file.Open()
		if err != nil {
			return nil, fmt.Errorf("load divisions: %w", err)
		}
		var fileErrs hecha.Errors
		var ioErr error
		if historic {
			haveHistoric = true
			fileErrs, ioErr = loadHistoric(l, f)
		} else {
			fileErrs, ioErr = loadDivisions(l, f)
			l.Flush()
		}
		f.Close()
		if ioErr != nil {
			return nil, fmt.Errorf("load divisions %s: %w", name, ioErr)
		}
		if len(fileErrs) > 0 {
			errs = append(errs, fmt.Errorf("%s: %w", name, fileErrs))
		}
	}
	return t, errors.Join(errs...)
}

// LoadDivisions reads one CSV file of divisions into t. The header says the format:
//
//	code,name,parent_code,level   (counties: 6-digit padded codes; regions.csv)
//	code,name,county_code         (townships, 9 digits)
//	code,name,township_code       (villages, 12 digits)
//
// or the Chinese 代码,名称,上级代码,级别; columns may come in any order and
// parent and level are optional. UTF-8 with or without a BOM. Codes are
// normalised with ParseCode; a parent code must be an ancestor of the code
// and a level must fit the code. A code already in the table takes the new
// name.
//
// A city without counties is its own county level (DESIGN §2), and the
// files list it twice: 441900,东莞市,440000,city and again as its own
// county-level row, 441900,东莞市,441900,county. A row whose code reads as
// a city (xxxx00) is that county-level row when its level is county, or
// when its parent is the code itself and no level is given; it becomes the
// table's county-level entry 441900 under the city 4419.
//
// Every bad row is reported, as EINVALID errors with the line number in
// Args and the column in Field, returned together as Errors; the good rows
// are loaded all the same. A header it does not know loads nothing.
func LoadDivisions(t *hecha.DivisionTable, r io.Reader) error {
	l := t.Loader(0)
	errs, err := loadDivisions(l, r)
	l.Done()
	if err != nil {
		return fmt.Errorf("load divisions: %w", err)
	}
	return errs.Err()
}

// divisionColumns maps header names to columns.
var divisionColumns = map[string]string{
	"code": "code", "代码": "code", "区划代码": "code",
	"name": "name", "名称": "name", "区划名称": "name",
	"parent_code": "parent", "county_code": "parent", "township_code": "parent", "上级代码": "parent",
	"level": "level", "级别": "level",
}

// loadCSVReader returns a CSV reader over r with any UTF-8 BOM skipped.
func loadCSVReader(r io.Reader) *csv.Reader {
	br := bufio.NewReaderSize(r, 64<<10)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	cr.TrimLeadingSpace = true
	return cr
}

// header reads the header and maps its names through names to column
// indexes; it returns nil when a name is unknown or repeated.
func loadHeader(cr *csv.Reader, names map[string]string) (map[string]int, []string, error) {
	rec, err := cr.Read()
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return nil, []string{pe.Error()}, nil
	}
	if err != nil {
		return nil, nil, err
	}
	raw := append([]string(nil), rec...)
	cols := map[string]int{}
	for i, h := range rec {
		k, ok := names[strings.ToLower(strings.TrimSpace(h))]
		if _, dup := cols[k]; !ok || dup {
			return nil, raw, nil
		}
		cols[k] = i
	}
	return cols, raw, nil
}

// loadRowError makes the error for a bad row.
func loadRowError(field, msgID string, line int, args ...any) *hecha.Error {
	return hecha.Invalid(field, msgID, append([]any{line}, args...)...)
}

// loadRows reads the data rows, calling row for each complete one. CSV
// syntax errors and rows with the wrong number of columns become errors;
// a read error of r is returned as the second result.
func loadRows(cr *csv.Reader, ncols int, row func(rec []string, line int) *hecha.Error) (hecha.Errors, error) {
	var errs hecha.Errors
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return errs, nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			errs = append(errs, loadRowError("code", "division.row.csv", pe.Line, pe.Err.Error()))
			continue
		}
		if err != nil {
			return errs, err
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) != ncols {
			errs = append(errs, loadRowError("code", "division.row.columns", line, len(rec), ncols))
			continue
		}
		if e := row(rec, line); e != nil {
			errs = append(errs, e)
		}
	}
}

// loadDivisions reads one division file into l.
func loadDivisions(l *hecha.DivisionLoader, r io.Reader) (hecha.Errors, error) {
	cr := loadCSVReader(r)
	cols, raw, err := loadHeader(cr, divisionColumns)
	if err == io.EOF {
		return hecha.Errors{hecha.Invalid("code", "division.header", "")}, nil
	}
	if err != nil {
		return nil, err
	}
	_, hasCode := cols["code"]
	_, hasName := cols["name"]
	if cols == nil || !hasCode || !hasName {
		return hecha.Errors{hecha.Invalid("code", "division.header", strings.Join(raw, ","))}, nil
	}
	parentCol, hasParent := cols["parent"]
	levelCol, hasLevel := cols["level"]
	return loadRows(cr, len(raw), func(rec []string, line int) *hecha.Error {
		rawCode := strings.TrimSpace(rec[cols["code"]])
		c, err := hecha.ParseCode("code", rawCode)
		if err != nil || c == "" {
			return loadRowError("code", "division.row.code", line, rawCode)
		}
		name, err := hecha.CleanText("name", rec[cols["name"]], hecha.MaxDivisionNameLen)
		if err != nil || name == "" {
			return loadRowError("name", "division.row.name", line)
		}
		same := false
		if hasParent {
			rp := strings.TrimSpace(rec[parentCol])
			p, err := hecha.ParseCode("parent_code", rp)
			same = p == c
			if err != nil || p != "" && !same && !(c.Within(p) && p != c) {
				return loadRowError("parent_code", "division.row.parent", line, rp, rawCode)
			}
		}
		level := hecha.LevelNone
		if hasLevel {
			lw := strings.TrimSpace(rec[levelCol])
			lv, ok := hecha.ParseLevel(lw)
			fits := ok && (lv == c.Level() || lv == hecha.LevelCounty && c.Level() == hecha.LevelCity)
			if lw != "" && !fits && !same {
				return loadRowError("level", "division.row.level", line, lw, rawCode)
			}
			if fits {
				level = lv
			}
		}
		if c.Level() == hecha.LevelCity && (level == hecha.LevelCounty || same && level == hecha.LevelNone) {
			c += "00" // the city's own county-level row
		}
		l.Add(c, name)
		return nil
	})
}

// historicColumns maps the historic table's header names to columns.
var historicColumns = map[string]string{
	"code": "code", "代码": "code",
	"name": "name", "名称": "name",
	"valid_from_year": "from", "valid_to_year": "to",
}

// LoadHistoric reads the historic GB/T 2260 codes
// (henan_gbt2260_historic.csv: code,name,valid_from_year,valid_to_year;
// years may be empty) into t. They do not become divisions: CheckIDArea
// accepts them as ID-number area codes, and the provinces they cover are
// checked against them. Bad rows are reported as LoadDivisions reports them.
func LoadHistoric(t *hecha.DivisionTable, r io.Reader) error {
	l := t.Loader(0)
	errs, err := loadHistoric(l, r)
	l.Done()
	if err != nil {
		return fmt.Errorf("load historic divisions: %w", err)
	}
	return errs.Err()
}

// loadHistoric reads the historic table into l.
func loadHistoric(l *hecha.DivisionLoader, r io.Reader) (hecha.Errors, error) {
	cr := loadCSVReader(r)
	cols, raw, err := loadHeader(cr, historicColumns)
	if err == io.EOF {
		return hecha.Errors{hecha.Invalid("code", "division.header", "")}, nil
	}
	if err != nil {
		return nil, err
	}
	if len(cols) != 4 {
		return hecha.Errors{hecha.Invalid("code", "division.header", strings.Join(raw, ","))}, nil
	}
	return loadRows(cr, len(raw), func(rec []string, line int) *hecha.Error {
		rawCode := strings.TrimSpace(rec[cols["code"]])
		c, err := hecha.ParseCode("code", rawCode)
		if err != nil || c == "" {
			return loadRowError("code", "division.row.code", line, rawCode)
		}
		if c.Level() > hecha.LevelCounty {
			return loadRowError("code", "division.row.county_level", line, rawCode)
		}
		name, err := hecha.CleanText("name", rec[cols["name"]], hecha.MaxDivisionNameLen)
		if err != nil || name == "" {
			return loadRowError("name", "division.row.name", line)
		}
		var years [2]int
		for i, k := range []string{"from", "to"} {
			y := strings.TrimSpace(rec[cols[k]])
			if y == "" {
				continue
			}
			n, err := strconv.Atoi(y)
			if len(y) != 4 || err != nil || y[0] < '0' || y[0] > '9' {
				return loadRowError("valid_"+k+"_year", "division.row.year", line, y)
			}
			years[i] = n
		}
		l.AddHistoric(c, name, years[0], years[1])
		return nil
	})
}

// WriteDivisions writes the table as code,name,parent_code,level, sorted
// by code: codes padded to 6 digits down to county level, townships with
// 9 and villages with 12 digits; the parent is the nearest ancestor in the
// table; the level is a word (province … village). LoadDivisions reads it
// back to the same table.
func WriteDivisions(w io.Writer, t *hecha.DivisionTable) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"code", "name", "parent_code", "level"})
	t.Rows(func(d hecha.Division, parent hecha.Code) {
		cw.Write([]string{divFileCode(d.Code), d.Name, divFileCode(parent), d.Code.Level().String()})
	})
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write divisions: %w", err)
	}
	return nil
}

// divFileCode writes c as the files do: padded to 6 digits to county level,
// 9 digits for a township, 12 for a village.
func divFileCode(c hecha.Code) string {
	if c.Level() == hecha.LevelTownship {
		return string(c)
	}
	return c.Padded()
}
