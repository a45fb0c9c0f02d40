package main

import "hecha"

// The messages of the offline file commands (offline.go), and the import
// group's summary.
var _ = hecha.Register(map[string]hecha.Msg{
	"cli.township.import.summary": {Zh: "导入文件（县里给的个案文件和回执、填好的工作表）", En: "import files (the county's case files and receipts, filled-in worksheets)"},

	"cli.township.offline.flag.out": {Zh: "要写的文件（如 U 盘上的 /media/usb/批次.hecha）", En: "the file to write (e.g. /media/usb/batch.hecha on a USB stick)"},
	"cli.township.offline.need_out": {Zh: "请用 -o 给出要写的文件", En: "give the file to write with -o"},
	"cli.township.offline.no_token": {
		Zh: "本机还没有令牌：请用 hecha import cases 文件 --token 令牌 导入县里给的个案文件，或在能联网时运行 hecha setup",
		En: "this terminal has no token yet: import the county's case file with hecha import cases FILE --token TOKEN, or run hecha setup where there is a connection",
	},
	"cli.township.offline.bad_token": {
		Zh: "令牌格式不对：请按县里给的原样输入（以 hc_ 开头）",
		En: "the token is malformed: enter it exactly as the county gave it (it starts with hc_)",
	},
	"cli.township.offline.write": {Zh: "无法写入 %s：%v", En: "cannot write %s: %v"},

	// export batch.
	"cli.township.offline.batch.summary": {Zh: "把县里还没收到的核查结果导出为批次文件（不能联网时用 U 盘带到县里）", En: "export the results the county has not acknowledged as a batch file (to carry to the county when there is no connection)"},
	"cli.township.offline.batch.help": {
		Zh: "写出所有待上传的核查结果（县里还没确认的），带本乡镇令牌的签名；改动任何一个字节县里都能发现。\n" +
			"导出不改变结果的状态：文件可能丢失，在收到回执（或联网同步）前结果一直是待上传。重复导出、文件和网络同时用都不会重复入库。\n" +
			"步骤：1. hecha export batch -o /media/usb/批次.hecha\n" +
			"      2. 县里运行 hecha-county import batch /media/usb/批次.hecha，生成回执 批次.hecha.receipt\n" +
			"      3. 回到乡镇运行 hecha import receipt /media/usb/批次.hecha.receipt",
		En: "Writes every result waiting to go (not yet acknowledged by the county), signed with the township's token; the county detects any byte changed.\n" +
			"Exporting changes no result's state: a file may get lost, so results stay waiting until a receipt (or a sync) answers them. Exporting again, or using files and the network together, never stores a result twice.\n" +
			"Steps: 1. hecha export batch -o /media/usb/batch.hecha\n" +
			"       2. at the county: hecha-county import batch /media/usb/batch.hecha writes the receipt batch.hecha.receipt\n" +
			"       3. back at the township: hecha import receipt /media/usb/batch.hecha.receipt",
	},
	"cli.township.offline.nothing": {Zh: "没有待上传的结果，没有写文件", En: "no results are waiting to go; no file written"},
	"cli.township.offline.wrote":   {Zh: "已把 %d 个结果写入 %s（批次 %s）", En: "wrote %d results to %s (batch %s)"},
	"cli.township.offline.wrote.next": {
		Zh: "下一步：把文件带到县里运行 hecha-county import batch %[1]s，再把回执带回来运行 hecha import receipt %[1]s.receipt",
		En: "next: take the file to the county for hecha-county import batch %[1]s, then bring the receipt back for hecha import receipt %[1]s.receipt",
	},

	// import receipt.
	"cli.township.offline.receipt.summary": {Zh: "导入县里对批次文件的回执", En: "import the county's receipt for a batch file"},
	"cli.township.offline.receipt.help": {
		Zh: "核对县里的签名，然后像联网同步一样记录县里的答复：接收和重复的结果完成；被退回或有冲突的结果列出县里的说明，修改后重新保存，再导出一次。\n" +
			"回执导入两次、或在联网同步之后导入都没有坏处；被改动、截断或属于别的乡镇的回执会被拒绝，什么也不改变。",
		En: "Checks the county's signature, then records the county's answers as a sync does: accepted and duplicate results are done; rejected or conflicting ones are listed with the county's messages — fix them, save again and export again.\n" +
			"Importing a receipt twice, or after a sync, does no harm; a receipt that was altered, truncated or belongs to another township is refused and changes nothing.",
	},
	"cli.township.offline.receipt.done": {
		Zh: "回执（批次 %s，县里 %s 生成）：接收 %d，重复 %d，退回 %d，冲突 %d",
		En: "receipt (batch %s, written by the county %s): accepted %d, duplicate %d, rejected %d, conflict %d",
	},
	"cli.township.offline.receipt.kept":    {Zh: "%d 个结果县里已经接收，回执中较早的答复未采用", En: "%d results the county has since accepted; the receipt's older answers were not used"},
	"cli.township.offline.receipt.unknown": {Zh: "回执中有 %d 个结果本机没有，已忽略", En: "%d results of the receipt are not on this terminal; ignored"},
	"cli.township.offline.left":            {Zh: "还有 %d 个结果待上传：用 hecha export batch 导出", En: "%d results still wait to go: export them with hecha export batch"},

	// import cases.
	"cli.township.offline.cases.summary": {Zh: "导入县里给的个案文件（个案、比对资料、区划表）", En: "import the county's case file (cases, registry extract, division table)"},
	"cli.township.offline.cases.help": {
		Zh: "核对县里的签名，然后像联网同步下载一样保存个案和比对资料：不会覆盖本机的草稿和待上传的结果；县里改过的个案若已有待上传的结果，标为冲突。\n" +
			"第一次在没有网络的电脑上使用时，用 --token 给出县里发的令牌（可加 --clerk 信息员姓名），本机即设置为文件所属的乡镇。令牌更换后也用 --token 给出新令牌。\n" +
			"县里用 hecha-county export cases --township 乡镇代码 -o 文件 生成此文件。",
		En: "Checks the county's signature, then stores the cases and the registry extract as a sync's download does: local drafts and results waiting to go are never overwritten; a case the county changed under a waiting result is marked in conflict.\n" +
			"The first time, on a terminal with no connection, give the county's token with --token (and the clerk's name with --clerk): the terminal is then set up for the file's township. After the county replaces the token, give the new one with --token too.\n" +
			"The county writes this file with hecha-county export cases --township CODE -o FILE.",
	},
	"cli.township.offline.setup":         {Zh: "本机已设置为乡镇 %s %s（离线使用，无服务器）", En: "this terminal is set up for township %s %s (offline, no server)"},
	"cli.township.offline.regions":       {Zh: "区划代码表新增或更新 %d 个代码", En: "added or updated %d division codes"},
	"cli.township.offline.cases.done":    {Zh: "已导入个案 %d 个、登记记录 %d 条（%s，县里 %s 生成）", En: "imported %d cases and %d registry records (%s, written by the county %s)"},
	"cli.township.offline.cases.skipped": {Zh: "未能导入 %s：%s", En: "not imported %s: %s"},
	"cli.township.offline.cases.gap": {
		Zh: "这个文件不是从本机上次收到的地方开始的，中间的变动还没有到。请县里运行：hecha-county export cases --township %s --since %d --registry-since %d -o 文件",
		En: "this file does not start where this terminal left off; the changes in between have not arrived. Ask the county for: hecha-county export cases --township %s --since %d --registry-since %d -o FILE",
	},
})
