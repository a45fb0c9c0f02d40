package cli

import "hecha"

// The shared command-line messages.
var _ = hecha.Register(map[string]hecha.Msg{
	"cli.line":       {Zh: "第 %d 行：%s", En: "line %d: %s"},
	"cli.line.field": {Zh: "第 %d 行，字段 %s：%s", En: "line %d, field %s: %s"},

	"cli.interrupted":  {Zh: "已中断", En: "interrupted"},
	"cli.db.nohome":    {Zh: "找不到用户配置目录：请用 --db 或环境变量 %s 指定数据库文件", En: "there is no user config folder: name the database with --db or the environment variable %s"},
	"cli.db.folder":    {Zh: "无法创建数据文件夹 %s：%v", En: "cannot create the data folder %s: %v"},
	"cli.db.nodefault": {Zh: "（用户配置目录下的 hecha 文件夹）", En: "(the hecha folder in the user's config folder)"},
	"cli.db.help":      {Zh: "数据库文件：--db FILE；未给出时用环境变量 %s；都没有时用 %s。", En: "Database: --db FILE; without it, the environment variable %s; without that, %s."},

	"cli.regions.read":    {Zh: "无法读取区划表文件 %s：%v", En: "cannot read the division file %s: %v"},
	"cli.regions.damaged": {Zh: "区划表文件 %s 已损坏（%s）；请重新导入区划表", En: "the division file %s is damaged (%s); import the division table again"},
	"cli.regions.write":   {Zh: "无法保存区划表文件 %s：%v", En: "cannot save the division file %s: %v"},
	"cli.regions.rename":  {Zh: "区划表文件 %s 已移入数据库，但无法改名：%v；请手工删除它", En: "the division file %s is in the database now but cannot be renamed: %v; delete it by hand"},
	"cli.regions.moved":   {Zh: "已把数据库旁的区划表文件 %s 移入数据库，原文件改名为 %s", En: "moved the division file %s into the database; the file is renamed %s"},

	"cli.usage":         {Zh: "用法：", En: "Usage:"},
	"cli.usage.options": {Zh: "[选项]", En: "[options]"},
	"cli.usage.command": {Zh: "<命令>", En: "COMMAND"},
	"cli.options":       {Zh: "选项：", En: "Options:"},
	"cli.commands":      {Zh: "命令：", En: "Commands:"},
	"cli.default":       {Zh: "（默认 %s）", En: "(default %s)"},
	"cli.help.more":     {Zh: "用 “%s help 命令” 或 “命令 --help” 查看命令的说明。", En: "Run \"%s help COMMAND\" or \"COMMAND --help\" for a command's help."},
	"cli.help.see":      {Zh: "用 “%s” 查看说明。", En: "Run \"%s\" for help."},
	"cli.flag.db":       {Zh: "数据库文件", En: "the database file"},
	"cli.flag.lang":     {Zh: "界面语言：zh（中文）或 en（英文）；默认按系统语言环境", En: "the language: zh (Chinese) or en (English); by default the locale's"},
	"cli.flag.help":     {Zh: "显示本说明", En: "show this help"},

	"cli.err.command":    {Zh: "没有命令 “%s”", En: "unknown command %q"},
	"cli.err.subcommand": {Zh: "“%s” 后面要跟一个命令：%s", En: "%q needs a command: %s"},
	"cli.err.flags":      {Zh: "命令行有误：%s", En: "bad command line: %s"},
	"cli.err.args.few":   {Zh: "缺少参数：%s", En: "missing arguments: %s"},
	"cli.err.args.many":  {Zh: "多余的参数：%s", En: "unexpected arguments: %s"},
})
