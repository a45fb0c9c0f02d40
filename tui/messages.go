package tui

import "hecha"

// The TUI's text, Chinese first. Every id starts with "tui.".
var _ = hecha.Register(map[string]hecha.Msg{
	// Status bar and home.
	"tui.app":             {Zh: "核查", En: "hecha"},
	"tui.online":          {Zh: "在线", En: "online"},
	"tui.offline":         {Zh: "离线", En: "offline"},
	"tui.refused":         {Zh: "被拒绝", En: "refused"},
	"tui.unconfigured":    {Zh: "未设置服务器", En: "no server set"},
	"tui.syncing":         {Zh: "同步中", En: "syncing"},
	"tui.last_sync":       {Zh: "上次同步 %v", En: "last sync %v"},
	"tui.never_synced":    {Zh: "尚未同步", En: "never synced"},
	"tui.outbox":          {Zh: "待上传 %d", En: "to upload %d"},
	"tui.home.title":      {Zh: "乡级核查工作台", En: "Township verification"},
	"tui.home.township":   {Zh: "单位：%v", En: "Unit: %v"},
	"tui.home.no_unit":    {Zh: "（尚未设置乡级单位）", En: "(no township set yet)"},
	"tui.home.counts":     {Zh: "个案情况", En: "Cases"},
	"tui.home.total":      {Zh: "合计", En: "Total"},
	"tui.home.connection": {Zh: "连接：%v", En: "Connection: %v"},
	"tui.home.offline_ok": {Zh: "离线也可以正常核查，结果会在连上县里后自动上传。", En: "You can work offline; results upload when the county can be reached."},
	"tui.home.loading":    {Zh: "正在读取…", En: "Loading…"},
	"tui.home.quit_hint":  {Zh: "这是首页：按 q 退出。", En: "This is the home screen: press q to quit."},
	"tui.home.quit_unsynced": {Zh: "还有 %d 条结果未上传到县里（已存在本机）。再按 q 退出。",
		En: "%d result(s) not uploaded yet (kept here). Press q again to quit."},
	"tui.home.quit_demo": {Zh: "演示：退出后这次的 %d 个草稿和结果都不保留。再按 q 退出。",
		En: "Demo: your %d draft(s) and result(s) are not kept after quitting. q again quits."},
	"tui.home.problems":     {Zh: "有 %d 条结果被退回或冲突，按 p 查看并更正。", En: "%d results were rejected or are in conflict; press p to see and correct them."},
	"tui.home.problems.one": {Zh: "有 %d 条结果被退回或冲突，按 p 查看并更正。", En: "%d result was rejected or is in conflict; press p to see and correct it."},

	// Statuses as shown in lists, tabs and counts.
	"tui.status.pending":  {Zh: "未核查", En: "Not verified"},
	"tui.status.draft":    {Zh: "草稿", En: "Drafts"},
	"tui.status.done":     {Zh: "已核查", En: "Verified"},
	"tui.status.upload":   {Zh: "待上传", En: "To upload"},
	"tui.status.rejected": {Zh: "被退回", En: "Rejected"},
	"tui.status.conflict": {Zh: "冲突", En: "Conflict"},
	"tui.status.all":      {Zh: "全部", En: "All"},
	"tui.marker.draft":    {Zh: "草", En: "d"},

	// Kinds.
	"tui.kind.all": {Zh: "全部类型", En: "all kinds"},
	"tui.kind.1":   {Zh: "跨省流出", En: "cross-province"},
	"tui.kind.2":   {Zh: "省内流动", En: "in-province"},
	"tui.kind.3":   {Zh: "常住流出不一致", En: "mismatch"},

	// Case list.
	"tui.list.title":       {Zh: "个案列表", En: "Cases"},
	"tui.list.loading":     {Zh: "正在读取个案…", En: "Loading cases…"},
	"tui.list.empty":       {Zh: "没有符合条件的个案", En: "No cases match"},
	"tui.list.search":      {Zh: "搜索：", En: "Search: "},
	"tui.list.search_hint": {Zh: "姓名、拼音、首字母、身份证号或个案编号", En: "name, pinyin, initials, ID number or case number"},
	"tui.list.village_all": {Zh: "全部村", En: "all villages"},
	"tui.list.position":    {Zh: "%d/%d", En: "%d/%d"},
	"tui.list.draft_ok":    {Zh: "可提交", En: "ready"},
	"tui.list.draft_bad":   {Zh: "%d处待改", En: "%d to fix"},

	// Case detail.
	"tui.detail.title":         {Zh: "个案 %v", En: "Case %v"},
	"tui.detail.loading":       {Zh: "正在读取个案…", En: "Loading the case…"},
	"tui.detail.items":         {Zh: "个案信息（15 项）", En: "Case record (15 items)"},
	"tui.detail.members":       {Zh: "家庭户成员", En: "Household members"},
	"tui.detail.no_members":    {Zh: "（无）", En: "(none)"},
	"tui.detail.compare":       {Zh: "系统比对（出生日期%v）", En: "Comparison (birth date %v)"},
	"tui.detail.none_found":    {Zh: "两个系统都没有找到此人", En: "Found in neither system"},
	"tui.detail.candidate":     {Zh: "候选 %d/%d：%v%v", En: "Candidate %d/%d: %v%v"},
	"tui.detail.by_id":         {Zh: "（身份证号相同）", En: " (same ID number)"},
	"tui.detail.picked":        {Zh: "已选", En: "picked"},
	"tui.detail.pick_none":     {Zh: "不选任何候选（查无此人）", En: "Pick none (no such person)"},
	"tui.detail.form":          {Zh: "适用结果：%v", En: "Applicable result: %v"},
	"tui.detail.draft":         {Zh: "有草稿（%v 保存），按回车继续填写", En: "A draft was saved %v; press enter to go on"},
	"tui.detail.result":        {Zh: "当前结果：%v（%v）", En: "Result in force: %v (%v)"},
	"tui.detail.comparing":     {Zh: "正在比对…", En: "Comparing…"},
	"tui.detail.differs":       {Zh: "* 表示与个案不一致", En: "* marks items that differ from the case"},
	"tui.detail.case_value":    {Zh: "个案", En: "case"},
	"tui.detail.rec_value":     {Zh: "记录", En: "record"},
	"tui.detail.inflow":        {Zh: "流入地：%v %v（%v）", En: "Inflow: %v %v (%v)"},
	"tui.detail.outflow":       {Zh: "流出登记：%v %v（%v）", En: "Outflow registration: %v %v (%v)"},
	"tui.detail.no_outflow":    {Zh: "无流出登记", En: "no outflow registration"},
	"tui.detail.withdrawn":     {Zh: "（已退档）", En: " (withdrawn)"},
	"tui.detail.mismatch":      {Zh: "常住记录与流出记录", En: "Resident and outflow records"},
	"tui.detail.search":        {Zh: "查找：", En: "Look up: "},
	"tui.detail.search_hint":   {Zh: "身份证号，或姓名（按个案的性别和出生日期）", En: "ID number, or a name (with the case's sex and birth date)"},
	"tui.detail.search_result": {Zh: "手工查找“%v”：找到 %d 条", En: "Looked up “%v”: %d found"},

	"tui.source.floating": {Zh: "流动人口系统", En: "floating system"},
	"tui.source.resident": {Zh: "常住人口系统", En: "resident system"},

	// Forms.
	"tui.form.R1": {Zh: "R1 查无此人", En: "R1 No such person"},
	"tui.form.R2": {Zh: "R2 流动人口系统有，流入地一致", En: "R2 Floating, address agrees"},
	"tui.form.R3": {Zh: "R3 流动人口系统有，流入地不一致", En: "R3 Floating, address differs"},
	"tui.form.R4": {Zh: "R4 常住系统已流出登记，一致", En: "R4 Resident, outflow registered, agrees"},
	"tui.form.R5": {Zh: "R5 常住系统已流出登记，不一致", En: "R5 Resident, outflow registered, differs"},
	"tui.form.R6": {Zh: "R6 常住系统未流出登记", En: "R6 Resident, no outflow registration"},
	"tui.form.P1": {Zh: "P1 省内流动：已补流出登记", En: "P1 In-province: outflow registered now"},
	"tui.form.P2": {Zh: "P2 省内流动：查无此人", En: "P2 In-province: no such person"},
	"tui.form.M":  {Zh: "M 常住与流出不一致处理", En: "M Mismatch resolved"},

	// Sync.
	"tui.sync.title":      {Zh: "同步", En: "Sync"},
	"tui.sync.done":       {Zh: "同步完成：上传 %d（接受 %d，退回 %d，冲突 %d），下载 %d", En: "Synced: uploaded %d (accepted %d, rejected %d, conflict %d), downloaded %d"},
	"tui.sync.offline":    {Zh: "县里的服务器暂时连不上，继续离线工作；连上后会自动上传。", En: "The county server cannot be reached; keep working offline, results upload when it can."},
	"tui.sync.failed":     {Zh: "同步失败：%v", En: "Sync failed: %v"},
	"tui.sync.no_server":  {Zh: "还没有设置县里的服务器，只能离线工作。", En: "No county server is set up; working offline only."},
	"tui.sync.conn_on":    {Zh: "演示：已恢复连接", En: "Demo: connection restored"},
	"tui.sync.conn_off":   {Zh: "演示：已断开连接", En: "Demo: connection cut"},
	"tui.problems.title":  {Zh: "被退回和冲突的结果", En: "Rejected and conflicting results"},
	"tui.problems.empty":  {Zh: "没有被退回或冲突的结果", En: "No rejected or conflicting results"},
	"tui.problems.header": {Zh: "状态 个案编号 县里的意见", En: "state case county's message"},

	// Saving.
	"tui.saved":            {Zh: "已保存 %v，等待上传", En: "Saved %v; waiting to upload"},
	"tui.draft_saved":      {Zh: "草稿已保存", En: "draft saved"},
	"tui.save_blocked":     {Zh: "还有 %d 处需要改正，未保存", En: "%d problems to fix; not saved"},
	"tui.save_blocked.one": {Zh: "还有 %d 处需要改正，未保存", En: "%d problem to fix; not saved"},
	"tui.error":            {Zh: "错误：%v", En: "Error: %v"},

	// History.
	"tui.history.title":    {Zh: "核查历史 %v", En: "History of %v"},
	"tui.history.empty":    {Zh: "还没有结果", En: "No results yet"},
	"tui.history.row":      {Zh: "%d. %v %v %v", En: "%d. %v %v %v"},
	"tui.upload.none":      {Zh: "未上传", En: "not uploaded"},
	"tui.upload.accepted":  {Zh: "县里已接受", En: "accepted by the county"},
	"tui.upload.duplicate": {Zh: "县里已接受", En: "accepted by the county"},
	"tui.upload.rejected":  {Zh: "被退回", En: "rejected"},
	"tui.upload.conflict":  {Zh: "冲突", En: "conflict"},
})

// Without a division table (a database set up without one).
var _ = hecha.Register(map[string]hecha.Msg{
	"tui.home.no_divisions": {Zh: "没有行政区划代码表：区划代码只检查格式，不核对是否存在。请运行 hecha sync 从县里取得（或 hecha setup --regions 文件 导入）。",
		En: "No division table: division codes are checked for their form only, not that they exist. Run hecha sync to get the county's (or import one with hecha setup --regions FILE)."},
	"tui.form.no_divisions":      {Zh: "未核对：无区划代码表", En: "not checked: no division table"},
	"tui.form.no_divisions_hint": {Zh: "没有行政区划代码表：hecha sync 从县里取得", En: "no division table: hecha sync gets the county's"},
})

// The singular of messages about a count (see countID).
var _ = hecha.Register(map[string]hecha.Msg{
	"tui.export.worksheet_done.one": {Zh: "已导出 %d 个未核查个案到 %v", En: "exported %d case not verified to %v"},
	"tui.export.batch_done.one":     {Zh: "已把 %d 个结果写入 %v（批次 %v），带到县里导入", En: "wrote %d result to %v (batch %v); take it to the county"},
})
