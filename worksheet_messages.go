package hecha

// Messages of the field worksheet (worksheet*.go).
var _ = Register(map[string]Msg{
	"worksheet.form_unknown": {
		Zh: "“%[1]s”不是核查结果；本个案可填：%[2]s",
		En: "%[1]q is not a result form; this case takes: %[2]s",
	},
	"worksheet.unused_column": {
		Zh: "“%[1]s”不属于核查结果“%[2]s”，填写的内容不会保存；请清空这一格或改正核查结果",
		En: "%[1]s is not part of the result %[3]s, so what is written there would be lost: empty the cell or correct the result",
	},
	"worksheet.unused_for_reason": {
		Zh: "查无此人原因为“%[2]s”时用不到“%[1]s”，填写的内容不会保存；请清空这一格或改正原因",
		En: "%[1]s is not used when the reason is %[3]s, so what is written there would be lost: empty the cell or correct the reason",
	},
	"worksheet.case_unknown": {
		Zh: "本乡镇没有编号为“%s”的个案",
		En: "this township has no case numbered %q",
	},
	"worksheet.case_repeated": {
		Zh: "个案“%s”在第 %d 行已经出现过",
		En: "the case %q already appears on line %d",
	},
})
