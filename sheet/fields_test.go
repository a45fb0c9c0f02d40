package sheet

import (
	"slices"
	"testing"

	"hecha"
)

// TestColumns_FromTheFieldTable shows that the worksheet and the cases
// file are the field table: the 15 items in the table's order under their
// column names, and every item of every result part, part by part, in
// the table's order.
func TestColumns_FromTheFieldTable(t *testing.T) {
	var items, names, caseItems, caseNames []string
	for _, f := range hecha.PersonFields {
		items = append(items, "verified."+f.Path)
		caseItems = append(caseItems, "person."+f.Path)
		names = append(names, f.ColumnName())
	}
	for _, p := range hecha.ResultParts {
		if p.Name == "verified" {
			continue
		}
		for _, f := range p.Fields {
			items = append(items, f.Path)
			names = append(names, f.ColumnName())
		}
	}
	var keys, headers []string
	for _, col := range ResultColumns(fxRules(t)) {
		if col.part != "" {
			keys = append(keys, col.Key)
			headers = append(headers, col.Header)
		}
	}
	if !slices.Equal(keys, items) || !slices.Equal(headers, names) {
		t.Errorf("worksheet items\n%v\n%v\nfield table\n%v\n%v", keys, headers, items, names)
	}
	for _, c := range caseColumns {
		if slices.Contains(caseItems, c.key) {
			caseNames = append(caseNames, c.zh)
		}
	}
	if want := names[:len(hecha.PersonFields)]; !slices.Equal(caseNames, want) {
		t.Errorf("cases file items %v, field table %v", caseNames, want)
	}
	if i := slices.Index(CaseColumns, "姓名"); i < 0 || !slices.Equal(CaseColumns[i:i+len(caseNames)], caseNames) {
		t.Errorf("cases file header %v", CaseColumns)
	}
}
