package store

import "hecha"

// The store's messages; ids start with "store.".
var _ = hecha.Register(map[string]hecha.Msg{
	"store.locked": {
		Zh: "另一个 hecha 正在使用 %s，请先关闭它",
		En: "another hecha is using %s; close it first",
	},
	"store.open": {
		Zh: "无法打开数据库文件 %s（%s）",
		En: "cannot open the database file %s (%s)",
	},
	"store.damaged": {
		Zh: "数据库文件 %s 已损坏，无法读取（%s）；请用备份恢复",
		En: "the database file %s is damaged and cannot be read (%s); restore it from a backup",
	},
	"store.not_hecha": {
		Zh: "%s 不是 hecha 数据库",
		En: "%s is not a hecha database",
	},
	"store.newer": {
		Zh: "%s 由更新版本的 hecha 写入（格式版本 %d，本程序只支持到 %d），请升级 hecha",
		En: "%s was written by a newer hecha (schema version %d; this program knows up to %d); upgrade hecha",
	},
	"store.role.township": {
		Zh: "%s 是县级服务器的数据库，不能作为乡镇端数据库打开",
		En: "%s is the county server's database, not a township one",
	},
	"store.role.county": {
		Zh: "%s 是乡镇端的数据库，不能作为县级服务器的数据库打开",
		En: "%s is a township's database, not the county server's",
	},
	"store.closed": {
		Zh: "数据库 %s 已关闭",
		En: "the database %s is closed",
	},
	"store.draft_not_found": {
		Zh: "个案 %s 没有草稿",
		En: "case %s has no draft",
	},
	"store.result_not_found": {
		Zh: "结果 %s 不存在",
		En: "result %s does not exist",
	},
	"store.replaces_unknown": {
		Zh: "要更正的结果 %s 不存在",
		En: "the result %s being corrected does not exist",
	},
	"store.result_exists": {
		Zh: "结果编号 %s 已被使用",
		En: "the result id %s is already in use",
	},
	"store.bad_url": {
		Zh: "服务器地址 %s 无效，应以 http:// 或 https:// 开头",
		En: "the server address %s is not valid; it must start with http:// or https://",
	},
	"store.not_township": {
		Zh: "%s 不是乡镇级区划代码",
		En: "%s is not a township-level division code",
	},
	"store.form_kind": {
		Zh: "表单 %s 不适用于此类个案",
		En: "form %s does not apply to this kind of case",
	},
	"store.compact_locked": {
		Zh: "%s 正在被使用，无法压缩；请先关闭 hecha",
		En: "%s is in use and cannot be compacted; close hecha first",
	},
})
