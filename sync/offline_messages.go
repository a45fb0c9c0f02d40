package sync

import "hecha"

// The messages of offline files; ids start with "offline.". The first
// argument of every "offline.err.*" message but write_too_large is the
// file's name.
var _ = hecha.Register(map[string]hecha.Msg{
	"offline.err.open": {
		Zh: "无法读取文件 %s（%s）",
		En: "cannot read the file %s (%s)",
	},
	"offline.err.empty": {
		Zh: "%s 是空文件，不是 hecha 离线文件",
		En: "%s is empty: it is not a hecha offline file",
	},
	"offline.err.too_large": {
		Zh: "%s 太大（超过 %d MB），不是 hecha 离线文件",
		En: "%s is too large (over %d MB) to be a hecha offline file",
	},
	"offline.err.write_too_large": {
		Zh: "要写的离线文件超过 %d MB，请分几次导出",
		En: "the offline file would be over %d MB; export in several parts",
	},
	"offline.err.not_offline": {
		Zh: "%s 不是 hecha 离线文件",
		En: "%s is not a hecha offline file",
	},
	"offline.err.truncated": {
		Zh: "%s 不完整（文件被截断，可能没有拷贝完），请重新拷贝",
		En: "%s is incomplete (truncated, perhaps not fully copied); copy it again",
	},
	"offline.err.trailing": {
		Zh: "%s 在签名之后还有多余内容，文件已损坏或被改动，不能使用",
		En: "%s has data after its signature: it is damaged or was altered and cannot be used",
	},
	"offline.err.damaged": {
		Zh: "%s 已损坏，无法读取，请重新拷贝或重新导出",
		En: "%s is damaged and cannot be read; copy or export it again",
	},
	"offline.err.newer": {
		Zh: "%s 由较新版本的 hecha 生成（文件格式 %d，本程序只能读到 %d），请先升级本程序",
		En: "%s was written by a newer hecha (file format %d; this program reads up to %d); upgrade this program first",
	},
	// A file of another kind: offline.err.kind.<wanted>.<found>.
	"offline.err.kind.batch.receipt": {
		Zh: "%s 是回执文件，不是结果批次文件；回执在乡镇用 hecha import receipt 导入",
		En: "%s is a receipt, not a batch file; a township imports receipts with hecha import receipt",
	},
	"offline.err.kind.batch.cases": {
		Zh: "%s 是个案文件，不是结果批次文件；个案文件在乡镇用 hecha import cases 导入",
		En: "%s is a case file, not a batch file; a township imports case files with hecha import cases",
	},
	"offline.err.kind.receipt.batch": {
		Zh: "%s 是结果批次文件，不是回执；批次文件由县里用 hecha-county import batch 导入",
		En: "%s is a batch file, not a receipt; the county imports batch files with hecha-county import batch",
	},
	"offline.err.kind.receipt.cases": {
		Zh: "%s 是个案文件，不是回执；请用 hecha import cases 导入",
		En: "%s is a case file, not a receipt; import it with hecha import cases",
	},
	"offline.err.kind.cases.batch": {
		Zh: "%s 是结果批次文件，不是个案文件；批次文件由县里用 hecha-county import batch 导入",
		En: "%s is a batch file, not a case file; the county imports batch files with hecha-county import batch",
	},
	"offline.err.kind.cases.receipt": {
		Zh: "%s 是回执，不是个案文件；请用 hecha import receipt 导入",
		En: "%s is a receipt, not a case file; import it with hecha import receipt",
	},
	"offline.err.township": {
		Zh: "%s 属于乡镇 %s，不属于 %s，不能导入",
		En: "%s belongs to township %s, not to %s; it cannot be imported",
	},
	"offline.err.token": {
		Zh: "%s 用令牌 %s 签名，而这里用的是令牌 %s（令牌可能已更换），不能导入",
		En: "%s is signed with token %s but the token here is %s (was the token replaced?); it cannot be imported",
	},
	"offline.err.signature": {
		Zh: "%s 的签名不符：文件被改动过或已损坏，不能导入",
		En: "the signature of %s does not match: the file was altered or is damaged and cannot be imported",
	},
})
