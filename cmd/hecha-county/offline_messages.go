package main

import "hecha"

// The messages of the offline file commands (offline.go), and the export
// group's summary.
var _ = hecha.Register(map[string]hecha.Msg{
	"county.cli.export.summary": {Zh: "导出文件（给乡镇的个案文件等）", En: "export files (case files for townships, and more)"},

	"county.cli.offline.token_unknown": {
		Zh: "%s 用令牌 %s 签名，本县没有这个令牌：文件被改动过，或来自别的县",
		En: "%s is signed with token %s, which this county does not have: the file was altered or comes from another county",
	},
	"county.cli.offline.token_revoked": {
		Zh: "%s 用已撤销的令牌 %s 签名，不能导入；请给乡镇 %s 发新令牌，乡镇用 hecha import cases 文件 --token 新令牌 换上后重新导出",
		En: "%s is signed with the revoked token %s and cannot be imported; give township %s a new token, which it takes with hecha import cases FILE --token NEW-TOKEN before exporting again",
	},

	// import batch.
	"county.cli.offline.batch.summary": {Zh: "导入乡镇用 U 盘带来的结果批次文件，并写出回执", En: "import a township's batch file brought by USB stick, and write the receipt"},
	"county.cli.offline.batch.help": {
		Zh: "核对乡镇令牌的签名（文件被改动、截断、属于别的乡镇、令牌已撤销都会被拒绝，什么也不改变），然后与联网上传（POST /api/v1/results）完全一样地处理每个结果：接收、重复、退回或冲突。\n" +
			"回执写在批次文件旁边（文件名加 .receipt，或用 -o 指定），带县里的签名，交乡镇用 hecha import receipt 导入。\n" +
			"同一个批次导入多次，或既用文件又联网上传，结果只入库一次，回执里为“重复”（视同接收）。",
		En: "Checks the signature made with the township's token (a file that was altered, truncated, belongs to another township or was signed with a revoked token is refused and changes nothing), then takes each result exactly as an upload over the network (POST /api/v1/results) does: accepted, duplicate, rejected or conflict.\n" +
			"The receipt is written next to the batch file (its name plus .receipt, or -o), signed by the county, for the township's hecha import receipt.\n" +
			"A batch imported several times, or sent both by file and over the network, is stored once; the receipt then says duplicate (as good as accepted).",
	},
	"county.cli.offline.flag.receipt": {Zh: "回执文件（默认为批次文件名加 .receipt）", En: "the receipt file (default: the batch file's name plus .receipt)"},
	"county.cli.offline.receipt_write": {
		Zh: "结果已入库，但无法写回执 %s：%v；再导入一次同一批次即可重新生成回执",
		En: "the results are stored but the receipt %s cannot be written: %v; import the same batch again to write it",
	},
	"county.cli.offline.batch.done": {
		Zh: "批次 %s，乡镇 %s %s（%s 导出）：%d 个结果，接收 %d，重复 %d，退回 %d，冲突 %d",
		En: "batch %s of township %s %s (exported %s): %d results, accepted %d, duplicate %d, rejected %d, conflict %d",
	},
	"county.cli.offline.batch.item.rejected": {Zh: "退回：个案 %s（结果 %s）", En: "rejected: case %s (result %s)"},
	"county.cli.offline.batch.item.conflict": {Zh: "冲突：个案 %s（结果 %s）", En: "conflict: case %s (result %s)"},
	"county.cli.offline.batch.receipt":       {Zh: "回执已写入 %[1]s，请交乡镇运行 hecha import receipt %[1]s", En: "receipt written to %[1]s; the township imports it with hecha import receipt %[1]s"},
	"county.cli.offline.batch.cases": {
		Zh: "给乡镇带回新的个案：hecha-county export cases --township %s --since %d --registry-since %d -o 文件",
		En: "to send the township its new cases: hecha-county export cases --township %s --since %d --registry-since %d -o FILE",
	},

	// export cases.
	"county.cli.offline.cases.summary": {Zh: "为不能联网的乡镇导出个案文件（个案、比对资料、区划表）", En: "export a case file for a township with no connection (cases, registry extract, division table)"},
	"county.cli.offline.cases.help": {
		Zh: "写出乡镇的个案和比对资料（与联网下载的内容相同）以及区划代码表，用该乡镇的令牌签名，乡镇用 hecha import cases 导入。\n" +
			"默认导出全部；--since 和 --registry-since 只导出这两个变动序号之后的（乡镇的批次文件导入时会提示这两个数）。\n" +
			"默认用该乡镇最新的有效令牌签名；--token 指定令牌编号。乡镇还没有令牌时，先用 hecha-county token create 生成，和文件一起交给乡镇。",
		En: "Writes the township's cases and registry extract (what a sync would download) and the division table, signed with the township's token, for the township's hecha import cases.\n" +
			"Everything by default; --since and --registry-since export only what changed after those change numbers (importing the township's batch file prints them).\n" +
			"Signed with the township's newest valid token unless --token names one. A township without a token needs one first: make it with hecha-county token create and hand it over with the file.",
	},
	"county.cli.offline.flag.since":          {Zh: "只导出此个案变动序号之后的个案（0 为全部）", En: "export only cases changed after this change number (0: all)"},
	"county.cli.offline.flag.registry_since": {Zh: "只导出此登记变动序号之后的比对资料（0 为全部）", En: "export only registry records changed after this change number (0: all)"},
	"county.cli.offline.flag.token":          {Zh: "签名用的令牌编号（默认为该乡镇最新的有效令牌）", En: "the id of the token to sign with (default: the township's newest valid token)"},
	"county.cli.offline.flag.out":            {Zh: "要写的文件", En: "the file to write"},
	"county.cli.offline.need_out":            {Zh: "请用 -o 给出要写的文件", En: "give the file to write with -o"},
	"county.cli.offline.not_township":        {Zh: "%s 不是乡镇代码（应为 9 位）", En: "%s is not a township code (9 digits)"},
	"county.cli.offline.no_token": {
		Zh: "乡镇 %[1]s 没有有效的令牌：先运行 hecha-county token create --township %[1]s，把令牌和文件一起交给乡镇",
		En: "township %[1]s has no valid token: run hecha-county token create --township %[1]s first and hand the token over with the file",
	},
	"county.cli.offline.token_township": {Zh: "令牌 %s 属于乡镇 %s，不属于 %s", En: "the token %s belongs to township %s, not to %s"},
	"county.cli.offline.write":          {Zh: "无法写入 %s：%v", En: "cannot write %s: %v"},
	"county.cli.offline.cases.done": {
		Zh: "已把个案 %d 个、登记记录 %d 条写入乡镇 %s %s 的个案文件 %s（令牌 %s 签名）",
		En: "wrote %d cases and %d registry records for township %s %s to %s (signed with token %s)",
	},
	"county.cli.offline.cases.restart": {
		Zh: "给出的变动序号超过了本县现有的（数据库可能从旧备份恢复过），已改为导出全部",
		En: "the change numbers given are beyond this county's (was the database restored from an older copy?); everything was exported instead",
	},
	"county.cli.offline.cases.next": {Zh: "请把文件带到乡镇运行 hecha import cases %s", En: "take the file to the township for hecha import cases %s"},
})
