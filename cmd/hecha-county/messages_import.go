package main

import "hecha"

// The messages of import, gen and compact.
var _ = hecha.Register(map[string]hecha.Msg{
	"county.cli.import.summary":         {Zh: "导入区划表、个案文件或登记系统数据", En: "import the division table, case files or registry data"},
	"county.cli.import.regions.summary": {Zh: "导入行政区划代码表", En: "import the division table"},
	"county.cli.import.regions.help":    {Zh: "文件格式：code,name,parent_code,level（或 代码,名称,上级代码,级别；乡级 code,name,county_code；村级 code,name,township_code），也可以是历史县级代码表 code,name,valid_from_year,valid_to_year。CSV（UTF-8 或 GB18030）或 XLSX。\n导入的代码并入现有代码表（--replace 则以文件为准），保存在数据库旁的 <数据库>.regions.csv 中，每次启动时读入。\n本库还没有设定服务的县时：用 --county 指定；不指定时，若代码表只含一个县的乡镇，就是这个县。", En: "File formats: code,name,parent_code,level (or 代码,名称,上级代码,级别; townships code,name,county_code; villages code,name,township_code), or the historic county list code,name,valid_from_year,valid_to_year. CSV (UTF-8 or GB18030) or XLSX.\nThe codes are merged into the current table (--replace makes the file the whole table), kept beside the database as <database>.regions.csv and read on every start.\nWhile the database serves no county yet: --county names it; without it, the county is the only one whose townships the table holds."},
	"county.cli.flag.import.replace":    {Zh: "以文件为准替换整个代码表（默认并入）", En: "make the file the whole table (by default it is merged in)"},
	"county.cli.flag.import.county":     {Zh: "本库服务的县（6 位代码）", En: "the county this database serves (6-digit code)"},
	"county.cli.import.stats":           {Zh: "新增 %d，修改 %d，未变 %d，拒收 %d", En: "added %d, changed %d, unchanged %d, rejected %d"},
	"county.cli.import.historic":        {Zh: "历史县级代码：新增 %d，修改 %d，未变 %d，拒收 %d", En: "historic county codes: added %d, changed %d, unchanged %d, rejected %d"},
	"county.cli.import.removed":         {Zh: "删除 %d 个文件中没有的代码", En: "removed %d codes the file does not hold"},
	"county.cli.import.county":          {Zh: "本库服务的县：%s %s", En: "this database serves the county %s %s"},
	"county.cli.import.which_county":    {Zh: "代码表含有 %d 个县的乡镇（%s）：请用 --county 指定本库服务的县", En: "the table holds townships of %d counties (%s): name this database's county with --county"},
})

// The messages of compact.
var _ = hecha.Register(map[string]hecha.Msg{
	"county.cli.compact.summary": {Zh: "压缩数据库文件", En: "compact the database file"},
	"county.cli.compact.help":    {Zh: "数据库文件不会自动变小：大量删除或重新导入后，用它把文件重写得紧凑些。运行前先停止同步服务（hecha-county serve）；中途断电也不会损坏数据，文件要么是旧的，要么是新的。", En: "The database file never shrinks by itself: after large deletions or re-imports this rewrites it compactly. Stop the server (hecha-county serve) first; a crash midway leaves either the old file or the new one, never a damaged one."},
	"county.cli.compact.missing": {Zh: "数据库文件 %s 不存在", En: "the database file %s does not exist"},
	"county.cli.compact.done":    {Zh: "已压缩 %s：%s → %s", En: "compacted %s: %s → %s"},
})
