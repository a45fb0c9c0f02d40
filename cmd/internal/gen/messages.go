package gen

import "hecha"

// Messages of the generator.
var _ = hecha.Register(map[string]hecha.Msg{
	"gen.cases": {
		Zh: "个案数量必须大于 0，而不是 %d",
		En: "the number of cases must be positive, not %d",
	},
	"gen.now": {
		Zh: "没有给出生成数据的日期（所有日期都以它为准）",
		En: "no date to generate the data at (all dates count from it)",
	},
	"gen.now_range": {
		Zh: "生成数据的日期 %s 不在 %d 年到 %d 年之间",
		En: "the date to generate the data at, %s, is not between the years %d and %d",
	},
	"gen.county": {
		Zh: "行政区划表中没有县级单位 %s 或其乡级单位；内置区划只包含 410122 中牟县、410223 尉氏县、411721 西平县和 410105 金水区，其他县请用 --regions 指定完整的区划目录",
		En: "the division table has no county %s or none of its townships; the built-in set holds only 410122, 410223, 411721 and 410105: for another county give the full division directory with --regions",
	},
	"gen.destinations": {
		Zh: "行政区划表中没有外省的县级单位，无法生成跨省流出个案的现居住地",
		En: "the division table holds no county of another province, so cross-province cases have nowhere to live",
	},
})
