package tui

import (
	"slices"
	"testing"

	"hecha"
)

// TestFormFields_FromTheFieldTable shows that a form is the field table:
// every item of every part the form takes is a field of the form, the
// household members after the verified items, and the parts that the
// form does not reorder (formFirst) keep the table's order.
func TestFormFields_FromTheFieldTable(t *testing.T) {
	v := map[string]string{pathMembers: "1"}
	for _, f := range hecha.Forms {
		var got []string
		for _, fd := range allFields(f, v) {
			got = append(got, fd.path)
		}
		var want []string
		for _, p := range f.Parts() {
			var items []string
			for _, it := range p.Fields {
				if it.Kind != hecha.MembersField {
					items = append(items, it.Path)
				}
			}
			if p.Name == "verified" {
				for _, it := range hecha.MemberFields {
					items = append(items, pathMembers+"[0]."+it.Path)
				}
			}
			have := got[len(want):min(len(got), len(want)+len(items))]
			if formFirst[p.Name] == nil && !slices.Equal(have, items) {
				t.Errorf("%s, part %s: form %v, table %v", f, p.Name, have, items)
			}
			if !sameSet(have, items) {
				t.Errorf("%s, part %s: form %v, table %v", f, p.Name, have, items)
			}
			want = append(want, items...)
		}
		if len(got) != len(want) {
			t.Errorf("%s: form %v, table %v", f, got, want)
		}
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// TestFormFields_SavedResultReopens: the texts of a saved result
// (resultValues) build the same result again, for every form, so a
// correction starts from exactly what was saved.
func TestFormFields_SavedResultReopens(t *testing.T) {
	rules := testRules(t)
	e := &env{lang: hecha.Chinese, st: NewStyles(false), rules: rules}
	for _, c := range testCases() {
		for _, f := range hecha.FormsFor(c.Kind) {
			v := prefillValues(&c, f)
			for _, fd := range allFields(f, v) {
				switch {
				case fd.kind == kindCheck:
					v[fd.path] = "1"
				case fd.kind == kindEnum && v[fd.path] == "":
					v[fd.path] = fd.table(e).Entries[0].Code
				case fd.kind == kindDate && v[fd.path] == "":
					v[fd.path] = "2023-01-05"
				case fd.kind == kindText && v[fd.path] == "":
					v[fd.path] = "文本 " + fd.path
				}
			}
			first, errs := build(&c, f, v)
			if len(errs) > 0 {
				t.Fatalf("%s %s: %v", c.ID, f, errs)
			}
			again, errs := build(&c, f, resultValues(first))
			if len(errs) > 0 || !first.SameContent(again) {
				t.Errorf("%s %s: reopened as %+v, saved %+v (%v)", c.ID, f, again, first, errs)
			}
		}
	}
}
