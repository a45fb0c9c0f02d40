package hecha

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// jsonNames returns the JSON names of the fields of struct type typ, in
// order; a nested struct (not a pointer, slice or time) is spelt out as
// name.<its names>.
func jsonNames(typ reflect.Type) []string {
	var out []string
	for i := range typ.NumField() {
		f := typ.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Type.Kind() == reflect.Struct && f.Type != reflect.TypeOf(Date{}) {
			for _, sub := range jsonNames(f.Type) {
				out = append(out, name+"."+sub)
			}
			continue
		}
		out = append(out, name)
	}
	return out
}

func paths[T any](fs []Field[T]) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Path
	}
	return out
}

// TestFieldTables_EveryStructFieldInOrder: each table holds every field of
// its struct, once, in the struct's order, so a field added to a struct
// without its row in the table fails here.
func TestFieldTables_EveryStructFieldInOrder(t *testing.T) {
	for name, tc := range map[string]struct {
		typ  reflect.Type
		have []string
	}{
		"Person": {reflect.TypeOf(Person{}), paths(PersonFields)},
		"Member": {reflect.TypeOf(Member{}), paths(MemberFields)},
		"Basic":  {reflect.TypeOf(Basic{}), paths(BasicFields)},
	} {
		if want := jsonNames(tc.typ); !slices.Equal(tc.have, want) {
			t.Errorf("%s: table %v, struct %v", name, tc.have, want)
		}
	}
	res := reflect.TypeOf(Result{})
	var parts []string
	for _, p := range ResultParts {
		parts = append(parts, p.Name)
		f, ok := res.FieldByNameFunc(func(n string) bool {
			sf, _ := res.FieldByName(n)
			return strings.HasPrefix(sf.Tag.Get("json"), p.Name+",")
		})
		if !ok {
			t.Errorf("part %s: no such field of Result", p.Name)
			continue
		}
		var want []string
		for _, n := range jsonNames(f.Type.Elem()) {
			want = append(want, p.Name+"."+n)
		}
		if have := paths(p.Fields); !slices.Equal(have, want) {
			t.Errorf("part %s: table %v, struct %v", p.Name, have, want)
		}
	}
	for i := range res.NumField() {
		f := res.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Type.Kind() == reflect.Pointer && !slices.Contains(parts, name) {
			t.Errorf("Result.%s is in no ResultPart", f.Name)
		}
	}
}

// TestFieldTables_SetGetRoundTrip: for every field of every kind, Set of
// what Get returns rebuilds the value, and a record rebuilt field by field
// equals the original.
func TestFieldTables_SetGetRoundTrip(t *testing.T) {
	kinds := map[FieldKind]bool{}
	p := fxPerson()
	p.CurrentDivision = "441900" // a city without counties, its county-level code
	var q Person
	roundTrip(t, PersonFields, &p, &q, kinds)
	for i := range p.Members {
		q.Members = append(q.Members, Member{})
		roundTrip(t, MemberFields, &p.Members[i], &q.Members[i], kinds)
	}
	if !reflect.DeepEqual(p, q) {
		t.Errorf("person rebuilt\n%+v\nwant\n%+v", q, p)
	}
	for _, form := range Forms {
		c := fxCaseFor(form)
		res := fxResult(&c, form)
		if res.Mismatch != nil {
			res.Mismatch.SexChoice, res.Mismatch.Corrected.Sex = Corrected, SexFemale
		}
		if res.SignOff != nil {
			res.SignOff.Confirmed = false // "0" must come back as false
		}
		out := Result{CaseID: res.CaseID, Form: res.Form, CandidateID: res.CandidateID, CaseRev: res.CaseRev}
		for _, part := range form.Parts() {
			if !part.Has(&res) {
				t.Errorf("%s: fixture lacks %s", form, part.Name)
			}
			part.Make(&out)
			roundTrip(t, part.Fields, &res, &out, kinds)
		}
		if res.Verified != nil {
			out.Verified.Members = res.Verified.Members
		}
		if !res.SameContent(&out) {
			t.Errorf("%s rebuilt\n%+v\nwant\n%+v", form, out, res)
		}
	}
	for k := TextField; k <= CheckField; k++ {
		if !kinds[k] {
			t.Errorf("no field of kind %d was tried", k)
		}
	}
}

func roundTrip[T any](t *testing.T, fs []Field[T], from, to *T, kinds map[FieldKind]bool) {
	t.Helper()
	for _, f := range fs {
		if f.Kind == MembersField {
			continue
		}
		kinds[f.Kind] = true
		if err := f.Set(to, f.Get(from)); err != nil {
			t.Errorf("%s: Set(Get) = %v", f.Path, err)
		}
		if got, want := f.Get(to), f.Get(from); got != want {
			t.Errorf("%s: %q after Set, want %q", f.Path, got, want)
		}
	}
}

// TestFieldTables_LabelsAndColumns: every item has a display name in both
// languages and a worksheet column name, and no two items of a record
// share a column name.
func TestFieldTables_LabelsAndColumns(t *testing.T) {
	seen := map[string]string{}
	for _, p := range ResultParts {
		for _, f := range p.Fields {
			if !HasFieldName(f.Path) {
				t.Errorf("%s: no display name", f.Path)
			}
			col := f.ColumnName()
			if col == "" || strings.HasPrefix(col, "field.") {
				t.Errorf("%s: column name %q", f.Path, col)
			}
			if other, dup := seen[col]; dup {
				t.Errorf("%s and %s are both column %q", f.Path, other, col)
			}
			seen[col] = f.Path
		}
	}
	if got := PersonFields[1].ColumnName(); got != "性别" {
		t.Errorf("sex column %q", got)
	}
}

// TestFieldTables_Used: the conditional items are used exactly as the rules
// say (NotFoundReason.Uses; a corrected value only when chosen).
func TestFieldTables_Used(t *testing.T) {
	used := func(form Form, res *Result) []string {
		var out []string
		for _, p := range form.Parts() {
			for _, f := range p.Fields {
				if f.Used == nil || f.Used(res) {
					out = append(out, f.Path)
				}
			}
		}
		return out
	}
	died := &Result{NotFound: &NotFound{Reason: NotFoundDied}}
	if got := used(FormR1, died); !slices.Equal(got, []string{"not_found.reason"}) {
		t.Errorf("died uses %v", got)
	}
	married := &Result{NotFound: &NotFound{Reason: NotFoundMarriedOut}}
	if got := used(FormR1, married); !slices.Equal(got, []string{"not_found.reason", "not_found.destination", "not_found.dest_address"}) {
		t.Errorf("married out uses %v", got)
	}
	m := &Result{Mismatch: &MismatchResolution{SexChoice: Corrected, NameChoice: KeepOutflow}, SignOff: &SignOff{}}
	got := used(FormM, m)
	if !slices.Contains(got, "mismatch.corrected.sex") || slices.Contains(got, "mismatch.corrected.name") {
		t.Errorf("mismatch uses %v", got)
	}
}
