package hecha

// Messages of the audit trail (audit.go): the verifier's findings, each
// naming the first bad entry by its number, and Validate's.
var _ = Register(map[string]Msg{
	"audit.altered":      {"第 %d 条审计记录被改动过：内容与它的哈希不符", "audit entry %d was altered: its content does not match its hash"},
	"audit.relinked":     {"第 %d 条审计记录与前一条（第 %d 条）接不上：前一条被改动或替换过，或这一条是插入的", "audit entry %d does not link to entry %d before it: that entry was altered or replaced, or this one was inserted"},
	"audit.missing":      {"第 %d 条审计记录之前缺少第 %d 条至第 %d 条：记录被删除或挪动过", "audit entry %d comes where entries %d to %d should be: they were removed or moved"},
	"audit.missing.one":  {"第 %d 条审计记录之前缺少第 %d 条：该记录被删除或挪动过", "audit entry %d comes where entry %d should be: that entry was removed or moved"},
	"audit.tail.one":     {"第 %d 条审计记录（日志最后一条）缺失：被删除过", "audit entry %d, the last of the log, is missing: it was removed"},
	"audit.order":        {"第 %d 条审计记录出现在第 %d 条之后：记录被调换、重复或插入过", "audit entry %d comes after entry %d: entries were reordered, duplicated or inserted"},
	"audit.tail":         {"第 %d 条至第 %d 条审计记录（日志末尾）缺失：被删除过", "audit entries %d to %d, at the end of the log, are missing: they were removed"},
	"audit.beyond":       {"第 %d 条审计记录在日志链尾（第 %d 条）之后：它不是 hecha 写入的", "audit entry %d lies beyond the log's head (entry %d): hecha did not write it"},
	"audit.head":         {"第 %d 条审计记录（最后一条）与记下的链尾不符：它被替换过", "audit entry %d, the last, does not match the log's head: it was replaced"},
	"audit.unreadable":   {"第 %d 条审计记录无法读取：%s", "audit entry %d cannot be read: %s"},
	"audit.err.time":     {"审计记录的时间无效", "the audit entry's time is not valid"},
	"audit.err.required": {"审计记录缺少 %s", "the audit entry has no %s"},
	"audit.err.long":     {"超过 %d 字节", "longer than %d bytes"},
	"audit.err.cases":    {"一条审计记录最多列出 %d 个个案编号", "an audit entry lists at most %d case ids"},
	"audit.err.case_id":  {"个案编号为空或过长", "a case id is empty or too long"},
	"audit.err.count":    {"数量不能为负", "the count cannot be negative"},
})
