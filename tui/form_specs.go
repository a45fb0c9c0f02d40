package tui

import (
	"slices"
	"strconv"
	"strings"

	"hecha"
)

// fieldKind is how a form field is edited and parsed.
type fieldKind int

// The kinds of form field.
const (
	kindText     fieldKind = iota // free text
	kindName                      // a person's name
	kindID                        // a citizen ID number
	kindDate                      // 20230105 or 2023-01-05
	kindDivision                  // a division code, with the picker
	kindEnum                      // a code of a table, picked from a list
	kindCheck                     // a checkbox
)

// field is one field of a result form, made from an item of the field
// table (hecha.ResultParts). Its path is the JSON path of the value in the
// Result ("not_found.reason", "verified.members[1].name"): the key of its
// raw text in Draft.Values and the Field of its errors.
type field struct {
	path    string
	kind    fieldKind
	table   func(e *env) *hecha.CodeTable // kindEnum
	section string                        // a heading shown before the field
	// set stores the field's text (as hecha.Field.Set takes it) in a
	// result; used reports whether the result takes the field (nil:
	// always).
	set  func(*hecha.Result, string) error
	used func(*hecha.Result) bool
}

// Field paths used in code.
const (
	pathReason      = "not_found.reason"
	pathMembers     = "verified.members" // holds the number of members
	pathSignName    = "sign_off.name"
	pathSignConfirm = "sign_off.confirmed"
)

func tableOf(t *hecha.CodeTable) func(*env) *hecha.CodeTable {
	return func(*env) *hecha.CodeTable { return t }
}

func reasons(e *env) *hecha.CodeTable { return e.rules.ReasonTable() }

// formFirst are, per result part, the items the form asks first, in this
// order; the part's other items follow in the table's order. The form
// asks who the person is before where they live, a division before its
// address, and a mismatch item's corrected value right after its choice.
var formFirst = map[string][]string{
	"verified": {"name", "sex", "citizen_id", "birth_date", "current_division", "current_address", "household_division", "household_address"},
	"member":   {"name", "relationship", "sex", "birth_date"},
	"mismatch": {"name_choice", "corrected.name", "sex_choice", "corrected.sex", "birth_date_choice", "corrected.birth_date"},
}

// inFormOrder returns the items of part (paths relative to the part) in
// the order the form asks them: formFirst, then the rest.
func inFormOrder[T any](part string, items []hecha.Field[T]) []hecha.Field[T] {
	first := formFirst[part]
	rank := func(f hecha.Field[T]) int {
		rel := f.Path[strings.IndexByte(f.Path, '.')+1:]
		if part == "member" {
			rel = f.Path
		}
		if i := slices.Index(first, rel); i >= 0 {
			return i
		}
		return len(first)
	}
	out := slices.Clone(items)
	slices.SortStableFunc(out, func(a, b hecha.Field[T]) int { return rank(a) - rank(b) })
	return out
}

// formKind returns how a form edits an item of kind k.
func formKind(k hecha.FieldKind, t *hecha.CodeTable) (fieldKind, func(*env) *hecha.CodeTable) {
	switch k {
	case hecha.NameField:
		return kindName, nil
	case hecha.IDField:
		return kindID, nil
	case hecha.DateField:
		return kindDate, nil
	case hecha.DivisionField:
		return kindDivision, nil
	case hecha.CodeField:
		return kindEnum, tableOf(t)
	case hecha.ReasonField:
		return kindEnum, reasons
	case hecha.CheckField:
		return kindCheck, nil
	}
	return kindText, nil
}

// partFields returns the fields of a result part, in form order, the
// first with the part's heading; the members are not among them.
func partFields(p hecha.ResultPart) []field {
	var out []field
	for _, it := range inFormOrder(p.Name, p.Fields) {
		if it.Kind == hecha.MembersField {
			continue
		}
		k, t := formKind(it.Kind, it.Table)
		out = append(out, field{path: it.Path, kind: k, table: t, set: it.Set, used: it.Used})
	}
	out[0].section = "field." + p.Name
	return out
}

// partsFields are the fields of every result part, by part name.
var partsFields = func() map[string][]field {
	out := map[string][]field{}
	for _, p := range hecha.ResultParts {
		out[p.Name] = partFields(p)
	}
	return out
}()

// memberFields returns the fields of household member i.
func memberFields(i int) []field {
	p := pathMembers + "[" + strconv.Itoa(i) + "]."
	var out []field
	for _, it := range inFormOrder("member", hecha.MemberFields) {
		k, t := formKind(it.Kind, it.Table)
		set := it.Set
		out = append(out, field{path: p + it.Path, kind: k, table: t,
			set: func(r *hecha.Result, s string) error { return set(&r.Verified.Members[i], s) }})
	}
	out[0].section = "tui.form.member"
	return out
}

// memberCount returns the number of household members the values hold.
func memberCount(v map[string]string) int {
	n, err := strconv.Atoi(v[pathMembers])
	if err != nil || n < 0 {
		return 0
	}
	return min(n, 50)
}

// allFields returns every field of form f for the member count the values
// hold, shown or not: the fields of each part the form takes, the
// household members after the verified items.
func allFields(f hecha.Form, v map[string]string) []field {
	var out []field
	for _, p := range f.Parts() {
		out = append(out, partsFields[p.Name]...)
		if p.Name == "verified" {
			for i := range memberCount(v) {
				out = append(out, memberFields(i)...)
			}
		}
	}
	return out
}

// shown reports whether field fd of a result with the values v applies:
// a conditional field whose condition does not hold is not shown, unless
// it holds something (a destination typed before the reason became 死亡),
// which stays in sight with an error until cleared (unusedProblems), so
// nothing written is dropped unseen.
func shown(fd field, res *hecha.Result, v map[string]string) bool {
	return fd.used == nil || fd.used(res) || strings.TrimSpace(v[fd.path]) != ""
}

// visibleFields returns the fields of form f that apply to the values.
func visibleFields(f hecha.Form, v map[string]string) []field {
	all := allFields(f, v)
	res, _ := parse(f, all, v)
	out := all[:0:0]
	for _, fd := range all {
		if shown(fd, res, v) {
			out = append(out, fd)
		}
	}
	return out
}

// unusedProblems returns an error (tui.form.unused) for each conditional
// field of form f that holds something the values do not use: a
// destination or remark the 查无此人 reason does not take, a corrected
// value of a mismatch item not chosen to be corrected.
func unusedProblems(f hecha.Form, v map[string]string) hecha.Errors {
	var es hecha.Errors
	all := allFields(f, v)
	res, _ := parse(f, all, v)
	for _, fd := range all {
		if fd.used != nil && !fd.used(res) && strings.TrimSpace(v[fd.path]) != "" {
			es = append(es, hecha.Invalid(fd.path, "tui.form.unused"))
		}
	}
	return es
}

// memberIndex returns the member a path belongs to, or -1.
func memberIndex(path string) int {
	rest, ok := strings.CutPrefix(path, pathMembers+"[")
	if !ok {
		return -1
	}
	n, err := strconv.Atoi(rest[:max(strings.IndexByte(rest, ']'), 0)])
	if err != nil {
		return -1
	}
	return n
}

// label returns a field's display name: a form-specific entry
// (tui.label.<path>), else the catalogue's name for the whole path, else
// for its last part.
func label(e *env, path string) string {
	generic := path
	if i := strings.IndexByte(path, '['); i >= 0 {
		if j := strings.IndexByte(path, ']'); j > i {
			generic = path[:i] + path[j+1:]
		}
	}
	if _, ok := hecha.CatalogueEntry("tui.label." + generic); ok {
		return e.t("tui.label." + generic)
	}
	if _, ok := hecha.CatalogueEntry("field." + generic); ok {
		return e.t("field." + generic)
	}
	last := generic[strings.LastIndexByte(generic, '.')+1:]
	return e.t("field." + last)
}

var _ = hecha.Register(map[string]hecha.Msg{
	"tui.form.member":                          {Zh: "家庭户成员 %d", En: "Household member %d"},
	"tui.form.unused":                          {Zh: "当前的选择用不到这一项，填写的内容不会保存：请清空或改正选择", En: "the current choice does not use this item, so what is written here would be lost: clear it or correct the choice"},
	"tui.label.sign_off.confirmed":             {Zh: "常驻人口信息员已签字", En: "resident clerk signed"},
	"tui.label.sign_off.name":                  {Zh: "常驻人口信息员姓名", En: "resident clerk's name"},
	"tui.label.mismatch.corrected.name":        {Zh: "更正后的姓名", En: "corrected name"},
	"tui.label.mismatch.corrected.sex":         {Zh: "更正后的性别", En: "corrected sex"},
	"tui.label.mismatch.corrected.birth_date":  {Zh: "更正后的出生日期", En: "corrected birth date"},
	"tui.label.mismatch.corrected.citizen_id":  {Zh: "更正后的身份证号", En: "corrected ID number"},
	"tui.label.reregistration.withdrawn":       {Zh: "原流动人口登记已退档", En: "old registration withdrawn"},
	"tui.label.reregistration.inflow_division": {Zh: "重新登记的流入地", En: "new inflow division"},
	"tui.label.reregistration.inflow_address":  {Zh: "重新登记的流入地址", En: "new inflow address"},
	"tui.label.correction.address":             {Zh: "更正后的详细地址", En: "corrected address"},
	"tui.label.registration.address":           {Zh: "流出目的地地址", En: "destination address"},
})
