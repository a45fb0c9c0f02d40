package hecha

import (
	"slices"
	"strings"
	"unicode"
)

// formNames are the written names of the result forms, as a worksheet's
// 核查结果 column and the reports show them. Aliases are further names a
// clerk may write; a name is looked up only among the forms of the case's
// kind, so 查无此人 is R1 for a cross-province case and P2 for an
// in-province one.
var formNames = map[Form]struct {
	zh, en  string
	aliases []string
}{
	FormR1: {"查无此人", "no such person", nil},
	FormR2: {"流动人口系统，流入地一致", "floating system, address agrees", []string{"流入地一致", "流动一致"}},
	FormR3: {"流动人口系统，流入地不一致", "floating system, address differs", []string{"流入地不一致", "流动不一致", "退档重新登记"}},
	FormR4: {"常住人口系统已流出登记，去向一致", "resident system, outflow registered, agrees", []string{"已流出登记一致", "常住一致"}},
	FormR5: {"常住人口系统已流出登记，去向不一致", "resident system, outflow registered, differs", []string{"已流出登记不一致", "常住不一致", "更正去向"}},
	FormR6: {"常住人口系统未流出登记", "resident system, no outflow registration", []string{"未流出登记", "补流出登记"}},
	FormP1: {"已补流出登记", "outflow registered now", []string{"补流出登记", "流出登记"}},
	FormP2: {"查无此人", "no such person", nil},
	FormM:  {"不一致逐项确定", "mismatch settled", []string{"不一致已处理", "已处理"}},
}

// Name returns the form's name in lang ("查无此人", "no such person"), or
// the code itself for an unknown form.
func (f Form) Name(lang Lang) string {
	n, ok := formNames[f]
	if !ok {
		return string(f)
	}
	if lang == English {
		return n.en
	}
	return n.zh
}

// Label returns the code and the name, as a worksheet's drop-down list
// offers the form: "R2 流动人口系统，流入地一致".
func (f Form) Label(lang Lang) string {
	if _, ok := formNames[f]; !ok {
		return string(f)
	}
	return string(f) + " " + f.Name(lang)
}

// ParseForm reads the form of a result for a case of kind k, as a clerk
// writes it: the code (R1…R6, P1, P2, M, any case), the code followed by
// anything ("R2 流动人口系统，流入地一致", "r1（查无此人）"), or a name of one
// of the forms of kind k in Chinese or English. An empty s is "" and no
// error. A code of another kind is returned as it is, for Result.Validate
// to report; anything else is EINVALID about "form"
// (worksheet.form_unknown, naming the forms of the kind).
func ParseForm(s string, k Kind) (Form, error) {
	s = strings.TrimFunc(s, IsTrimmedSpace)
	if s == "" {
		return "", nil
	}
	// A code, alone or in front of a name.
	code := s
	if i := strings.IndexFunc(s, func(r rune) bool { return r > unicode.MaxASCII || unicode.IsSpace(r) || r == ':' || r == '(' }); i > 0 {
		code = s[:i]
	}
	for _, f := range Forms {
		if strings.EqualFold(code, string(f)) {
			return f, nil
		}
	}
	// A name of a form of the kind.
	for _, f := range FormsFor(k) {
		n := formNames[f]
		if s == n.zh || strings.EqualFold(s, n.en) || slices.Contains(n.aliases, s) {
			return f, nil
		}
	}
	labels := make([]string, 0, 6)
	for _, f := range FormsFor(k) {
		labels = append(labels, f.Label(Chinese))
	}
	return "", Invalid("form", "worksheet.form_unknown", s, strings.Join(labels, "、"))
}
