package hecha

// Messages of the validation of cases, results and registry records, and
// of the comparison.
var _ = Register(map[string]Msg{
	"registry.id_spaces": {
		Zh: "人员编号中不能有空格",
		En: "a person number cannot hold spaces",
	},
	"worksheet.form_unknown": {
		Zh: "“%[1]s”不是核查结果；本个案可填：%[2]s",
		En: "%[1]q is not a result form; this case takes: %[2]s",
	},
	"result.candidate_not_found_form": {"已选比对记录 %v，结果就不能是“查无此人”：请改为不选比对记录（工作表中清空“比对记录编号”）", "comparison record %v is picked, so the result cannot be 'no such person': pick no record (on a worksheet, empty the record column)"},
	"result.candidate_form":           {"候选记录 %[2]v 适用的是 %[3]v，不是 %[1]v", "candidate %[2]v calls for form %[3]v, not %[1]v"},
	// Items of a person, a basic record or a form.
	"form.required":              {"必填", "required"},
	"form.code_unknown":          {"不是有效的代码：%v", "not a valid code: %v"},
	"form.date_invalid":          {"没有这一天：%v", "no such date: %v"},
	"form.date_future":           {"不能晚于今天（%v）", "cannot be later than today (%v)"},
	"form.return_before_outflow": {"返回日期不能早于流出日期 %v", "the return date cannot be before the outflow date %v"},
	"form.outflow_before_birth":  {"流出日期不能早于出生日期 %v", "the outflow date cannot be before the birth date %v"},
	"form.before_birth":          {"不能早于出生日期 %v", "cannot be before the birth date %v"},
	"form.id_birth_mismatch":     {"身份证号中的出生日期是 %v，与出生日期 %v 不符", "the ID number says born %v, the birth date says %v"},
	"form.id_sex_mismatch":       {"身份证号第 17 位表明的性别与所填性别不符", "the sex given by the ID number's 17th digit differs from the sex item"},
	"form.mismatch_disagree":     {"与最终的身份证号 %v 不符", "does not agree with the final ID number %v"},
	"form.no_record":             {"个案中没有这条记录，不能取它的值", "the case has no such record to take the value from"},
	"form.id_sex_mismatch_legacy": {"15 位身份证号转换为 18 位是 %v，其第 17 位（原号码第 15 位）表明的性别与所填性别不符",
		"the 15-digit ID number converted to 18 digits is %v; the sex its 17th digit (the old number's 15th) gives differs from the sex item"},

	// Cases.
	"case.id_spaces":                {"个案编号中不能有空格", "a case number cannot hold spaces"},
	"case.kind_unknown":             {"个案类型应为 跨省流出、省内流动 或 常住流出不一致，而不是 %q", "the case kind must be cross-province, in-province or mismatch, not %q"},
	"case.mismatch_none":            {"常住记录与流出记录的四项基础信息完全一致，不是不一致个案", "the resident and outflow records agree on all four items: not a mismatch"},
	"case.current_in_home_province": {"跨省流出个案的现居住地应在外省，%v 与户籍地同省", "a cross-province case lives in another province, but %v is in the home province"},
	"case.inflow_other_province":    {"省内流动个案的流入地应在本省，%v 不在户籍地所在省", "an in-province case moved within the province, but %v is outside it"},
	"case.rev_negative":             {"个案版本不能为负数", "the case revision cannot be negative"},

	// Results.
	"result.form_unknown":      {"没有这种核查结果：%q", "no such result form: %q"},
	"result.form_kind":         {"核查结果 %v 不适用于这类个案", "result form %v does not apply to this kind of case"},
	"result.case_mismatch":     {"结果属于个案 %v，而不是 %v", "the result is for case %v, not %v"},
	"result.unexpected_body":   {"这种核查结果不填写这一部分", "this result form does not take this part"},
	"result.not_confirmed":     {"须经常驻人口信息员签字确认后勾选", "tick this once the resident clerk has signed"},
	"result.not_withdrawn":     {"须先将原流动人口登记退档", "the old floating registration must be withdrawn first"},
	"result.county_disagree":   {"与 %v 截止到县级不一致", "does not agree with %v to county level"},
	"result.township_disagree": {"应为流入乡镇 %v（或其下的村）", "must be the inflow township %v (or a village of it)"},
	"result.before_outflow":    {"不能早于个案的流出日期 %v", "cannot be before the case's outflow date %v"},
	"result.id_invalid":        {"结果编号 %q 格式无效", "result id %q is malformed"},
	"result.replaces_self":     {"结果不能更正它自己", "a result cannot replace itself"},

	// The comparison.
	"compare.precision.day":   {"精确到日", "to the day"},
	"compare.precision.month": {"精确到月", "to the month"},
	"compare.precision.year":  {"精确到年", "to the year"},
	"compare.precision_bad":   {"比对精度应为日、月或年", "the precision must be day, month or year"},
})
