package pgstore

import "hecha"

// The PostgreSQL store's messages; ids start with "pgstore.".
var _ = hecha.Register(map[string]hecha.Msg{
	"pgstore.connect": {
		Zh: "无法连接 PostgreSQL 数据库 %s（%s）",
		En: "cannot connect to the PostgreSQL database %s (%s)",
	},
	"pgstore.unmigrated": {
		Zh: "PostgreSQL 数据库 %s 尚未建立 hecha 的表：请先运行 hecha-county migrate",
		En: "the PostgreSQL database %s has no hecha tables yet: run hecha-county migrate first",
	},
	"pgstore.older": {
		Zh: "PostgreSQL 数据库 %s 的格式版本为 %d，本程序需要 %d：请先运行 hecha-county migrate",
		En: "the PostgreSQL database %s is at schema version %d, this program needs %d: run hecha-county migrate first",
	},
	"pgstore.newer": {
		Zh: "PostgreSQL 数据库 %s 由更新版本的 hecha 升级过（格式版本 %d，本程序只支持到 %d），请升级 hecha",
		En: "the PostgreSQL database %s was migrated by a newer hecha (schema version %d; this program knows up to %d); upgrade hecha",
	},
	"pgstore.case_ambiguous": {
		Zh: "个案编号 %s 在多个县中都有（%s）：请用 --county 指定县",
		En: "the case id %s is in several counties (%s): name the county with --county",
	},
	"pgstore.serving": {
		Zh: "数据库 %s 中的县 %s 正由同步服务（hecha-county serve）或另一个复制使用：请先停止该县的服务，再复制",
		En: "the county %[2]s of the database %[1]s is in use by a sync server (hecha-county serve) or another copy: stop the county's server, then copy",
	},
	"pgstore.serving_all": {
		Zh: "数据库 %s 正由服务所有县的同步服务（hecha-county serve，未指定 --county）或另一个复制使用：请先停止该服务，再复制县 %s",
		En: "the database %s is in use by a sync server of every county (hecha-county serve without --county) or another copy: stop that server, then copy the county %s",
	},
	"pgstore.serving_lost": {
		Zh: "与数据库 %s 的连接中断期间，有县开始了复制（hecha-county copy）：服务停止，以免与复制同时写入；复制完成后请重新启动服务",
		En: "the connection to the database %s was lost, and meanwhile a copy of a county (hecha-county copy) began: the server stops so as not to write beside the copy; start it again once the copy is done",
	},
	"pgstore.copying": {
		Zh: "数据库 %s 中有县正在复制（hecha-county copy）：复制完成后再启动服务",
		En: "a county of the database %s is being copied (hecha-county copy): start the server once the copy is done",
	},
	"pgstore.other_county": {
		Zh: "本服务只负责 %s，不能设为 %s",
		En: "this store serves %s and cannot be set to %s",
	},
})
