package sheet

import "hecha"

// Messages of the tabfile package. Each names the file it is about.
var _ = hecha.Register(map[string]hecha.Msg{
	"tabfile.not_found": {
		Zh: "找不到文件 %s",
		En: "the file %s does not exist",
	},
	"tabfile.open": {
		Zh: "无法打开文件 %s：%s",
		En: "cannot open the file %s: %s",
	},
	"tabfile.empty": {
		Zh: "文件 %s 是空的：没有表头行",
		En: "the file %s is empty: it has no header row",
	},
	"tabfile.not_table": {
		Zh: "文件 %s 不是 CSV 或 XLSX 表格",
		En: "the file %s is not a CSV or XLSX table",
	},
	"tabfile.ole": {
		Zh: "文件 %s 是旧版 Excel（.xls）文件或加了密码的工作簿；请在电子表格软件中另存为 .xlsx 或 CSV（UTF-8）后再导入",
		En: "the file %s is an old Excel (.xls) file or a password-protected workbook; save it as .xlsx or CSV (UTF-8) in the spreadsheet program and import that",
	},
	"tabfile.bad_xlsx": {
		Zh: "文件 %s 不是完好的 XLSX 工作簿，可能已损坏或不完整（%s）",
		En: "the file %s is not a readable XLSX workbook; it may be damaged or incomplete (%s)",
	},
	"tabfile.no_sheet": {
		Zh: "工作簿 %s 中没有工作表",
		En: "the workbook %s has no worksheet",
	},
	"tabfile.no_rows": {
		Zh: "文件 %s 在表头之后没有数据行，什么也没有导入（如果文件里有数据，请检查换行符和编码：将文件另存为 CSV（UTF-8）或 XLSX 再导入）",
		En: "the file %s has no data rows after its header; nothing was imported (if the file does hold data, check its line endings and encoding: save it as CSV (UTF-8) or XLSX and import that)",
	},
	"tabfile.read": {
		Zh: "读取文件 %s 第 %d 行时出错：%s",
		En: "reading the file %s failed at line %d: %s",
	},
	"tabfile.format": {
		Zh: "未知的文件格式 %q（可用：csv、xlsx）",
		En: "unknown file format %q (use csv or xlsx)",
	},
	"tabfile.encoding": {
		Zh: "未知的编码 %q（可用：utf8、gb18030）",
		En: "unknown encoding %q (use utf8 or gb18030)",
	},
})

// Messages of the field worksheet: a cell the result does not use.
var _ = hecha.Register(map[string]hecha.Msg{
	"worksheet.unused_column": {
		Zh: "“%[1]s”不属于核查结果“%[2]s”，填写的内容不会保存；请清空这一格或改正核查结果",
		En: "%[1]s is not part of the result %[3]s, so what is written there would be lost: empty the cell or correct the result",
	},
	"worksheet.unused_for_reason": {
		Zh: "查无此人原因为“%[2]s”时用不到“%[1]s”，填写的内容不会保存；请清空这一格或改正原因",
		En: "%[1]s is not used when the reason is %[3]s, so what is written there would be lost: empty the cell or correct the reason",
	},
})
