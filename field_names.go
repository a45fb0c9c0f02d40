package hecha

import "strings"

// The general display names of the fields an error can name (the field.*
// catalogue); the items of a person and of the result forms have theirs
// in the field table (field.go, fieldLabels). FieldName looks up each part of a path such as
// "verified.members[2].citizen_id" as "field.<part>", so one entry serves
// every struct that has a field of that JSON name: "name" is 姓名 in a
// Person, a Member, a Basic and a SignOff alike. Where one JSON name means
// different things in different structs the entry is the general word
// ("destination" 去向行政区划, "date" 日期); the full-path entries
// (field.not_found.reason) name the exceptions for a FieldName that looks
// up whole paths first.
var _ = Register(map[string]Msg{
	// The items of a person, a member and the result forms are in the
	// field table (field.go).

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

	// Setting up and unlocking a terminal, and its connection.
	"field.server":       {"县级服务器地址", "county server address"},
	"field.token":        {"令牌", "token"},
	"field.fingerprint":  {"证书指纹", "certificate fingerprint"},
	"field.passphrase":   {"口令", "passphrase"},
	"field.recovery_key": {"恢复密钥", "recovery key"},
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
