package hecha

// Messages for the error codes, used when an error carries no message of
// its own.
var _ = Register(map[string]Msg{
	"err.conflict":     {"与县里的记录冲突", "conflicts with the county's records"},
	"err.internal":     {"内部错误", "internal error"},
	"err.invalid":      {"输入有误", "invalid input"},
	"err.not_found":    {"未找到", "not found"},
	"err.unauthorized": {"令牌无效或已撤销", "the token is missing, unknown or revoked"},
	"err.unavailable":  {"暂时无法连接", "not reachable right now"},
	"err.locked":       {"数据库正被另一个 hecha 使用", "another hecha is using the database"},
	"err.too_many":     {"请求过于频繁，请稍后再试", "too many requests; try again later"},
})
