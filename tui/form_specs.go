package tui

import (
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

// field is one field of a result form. Its path is the JSON path of the
// value in the Result ("not_found.reason", "verified.members[1].name"):
// the key of its raw text in Draft.Values and the Field of its errors.
type field struct {
	path    string
	kind    fieldKind
	table   func(e *env) *hecha.CodeTable // kindEnum
	section string                        // a heading shown before the field
	show    func(v map[string]string) bool
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

// reasonIs shows a field when the 查无此人 reason is one of codes.
func reasonIs(codes ...hecha.NotFoundReason) func(map[string]string) bool {
	return func(v map[string]string) bool {
		for _, c := range codes {
			if v[pathReason] == string(c) {
				return true
			}
		}
		return false
	}
}

// choiceIs shows a mismatch item's corrected value when its choice is
// "corrected".
func choiceIs(item string) func(map[string]string) bool {
	return func(v map[string]string) bool { return v["mismatch."+item+"_choice"] == string(hecha.Corrected) }
}

// notFoundFields are R1's and P2's: the reason; the destination and its
// address only for 婚出 and 迁出; the remark only for 其他.
var notFoundFields = []field{
	{path: pathReason, kind: kindEnum, table: tableOf(hecha.NotFoundReasons), section: "field.not_found"},
	{path: "not_found.destination", kind: kindDivision, show: reasonIs(hecha.NotFoundMarriedOut, hecha.NotFoundMovedOut)},
	{path: "not_found.dest_address", kind: kindText, show: reasonIs(hecha.NotFoundMarriedOut, hecha.NotFoundMovedOut)},
	{path: "not_found.remark", kind: kindText, show: reasonIs(hecha.NotFoundOther)},
}

// correctiveFields are the corrective action of R3, R5, R6 and P1.
var correctiveFields = map[hecha.Form][]field{
	hecha.FormR3: {
		{path: "reregistration.withdrawn", kind: kindCheck, section: "field.reregistration"},
		{path: "reregistration.inflow_division", kind: kindDivision},
		{path: "reregistration.inflow_address", kind: kindText},
		{path: "reregistration.date", kind: kindDate},
	},
	hecha.FormR5: {
		{path: "correction.destination", kind: kindDivision, section: "field.correction"},
		{path: "correction.address", kind: kindText},
		{path: "correction.date", kind: kindDate},
	},
	hecha.FormR6: registrationFields,
	hecha.FormP1: registrationFields,
}

var registrationFields = []field{
	{path: "registration.date", kind: kindDate, section: "field.registration"},
	{path: "registration.destination", kind: kindDivision},
	{path: "registration.address", kind: kindText},
	{path: "registration.reason", kind: kindEnum, table: reasons},
}

// verifiedFields are the 15 items of the field-verified information; the
// household members follow them.
var verifiedFields = []field{
	{path: "verified.name", kind: kindName, section: "field.verified"},
	{path: "verified.sex", kind: kindEnum, table: tableOf(hecha.SexCodes)},
	{path: "verified.citizen_id", kind: kindID},
	{path: "verified.birth_date", kind: kindDate},
	{path: "verified.current_division", kind: kindDivision},
	{path: "verified.current_address", kind: kindText},
	{path: "verified.household_division", kind: kindDivision},
	{path: "verified.household_address", kind: kindText},
	{path: "verified.education", kind: kindEnum, table: tableOf(hecha.EducationCodes)},
	{path: "verified.hukou_type", kind: kindEnum, table: tableOf(hecha.HukouCodes)},
	{path: "verified.reason", kind: kindEnum, table: reasons},
	{path: "verified.outflow_date", kind: kindDate},
	{path: "verified.return_date", kind: kindDate},
	{path: "verified.marital", kind: kindEnum, table: tableOf(hecha.MaritalCodes)},
}

// memberFields returns the fields of household member i.
func memberFields(i int) []field {
	p := "verified.members[" + strconv.Itoa(i) + "]."
	return []field{
		{path: p + "name", kind: kindName, section: "tui.form.member"},
		{path: p + "relationship", kind: kindEnum, table: tableOf(hecha.RelationshipCodes)},
		{path: p + "sex", kind: kindEnum, table: tableOf(hecha.SexCodes)},
		{path: p + "birth_date", kind: kindDate},
		{path: p + "citizen_id", kind: kindID},
	}
}

var signOffFields = []field{
	{path: pathSignConfirm, kind: kindCheck, section: "field.sign_off"},
	{path: pathSignName, kind: kindName},
}

// mismatchFields are form M's: per basic item a choice, and the corrected
// value only when the choice is to correct it.
var mismatchFields = []field{
	{path: "mismatch.name_choice", kind: kindEnum, table: tableOf(hecha.MismatchChoices), section: "field.mismatch"},
	{path: "mismatch.corrected.name", kind: kindName, show: choiceIs("name")},
	{path: "mismatch.sex_choice", kind: kindEnum, table: tableOf(hecha.MismatchChoices)},
	{path: "mismatch.corrected.sex", kind: kindEnum, table: tableOf(hecha.SexCodes), show: choiceIs("sex")},
	{path: "mismatch.birth_date_choice", kind: kindEnum, table: tableOf(hecha.MismatchChoices)},
	{path: "mismatch.corrected.birth_date", kind: kindDate, show: choiceIs("birth_date")},
	{path: "mismatch.citizen_id_choice", kind: kindEnum, table: tableOf(hecha.MismatchChoices)},
	{path: "mismatch.corrected.citizen_id", kind: kindID, show: choiceIs("citizen_id")},
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
// hold, shown or not.
func allFields(f hecha.Form, v map[string]string) []field {
	switch {
	case f == hecha.FormR1 || f == hecha.FormP2:
		return notFoundFields
	case f == hecha.FormM:
		return append(append([]field{}, mismatchFields...), signOffFields...)
	case f.Confirms():
		out := append([]field{}, correctiveFields[f]...)
		out = append(out, verifiedFields...)
		for i := range memberCount(v) {
			out = append(out, memberFields(i)...)
		}
		return append(out, signOffFields...)
	}
	return nil
}

// visibleFields returns the fields of form f that apply to the values:
// conditional fields whose condition does not hold are left out, unless
// they hold something (a destination typed before the reason became 死亡),
// which stays in sight with an error until cleared (unusedProblems), so
// nothing written is dropped unseen.
func visibleFields(f hecha.Form, v map[string]string) []field {
	all := allFields(f, v)
	out := all[:0:0]
	for _, fd := range all {
		if fd.show == nil || fd.show(v) || strings.TrimSpace(v[fd.path]) != "" {
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
	for _, fd := range allFields(f, v) {
		if fd.show != nil && !fd.show(v) && strings.TrimSpace(v[fd.path]) != "" {
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
