package report

import "hecha"

// Messages of the reports: titles, rows and column headers,
// in full for files and short (".short") for a screen of 80 columns.
var _ = hecha.Register(map[string]hecha.Msg{
	"report.title.progress": {Zh: "跨省流动人口个案信息核查进度表", En: "Progress of the cross-province case checks"},
	"report.title.mismatch": {Zh: "常驻人口与流出人口基础信息不一致个案汇总表", En: "Cases whose resident and outflow records disagree"},
	"report.title.notfound": {Zh: "省内流动-流出地反馈查无此人个案信息", En: "In-province cases the home township found no such person for"},
	"report.note.cross": {
		Zh: "只统计跨省流出个案；省内流动和常住流出不一致个案见 notfound 和 mismatch 报表。",
		En: "Only cross-province cases are counted; for the others see notfound and mismatch.",
	},
	"report.notfound.group": {Zh: "流入地 %s %s：%d 人", En: "Inflow township %s %s: %d people"},
	"report.notfound.none":  {Zh: "没有省内流动个案的核查结果为“查无此人”。", En: "No in-province case was answered \"no such person\"."},

	"report.row.rest":          {Zh: "其他（未到村）", En: "(not in a village)"},
	"report.row.undistributed": {Zh: "未分发", En: "undistributed"},
	"report.row.total":         {Zh: "合计", En: "total"},

	"report.col.unit_code":      {Zh: "单位代码", En: "unit code"},
	"report.col.unit":           {Zh: "单位", En: "unit"},
	"report.col.assigned":       {Zh: "分发个案数", En: "cases assigned"},
	"report.col.assigned.short": {Zh: "分发", En: "cases"},
	"report.col.verified":       {Zh: "已核查", En: "verified"},
	"report.col.verified.short": {Zh: "已核", En: "done"},
	"report.col.pending":        {Zh: "未核查", En: "not verified"},
	"report.col.pending.short":  {Zh: "未核", En: "open"},
	"report.col.rate":           {Zh: "核查率", En: "rate verified"},
	"report.col.rate.short":     {Zh: "核查率", En: "rate"},

	"report.col.mismatch":         {Zh: "不一致个案数", En: "mismatch cases"},
	"report.col.mismatch.short":   {Zh: "个案", En: "cases"},
	"report.col.resolved":         {Zh: "已处理", En: "resolved"},
	"report.col.resolved.short":   {Zh: "已处理", En: "done"},
	"report.col.unresolved":       {Zh: "未处理", En: "not resolved"},
	"report.col.unresolved.short": {Zh: "未处理", En: "open"},
	"report.col.item_differs":     {Zh: "%s不一致", En: "%s differs"},
	"report.col.item_resolved":    {Zh: "%s不一致已处理", En: "%s differs, resolved"},
	"report.item.name":            {Zh: "姓名", En: "name"},
	"report.item.sex":             {Zh: "性别", En: "sex"},
	"report.item.birth_date":      {Zh: "出生日期", En: "birth"},
	"report.item.citizen_id":      {Zh: "身份证号", En: "ID"},

	"report.col.inflow_code":  {Zh: "流入地乡镇代码", En: "inflow township code"},
	"report.col.inflow":       {Zh: "流入地乡镇", En: "inflow township"},
	"report.col.reason":       {Zh: "原因", En: "reason"},
	"report.col.where":        {Zh: "去向/备注", En: "went to / remark"},
	"report.col.destination":  {Zh: "去向行政区划", En: "destination division"},
	"report.col.dest_address": {Zh: "去向地址", En: "destination address"},
	"report.col.remark":       {Zh: "备注", En: "remark"},
	"report.col.township":     {Zh: "核查单位", En: "checked by township"},
	"report.col.saved_at":     {Zh: "核查时间", En: "checked at"},
})
