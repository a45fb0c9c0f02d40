package hecha

import (
	"encoding/json"
	"slices"
	"strings"
	"time"
	"unicode"
)

// Form is a verification-result form (DESIGN §4, §5).
type Form string

// The forms. R1–R6 are the cross-province results; P1 and P2 the two
// in-province results; M the resident/outflow mismatch resolution.
const (
	FormR1 Form = "R1" // 查无此人: no such person
	FormR2 Form = "R2" // 流动人口系统, 流入地一致: floating, address agrees
	FormR3 Form = "R3" // 流动人口系统, 流入地不一致: floating, address differs (withdraw and register again)
	FormR4 Form = "R4" // 常住系统已流出登记, 一致: resident, outflow registered, agrees
	FormR5 Form = "R5" // 常住系统已流出登记, 不一致: resident, outflow registered, differs (correct the destination)
	FormR6 Form = "R6" // 常住系统未流出登记: resident, no outflow registration (register it now)
	FormP1 Form = "P1" // 省内流动: 已补流出登记 (outflow registered now)
	FormP2 Form = "P2" // 省内流动: 查无此人
	FormM  Form = "M"  // 常住与流出不一致: mismatch resolved
)

// Forms lists every form in display order.
var Forms = []Form{FormR1, FormR2, FormR3, FormR4, FormR5, FormR6, FormP1, FormP2, FormM}

// FormsFor returns the forms that a case of kind k can take.
func FormsFor(k Kind) []Form {
	switch k {
	case KindInProvince:
		return []Form{FormP1, FormP2}
	case KindMismatch:
		return []Form{FormM}
	default:
		return []Form{FormR1, FormR2, FormR3, FormR4, FormR5, FormR6}
	}
}

// Kind returns the kind of case the form belongs to.
func (f Form) Kind() Kind {
	switch f {
	case FormP1, FormP2:
		return KindInProvince
	case FormM:
		return KindMismatch
	default:
		return KindCrossProvince
	}
}

// Confirms reports whether the form confirms the person (R2–R6, P1): such
// a result carries the field-verified items and the resident clerk's
// sign-off, and the county applies it to all three records.
func (f Form) Confirms() bool {
	switch f {
	case FormR2, FormR3, FormR4, FormR5, FormR6, FormP1:
		return true
	}
	return false
}

// NotFoundReason is why a person could not be found (查无此人原因).
type NotFoundReason string

// The reasons for 查无此人.
const (
	NotFoundMarriedOut NotFoundReason = "1" // 婚出: destination required
	NotFoundMovedOut   NotFoundReason = "2" // 迁出: destination required
	NotFoundDied       NotFoundReason = "3" // 死亡
	NotFoundOther      NotFoundReason = "9" // 其他: remark required
)

// NotFound is the body of R1 and P2.
type NotFound struct {
	Reason NotFoundReason `json:"reason"`
	// Destination and DestAddress: where the person married or moved to
	// (婚出地/户口迁出地), at least to township level; for 婚出 and 迁出.
	Destination Code   `json:"destination,omitempty"`
	DestAddress string `json:"dest_address,omitempty"`
	// Remark (查无此人备注) is required for 其他.
	Remark string `json:"remark,omitempty"`
}

// SignOff is the resident clerk's confirmation (常驻人口信息员确认).
type SignOff struct {
	Confirmed bool   `json:"confirmed"`
	Name      string `json:"name"`
}

// Reregistration is R3's corrective action: the floating record was
// withdrawn (退档) and the person registered again at the case's address.
type Reregistration struct {
	Withdrawn      bool   `json:"withdrawn"`
	InflowDivision Code   `json:"inflow_division"` // must agree with the case's current division to county level
	InflowAddress  string `json:"inflow_address,omitempty"`
	Date           Date   `json:"date"`
}

// OutflowCorrection is R5's corrective action: the outflow registration's
// destination corrected.
type OutflowCorrection struct {
	Destination Code   `json:"destination"` // must agree with the case's current division to county level
	Address     string `json:"address,omitempty"`
	Date        Date   `json:"date"`
}

// MismatchChoice is how one basic item of a mismatch case is settled.
type MismatchChoice string

// The choices for each item of a mismatch case.
const (
	KeepResident MismatchChoice = "resident"  // keep the resident record's value
	KeepOutflow  MismatchChoice = "outflow"   // keep the outflow record's value
	Corrected    MismatchChoice = "corrected" // enter a corrected value
)

// MismatchResolution is the body of form M: a choice per basic item, and
// the final values that result (which must agree with each other).
type MismatchResolution struct {
	NameChoice      MismatchChoice `json:"name_choice"`
	SexChoice       MismatchChoice `json:"sex_choice"`
	BirthDateChoice MismatchChoice `json:"birth_date_choice"`
	CitizenIDChoice MismatchChoice `json:"citizen_id_choice"`
	// Corrected holds the values entered for items whose choice is
	// Corrected; other items are ignored.
	Corrected Basic `json:"corrected"`
}

// Result is a verification result for one case. Which body is set depends
// on Form: NotFound for R1 and P2; Verified and SignOff for R2–R6 and P1,
// plus Reregistration (R3), Correction (R5) or Registration (R6, P1);
// Mismatch (and SignOff) for M.
type Result struct {
	// ID is a sortable unique id given when a final result is saved.
	ID     string `json:"id"`
	CaseID string `json:"case_id"`
	Form   Form   `json:"form"`
	// Township is the unit whose clerk saved the result.
	Township Code `json:"township"`
	// CaseRev is the case revision the result was made against.
	CaseRev int `json:"case_rev"`
	// Replaces names the result this one corrects, if any.
	Replaces string `json:"replaces,omitempty"`
	// CandidateID is the registry record the clerk picked, "" for none.
	CandidateID string    `json:"candidate_id,omitempty"`
	Clerk       string    `json:"clerk,omitempty"`
	SavedAt     time.Time `json:"saved_at"`

	NotFound       *NotFound           `json:"not_found,omitempty"`
	Verified       *Person             `json:"verified,omitempty"`
	SignOff        *SignOff            `json:"sign_off,omitempty"`
	Reregistration *Reregistration     `json:"reregistration,omitempty"`
	Correction     *OutflowCorrection  `json:"correction,omitempty"`
	Registration   *Outflow            `json:"registration,omitempty"`
	Mismatch       *MismatchResolution `json:"mismatch,omitempty"`
}

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

// content returns res without its bookkeeping (the ids, the case and its
// revision, township, clerk and time): the part of a result a worksheet
// row carries, which decides whether a row read again is the result
// already saved.
func (res *Result) content() Result {
	c := *res
	c.ID, c.CaseID, c.Township, c.CaseRev, c.Replaces, c.Clerk, c.SavedAt = "", "", "", 0, "", "", time.Time{}
	return c
}

// SameContent reports whether res and o say the same about their case:
// the same form, picked record and parts. The id, the result it replaces,
// the case revision, township, clerk and time are not compared, so a
// worksheet row read again equals the result saved from it.
func (res *Result) SameContent(o *Result) bool {
	if res == nil || o == nil {
		return res == o
	}
	a, err1 := json.Marshal(res.content())
	b, err2 := json.Marshal(o.content())
	return err1 == nil && err2 == nil && string(a) == string(b)
}
