package hecha

// The messages of the county's data, shared by every county store; ids
// start with "county.".
var _ = Register(map[string]Msg{
	"county.unit_unknown": {
		Zh: "区划代码 %s 不在区划表中",
		En: "the division code %s is not in the division table",
	},
	"county.county_level": {
		Zh: "%s 不是县级区划代码",
		En: "%s is not a county-level division code",
	},
	"county.no_county": {
		Zh: "尚未设置本县（请先设置县级区划代码）",
		En: "the county is not set yet (set the county's division code first)",
	},
	"county.outside": {
		Zh: "%s 不在本县 %s 范围内",
		En: "%s is not within this county (%s)",
	},
	"county.assign_level": {
		Zh: "个案只能分发到乡镇或村，%s 不是乡级或村级区划",
		En: "cases are distributed to a township or village; %s is neither",
	},
	"county.case_invalid": {
		Zh: "个案 %s 有误，未导入任何个案",
		En: "case %s is invalid; no case was imported",
	},
	"county.token_level": {
		Zh: "%s 不是乡级区划代码",
		En: "%s is not a township-level division code",
	},
	"county.token_not_found": {
		Zh: "令牌 %s 不存在",
		En: "there is no token %s",
	},
	"county.token_invalid": {
		Zh: "令牌无效",
		En: "the token is not valid",
	},
	"county.token_revoked": {
		Zh: "令牌 %s 已撤销",
		En: "the token %s has been revoked",
	},
	"county.result_id": {
		Zh: "结果编号 %q 格式不正确",
		En: "the result id %q is malformed",
	},
	"county.result_township": {
		Zh: "结果属于乡镇 %s，而上传的是乡镇 %s",
		En: "the result belongs to township %s but was sent by township %s",
	},
	"county.result_clash": {
		Zh: "县里已有编号为 %s 但内容不同的结果：请联系县里核对是哪一份",
		En: "the county already has a different result with the id %s: ask the county which one stands",
	},
	"county.case_unknown": {
		Zh: "县里没有个案 %q：可能已被县里撤销，请联系县里",
		En: "the county has no case %q: it may have been withdrawn; ask the county",
	},
	// A case the sender's township no longer holds is answered the same
	// whether it was taken back or given to another township: a token
	// reaches only its own township, so the answer names no other one.
	"county.case_not_assigned": {
		Zh: "个案 %s 已不再分发给 %s（县里已收回或改派）：本乡镇无需再处理，有疑问请联系县里",
		En: "case %s is no longer assigned to %s (the county took it back or gave it to another township): nothing more to do here; ask the county if in doubt",
	},
	"county.case_changed": {
		Zh: "个案 %s 在核查后已被县里修改或重新分发（核查时为第 %d 版，现为第 %d 版）：请同步，重新打开个案核对后再保存一次",
		En: "case %s was changed or reassigned by the county after it was verified (verified at revision %d, now %d): sync, open the case again, check it and save once more",
	},
	"county.result_in_force": {
		Zh: "该个案在县里已有生效的结果 %s：请同步后打开个案，在最新结果上更正",
		En: "the case already has the result %s in force at the county: sync, open the case and correct the newest result",
	},
})

// The store messages every county store answers with; their ids keep
// the "store." they were first declared with.
var _ = Register(map[string]Msg{
	"store.case_not_found": {
		Zh: "个案 %s 不存在",
		En: "case %s does not exist",
	},
	"store.replaces_not_newest": {
		Zh: "要更正的结果 %s 已不是该个案的最新结果（最新为 %s）：请同步后打开个案，在最新结果上更正",
		En: "the result %s being corrected is no longer the newest of its case (the newest is %s): sync, open the case and correct the newest result",
	},
	"store.no_record_id": {
		Zh: "缺少记录编号",
		En: "the record id is missing",
	},
	"store.no_divisions": {
		Zh: "没有给出区划代码表",
		En: "no division table was given",
	},
})
