package main

import "hecha"

// The messages of hecha's command line (the interface has its own).
var _ = hecha.Register(map[string]hecha.Msg{
	"cli.township.summary":     {Zh: "hecha：乡镇流动人口个案核查终端", En: "hecha: the township's case verification terminal"},
	"cli.township.tui.summary": {Zh: "打开核查界面", En: "open the verification interface"},
	"cli.township.flag.ascii":  {Zh: "只用 ASCII 字符画边框和标记（适合老式终端）", En: "draw borders and markers with ASCII only (for old consoles)"},
	"cli.township.flag.fps":    {Zh: "每秒最多刷新几次（网络慢时调低；0 为默认）", En: "at most this many frames a second (lower it on slow links; 0: default)"},
	"cli.township.flag.demo":   {Zh: "用演示数据运行，不碰真实数据库", En: "run on demonstration data, leaving the real database alone"},
	"cli.township.fps":         {Zh: "--fps 应在 0 到 120 之间", En: "--fps must lie between 0 and 120"},
	"cli.township.no_tui":      {Zh: "此版本的 hecha 不含交互界面；可用 setup、sync、compact 命令", En: "this build of hecha has no interactive interface; the setup, sync and compact commands work"},
	"cli.township.not_setup":   {Zh: "还没有设置县级服务器：请先运行 hecha setup --server 地址 --token 令牌", En: "no county server is set up yet: run hecha setup --server URL --token TOKEN first"},
	"cli.township.ca.read":     {Zh: "无法读取证书文件 %s：%v", En: "cannot read the certificate file %s: %v"},
	"cli.township.ca.bad":      {Zh: "%s 中没有 PEM 格式的证书", En: "%s holds no PEM certificate"},
	"cli.township.ca.write":    {Zh: "无法保存证书文件 %s：%v", En: "cannot save the certificate file %s: %v"},

	// setup.
	"cli.township.setup.summary": {Zh: "设置县级服务器和令牌", En: "set up the county server and the token"},
	"cli.township.setup.help":    {Zh: "向服务器核对令牌（服务器告诉本机属于哪个乡镇），然后把地址、令牌和信息员姓名存入数据库。\n令牌由县里用 hecha-county token create 生成。\n地址是 https:// 时，本机显示县级服务器证书的指纹，请打电话与县里核对（县里用 hecha-county tls fingerprint 查看），一致后登记下来：以后每次连接都核对这张证书，别的证书一律拒绝；也可以用 --fingerprint 直接给出县里的指纹。县里有自己的证书颁发机构时，用 --ca 给出它的证书。不加密的 http:// 地址只在加 --insecure-http 时使用。\n同时从服务器取得县里的行政区划代码表（之后每次同步时，县里的代码表有变化就自动更新）。县里还没有代码表时，可用 --regions 从文件导入（县里 gen 生成的 regions.csv 或同格式文件）；县里有了代码表后，下次同步会换成县里的。\n一个数据库只服务一个乡镇：已有别的乡镇的个案时拒绝更换。", En: "Checks the token with the server (which says the township it belongs to), then stores the address, the token and the clerk's name in the database.\nThe county makes the token with hecha-county token create.\nFor an https:// address it shows the fingerprint of the county server's certificate for the clerk to compare with the county on the phone (the county shows it with hecha-county tls fingerprint), and pins it once confirmed: every later connection checks that certificate and refuses any other. --fingerprint gives the county's fingerprint directly. For a county with its own certificate authority, give its certificate with --ca. A plain http:// address is used only with --insecure-http.\nIt also takes the county's division table from the server (every sync takes it again when the county's changes). While the county has none, --regions imports one from a file (the regions.csv that gen writes, or a file of that format) instead; the next sync once the county has one takes the county's.\nOne database serves one township: it refuses to switch while it holds another township's cases."},
	"cli.township.flag.server":   {Zh: "县级服务器地址，如 https://county.example:8443", En: "the county server's address, e.g. https://county.example:8443"},
	"cli.township.flag.token":    {Zh: "县里发给本乡镇的令牌", En: "the token the county made for this township"},
	"cli.township.flag.clerk":    {Zh: "信息员姓名（记录在核查结果上）", En: "the clerk's name (recorded on results)"},
	"cli.township.flag.ca":       {Zh: "信任的证书文件（PEM），服务器用县里自签证书时需要", En: "a certificate (PEM) to trust, for a server with the county's own certificate authority"},
	"cli.township.flag.regions":  {Zh: "从文件导入区划代码表（代替从服务器取得）", En: "import the division table from a file (instead of taking the county's)"},
	"cli.township.setup.need":    {Zh: "请同时给出 --server 和 --token", En: "give both --server and --token"},
	"cli.township.setup.other":   {Zh: "数据库 %s 已有乡镇 %s 的 %d 个个案，不能改为 %s；请用另一个数据库文件（--db）", En: "the database %s holds %[3]d cases of township %[2]s and cannot switch to %[4]s; use another database file (--db)"},
	"cli.township.setup.no_name": {Zh: "（未导入区划表，名称未知）", En: "(no division table, name unknown)"},
	"cli.township.setup.done":    {Zh: "本机已设置为 %s %s，服务器 %s", En: "this terminal is set up for %s %s, server %s"},
	"cli.township.setup.clerk":   {Zh: "信息员：%s", En: "clerk: %s"},
	"cli.township.setup.next":    {Zh: "下一步：hecha sync 下载个案", En: "next: hecha sync downloads the cases"},
	"cli.township.setup.regions": {Zh: "已导入 %d 个区划代码", En: "imported %d division codes"},

	// sync.
	"cli.township.sync.summary":    {Zh: "与县级服务器同步一次", En: "sync once with the county server"},
	"cli.township.sync.help":       {Zh: "上传待上传的核查结果，再下载新的或有变化的个案和登记记录。\n被退回或有冲突的结果不影响其他结果，会列出县里的说明，修改后重新保存即可。\n退出码：0 成功；3 连不上服务器；4 令牌被拒绝（已撤销或不属于本乡镇）；1 其他错误。", En: "Uploads the results waiting to go, then downloads new and changed cases and registry records.\nA rejected or conflicting result never holds up the others; the county's messages are listed, and saving the result again after fixing it sends it anew.\nExit status: 0 success; 3 the server could not be reached; 4 the token was refused (revoked, or not this township's); 1 anything else."},
	"cli.township.sync.pushed":     {Zh: "上传 %d 个结果：接收 %d，重复 %d，退回 %d，冲突 %d", En: "pushed %d results: accepted %d, duplicate %d, rejected %d, conflict %d"},
	"cli.township.sync.unanswered": {Zh: "连接中断：%d 个结果已发出但没有收到县里的答复，下次同步时会重新上传（县里不会重复保存）", En: "the connection broke: %d results were sent but not answered; they will be sent again at the next sync (the county never stores one twice)"},
	"cli.township.sync.requeued":   {Zh: "县里缺少 %d 个已确认的结果，已重新上传", En: "the county lacked %d acknowledged results; they were sent again"},
	"cli.township.sync.pulled":     {Zh: "下载个案 %d 个，登记记录 %d 条；流量 %s", En: "pulled %d cases and %d registry records; %s on the wire"},
	"cli.township.sync.rejected":   {Zh: "退回", En: "rejected"},
	"cli.township.sync.conflict":   {Zh: "冲突", En: "conflict"},
	"cli.township.sync.item":       {Zh: "%s：个案 %s（结果 %s）", En: "%s: case %s (result %s)"},
	"cli.township.sync.older":      {Zh: "另有 %d 个以前被退回或有冲突的结果，等待修改", En: "%d results rejected or in conflict earlier still wait to be fixed"},
	"cli.township.sync.counts":     {Zh: "本机共 %d 个个案：未核查 %d，待上传 %d，已核查 %d，退回或冲突 %d", En: "%d cases here: not verified %d, waiting to upload %d, done %d, rejected or in conflict %d"},

	// compact.
	"cli.township.compact.help": {Zh: "数据库文件不会自动变小：用它把文件重写得紧凑些。运行前先退出 hecha；中途断电也不会损坏数据。", En: "The database file never shrinks by itself: this rewrites it compactly. Quit hecha first; a crash midway damages nothing."},
})
