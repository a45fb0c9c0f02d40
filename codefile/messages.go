package codefile

import "hecha"

// Messages of the code-list files: a division table, the historic codes,
// a list of reasons, a folder of division files.
var _ = hecha.Register(map[string]hecha.Msg{
	"division.header":           {Zh: "无法识别的区划文件表头：%v（应为 code,name,parent_code,level 等）", En: "unknown division file header %v (expected code,name,parent_code,level or similar)"},
	"division.row.csv":          {Zh: "第 %d 行：CSV 格式错误（%v）", En: "line %d: bad CSV (%v)"},
	"division.row.columns":      {Zh: "第 %d 行：有 %d 列，应为 %d 列", En: "line %d: %d columns, expected %d"},
	"division.row.code":         {Zh: "第 %d 行：区划代码不对：%q", En: "line %d: bad division code %q"},
	"division.row.name":         {Zh: "第 %d 行：区划名称为空或含有控制字符", En: "line %d: the name is empty or holds control characters"},
	"division.row.parent":       {Zh: "第 %d 行：上级代码 %v 不是 %v 的上级", En: "line %d: parent code %v is not above %v"},
	"division.row.level":        {Zh: "第 %d 行：级别 %q 与代码 %v 不符", En: "line %d: level %q does not fit code %v"},
	"division.row.year":         {Zh: "第 %d 行：年份不对：%q", En: "line %d: bad year %q"},
	"division.row.county_level": {Zh: "第 %d 行：%v 不是县级或以上的代码", En: "line %d: %v is not a code of county level or above"},
	"division.dir.empty":        {Zh: "目录 %v 中没有区划文件", En: "no division files in %v"},
	"code.header":               {Zh: "代码表表头应为 code,name（或 代码,名称），这里是 %v", En: "a code list's header must be code,name, not %v"},
	"code.row":                  {Zh: "第 %d 行：代码或名称为空或不对", En: "line %d: the code or name is empty or bad"},
	"code.dup":                  {Zh: "第 %d 行：代码或名称 %v 重复", En: "line %d: code or name %v appears twice"},
	"code.empty":                {Zh: "代码表是空的", En: "the code list is empty"},
})
