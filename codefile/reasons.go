package codefile

import (
	"fmt"
	"io"
	"strings"

	"hecha"
)

// reasonColumns maps the header names of a reasons file.
var reasonColumns = map[string]string{
	"code": "code", "代码": "code",
	"name": "name", "名称": "name",
	"en": "en", "name_en": "en", "英文名称": "en",
}

// LoadReasons reads a configurable list of reasons for moving from a CSV
// file with the header code,name (or 代码,名称), optionally with an English
// name column en; UTF-8 with or without a BOM. Codes and names must be
// given and unique; the English name defaults to the Chinese one. Bad
// rows are EINVALID errors about "reason" with the line number (code.row,
// code.dup), returned together; an empty list is an error (code.empty).
func LoadReasons(r io.Reader) (*hecha.CodeTable, error) {
	cr := loadCSVReader(r)
	cols, raw, err := loadHeader(cr, reasonColumns)
	if err != nil && err != io.EOF {
		return nil, fmt.Errorf("load reasons: %w", err)
	}
	_, hasCode := cols["code"]
	_, hasName := cols["name"]
	if cols == nil || !hasCode || !hasName {
		return nil, hecha.Invalid("reason", "code.header", strings.Join(raw, ","))
	}
	t := &hecha.CodeTable{Field: "reason"}
	seen := map[string]bool{}
	errs, err := loadRows(cr, len(raw), func(rec []string, line int) *hecha.Error {
		code, err1 := hecha.CleanText("reason", rec[cols["code"]], 10)
		name, err2 := hecha.CleanText("reason", rec[cols["name"]], hecha.MaxNameLen)
		en := name
		if i, ok := cols["en"]; ok {
			if v, err := hecha.CleanText("reason", rec[i], hecha.MaxNameLen); err == nil && v != "" {
				en = v
			}
		}
		if err1 != nil || err2 != nil || code == "" || name == "" || strings.ContainsAny(code, " \u3000") {
			return loadRowError("reason", "code.row", line)
		}
		for _, k := range []string{code, name, strings.ToLower(en)} {
			if seen[k] {
				return loadRowError("reason", "code.dup", line, k)
			}
		}
		seen[code], seen[name], seen[strings.ToLower(en)] = true, true, true
		t.Entries = append(t.Entries, hecha.CodeEntry{Code: code, Zh: name, En: en})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load reasons: %w", err)
	}
	for _, e := range errs {
		e.Field = "reason"
	}
	if len(errs) > 0 {
		return nil, errs
	}
	if len(t.Entries) == 0 {
		return nil, hecha.Invalid("reason", "code.empty")
	}
	return t, nil
}
