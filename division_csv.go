package hecha

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
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
// Errors (as Load returns them) wrapped with the file name: ErrorCode is
// EINVALID, AsErrors gives the first file's rows, Error names every file.
// A file that cannot be opened or read is an error and no table.
func LoadDivisionFiles(files []DivisionFile) (*DivisionTable, error) {
	t := NewDivisionTable()
	var errs []error
	t.mu.Lock()
	defer t.mu.Unlock()
	// Size the index for the files at hand (a row takes about 40 bytes).
	var size int64
	for _, f := range files {
		size += f.Size
	}
	t.byCode = make(map[Code]*divEntry, min(size/40, 1<<22))
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
		var fileErrs Errors
		var ioErr error
		if historic {
			haveHistoric = true
			fileErrs, ioErr = t.loadHistoric(f)
		} else {
			fileErrs, ioErr = t.load(f)
			t.mergeAdded()
		}
		f.Close()
		if ioErr != nil {
			return nil, fmt.Errorf("load divisions %s: %w", name, ioErr)
		}
		if len(fileErrs) > 0 {
			errs = append(errs, fmt.Errorf("%s: %w", name, fileErrs))
		}
	}
	t.rebuildTree()
	return t, errors.Join(errs...)
}

// Load reads one CSV file of divisions into t. The header says the format:
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
func (t *DivisionTable) Load(r io.Reader) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.lazyInit()
	errs, err := t.load(r)
	t.reindex()
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
func loadRowError(field, msgID string, line int, args ...any) *Error {
	return Invalid(field, msgID, append([]any{line}, args...)...)
}

// loadRows reads the data rows, calling row for each complete one. CSV
// syntax errors and rows with the wrong number of columns become errors;
// a read error of r is returned as the second result.
func loadRows(cr *csv.Reader, ncols int, row func(rec []string, line int) *Error) (Errors, error) {
	var errs Errors
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

// load reads one division file into t without reindexing; callers hold
// the write lock and call reindex.
func (t *DivisionTable) load(r io.Reader) (Errors, error) {
	cr := loadCSVReader(r)
	cols, raw, err := loadHeader(cr, divisionColumns)
	if err == io.EOF {
		return Errors{Invalid("code", "division.header", "")}, nil
	}
	if err != nil {
		return nil, err
	}
	_, hasCode := cols["code"]
	_, hasName := cols["name"]
	if cols == nil || !hasCode || !hasName {
		return Errors{Invalid("code", "division.header", strings.Join(raw, ","))}, nil
	}
	parentCol, hasParent := cols["parent"]
	levelCol, hasLevel := cols["level"]
	return loadRows(cr, len(raw), func(rec []string, line int) *Error {
		rawCode := strings.TrimSpace(rec[cols["code"]])
		c, err := ParseCode("code", rawCode)
		if err != nil || c == "" {
			return loadRowError("code", "division.row.code", line, rawCode)
		}
		name, err := CleanText("name", rec[cols["name"]], maxDivisionName)
		if err != nil || name == "" {
			return loadRowError("name", "division.row.name", line)
		}
		same := false
		if hasParent {
			rp := strings.TrimSpace(rec[parentCol])
			p, err := ParseCode("parent_code", rp)
			same = p == c
			if err != nil || p != "" && !same && !(c.Within(p) && p != c) {
				return loadRowError("parent_code", "division.row.parent", line, rp, rawCode)
			}
		}
		level := LevelNone
		if hasLevel {
			lw := strings.TrimSpace(rec[levelCol])
			l, ok := ParseLevel(lw)
			fits := ok && (l == c.Level() || l == LevelCounty && c.Level() == LevelCity)
			if lw != "" && !fits && !same {
				return loadRowError("level", "division.row.level", line, lw, rawCode)
			}
			if fits {
				level = l
			}
		}
		if c.Level() == LevelCity && (level == LevelCounty || same && level == LevelNone) {
			c += "00" // the city's own county-level row
		}
		t.add(c, name, false)
		return nil
	})
}

// maxDivisionName bounds a division's name, in runes.
const maxDivisionName = 100

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
// checked against them. Bad rows are reported as Load reports them.
func (t *DivisionTable) LoadHistoric(r io.Reader) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.lazyInit()
	errs, err := t.loadHistoric(r)
	if err != nil {
		return fmt.Errorf("load historic divisions: %w", err)
	}
	return errs.Err()
}

// loadHistoric reads the historic table; callers hold the write lock.
func (t *DivisionTable) loadHistoric(r io.Reader) (Errors, error) {
	cr := loadCSVReader(r)
	cols, raw, err := loadHeader(cr, historicColumns)
	if err == io.EOF {
		return Errors{Invalid("code", "division.header", "")}, nil
	}
	if err != nil {
		return nil, err
	}
	if len(cols) != 4 {
		return Errors{Invalid("code", "division.header", strings.Join(raw, ","))}, nil
	}
	if t.historic == nil {
		t.historic = map[Code]historicCode{}
		t.historicProv = map[Code]bool{}
	}
	return loadRows(cr, len(raw), func(rec []string, line int) *Error {
		rawCode := strings.TrimSpace(rec[cols["code"]])
		c, err := ParseCode("code", rawCode)
		if err != nil || c == "" {
			return loadRowError("code", "division.row.code", line, rawCode)
		}
		if c.Level() > LevelCounty {
			return loadRowError("code", "division.row.county_level", line, rawCode)
		}
		name, err := CleanText("name", rec[cols["name"]], maxDivisionName)
		if err != nil || name == "" {
			return loadRowError("name", "division.row.name", line)
		}
		var years [2]int
		for i, k := range []string{"from", "to"} {
			y := strings.TrimSpace(rec[cols[k]])
			if y == "" {
				continue
			}
			if len(y) != 4 || !allDigits(y) {
				return loadRowError("valid_"+k+"_year", "division.row.year", line, y)
			}
			years[i] = atoi(y)
		}
		t.historic[c] = historicCode{Name: name, From: years[0], To: years[1]}
		t.historicProv[c.Province()] = true
		return nil
	})
}

// WriteCSV writes the table as code,name,parent_code,level, sorted by code:
// codes padded to 6 digits down to county level, townships with 9 and
// villages with 12 digits; the parent is the nearest ancestor in the table;
// the level is a word (province … village). Load reads it back to the
// same table.
func (t *DivisionTable) WriteCSV(w io.Writer) error {
	t.mu.RLock()
	defer t.mu.RUnlock()
	cw := csv.NewWriter(w)
	cw.Write([]string{"code", "name", "parent_code", "level"})
	for _, e := range t.sorted {
		cw.Write([]string{divFileCode(e.Code), e.Name, divFileCode(e.parent), e.Code.Level().String()})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write divisions: %w", err)
	}
	return nil
}

// divFileCode writes c as the files do: padded to 6 digits to county level,
// 9 digits for a township, 12 for a village.
func divFileCode(c Code) string {
	if c.Level() == LevelTownship {
		return string(c)
	}
	return c.Padded()
}
