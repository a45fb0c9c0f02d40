package main

import "hecha"

// The messages of the reports and the export of results (report.go).
var _ = hecha.Register(map[string]hecha.Msg{
	"county.cli.report.summary": {Zh: "核查报表：进度表、不一致汇总表、查无此人名单", En: "reports: progress, mismatch summary, no-such-person list"},

	"county.cli.report.progress.summary": {Zh: "跨省流动人口个案信息核查进度表（按单位逐级）", En: "progress of the cross-province case checks, unit by unit"},
	"county.cli.report.progress.help": {
		Zh: "从县（或 --unit 给出的单位）往下逐级到乡镇、村：分发个案数、已核查、未核查、核查率和 R1–R6 各种核查结果的个数。\n" +
			"只统计跨省流出个案。未分发的个案单列一行，最后是合计。分到乡镇、户籍地又到了村的个案计入该村；\n" +
			"乡镇下面有村的行时，没能分到村的个案计入“其他（未到村）”。",
		En: "From the county (or the unit --unit names) down to townships and villages: cases assigned, verified, not verified, the rate and the count of each result R1–R6.\n" +
			"Only cross-province cases are counted. Undistributed cases have a row of their own; the last row is the total. A case of a township whose household division is a village of it counts under that village;\n" +
			"under a township with village rows, its cases without a village count in \"(not in a village)\".",
	},
	"county.cli.report.mismatch.summary": {Zh: "常驻人口与流出人口基础信息不一致个案汇总表", En: "summary of the cases whose resident and outflow records disagree"},
	"county.cli.report.mismatch.help": {
		Zh: "按单位逐级统计常住流出不一致个案：个案数、已处理、未处理，以及姓名、性别、出生日期、身份证号各项不一致的个案数\n" +
			"（文件中另有各项已处理的个数）。一个个案有两项不一致时两项都计。",
		En: "Unit by unit, the mismatch cases: how many, resolved, not resolved, and how many differ in the name, sex, birth date and ID number\n" +
			"(a file also counts the resolved ones per item). A case that differs in two items counts in both.",
	},
	"county.cli.report.notfound.summary": {Zh: "省内流动-流出地反馈查无此人个案信息（按流入地乡镇）", En: "in-province cases the home township found no such person for, by inflow township"},
	"county.cli.report.notfound.help": {
		Zh: "核查结果为“查无此人”（P2）的省内流动个案，按登记流入的乡镇分组：姓名、身份证号、原因、去向和备注，\n" +
			"交给流入地乡镇处理。文件中另有性别、出生日期、户籍地、流入地址和日期、核查单位和时间。",
		En: "The in-province cases answered \"no such person\" (P2), grouped by the township that registered the inflow: name, ID number, reason, destination and remark,\n" +
			"for the inflow township to act on. A file also has the sex, birth date, household division, inflow address and date, and who checked when.",
	},
	"county.cli.report.flag.unit":     {Zh: "从这个单位往下统计（默认本县）", En: "report from this unit down (default: the county)"},
	"county.cli.report.flag.format":   {Zh: "table（在屏幕上显示，默认）、csv 或 xlsx；给了 -o 时默认按文件扩展名", En: "table (on the screen, the default), csv or xlsx; with -o the file name's extension by default"},
	"county.cli.report.flag.encoding": {Zh: "CSV 的编码：utf8（带 BOM）或 gb18030", En: "the CSV encoding: utf8 (with a BOM) or gb18030"},
	"county.cli.report.flag.out":      {Zh: "写入这个文件（不给时显示在屏幕上，CSV 写到标准输出）", En: "write to this file (without it: on the screen, or CSV to the standard output)"},
	"county.cli.report.need_out":      {Zh: "请用 -o 给出要写的文件", En: "give the file to write with -o"},
	"county.cli.report.unit_unknown":  {Zh: "区划表中没有单位 %s", En: "the division table has no unit %s"},
	"county.cli.report.write":         {Zh: "无法写入 %s：%v", En: "cannot write %s: %v"},
	"county.cli.report.wrote":         {Zh: "已写入 %s", En: "wrote %s"},
	"county.cli.report.wrote_rows":    {Zh: "已把 %d 行写入 %s", En: "wrote %d rows to %s"},

	"county.cli.report.results.summary": {Zh: "导出所有有效的核查结果和对应个案", En: "export every result in force with its case"},
	"county.cli.report.results.help": {
		Zh: "每个有核查结果的个案一行：个案各项、核查结果各列（列名与乡镇的待核查工作表相同）、结果编号、\n" +
			"更正的结果编号、核查单位、信息员和核查时间。只导出现行有效的结果（被更正的结果不导出）。",
		En: "One row per case with a result: the case's items, the result's columns (named as on the township's worksheet), the result id,\n" +
			"the id of the result it corrects, the township, the clerk and when it was saved. Only the results in force (not those corrected since).",
	},
	"county.cli.report.flag.results_unit":   {Zh: "只导出分发到这个单位及其下级的个案", En: "export only the cases assigned to this unit or below"},
	"county.cli.report.flag.results_format": {Zh: "csv 或 xlsx；默认按文件扩展名", En: "csv or xlsx; by default the file name's extension"},
	"county.cli.report.flag.results_out":    {Zh: "要写的文件（.xlsx 或 .csv）", En: "the file to write (.xlsx or .csv)"},
	"county.cli.report.results.title":       {Zh: "核查结果", En: "results"},
	"county.cli.report.results.done":        {Zh: "已把 %d 个核查结果导出到 %s", En: "exported %d results to %s"},
})
