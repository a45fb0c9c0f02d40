package main

import "hecha"

// The messages of import, gen and compact.
var _ = hecha.Register(map[string]hecha.Msg{
	"county.cli.import.summary":          {Zh: "导入区划表、个案文件或登记系统数据", En: "import the division table, case files or registry data"},
	"county.cli.import.regions.summary":  {Zh: "导入行政区划代码表", En: "import the division table"},
	"county.cli.import.regions.help":     {Zh: "文件格式：code,name,parent_code,level（或 代码,名称,上级代码,级别；乡级 code,name,county_code；村级 code,name,township_code），也可以是历史县级代码表 code,name,valid_from_year,valid_to_year。CSV（UTF-8 或 GB18030）或 XLSX。\n导入的代码并入现有代码表（--replace 则以文件为准），保存在数据库中；各乡镇同步时自动取得新的代码表。\n本库还没有设定服务的县时：用 --county 指定；不指定时，若代码表只含一个县的乡镇，就是这个县。", En: "File formats: code,name,parent_code,level (or 代码,名称,上级代码,级别; townships code,name,county_code; villages code,name,township_code), or the historic county list code,name,valid_from_year,valid_to_year. CSV (UTF-8 or GB18030) or XLSX.\nThe codes are merged into the current table (--replace makes the file the whole table) and stored in the database; the townships take the new table with their next sync.\nWhile the database serves no county yet: --county names it; without it, the county is the only one whose townships the table holds."},
	"county.cli.import.cases.summary":    {Zh: "导入个案文件", En: "import a cases file"},
	"county.cli.import.cases.help":       {Zh: "表头用中文列名：个案编号、个案类型（跨省流出/省内流动/常住流出不一致，或 1/2/3；没有此列时都是跨省流出）和 15 项：姓名、性别、现居住地地址、现居住地行政区划、户籍所在地地址、户籍地行政区划、公民身份证号、出生日期、文化程度、户口性质、流动原因、流出日期、返回日期、婚姻状况、家庭户信息；省内流动另有 流入地行政区划、流入地地址、流入日期，常住流出不一致另有 常住姓名、常住性别、常住出生日期、常住公民身份证号 和 流出姓名 等四项。日期写 2023-01-05 或 20230105；代码项可写代码或名称。\n每行按核查规则检查；被拒收的行列为“第 N 行，字段 F：原因”，其余的行分批存入。同一文件再导入一次不会改变任何东西。\n退出码：0 全部接收；1 有行被拒收（其余已存入）；2 文件无法读取。", En: "The header uses the Chinese column names: 个案编号 (case id), 个案类型 (kind: 跨省流出/省内流动/常住流出不一致 or 1/2/3; without it every case is cross-province) and the 15 items 姓名, 性别, 现居住地地址, 现居住地行政区划, 户籍所在地地址, 户籍地行政区划, 公民身份证号, 出生日期, 文化程度, 户口性质, 流动原因, 流出日期, 返回日期, 婚姻状况, 家庭户信息; in-province cases add 流入地行政区划, 流入地地址, 流入日期, and mismatch cases 常住姓名, 常住性别, 常住出生日期, 常住公民身份证号 and the four 流出姓名 etc. Dates as 2023-01-05 or 20230105; enumerations as code or name.\nEvery row is checked with the verification rules; rejected rows are listed as \"line N, field F: reason\" and the others stored in batches. Importing the same file again changes nothing.\nExit status: 0 every row accepted; 1 some rows rejected (the others stored); 2 the file could not be read."},
	"county.cli.import.resident.summary": {Zh: "导入常住人口系统数据", En: "import resident-system records"},
	"county.cli.import.resident.help":    {Zh: "列：人员编号、姓名、性别、出生日期、公民身份证号、户籍地行政区划（必需），户籍所在地地址、文化程度、户口性质、婚姻状况，以及流出登记的 流出日期、流出地行政区划、流出地址、流出原因。\n检查、报告和退出码同 import cases。", En: "Columns: 人员编号 (record id), 姓名, 性别, 出生日期, 公民身份证号, 户籍地行政区划 (required), 户籍所在地地址, 文化程度, 户口性质, 婚姻状况, and the outflow registration's 流出日期, 流出地行政区划, 流出地址, 流出原因.\nChecks, report and exit status as for import cases."},
	"county.cli.import.floating.summary": {Zh: "导入流动人口系统数据", En: "import floating-system records"},
	"county.cli.import.floating.help":    {Zh: "列：人员编号、姓名、性别、出生日期、公民身份证号、户籍地行政区划、流入地行政区划（必需），户籍所在地地址、流入地地址、流入日期、退档（是/否）、文化程度、婚姻状况、流动原因。\n检查、报告和退出码同 import cases。", En: "Columns: 人员编号 (record id), 姓名, 性别, 出生日期, 公民身份证号, 户籍地行政区划, 流入地行政区划 (required), 户籍所在地地址, 流入地地址, 流入日期, 退档 (是/否), 文化程度, 婚姻状况, 流动原因.\nChecks, report and exit status as for import cases."},
	"county.cli.import.no_regions":       {Zh: "还没有导入区划代码表：请先运行 hecha-county import regions 文件", En: "no division table yet: run hecha-county import regions FILE first"},
	"county.cli.import.dup":              {Zh: "编号 %s 在本文件中重复（第 %d 行已有）", En: "id %s appears twice in this file (first on line %d)"},
	"county.cli.flag.import.replace":     {Zh: "以文件为准替换整个代码表（默认并入）", En: "make the file the whole table (by default it is merged in)"},
	"county.cli.flag.import.county":      {Zh: "本库服务的县（6 位代码）", En: "the county this database serves (6-digit code)"},
	"county.cli.import.stats":            {Zh: "新增 %d，修改 %d，未变 %d，拒收 %d", En: "added %d, changed %d, unchanged %d, rejected %d"},
	"county.cli.import.historic":         {Zh: "历史县级代码：新增 %d，修改 %d，未变 %d，拒收 %d", En: "historic county codes: added %d, changed %d, unchanged %d, rejected %d"},
	"county.cli.import.removed":          {Zh: "删除 %d 个文件中没有的代码", En: "removed %d codes the file does not hold"},
	"county.cli.import.county":           {Zh: "本库服务的县：%s %s", En: "this database serves the county %s %s"},
	"county.cli.import.cases_counties":   {Zh: "个案的户籍地分属 %d 个县：请用 hecha-county import regions 文件 --county 代码 指定本库服务的县", En: "the cases' households lie in %d counties: name this database's county with hecha-county import regions FILE --county CODE"},
	"county.cli.import.province":         {Zh: "这是省级数据库，含 %d 个县（%s）：数据已按所属的县分别存放。只处理一个县时，请加 --county 县代码", En: "this is a province's database of %d counties (%s): the data went to the counties it belongs to. To work on one county, pass --county CODE"},
	"county.cli.import.which_county":     {Zh: "代码表含有 %d 个县的乡镇（%s）：请用 --county 指定本库服务的县", En: "the table holds townships of %d counties (%s): name this database's county with --county"},
})

// The messages of compact.
var _ = hecha.Register(map[string]hecha.Msg{
	"county.cli.compact.help": {Zh: "数据库文件不会自动变小：大量删除或重新导入后，用它把文件重写得紧凑些。运行前先停止同步服务（hecha-county serve）；中途断电也不会损坏数据，文件要么是旧的，要么是新的。", En: "The database file never shrinks by itself: after large deletions or re-imports this rewrites it compactly. Stop the server (hecha-county serve) first; a crash midway leaves either the old file or the new one, never a damaged one."},
})

// The messages of gen.
var _ = hecha.Register(map[string]hecha.Msg{
	"county.cli.gen.summary":        {Zh: "生成一个县的演示数据（导入文件）", En: "generate a demonstration county (import files)"},
	"county.cli.gen.help":           {Zh: "在 --out 目录写出 regions.csv（所用的区划表：全国到县级，本县到村级）、cases.csv、resident.csv、floating.csv，均为带 BOM 的 UTF-8 CSV。\n按 regions、floating、resident、cases 的顺序导入，再运行 assign --auto，就得到一个可用的县。\n所有日期以 --now 给出的日期为准（默认今天）；同样的参数（包括 --seed 和 --now）总是生成逐字节相同的文件。少量个案故意带有错误（--defects），导入时会被拒收，用来演示检查。", En: "Writes into --out: regions.csv (the division table used: the country to county level, the county down to village), cases.csv, resident.csv and floating.csv, all UTF-8 CSV with a byte-order mark.\nImporting them in the order regions, floating, resident, cases and running assign --auto gives a working county.\nEvery date counts from the date --now gives (by default today); the same options, --seed and --now included, always give byte-identical files. A few cases carry deliberate defects (--defects) that the import rejects, to show the checks."},
	"county.cli.flag.gen.out":       {Zh: "写出文件的目录（必需）", En: "the folder to write the files into (required)"},
	"county.cli.flag.gen.county":    {Zh: "县的代码（内置区划表有 410122 中牟县、410223 尉氏县、411721 西平县、410105 金水区；用 --regions 时可为河南任一县）", En: "the county's code (the built-in table has 410122, 410223, 411721, 410105; with --regions any Henan county)"},
	"county.cli.flag.gen.townships": {Zh: "人员分布在前几个乡镇（0 为全部）", En: "how many of the county's townships people live in (0: all)"},
	"county.cli.flag.gen.cases":     {Zh: "个案数", En: "the number of cases"},
	"county.cli.flag.gen.seed":      {Zh: "随机种子", En: "the random seed"},
	"county.cli.flag.gen.now":       {Zh: "数据的日期（如 2024-06-01），所有日期以它为准，都不晚于它；默认今天", En: "the data's date (such as 2024-06-01): every date counts from it and none is later; by default today"},
	"county.cli.gen.dated":          {Zh: "数据日期 %v，随机种子 %d：同样的 --now 和 --seed 生成相同的文件", En: "dated %v with seed %d: the same --now and --seed give the same files"},
	"county.cli.gen.future":         {Zh: "注意：--now %v 晚于今天，导入时晚于今天的日期会被当作未来日期拒收", En: "note: --now %v is after today; the import rejects dates after today as in the future"},
	"county.cli.flag.gen.regions":   {Zh: "区划数据目录（如 china_counties.csv、henan_townships.csv 等所在目录；默认用内置的区划表）", En: "a folder of division files (china_counties.csv, henan_townships.csv, ...; by default the built-in table)"},
	"county.cli.flag.gen.defects":   {Zh: "故意带错误的个案比例，0 到 1（0 为不带）", En: "the share of cases given a deliberate defect, 0 to 1 (0: none)"},
	"county.cli.gen.need_out":       {Zh: "请用 --out 指定写出文件的目录", En: "name the output folder with --out"},
	"county.cli.gen.numbers":        {Zh: "--cases 要大于 0，--townships 不能为负，--defects 在 0 到 1 之间", En: "--cases must be positive, --townships not negative, --defects between 0 and 1"},
	"county.cli.gen.done":           {Zh: "已写入 %s：个案 %d 个，常住人口 %d 条，流动人口 %d 条，区划 %d 个（%s %s）", En: "wrote %s: %d cases, %d resident and %d floating records, %d divisions (%s %s)"},
	"county.cli.gen.defects":        {Zh: "其中 %d 个个案故意带有错误，导入时会被拒收", En: "%d of the cases carry deliberate defects that the import will reject"},
	"county.cli.gen.next":           {Zh: "下一步：", En: "Next:"},
})
