package hecha

import "strings"

// The display names of every field that an error can name (the field.*
// catalogue). FieldName looks up each part of a path such as
// "verified.members[2].citizen_id" as "field.<part>", so one entry serves
// every struct that has a field of that JSON name: "name" is 姓名 in a
// Person, a Member, a Basic and a SignOff alike. Where one JSON name means
// different things in different structs the entry is the general word
// ("destination" 去向行政区划, "date" 日期); the full-path entries
// (field.not_found.reason) name the exceptions for a FieldName that looks
// up whole paths first.
var _ = Register(map[string]Msg{
	// Person: the 15 items (DESIGN §3.1).
	"field.name":               {"姓名", "name"},
	"field.sex":                {"性别", "sex"},
	"field.current_address":    {"现居住地地址", "current address"},
	"field.current_division":   {"现居住地行政区划", "current division"},
	"field.household_address":  {"户籍所在地地址", "household address"},
	"field.household_division": {"户籍地行政区划", "household division"},
	"field.citizen_id":         {"公民身份证号", "citizen ID"},
	"field.birth_date":         {"出生日期", "birth date"},
	"field.education":          {"文化程度", "education"},
	"field.hukou_type":         {"户口性质", "household type"},
	"field.reason":             {"流动原因", "reason for moving"},
	"field.outflow_date":       {"流出日期", "outflow date"},
	"field.return_date":        {"返回日期", "return date"},
	"field.marital":            {"婚姻状况", "marital status"},
	"field.members":            {"家庭户信息", "household members"},
	// Member.
	"field.relationship": {"与户主关系", "relationship"},

	// Case.
	"field.id":              {"个案编号", "case number"},
	"field.kind":            {"个案类型", "case kind"},
	"field.person":          {"个案信息", "case record"},
	"field.unit":            {"核查单位", "assigned unit"},
	"field.assignment":      {"分发", "assignment"},
	"field.at":              {"时间", "time"},
	"field.by":              {"操作人", "by"},
	"field.inflow_division": {"流入地行政区划", "inflow division"},
	"field.inflow_address":  {"流入地地址", "inflow address"},
	"field.inflow_date":     {"流入日期", "inflow date"},
	"field.resident":        {"常住人口记录", "resident record"},
	"field.outflow":         {"流出人口记录", "outflow record"},
	"field.candidates":      {"比对结果", "comparison candidates"},
	"field.rev":             {"个案版本", "case revision"},
	"field.updated_at":      {"更新时间", "updated at"},

	// Result.
	"field.case_id":        {"个案编号", "case number"},
	"field.form":           {"核查结果类型", "result form"},
	"field.township":       {"乡级单位", "township"},
	"field.case_rev":       {"个案版本", "case revision"},
	"field.replaces":       {"被更正的结果", "replaced result"},
	"field.candidate_id":   {"选中的比对记录", "picked record"},
	"field.clerk":          {"信息员", "clerk"},
	"field.saved_at":       {"保存时间", "saved at"},
	"field.not_found":      {"查无此人", "no such person"},
	"field.verified":       {"人工核查信息", "verified information"},
	"field.sign_off":       {"常驻人口信息员确认", "resident clerk's sign-off"},
	"field.reregistration": {"退档并重新登记", "withdrawal and new registration"},
	"field.correction":     {"流出登记更正", "outflow correction"},
	"field.registration":   {"补流出登记", "outflow registration"},
	"field.mismatch":       {"不一致处理", "mismatch resolution"},

	// NotFound.
	"field.destination":  {"去向行政区划", "destination division"},
	"field.dest_address": {"去向详细地址", "destination address"},
	"field.remark":       {"查无此人备注", "remark"},
	// SignOff.
	"field.confirmed": {"已确认", "confirmed"},
	// Reregistration, OutflowCorrection, Outflow.
	"field.withdrawn": {"已退档", "withdrawn"},
	"field.date":      {"日期", "date"},
	"field.address":   {"地址", "address"},
	// MismatchResolution.
	"field.name_choice":       {"姓名取值", "name: value kept"},
	"field.sex_choice":        {"性别取值", "sex: value kept"},
	"field.birth_date_choice": {"出生日期取值", "birth date: value kept"},
	"field.citizen_id_choice": {"公民身份证号取值", "citizen ID: value kept"},
	"field.corrected":         {"更正值", "corrected value"},

	// Candidate.
	"field.source":   {"来源系统", "source"},
	"field.floating": {"流动人口记录", "floating record"},
	"field.by_id":    {"按身份证号找到", "found by ID"},
	"field.differs":  {"不一致项", "differing items"},
	// Comparison.
	"field.precision": {"比对精度", "precision"},

	// Whole paths whose last part means something else than the general
	// entry says.
	"field.not_found.reason":       {"查无此人原因", "reason not found"},
	"field.not_found.destination":  {"婚出地/户口迁出地", "married or moved to"},
	"field.not_found.dest_address": {"婚出地/户口迁出地地址", "address married or moved to"},
	"field.registration.reason":    {"流出原因", "reason for leaving"},
	"field.registration.destination": {
		"流出目的地行政区划", "outflow destination"},
	"field.correction.destination": {"更正后的流出目的地", "corrected destination"},
	"field.reregistration.date":    {"重新登记日期", "registration date"},
	"field.registration.date":      {"流出日期", "outflow date"},
	"field.correction.date":        {"更正日期", "date of correction"},
})

// HasFieldName reports whether every part of the field path (as FieldName
// splits it: by dots, with [n] indexes dropped) has a field.* entry, so
// FieldName shows a display name and never the raw JSON name.
func HasFieldName(path string) bool {
	if path == "" {
		return false
	}
	for _, p := range strings.Split(path, ".") {
		if i := strings.IndexByte(p, '['); i >= 0 {
			p = p[:i]
		}
		if _, ok := CatalogueEntry("field." + p); !ok {
			return false
		}
	}
	return true
}
