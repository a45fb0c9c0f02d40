package hecha

import "strings"

// Sex is a GB/T 2261.1 sex code.
type Sex string

// The sex codes of GB/T 2261.1.
const (
	SexUnknown     Sex = "0" // 未知的性别
	SexMale        Sex = "1" // 男
	SexFemale      Sex = "2" // 女
	SexUnspecified Sex = "9" // 未说明的性别
)

// MaritalStatus is a GB/T 2261.2 marital status code.
type MaritalStatus string

// Education is a GB 4658-1984 education code (10–90).
type Education string

// HukouType is the household type (户口性质): 农业, 非农业, 居民 or 其他.
// Import also accepts the GA 324.1 category codes and names, mapped.
type HukouType string

// The household types.
const (
	HukouAgricultural    HukouType = "10" // 农业
	HukouNonAgricultural HukouType = "20" // 非农业
	HukouResident        HukouType = "30" // 居民 (unified household registration)
	HukouOther           HukouType = "90" // 其他
)

// Reason is a reason for moving (流动原因). The list is configurable
// (Rules.Reasons); DefaultReasons seeds it.
type Reason string

// Relationship is a GB/T 4761-2008 relationship-to-householder code.
type Relationship string

// CodeEntry is one value of a code table.
type CodeEntry struct {
	Code string
	Zh   string
	En   string
	// Aliases are further names accepted on import (older or longer names).
	Aliases []string
}

// CodeTable is an enumeration with national standard codes. Parse accepts
// the code or any of its names; the zero value is an empty table.
type CodeTable struct {
	// Field names the item in errors ("sex", "education", ...).
	Field   string
	Entries []CodeEntry
	// Map translates further codes (other standards' codes) to an entry's code.
	Map map[string]string
}

// Parse returns the code for s: a code of the table, a name of one of its
// entries (Chinese, English or alias), or a code that Map translates. An
// empty s is "" and no error; anything else unknown is an EINVALID error
// naming the table's field.
func (t *CodeTable) Parse(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	for _, e := range t.Entries {
		if s == e.Code || s == e.Zh || strings.EqualFold(s, e.En) {
			return e.Code, nil
		}
		for _, a := range e.Aliases {
			if s == a {
				return e.Code, nil
			}
		}
	}
	if c, ok := t.Map[s]; ok {
		return c, nil
	}
	return "", Invalid(t.Field, "code.unknown", s)
}

// Has reports whether code is a code of the table.
func (t *CodeTable) Has(code string) bool {
	_, ok := t.Lookup(code)
	return ok
}

// Lookup returns the entry for code.
func (t *CodeTable) Lookup(code string) (CodeEntry, bool) {
	for _, e := range t.Entries {
		if e.Code == code {
			return e, true
		}
	}
	return CodeEntry{}, false
}

// Name returns the display name of code in lang, or code itself when the
// table does not know it.
func (t *CodeTable) Name(lang Lang, code string) string {
	e, ok := t.Lookup(code)
	if !ok {
		return code
	}
	if lang == English {
		return e.En
	}
	return e.Zh
}

// SexCodes is GB/T 2261.1-2003, the sex codes.
var SexCodes = &CodeTable{
	Field: "sex",
	Entries: []CodeEntry{
		{Code: "0", Zh: "未知的性别", En: "Unknown", Aliases: []string{"未知"}},
		{Code: "1", Zh: "男", En: "Male", Aliases: []string{"男性"}},
		{Code: "2", Zh: "女", En: "Female", Aliases: []string{"女性"}},
		{Code: "9", Zh: "未说明的性别", En: "Not specified", Aliases: []string{"未说明"}},
	},
}

// MaritalCodes is GB/T 2261.2-2003, the marital status codes.
var MaritalCodes = &CodeTable{
	Field: "marital",
	Entries: []CodeEntry{
		{Code: "10", Zh: "未婚", En: "Never married", Aliases: []string{"Single"}},
		{Code: "20", Zh: "已婚", En: "Married", Aliases: []string{"有配偶"}},
		{Code: "21", Zh: "初婚", En: "First marriage"},
		{Code: "22", Zh: "再婚", En: "Remarried"},
		{Code: "23", Zh: "复婚", En: "Remarried to former spouse"},
		{Code: "30", Zh: "丧偶", En: "Widowed"},
		{Code: "40", Zh: "离婚", En: "Divorced", Aliases: []string{"离异"}},
		{Code: "90", Zh: "未说明的婚姻状况", En: "Not specified", Aliases: []string{"未说明"}},
	},
}

// EducationCodes is GB 4658-1984, the education codes (10–90). The codes
// and names of GB/T 4658-2006 are accepted too, mapped to the 1984 code of
// their level (21 大学本科毕业 → 20); 2006's 职业高中 maps to 60 高中, its
// 技工学校 to 50, and its 90 其他 (below primary school) to 90.
var EducationCodes = &CodeTable{
	Field: "education",
	Entries: []CodeEntry{
		{Code: "10", Zh: "研究生", En: "Postgraduate", Aliases: []string{"研究生教育", "博士研究生毕业", "博士研究生结业", "博士研究生肄业", "硕士研究生毕业", "硕士研究生结业", "硕士研究生肄业", "研究生班毕业", "研究生班结业", "研究生班肄业", "博士", "硕士"}},
		{Code: "20", Zh: "大学本科", En: "Undergraduate", Aliases: []string{"大学本科教育", "大学本科毕业", "大学本科结业", "大学本科肄业", "大学普通班毕业", "本科"}},
		{Code: "30", Zh: "大学专科和专科学校", En: "Junior college", Aliases: []string{"大学专科教育", "大学专科毕业", "大学专科结业", "大学专科肄业", "大学专科", "大专", "专科"}},
		{Code: "40", Zh: "中等专业学校或中等技术学校", En: "Secondary specialised or technical school", Aliases: []string{"中等职业教育", "中等专科毕业", "中等专科结业", "中等专科肄业", "中等专业学校", "中等技术学校", "中专"}},
		{Code: "50", Zh: "技工学校", En: "Skilled workers school", Aliases: []string{"技工学校毕业", "技工学校结业", "技工学校肄业", "技校"}},
		{Code: "60", Zh: "高中", En: "Senior high school", Aliases: []string{"普通高级中学教育", "普通高中毕业", "普通高中结业", "普通高中肄业", "职业高中毕业", "职业高中结业", "职业高中肄业", "职业高中"}},
		{Code: "70", Zh: "初中", En: "Junior high school", Aliases: []string{"初级中学教育", "初中毕业", "初中肄业"}},
		{Code: "80", Zh: "小学", En: "Primary school", Aliases: []string{"小学教育", "小学毕业", "小学肄业"}},
		{Code: "90", Zh: "文盲或半文盲", En: "Illiterate or semi-literate", Aliases: []string{"文盲", "半文盲", "其他"}},
	},
	Map: map[string]string{
		"11": "10", "12": "10", "13": "10", "14": "10", "15": "10", "16": "10", "17": "10", "18": "10", "19": "10",
		"21": "20", "22": "20", "23": "20", "28": "20",
		"31": "30", "32": "30", "33": "30",
		"41": "40", "42": "40", "43": "40",
		"44": "60", "45": "60", "46": "60",
		"47": "50", "48": "50", "49": "50",
		"61": "60", "62": "60", "63": "60",
		"71": "70", "73": "70",
		"81": "80", "83": "80",
	},
}

// HukouCodes is the household type (户口性质): 10 农业, 20 非农业, 30 居民
// (the unified household registration), 90 其他. The GA 324.1 household
// category codes (0–8) and names are mapped: 1, 3 (非农业家庭/集体户口) → 20;
// 2, 4, 5 (农业家庭/集体户口, 自理口粮户口) → 10; 0, 6, 7, 8 (未落常住户口,
// 寄住, 暂住, 其他) → 90.
var HukouCodes = &CodeTable{
	Field: "hukou_type",
	Entries: []CodeEntry{
		{Code: "10", Zh: "农业", En: "Agricultural", Aliases: []string{"农业户口"}},
		{Code: "20", Zh: "非农业", En: "Non-agricultural", Aliases: []string{"非农业户口"}},
		{Code: "30", Zh: "居民", En: "Resident", Aliases: []string{"居民户口", "城乡统一户口"}},
		{Code: "90", Zh: "其他", En: "Other"},
	},
	Map: map[string]string{
		"0": "90", "未落常住户口": "90",
		"1": "20", "非农业家庭户口": "20",
		"2": "10", "农业家庭户口": "10",
		"3": "20", "非农业集体户口": "20",
		"4": "10", "农业集体户口": "10",
		"5": "10", "自理口粮户口": "10",
		"6": "90", "寄住户口": "90",
		"7": "90", "暂住户口": "90",
		"8": "90", "其他户口": "90",
	},
}

// RelationshipCodes is GB/T 4761-2008, the relationship to the householder
// (家庭关系代码), every code of the standard. One-digit codes are read as
// their two-digit form (1 → 01).
var RelationshipCodes = &CodeTable{
	Field: "relationship",
	Entries: []CodeEntry{
		{Code: "01", Zh: "本人", En: "Self"},
		{Code: "02", Zh: "户主", En: "Householder"},
		{Code: "10", Zh: "配偶", En: "Spouse"},
		{Code: "11", Zh: "夫", En: "Husband", Aliases: []string{"丈夫"}},
		{Code: "12", Zh: "妻", En: "Wife", Aliases: []string{"妻子"}},
		{Code: "20", Zh: "子", En: "Son", Aliases: []string{"儿子"}},
		{Code: "21", Zh: "独生子", En: "Only son"},
		{Code: "22", Zh: "长子", En: "Eldest son"},
		{Code: "23", Zh: "次子", En: "Second son"},
		{Code: "24", Zh: "三子", En: "Third son"},
		{Code: "25", Zh: "四子", En: "Fourth son"},
		{Code: "26", Zh: "五子", En: "Fifth son"},
		{Code: "27", Zh: "养子或继子", En: "Adopted son or stepson"},
		{Code: "28", Zh: "女婿", En: "Son-in-law"},
		{Code: "29", Zh: "其他儿子", En: "Other son"},
		{Code: "30", Zh: "女", En: "Daughter", Aliases: []string{"女儿"}},
		{Code: "31", Zh: "独生女", En: "Only daughter"},
		{Code: "32", Zh: "长女", En: "Eldest daughter"},
		{Code: "33", Zh: "次女", En: "Second daughter"},
		{Code: "34", Zh: "三女", En: "Third daughter"},
		{Code: "35", Zh: "四女", En: "Fourth daughter"},
		{Code: "36", Zh: "五女", En: "Fifth daughter"},
		{Code: "37", Zh: "养女或继女", En: "Adopted daughter or stepdaughter"},
		{Code: "38", Zh: "儿媳", En: "Daughter-in-law"},
		{Code: "39", Zh: "其他女儿", En: "Other daughter"},
		{Code: "40", Zh: "孙子、孙女或外孙子、外孙女", En: "Grandchild"},
		{Code: "41", Zh: "孙子", En: "Grandson (son's son)"},
		{Code: "42", Zh: "孙女", En: "Granddaughter (son's daughter)"},
		{Code: "43", Zh: "外孙子", En: "Grandson (daughter's son)"},
		{Code: "44", Zh: "外孙女", En: "Granddaughter (daughter's daughter)"},
		{Code: "45", Zh: "孙媳妇或外孙媳妇", En: "Grandson's wife"},
		{Code: "46", Zh: "孙女婿或外孙女婿", En: "Granddaughter's husband"},
		{Code: "47", Zh: "曾孙子或外曾孙子", En: "Great-grandson"},
		{Code: "48", Zh: "曾孙女或外曾孙女", En: "Great-granddaughter"},
		{Code: "49", Zh: "其他孙子、孙女或外孙子、外孙女", En: "Other grandchild"},
		{Code: "50", Zh: "父母", En: "Parent"},
		{Code: "51", Zh: "父亲", En: "Father"},
		{Code: "52", Zh: "母亲", En: "Mother"},
		{Code: "53", Zh: "公公", En: "Father-in-law (husband's father)"},
		{Code: "54", Zh: "婆婆", En: "Mother-in-law (husband's mother)"},
		{Code: "55", Zh: "岳父", En: "Father-in-law (wife's father)"},
		{Code: "56", Zh: "岳母", En: "Mother-in-law (wife's mother)"},
		{Code: "57", Zh: "继父或养父", En: "Stepfather or adoptive father"},
		{Code: "58", Zh: "继母或养母", En: "Stepmother or adoptive mother"},
		{Code: "59", Zh: "其他父母关系", En: "Other parent"},
		{Code: "60", Zh: "祖父母或外祖父母", En: "Grandparent"},
		{Code: "61", Zh: "祖父", En: "Grandfather (father's father)"},
		{Code: "62", Zh: "祖母", En: "Grandmother (father's mother)"},
		{Code: "63", Zh: "外祖父", En: "Grandfather (mother's father)"},
		{Code: "64", Zh: "外祖母", En: "Grandmother (mother's mother)"},
		{Code: "65", Zh: "配偶的祖父母或外祖父母", En: "Spouse's grandparent"},
		{Code: "66", Zh: "曾祖父", En: "Great-grandfather"},
		{Code: "67", Zh: "曾祖母", En: "Great-grandmother"},
		{Code: "68", Zh: "配偶的曾祖父母或外曾祖父母", En: "Spouse's great-grandparent"},
		{Code: "69", Zh: "其他祖父母或外祖父母关系", En: "Other grandparent"},
		{Code: "70", Zh: "兄弟姐妹", En: "Sibling"},
		{Code: "71", Zh: "兄", En: "Elder brother", Aliases: []string{"哥哥"}},
		{Code: "72", Zh: "嫂", En: "Elder brother's wife", Aliases: []string{"嫂子"}},
		{Code: "73", Zh: "弟", En: "Younger brother", Aliases: []string{"弟弟"}},
		{Code: "74", Zh: "弟媳", En: "Younger brother's wife"},
		{Code: "75", Zh: "姐姐", En: "Elder sister"},
		{Code: "76", Zh: "姐夫", En: "Elder sister's husband"},
		{Code: "77", Zh: "妹妹", En: "Younger sister"},
		{Code: "78", Zh: "妹夫", En: "Younger sister's husband"},
		{Code: "79", Zh: "其他兄弟姐妹", En: "Other sibling"},
		{Code: "80", Zh: "其他", En: "Other relative (senior)"},
		{Code: "81", Zh: "伯父", En: "Uncle (father's elder brother)"},
		{Code: "82", Zh: "伯母", En: "Aunt (wife of father's elder brother)"},
		{Code: "83", Zh: "叔父", En: "Uncle (father's younger brother)"},
		{Code: "84", Zh: "婶母", En: "Aunt (wife of father's younger brother)"},
		{Code: "85", Zh: "舅父", En: "Uncle (mother's brother)"},
		{Code: "86", Zh: "舅母", En: "Aunt (wife of mother's brother)"},
		{Code: "87", Zh: "姨父", En: "Uncle (husband of mother's sister)"},
		{Code: "88", Zh: "姨母", En: "Aunt (mother's sister)"},
		{Code: "89", Zh: "姑父", En: "Uncle (husband of father's sister)"},
		{Code: "90", Zh: "姑母", En: "Aunt (father's sister)"},
		{Code: "91", Zh: "堂兄弟、堂姐妹", En: "Cousin (father's brother's child)"},
		{Code: "92", Zh: "表兄弟、表姐妹", En: "Cousin (other)"},
		{Code: "93", Zh: "侄子", En: "Nephew (brother's son)"},
		{Code: "94", Zh: "侄女", En: "Niece (brother's daughter)"},
		{Code: "95", Zh: "外甥", En: "Nephew (sister's son)"},
		{Code: "96", Zh: "外甥女", En: "Niece (sister's daughter)"},
		{Code: "97", Zh: "其他亲属", En: "Other relative"},
		{Code: "99", Zh: "非亲属", En: "Not a relative"},
	},
	Map: map[string]string{"1": "01", "2": "02"},
}

// DefaultReasons returns a new copy of the default list of reasons for
// moving (流动原因), the reasons the training material's platform used:
// 1 务工经商, 2 投亲靠友, 3 婚姻嫁娶, 4 学习培训, 5 随迁, 9 其他. Codes 6–8
// are left free for a county's own additions (sheet.LoadReasons); 9 stays
// "other", as in the national tables.
func DefaultReasons() *CodeTable {
	return &CodeTable{
		Field: "reason",
		Entries: []CodeEntry{
			{Code: "1", Zh: "务工经商", En: "Work or business", Aliases: []string{"务工", "经商"}},
			{Code: "2", Zh: "投亲靠友", En: "Joining relatives or friends", Aliases: []string{"投亲", "靠友"}},
			{Code: "3", Zh: "婚姻嫁娶", En: "Marriage", Aliases: []string{"婚嫁"}},
			{Code: "4", Zh: "学习培训", En: "Study or training", Aliases: []string{"学习", "培训"}},
			{Code: "5", Zh: "随迁", En: "Moving with family", Aliases: []string{"随迁家属"}},
			{Code: "9", Zh: "其他", En: "Other"},
		},
	}
}

// defaultReasons is the table ReasonTable returns when Rules has none.
var defaultReasons = DefaultReasons()

// ParseSex reads a sex code or name (GB/T 2261.1); "" is "" and no error.
func ParseSex(s string) (Sex, error) {
	c, err := SexCodes.Parse(s)
	return Sex(c), err
}

// ParseMarital reads a marital status code or name (GB/T 2261.2).
func ParseMarital(s string) (MaritalStatus, error) {
	c, err := MaritalCodes.Parse(s)
	return MaritalStatus(c), err
}

// ParseEducation reads an education code or name (GB 4658-1984, or
// GB/T 4658-2006 mapped to 1984).
func ParseEducation(s string) (Education, error) {
	c, err := EducationCodes.Parse(s)
	return Education(c), err
}

// ParseHukouType reads a household type code or name (also GA 324.1's).
func ParseHukouType(s string) (HukouType, error) {
	c, err := HukouCodes.Parse(s)
	return HukouType(c), err
}

// ParseRelationship reads a relationship code or name (GB/T 4761-2008).
func ParseRelationship(s string) (Relationship, error) {
	c, err := RelationshipCodes.Parse(s)
	return Relationship(c), err
}

// ReasonTable returns the list of reasons for moving in force: r.Reasons,
// or the default list when r or r.Reasons is nil.
func (r *Rules) ReasonTable() *CodeTable {
	if r == nil || r.Reasons == nil {
		return defaultReasons
	}
	return r.Reasons
}

// ParseReason reads a reason for moving, by code or name, from the list in
// force (ReasonTable).
func (r *Rules) ParseReason(s string) (Reason, error) {
	c, err := r.ReasonTable().Parse(s)
	return Reason(c), err
}

// Table returns the code table of a field, named by its JSON name or a
// path ending in it ("sex", "verified.education",
// "members[2].relationship"), as the field table (PersonFields,
// MemberFields, ResultParts) gives it: the reasons for moving in force for
// a reason, the 查无此人 reasons for "not_found.reason"; nil for a field
// that holds no code.
func (r *Rules) Table(field string) *CodeTable {
	for {
		i := strings.IndexByte(field, '[')
		j := strings.IndexByte(field, ']')
		if i < 0 || j < i {
			break
		}
		field = field[:i] + field[j+1:]
	}
	table := func(k FieldKind, t *CodeTable) *CodeTable {
		if k == ReasonField {
			return r.ReasonTable()
		}
		return t
	}
	for _, p := range ResultParts {
		for _, f := range p.Fields {
			if f.Path == field {
				return table(f.Kind, f.Table)
			}
		}
	}
	last := field[strings.LastIndexByte(field, '.')+1:]
	for _, f := range PersonFields {
		if f.Path == last {
			return table(f.Kind, f.Table)
		}
	}
	for _, f := range MemberFields {
		if f.Path == last {
			return table(f.Kind, f.Table)
		}
	}
	return nil
}
