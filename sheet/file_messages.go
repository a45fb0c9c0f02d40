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

// Messages of the import files' headers and rows (record*.go,
// header_unknown.go).
var _ = hecha.Register(map[string]hecha.Msg{
	"file.missing_columns": {
		Zh: "缺少必需的列：%[1]s",
		En: "required columns are missing: %[2]s",
	},
	"file.duplicate_column": {
		Zh: "列“%s”出现了不止一次",
		En: "the column %q appears more than once",
	},
	"file.misspelt_column": {
		Zh: "列名“%[1]s”无法识别，看起来像“%[2]s”（%[3]s）；请改正表头后再导入，否则这一列的内容会丢失",
		En: "the column name %[1]q is not known but looks like %[3]q (%[2]s); correct the header and import again, or that column's contents would be lost",
	},
	"file.unknown_column": {
		Zh: "注意：第 %d 列“%s”不是可识别的列名，这一列的内容不会导入",
		En: "note: column %d, %q, is not a known column name; its contents are not imported",
	},
	"file.unknown_column_closest": {
		Zh: "注意：第 %d 列“%s”不是可识别的列名，这一列的内容不会导入（最接近的已知列名：%s）",
		En: "note: column %d, %q, is not a known column name; its contents are not imported (the closest known name is %s)",
	},
	"file.no_columns": {
		Zh: "表头中没有可识别的列名；第一行应当是列名，例如：%[1]s",
		En: "the header names no known column; the first row must hold the column names, such as: %[2]s",
	},
	"row.undecodable": {
		Zh: "含有无法识别的字符，文件的编码可能不对；请将文件另存为 UTF-8 或 GB18030 编码的 CSV，或 XLSX",
		En: "holds characters that cannot be read; the file's encoding may be wrong: save it as CSV in UTF-8 or GB18030, or as XLSX",
	},
	"row.id_as_number": {
		Zh: "身份证号被电子表格当成了数字（%s），后几位已经丢失；请把这一列设为“文本”格式后重新输入",
		En: "the spreadsheet stored the ID number as a number (%s) and lost its last digits; format the column as text and enter the numbers again",
	},
	"row.bool": {
		Zh: "应为“是”或“否”，而不是“%s”",
		En: "must be 是 (yes) or 否 (no), not %q",
	},
	"row.kind_column": {
		Zh: "这一列只用于“%[1]s”个案，本行是“%[3]s”个案",
		En: "this column is only for %[2]s cases; this row is a %[4]s case",
	},
	"row.member_parts": {
		Zh: "家庭成员应写成 姓名|与户主关系|公民身份证号|性别|出生日期，这里有 %d 段",
		En: "a household member is written name|relationship|citizen ID|sex|birth date; this one has %d parts",
	},
})
