package hecha

// Messages of the parsers: dates, division codes and the division table,
// citizen ID numbers, code tables and text.
var _ = Register(map[string]Msg{
	// Dates.
	"date.format":      {"日期格式不对：%v（应为 2023-01-05 或 20230105）", "bad date %v (write 2023-01-05 or 20230105)"},
	"date.nonexistent": {"没有这一天：%v", "no such date: %v"},

	// Division codes.
	"division.format":         {"区划代码格式不对：%v（应为 2、4、6、9 或 12 位数字）", "bad division code %v (2, 4, 6, 9 or 12 digits)"},
	"division.required":       {"请填写行政区划代码", "a division code is required"},
	"division.name":           {"区划名称不能为空", "the division name is empty"},
	"division.unknown":        {"区划代码表中没有 %v", "division code %v is not in the table"},
	"division.level.city":     {"至少要到地市级", "must reach at least city level"},
	"division.level.county":   {"至少要到县级", "must reach at least county level"},
	"division.level.township": {"至少要到乡级", "must reach at least township level"},
	"division.level.village":  {"要到村级", "must reach village level"},
	"division.level_fit":      {"级别 %v 与代码 %v 不符", "level %v does not fit code %v"},

	// Citizen ID numbers.
	"id.placeholder":  {"%v 是占位号码，不是真实身份证号，请换成真实号码", "%v is a placeholder, not a real ID number: replace it with the real number"},
	"id.length":       {"身份证号应为 18 位（或老的 15 位），这里是 %v 位", "an ID number has 18 characters (or 15 for old ones), this has %v"},
	"id.chars":        {"身份证号只能是数字，最后一位可以是 X", "an ID number holds only digits, with an X allowed last"},
	"id.birth":        {"身份证号中的出生日期 %v 不存在", "the birth date %v in the ID number does not exist"},
	"id.birth_future": {"身份证号中的出生日期 %v 晚于今天（%v），请核对号码", "the birth date %v in the ID number is after today (%v): check the number"},
	"id.checksum":     {"身份证号校验位不对：最后一位应为 %v，而不是 %v", "the ID number's check character should be %v, not %v"},
	"id.area":         {"身份证号的地址码 %v 不存在", "the ID number's area code %v does not exist"},

	// Code tables.
	"code.unknown": {"没有这个代码或名称：%v", "no such code or name: %v"},

	// Text.
	"text.control":    {"含有控制字符或无效字符", "holds control or invalid characters"},
	"text.too_long":   {"太长了：最多 %v 个字", "too long: at most %v characters"},
	"text.required":   {"必填", "required"},
	"text.name_chars": {"姓名中不能有数字或标点（间隔号 · 除外）", "a name cannot hold digits or punctuation (except the middle dot ·)"},
})
