package sheet

import (
	"slices"
	"strings"
	"unicode"

	"hecha"
)

// The import files (DESIGN §3; README "File formats"). Each has a header
// row of column names: the Chinese names below, or the English JSON names
// of the fields. Columns may come in any order, unknown columns are
// ignored, and a missing required column is one error naming them all.
// A row is read by the Header built from its file's header row, which
// parses every cell, normalises the record, validates it, and returns
// every problem at once, each about the field's JSON name.

// recordFile says which of the import files a Header reads.
type recordFile int

const (
	casesFile recordFile = iota
	residentFile
	floatingFile
)

// column is one column of an import file.
type column struct {
	key     string   // the JSON path of the field: "person.name", "outflow.date"
	zh      string   // the Chinese header
	aliases []string // further accepted headers (English JSON names)
	// required: a file without this column cannot be imported.
	required bool
	// ignored: a known column that an import does not read (the
	// bookkeeping of an export); it is neither indexed nor reported.
	ignored bool
}

// requiredItems are the items of a person that a cases file must have.
var requiredItems = []string{"name", "sex", "household_division", "citizen_id", "birth_date"}

// caseColumns are the columns of cases.csv, in the order CaseRow writes
// them: the case number and kind, the 15 items (hecha.PersonFields), the
// inflow registration, the two records of a mismatch case
// (hecha.BasicFields).
var caseColumns = func() []column {
	cols := []column{{key: "id", zh: "个案编号", required: true}, {key: "kind", zh: "个案类型"}}
	for _, f := range hecha.PersonFields {
		cols = append(cols, column{key: "person." + f.Path, zh: f.ColumnName(), aliases: append([]string{f.Path}, f.Aliases...),
			required: slices.Contains(requiredItems, f.Path)})
	}
	cols = append(cols, column{key: "inflow_division", zh: "流入地行政区划"}, column{key: "inflow_address", zh: "流入地地址"},
		column{key: "inflow_date", zh: "流入日期"})
	for _, side := range basicSides {
		for _, f := range hecha.BasicFields {
			cols = append(cols, column{key: side.key + "." + f.Path, zh: side.zh + hecha.FieldName(hecha.Chinese, f.Path),
				aliases: []string{side.key + "_" + f.Path}})
		}
	}
	return cols
}()

// basicSides are the two records of a mismatch case, as columns name them.
var basicSides = []struct{ key, zh string }{{"resident", "常住"}, {"outflow", "流出"}}

// residentColumns are the columns of resident.csv.
var residentColumns = []column{
	{key: "id", zh: "人员编号", required: true},
	{key: "name", zh: "姓名", required: true},
	{key: "sex", zh: "性别", required: true},
	{key: "birth_date", zh: "出生日期", required: true},
	{key: "citizen_id", zh: "公民身份证号", aliases: []string{"公民身份号码", "身份证号"}, required: true},
	{key: "household_division", zh: "户籍地行政区划", required: true},
	{key: "household_address", zh: "户籍所在地地址"},
	{key: "education", zh: "文化程度"},
	{key: "hukou_type", zh: "户口性质"},
	{key: "marital", zh: "婚姻状况"},
	{key: "outflow.date", zh: "流出日期", aliases: []string{"outflow_date"}},
	{key: "outflow.destination", zh: "流出地行政区划", aliases: []string{"outflow_destination"}},
	{key: "outflow.address", zh: "流出地址", aliases: []string{"outflow_address"}},
	{key: "outflow.reason", zh: "流出原因", aliases: []string{"outflow_reason"}},
}

// floatingColumns are the columns of floating.csv.
var floatingColumns = []column{
	{key: "id", zh: "人员编号", required: true},
	{key: "name", zh: "姓名", required: true},
	{key: "sex", zh: "性别", required: true},
	{key: "birth_date", zh: "出生日期", required: true},
	{key: "citizen_id", zh: "公民身份证号", aliases: []string{"公民身份号码", "身份证号"}, required: true},
	{key: "household_division", zh: "户籍地行政区划", required: true},
	{key: "household_address", zh: "户籍所在地地址"},
	{key: "inflow_division", zh: "流入地行政区划", required: true},
	{key: "inflow_address", zh: "流入地地址"},
	{key: "inflow_date", zh: "流入日期"},
	{key: "withdrawn", zh: "退档"},
	{key: "education", zh: "文化程度"},
	{key: "marital", zh: "婚姻状况"},
	{key: "reason", zh: "流动原因"},
}

func columnNames(cols []column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.zh
	}
	return out
}

// CaseColumns is the header row of cases.csv as CaseRow writes it.
var CaseColumns = columnNames(caseColumns)

// ResidentColumns is the header row of resident.csv as ResidentRow writes it.
var ResidentColumns = columnNames(residentColumns)

// FloatingColumns is the header row of floating.csv as FloatingRow writes it.
var FloatingColumns = columnNames(floatingColumns)

// Header maps the columns of one import file's header row to fields. Build
// it with NewCaseHeader, NewResidentHeader or NewFloatingHeader, then
// parse each row with the matching Parse method. A Header is read-only
// once built and safe for concurrent use.
type Header struct {
	file    recordFile
	index   map[string]int  // column key → cell index
	unknown []UnknownColumn // header cells that name no known column
}

// NewCaseHeader reads the header row of a cases file. Required columns:
// 个案编号, 姓名, 性别, 户籍地行政区划, 公民身份证号, 出生日期, and 现居住地行政区划
// when there is no 个案类型 column (every case is then cross-province).
// Errors are EINVALID: file.missing_columns (naming every missing
// column), file.duplicate_column, file.misspelt_column (a header that is
// no known name but looks like one the file lacks), or file.no_columns
// when no column is recognised at all (a title row above the header, or
// the wrong file). Other headers that name no known column are listed by
// Unknown.
func NewCaseHeader(cells []string) (*Header, error) {
	return newHeader(casesFile, caseColumns, cells)
}

// NewResidentHeader reads the header row of a resident registry file.
// Required columns: 人员编号, 姓名, 性别, 出生日期, 公民身份证号, 户籍地行政区划.
// Errors as NewCaseHeader.
func NewResidentHeader(cells []string) (*Header, error) {
	return newHeader(residentFile, residentColumns, cells)
}

// NewFloatingHeader reads the header row of a floating registry file.
// Required columns: those of NewResidentHeader and 流入地行政区划. Errors as
// NewCaseHeader.
func NewFloatingHeader(cells []string) (*Header, error) {
	return newHeader(floatingFile, floatingColumns, cells)
}

func newHeader(file recordFile, cols []column, cells []string) (*Header, error) {
	names := map[string]string{}
	ignored := map[string]bool{}
	for _, c := range cols {
		for _, n := range append([]string{c.zh, c.key}, c.aliases...) {
			names[headerKey(n)] = c.key
		}
		ignored[c.key] = c.ignored
	}
	h := &Header{file: file, index: map[string]int{}}
	var unknown []int
	for i, cell := range cells {
		key, ok := names[headerKey(cell)]
		if !ok {
			if headerKey(cell) != "" {
				unknown = append(unknown, i)
			}
			continue
		}
		if ignored[key] {
			continue
		}
		if _, dup := h.index[key]; dup {
			return nil, hecha.Invalid("", "file.duplicate_column", strings.TrimSpace(cell))
		}
		h.index[key] = i
	}
	if len(h.index) > 0 {
		// A misspelt column would lose its data: what looks like a known
		// column that the file lacks stops the import.
		if err := h.classifyUnknown(cols, cells, unknown); err != nil {
			return nil, err
		}
	}
	if len(h.index) == 0 {
		return nil, hecha.Invalid("", "file.no_columns", strings.Join(requiredNames(cols, nil), "、"),
			strings.Join(requiredKeys(cols, nil), ", "))
	}
	_, hasKind := h.index["kind"]
	missing := func(c column) bool {
		_, ok := h.index[c.key]
		need := c.required || file == casesFile && c.key == "person.current_division" && !hasKind
		return need && !ok
	}
	if zh := requiredNames(cols, missing); len(zh) > 0 {
		return nil, hecha.Invalid("", "file.missing_columns", strings.Join(zh, "、"), strings.Join(requiredKeys(cols, missing), ", "))
	}
	return h, nil
}

// requiredNames returns the Chinese names of the columns that keep says
// (the required ones when keep is nil).
func requiredNames(cols []column, keep func(column) bool) []string {
	var out []string
	for _, c := range cols {
		if keep == nil && c.required || keep != nil && keep(c) {
			out = append(out, c.zh)
		}
	}
	return out
}

// requiredKeys is requiredNames with the English (JSON) names.
func requiredKeys(cols []column, keep func(column) bool) []string {
	var out []string
	for _, c := range cols {
		if keep == nil && c.required || keep != nil && keep(c) {
			out = append(out, c.key)
		}
	}
	return out
}

// headerKey normalises a header cell for matching: spaces and BOMs
// removed, required-column marks (*) and a trailing note in brackets
// ("出生日期（yyyymmdd）") dropped, lower case.
func headerKey(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\uFEFF' || r == '\u200B' || r == '*' || r == '＊' {
			return -1
		}
		return r
	}, s)
	for _, open := range []string{"(", "（", "[", "【"} {
		if i := strings.Index(s, open); i > 0 {
			s = s[:i]
		}
	}
	return strings.ToLower(s)
}

// Has reports whether the file has the column of the field key ("person.name").
func (h *Header) Has(key string) bool {
	_, ok := h.index[key]
	return ok
}
