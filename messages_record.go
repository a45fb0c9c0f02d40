package hecha

// Messages of the import formats (record.go) and the registry records'
// validation (validate_registry.go).
var _ = Register(map[string]Msg{
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
	"registry.id_spaces": {
		Zh: "人员编号中不能有空格",
		En: "a person number cannot hold spaces",
	},
})
