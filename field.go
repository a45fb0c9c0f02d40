package hecha

import "strings"

// The one table of fields. Every item a clerk sees, writes or imports is a
// Field of its record: the 15 items of a person (PersonFields), a household
// member's (MemberFields), and the parts of the result forms
// (ResultParts). The form, the field worksheet, the import and export
// files and the error labels are all built from these tables, so adding an
// item is one edit here (and the struct field it reads).

// FieldKind says how a field's value is written as text and read back:
// the form, the worksheet and the files each show and parse a field by its
// kind.
type FieldKind int

// The kinds of field.
const (
	TextField     FieldKind = iota // free text
	NameField                      // a person's name
	IDField                        // a citizen ID number
	DateField                      // a date: its text is 2006-01-02, "" for none
	DivisionField                  // a division code
	CodeField                      // a code of Field.Table (a national standard)
	ReasonField                    // a reason for moving, from the list in force (Rules.ReasonTable)
	CheckField                     // yes or no: its text is "1" or "0"
	MembersField                   // the household members, each of MemberFields
)

// Field is one item of a record of type T.
type Field[T any] struct {
	// Path is the item's JSON path in T ("birth_date", "not_found.reason"):
	// the key of its value in a form's draft and the Field of its errors.
	Path string
	Kind FieldKind
	// Table holds the codes of a CodeField item.
	Table *CodeTable
	// Label is the item's display name, registered as field.<Path>; zero
	// when the general entry of the last part of the path names it.
	Label Msg
	// Header is the item's column name in the field worksheet when it is
	// not Label.Zh; Aliases are further column names files may use.
	Header  string
	Aliases []string
	// Get returns the value as text (see FieldKind), "" when T lacks the
	// part the item belongs to; Set stores text as Get returns it, making
	// the part. Set reads a date in any form ParseDate reads; a division
	// code must be in the form ParseCode returns and is stored as given
	// (readers canonicalise first: 441900 stays 441900). Set fails only on
	// a date or code it cannot read. Both are nil for MembersField.
	Get func(*T) string
	Set func(*T, string) error
	// Used reports whether the rest of the record takes this item (a
	// destination only for 婚出 and 迁出); nil: always.
	Used func(*T) bool
}

// ColumnName returns the item's column name in the field worksheet:
// Header, else the Chinese label, else the general entry of the path's
// last part ("mismatch.name_choice" is 姓名取值).
func (f *Field[R]) ColumnName() string {
	switch {
	case f.Header != "":
		return f.Header
	case f.Label.Zh != "":
		return f.Label.Zh
	}
	return T(Chinese, "field."+f.Path[strings.LastIndexByte(f.Path, '.')+1:])
}

// str is a field of a string type S reached by at.
func str[T any, S ~string](path string, kind FieldKind, at func(*T) *S) Field[T] {
	return Field[T]{
		Path: path, Kind: kind,
		Get: func(x *T) string { return string(*at(x)) },
		Set: func(x *T, s string) error { *at(x) = S(s); return nil },
	}
}

// code is a field holding a code of t.
func code[T any, S ~string](path string, t *CodeTable, at func(*T) *S) Field[T] {
	f := str(path, CodeField, at)
	f.Table = t
	return f
}

// date is a date field.
func date[T any](path string, at func(*T) *Date) Field[T] {
	return Field[T]{
		Path: path, Kind: DateField,
		Get: func(x *T) string { return at(x).String() },
		Set: func(x *T, s string) error {
			d, err := ParseDate(path, s)
			*at(x) = d
			return err
		},
	}
}

// division is a division code field.
func division[T any](path string, at func(*T) *Code) Field[T] {
	return Field[T]{
		Path: path, Kind: DivisionField,
		Get: func(x *T) string { return string(*at(x)) },
		Set: func(x *T, s string) error {
			if _, err := ParseCode(path, s); err != nil {
				*at(x) = ""
				return err
			}
			*at(x) = Code(s)
			return nil
		},
	}
}

// check is a yes/no field.
func check[T any](path string, at func(*T) *bool) Field[T] {
	return Field[T]{
		Path: path, Kind: CheckField,
		Get: func(x *T) string {
			if *at(x) {
				return "1"
			}
			return "0"
		},
		Set: func(x *T, s string) error { *at(x) = s == "1"; return nil },
	}
}

// labelled returns f with its display name.
func (f Field[T]) labelled(zh, en string) Field[T] {
	f.Label = Msg{Zh: zh, En: en}
	return f
}

// column returns f with its worksheet column name and further names.
func (f Field[T]) column(header string, aliases ...string) Field[T] {
	f.Header, f.Aliases = header, aliases
	return f
}

// PersonFields are the 15 items of a person (DESIGN §3.1), in the order
// of the spec and of the files.
var PersonFields = []Field[Person]{
	str("name", NameField, func(p *Person) *string { return &p.Name }).labelled("姓名", "name"),
	code("sex", SexCodes, func(p *Person) *Sex { return &p.Sex }).labelled("性别", "sex"),
	str("current_address", TextField, func(p *Person) *string { return &p.CurrentAddress }).labelled("现居住地地址", "current address"),
	division("current_division", func(p *Person) *Code { return &p.CurrentDivision }).labelled("现居住地行政区划", "current division"),
	str("household_address", TextField, func(p *Person) *string { return &p.HouseholdAddress }).labelled("户籍所在地地址", "household address"),
	division("household_division", func(p *Person) *Code { return &p.HouseholdDivision }).labelled("户籍地行政区划", "household division"),
	str("citizen_id", IDField, func(p *Person) *string { return &p.CitizenID }).labelled("公民身份证号", "citizen ID").
		column("", "公民身份号码", "身份证号"),
	date("birth_date", func(p *Person) *Date { return &p.BirthDate }).labelled("出生日期", "birth date"),
	code("education", EducationCodes, func(p *Person) *Education { return &p.Education }).labelled("文化程度", "education"),
	code("hukou_type", HukouCodes, func(p *Person) *HukouType { return &p.HukouType }).labelled("户口性质", "household type"),
	str("reason", ReasonField, func(p *Person) *Reason { return &p.Reason }).labelled("流动原因", "reason for moving"),
	date("outflow_date", func(p *Person) *Date { return &p.OutflowDate }).labelled("流出日期", "outflow date"),
	date("return_date", func(p *Person) *Date { return &p.ReturnDate }).labelled("返回日期", "return date"),
	code("marital", MaritalCodes, func(p *Person) *MaritalStatus { return &p.Marital }).labelled("婚姻状况", "marital status"),
	{Path: "members", Kind: MembersField, Label: Msg{Zh: "家庭户信息", En: "household members"}},
}

// MemberFields are the items of a household member, in the order a
// 家庭户信息 cell writes them (姓名|与户主关系|公民身份证号|性别|出生日期).
// The items a person also has take the person's names.
var MemberFields = []Field[Member]{
	str("name", NameField, func(m *Member) *string { return &m.Name }),
	code("relationship", RelationshipCodes, func(m *Member) *Relationship { return &m.Relationship }).labelled("与户主关系", "relationship"),
	str("citizen_id", IDField, func(m *Member) *string { return &m.CitizenID }),
	code("sex", SexCodes, func(m *Member) *Sex { return &m.Sex }),
	date("birth_date", func(m *Member) *Date { return &m.BirthDate }),
}

// BasicFields are the four basic items of a mismatch case's records.
var BasicFields = []Field[Basic]{
	str("name", NameField, func(b *Basic) *string { return &b.Name }),
	code("sex", SexCodes, func(b *Basic) *Sex { return &b.Sex }),
	date("birth_date", func(b *Basic) *Date { return &b.BirthDate }),
	str("citizen_id", IDField, func(b *Basic) *string { return &b.CitizenID }),
}

// ResultPart is one part of a result (DESIGN §5): the body of 查无此人, the
// field-verified information, a corrective action, the mismatch
// resolution or the sign-off.
type ResultPart struct {
	// Name is the JSON name of the part in Result ("not_found"), the
	// prefix of its fields' paths; field.<Name> is its heading.
	Name string
	// Forms are the forms that take the part.
	Forms []Form
	// Fields are the part's items, their paths from the Result. The
	// verified information's members are one MembersField item.
	Fields []Field[Result]
	// Has reports whether a result holds the part; Make gives it an empty
	// one.
	Has  func(*Result) bool
	Make func(*Result)
}

// part lifts the fields of a part P of Result, reached by at (which makes
// the part when make is true), to Result under the part's name.
func part[P any](name string, forms []Form, at func(r *Result, make bool) *P, fields ...Field[P]) ResultPart {
	rp := ResultPart{
		Name: name, Forms: forms,
		Has:  func(r *Result) bool { return at(r, false) != nil },
		Make: func(r *Result) { at(r, true) },
	}
	for _, f := range fields {
		lf := Field[Result]{Path: name + "." + f.Path, Kind: f.Kind, Table: f.Table, Label: f.Label, Header: f.Header, Aliases: f.Aliases}
		if get, set := f.Get, f.Set; get != nil {
			lf.Get = func(r *Result) string {
				if p := at(r, false); p != nil {
					return get(p)
				}
				return ""
			}
			lf.Set = func(r *Result, s string) error { return set(at(r, true), s) }
		}
		if used := f.Used; used != nil {
			lf.Used = func(r *Result) bool {
				p := at(r, false)
				return p != nil && used(p)
			}
		}
		rp.Fields = append(rp.Fields, lf)
	}
	return rp
}

// mk returns *p, first making it when make is true and it is nil.
func mk[P any](p **P, make bool) *P {
	if *p == nil && make {
		*p = new(P)
	}
	return *p
}

// reasonUses is Used for a 查无此人 item: NotFoundReason.Uses.
func reasonUses(f Field[NotFound]) Field[NotFound] {
	f.Used = func(n *NotFound) bool { return n.Reason.Uses(f.Path) }
	return f
}

// choiceIs is Used for a mismatch item's corrected value: only when its
// choice is to correct it.
func choiceIs(f Field[MismatchResolution], choice func(*MismatchResolution) MismatchChoice) Field[MismatchResolution] {
	f.Used = func(m *MismatchResolution) bool { return choice(m) == Corrected }
	return f
}

// corrected lifts a basic item to the corrected values of form M.
func corrected(f Field[Basic], zh string) Field[MismatchResolution] {
	out := Field[MismatchResolution]{Path: "corrected." + f.Path, Kind: f.Kind, Table: f.Table, Header: zh}
	get, set := f.Get, f.Set
	out.Get = func(m *MismatchResolution) string { return get(&m.Corrected) }
	out.Set = func(m *MismatchResolution, s string) error { return set(&m.Corrected, s) }
	return out
}

var (
	formsNotFound = []Form{FormR1, FormP2}
	formsConfirm  = []Form{FormR2, FormR3, FormR4, FormR5, FormR6, FormP1}
)

// ResultParts are the parts of a result, in the order a form shows them
// and a worksheet writes them (the worksheet writes the verified items
// first, as the case's items it pre-fills).
var ResultParts = []ResultPart{
	part("not_found", formsNotFound, func(r *Result, m bool) *NotFound { return mk(&r.NotFound, m) },
		code("reason", NotFoundReasons, func(n *NotFound) *NotFoundReason { return &n.Reason }).labelled("查无此人原因", "reason not found"),
		reasonUses(division("destination", func(n *NotFound) *Code { return &n.Destination }).
			labelled("婚出地/户口迁出地", "married or moved to").column("去向行政区划", "婚出地/户口迁出地")),
		reasonUses(str("dest_address", TextField, func(n *NotFound) *string { return &n.DestAddress }).
			labelled("婚出地/户口迁出地地址", "address married or moved to").column("去向地址", "婚出地/户口迁出地地址")),
		reasonUses(str("remark", TextField, func(n *NotFound) *string { return &n.Remark }).column("备注", "查无此人备注")),
	),
	part("reregistration", []Form{FormR3}, func(r *Result, m bool) *Reregistration { return mk(&r.Reregistration, m) },
		check("withdrawn", func(g *Reregistration) *bool { return &g.Withdrawn }).column("已退档"),
		division("inflow_division", func(g *Reregistration) *Code { return &g.InflowDivision }).column("新流入地行政区划"),
		str("inflow_address", TextField, func(g *Reregistration) *string { return &g.InflowAddress }).column("新流入地地址"),
		date("date", func(g *Reregistration) *Date { return &g.Date }).labelled("重新登记日期", "registration date"),
	),
	part("correction", []Form{FormR5}, func(r *Result, m bool) *OutflowCorrection { return mk(&r.Correction, m) },
		division("destination", func(o *OutflowCorrection) *Code { return &o.Destination }).
			labelled("更正后的流出目的地", "corrected destination").column("更正去向行政区划"),
		str("address", TextField, func(o *OutflowCorrection) *string { return &o.Address }).column("更正去向地址"),
		date("date", func(o *OutflowCorrection) *Date { return &o.Date }).labelled("更正日期", "date of correction"),
	),
	part("registration", []Form{FormR6, FormP1}, func(r *Result, m bool) *Outflow { return mk(&r.Registration, m) },
		date("date", func(o *Outflow) *Date { return &o.Date }).labelled("流出日期", "outflow date").column("流出登记日期"),
		division("destination", func(o *Outflow) *Code { return &o.Destination }).
			labelled("流出目的地行政区划", "outflow destination").column("流出登记去向", "流出登记去向行政区划"),
		str("address", TextField, func(o *Outflow) *string { return &o.Address }).column("流出登记地址"),
		str("reason", ReasonField, func(o *Outflow) *Reason { return &o.Reason }).
			labelled("流出原因", "reason for leaving").column("流出登记原因", "流出原因"),
	),
	part("mismatch", []Form{FormM}, func(r *Result, m bool) *MismatchResolution { return mk(&r.Mismatch, m) },
		code("name_choice", MismatchChoices, func(m *MismatchResolution) *MismatchChoice { return &m.NameChoice }),
		code("sex_choice", MismatchChoices, func(m *MismatchResolution) *MismatchChoice { return &m.SexChoice }),
		code("birth_date_choice", MismatchChoices, func(m *MismatchResolution) *MismatchChoice { return &m.BirthDateChoice }),
		code("citizen_id_choice", MismatchChoices, func(m *MismatchResolution) *MismatchChoice { return &m.CitizenIDChoice }).column("身份证号取值"),
		choiceIs(corrected(BasicFields[0], "更正姓名"), func(m *MismatchResolution) MismatchChoice { return m.NameChoice }),
		choiceIs(corrected(BasicFields[1], "更正性别"), func(m *MismatchResolution) MismatchChoice { return m.SexChoice }),
		choiceIs(corrected(BasicFields[2], "更正出生日期"), func(m *MismatchResolution) MismatchChoice { return m.BirthDateChoice }),
		choiceIs(corrected(BasicFields[3], "更正身份证号"), func(m *MismatchResolution) MismatchChoice { return m.CitizenIDChoice }),
	),
	part("verified", formsConfirm, func(r *Result, m bool) *Person { return mk(&r.Verified, m) }, PersonFields...),
	part("sign_off", append(formsConfirm, FormM), func(r *Result, m bool) *SignOff { return mk(&r.SignOff, m) },
		check("confirmed", func(s *SignOff) *bool { return &s.Confirmed }).column("常驻人口信息员确认", "常驻人口信息员已确认"),
		str("name", NameField, func(s *SignOff) *string { return &s.Name }).column("确认人", "常驻人口信息员"),
	),
}

// Parts returns the parts form f takes, in the order of ResultParts.
func (f Form) Parts() []ResultPart {
	var out []ResultPart
	for _, p := range ResultParts {
		for _, g := range p.Forms {
			if g == f {
				out = append(out, p)
				break
			}
		}
	}
	return out
}

// fieldLabels registers the display name of every field that has one
// (field.<path>): the person's and member's items as field.<item>, the
// result items whose name is their own as field.<part>.<item>.
func fieldLabels() map[string]Msg {
	out := map[string]Msg{}
	for _, f := range PersonFields {
		out["field."+f.Path] = f.Label
	}
	for _, f := range MemberFields {
		if f.Label != (Msg{}) {
			out["field."+f.Path] = f.Label
		}
	}
	for _, p := range ResultParts {
		if p.Name == "verified" {
			continue
		}
		for _, f := range p.Fields {
			if f.Label != (Msg{}) {
				out["field."+f.Path] = f.Label
			}
		}
	}
	return out
}

var _ = Register(fieldLabels())
