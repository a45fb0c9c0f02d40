package main

import "hecha"

// The messages of the field-work commands (fieldwork.go), and the export
// group's summary.
var _ = hecha.Register(map[string]hecha.Msg{
	"worksheet.case_unknown": {
		Zh: "本乡镇没有编号为“%s”的个案",
		En: "this township has no case numbered %q",
	},
	"worksheet.case_repeated": {
		Zh: "个案“%s”在第 %d 行已经出现过",
		En: "the case %q already appears on line %d",
	},
	"cli.township.export.summary": {Zh: "导出文件（待核查个案工作表、批次文件）", En: "export files (the worksheet of cases to verify, batch files)"},

	"cli.township.fieldwork.pending.summary": {Zh: "把未核查的个案导出为工作表，打印后入户核查", En: "export the cases not verified as a worksheet to print for door-to-door checks"},
	"cli.township.fieldwork.pending.help": {
		Zh: "工作表每行一个个案：个案编号、15 项信息（已按个案填好，核实后只改不同的项）、系统比对结果，以及空着的核查结果各列：\n" +
			"核查结果（R1–R6、P1、P2、M 或其名称）、查无此人原因、去向行政区划、去向地址、备注、退档重新登记（R3）、更正去向（R5）、\n" +
			"补流出登记（R6、P1）、不一致各项取值（M）、常驻人口信息员确认（是/否）和确认人。\n" +
			"包括未核查、有草稿、被县里退回和有冲突的个案。XLSX 适合打印（横向 A4，每页重复表头和前两列）和在电子表格中填写；\n" +
			"CSV 默认 UTF-8 带 BOM，旧版电子表格软件用 --encoding gb18030。填好后用 hecha import results 文件 导入。",
		En: "One row per case: the case number, the 15 items (filled from the case; after checking, change only what differs), what the comparison found, and the empty result columns:\n" +
			"核查结果 (R1–R6, P1, P2, M or their names), the reason not found, destination, address, remark, the new registration (R3), the corrected destination (R5),\n" +
			"the outflow registration (R6, P1), the value kept for each item (M), the resident clerk's sign-off (是/否) and who signed.\n" +
			"It holds the cases not verified, with a draft, rejected by the county or in conflict. XLSX suits printing (landscape A4, the header and first two columns on every page) and filling in on a computer;\n" +
			"CSV is UTF-8 with a BOM, or --encoding gb18030 for old spreadsheet programs. Import the filled sheet with hecha import results FILE.",
	},
	"cli.township.fieldwork.flag.out":      {Zh: "要写的工作表文件（.xlsx 或 .csv）", En: "the worksheet file to write (.xlsx or .csv)"},
	"cli.township.fieldwork.flag.format":   {Zh: "文件格式：csv 或 xlsx；默认按文件扩展名", En: "the file format: csv or xlsx; by default the file name's extension"},
	"cli.township.fieldwork.flag.encoding": {Zh: "CSV 的编码：utf8（带 BOM）或 gb18030", En: "the CSV encoding: utf8 (with a BOM) or gb18030"},
	"cli.township.fieldwork.flag.kind":     {Zh: "只导出这一类个案：1 跨省流出、2 省内流动、3 常住流出不一致", En: "export only cases of this kind: 1 cross-province, 2 in-province, 3 mismatch"},
	"cli.township.fieldwork.need_out":      {Zh: "请用 -o 给出要写的文件", En: "give the file to write with -o"},
	"cli.township.fieldwork.sheet":         {Zh: "待核查个案", En: "cases to verify"},
	"cli.township.fieldwork.title":         {Zh: "待核查个案工作表 %s %s", En: "Worksheet of cases to verify %s %s"},
	"cli.township.fieldwork.pending.done":  {Zh: "已把 %d 个待核查个案导出到 %s（%s）", En: "exported %d cases to verify to %s (%s)"},
	"cli.township.fieldwork.pending.next":  {Zh: "核查后填写核查结果各列，再用 hecha import results %s 导入", En: "after the checks, fill in the result columns and import the sheet with hecha import results %s"},
	"cli.township.fieldwork.pending.none":  {Zh: "没有待核查的个案；%s 中只有表头", En: "there are no cases to verify; %s holds only the header"},

	"cli.township.fieldwork.results.summary": {Zh: "导入填好的工作表：每行的核查结果按表单规则检查后保存", En: "import a filled worksheet: each row's result is checked by the form's rules and saved"},
	"cli.township.fieldwork.results.help": {
		Zh: "读入 hecha export pending 导出并填好的工作表（CSV 任意编码或 XLSX）。核查结果一列空着的行跳过。\n" +
			"每行按个案编号找到个案，按核查表单的全部规则检查；通过的保存为最终结果，等待上传县里。\n" +
			"有问题的行逐条列出：“第 N 行，字段 F：问题”，改正后可以再导入。同一个表导入两次不会改变任何东西；\n" +
			"已有核查结果的个案填了不同的结果，保存为对原结果的更正。\n" +
			"退出码：0 全部保存；1 有行被拒收（其余已保存）；2 文件无法读取或表头不对。",
		En: "Reads a worksheet that hecha export pending wrote and the clerk filled in (CSV in any encoding, or XLSX). Rows whose 核查结果 is empty are skipped.\n" +
			"Each row finds its case by the case number and is checked by every rule of the form; rows that pass are saved as final results, to be uploaded to the county.\n" +
			"Rows with problems are listed, \"line N, field F: problem\"; fix them and import again. Importing the same sheet twice changes nothing;\n" +
			"a different result for a case that has one is saved as a correction of it.\n" +
			"Exit status: 0 all saved; 1 some rows rejected (the others are saved); 2 the file cannot be read or its header is wrong.",
	},
	"cli.township.fieldwork.results.stats": {
		Zh: "保存 %d 个结果（其中更正 %d 个），未变 %d 个，跳过未填核查结果的 %d 行，拒收 %d 行",
		En: "saved %d results (%d of them corrections), unchanged %d, skipped %d rows without a result, rejected %d",
	},
	"cli.township.no_divisions": {
		Zh: "注意：本库没有行政区划代码表，区划代码只检查格式，不核对是否存在。请运行 hecha sync 从县里取得（或 hecha setup --regions 文件 导入）。",
		En: "note: this database has no division table, so division codes are checked for their form only, not that they exist. Run hecha sync to get the county's (or import one with hecha setup --regions FILE).",
	},
})
