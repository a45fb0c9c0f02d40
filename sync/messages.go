package sync

import "hecha"

// The sync package's messages; ids start with "sync.".
var _ = hecha.Register(map[string]hecha.Msg{
	"sync.err.too_large": {
		Zh: "请求过大（上限 %d 字节），请分批上传",
		En: "the request is too large (at most %d bytes); send it in smaller batches",
	},
	"sync.err.body_cut": {
		Zh: "请求内容不完整：收到 %d 字节后连接中断（客户端的问题，结果没有保存，客户端会重发）",
		En: "the request body ended early: the connection broke after %d bytes (a client-side failure; nothing was saved, the client sends it again)",
	},
	"sync.err.body_stalled": {
		Zh: "请求内容长时间没有传来，连接已断开（客户端的问题，结果没有保存，客户端会重发）",
		En: "the request body stopped arriving and the connection was closed (a client-side failure; nothing was saved, the client sends it again)",
	},
	"sync.err.body_object": {
		Zh: "请求内容必须是一个 JSON 对象",
		En: "the request body must be a JSON object",
	},
	"sync.err.field_type": {
		Zh: "请求中字段 %s 的类型不对（收到的是 JSON %s）",
		En: "the field %s of the request has the wrong type (got a JSON %s)",
	},
	"sync.err.field_required": {
		Zh: "请求缺少字段 %s",
		En: "the request lacks the field %s",
	},
	"sync.err.bad_json": {
		Zh: "请求内容无法解析（%s）",
		En: "the request cannot be read (%s)",
	},
	"sync.err.bad_param": {
		Zh: "参数 %s 的值 %q 无效",
		En: "the parameter %s has an invalid value %q",
	},
	"sync.err.encoding": {
		Zh: "不支持的内容编码 %q",
		En: "unsupported content encoding %q",
	},
	"sync.err.method": {
		Zh: "此地址不支持 %s 请求",
		En: "this address does not accept %s",
	},
	"sync.err.route": {
		Zh: "没有这个地址：%s",
		En: "no such address: %s",
	},
	"sync.err.protocol": {
		Zh: "协议版本不一致（本方 %s，对方 %s），请升级程序",
		En: "protocol versions differ (ours %s, theirs %s); upgrade the program",
	},
	"sync.err.batch_size": {
		Zh: "一次最多上传 %d 条结果，本次 %d 条",
		En: "at most %d results may be sent at once, not %d",
	},
	"sync.err.check_size": {
		Zh: "一次最多核对 %d 个结果编号，本次 %d 个",
		En: "at most %d result ids may be checked at once, not %d",
	},
	"sync.err.result_id": {
		Zh: "结果编号 %q 格式不对",
		En: "the result id %q is malformed",
	},
	"sync.err.token_missing": {
		Zh: "缺少访问令牌",
		En: "the access token is missing",
	},
	"sync.err.internal": {
		Zh: "县级服务器内部错误，请联系县级管理员",
		En: "the county server had an internal error; tell the county administrator",
	},
	"sync.err.unreachable": {
		Zh: "无法连接县级服务器（%s）",
		En: "cannot reach the county server (%s)",
	},
	"sync.err.broken": {
		Zh: "与县级服务器的连接中断了（%s）",
		En: "the connection to the county server broke (%s)",
	},
	"sync.err.answer": {
		Zh: "县级服务器的答复无法读取（%s）",
		En: "the county server's answer cannot be read (%s)",
	},
	"sync.err.url": {
		Zh: "服务器地址 %q 无效，应形如 https://county.example:8443",
		En: "the server address %q is invalid; it should look like https://county.example:8443",
	},
	"sync.err.wrong_township": {
		Zh: "令牌属于乡镇 %s，而本机设置的是乡镇 %s",
		En: "the token belongs to township %s but this terminal is set up for township %s",
	},
	"sync.err.outcomes": {
		Zh: "县级服务器对 %d 条结果只答复了 %d 条",
		En: "the county server answered %d of %d results",
	},
	"sync.err.no_divisions": {
		Zh: "县级服务器还没有行政区划代码表（县里用 hecha-county import regions 导入）",
		En: "the county server has no division table yet (the county imports it with hecha-county import regions)",
	},
	"sync.err.divisions": {
		Zh: "县级服务器的行政区划代码表无法读入（%s），本机仍用原来的代码表；请告知县级管理员",
		En: "the county server's division table cannot be read (%s); this terminal keeps its own; tell the county administrator",
	},
	"sync.err.plain_http": {
		Zh: "服务器地址 %q 用的是不加密的 http://，令牌和个人信息会明文传输，本机拒绝使用；请用县里给的 https:// 地址（只有在本机演示或县里明确要求时才允许明文，见 --insecure-http）",
		En: "the server address %q is plain http://, where the token and personal data travel in clear text, so this terminal refuses it; use the county's https:// address (clear text only for a demonstration on this machine or when the county says so; see --insecure-http)",
	},
	"sync.err.not_tls": {
		Zh: "服务器地址 %q 不是 https://，没有证书可核对",
		En: "the server address %q is not https://; there is no certificate to compare",
	},
	"sync.err.pin": {
		Zh: "县级服务器证书与本机登记的不符，已断开连接，请打电话给县里核对证书指纹（本机登记的是 %s，这次收到的是 %s）。令牌和数据都没有发出。可能有人冒充县级服务器，也可能县里换了证书；县里确认换了证书后，用县里念的新指纹重新设置：hecha setup --server 地址 --token 令牌 --fingerprint 新指纹",
		En: "the county server's certificate is not the one pinned here, so the connection was dropped: call the county and compare fingerprints (pinned here: %s; received now: %s). Neither the token nor any data was sent. Someone may be posing as the county server, or the county replaced its certificate; once the county confirms a new one, set up again with the fingerprint it reads out: hecha setup --server URL --token TOKEN --fingerprint NEW",
	},
	"sync.err.no_cert": {
		Zh: "证书文件中没有证书（应为 PEM 格式，以 -----BEGIN CERTIFICATE----- 开头）",
		En: "the certificate file holds no certificate (PEM, starting with -----BEGIN CERTIFICATE-----)",
	},
	"sync.err.bad_cert": {
		Zh: "证书无法读取（%s）",
		En: "the certificate cannot be read (%s)",
	},
	"sync.err.no_peer_cert": {
		Zh: "县级服务器没有出示证书",
		En: "the county server presented no certificate",
	},
	"sync.phase.connect":   {Zh: "连接县级服务器", En: "connecting to the county"},
	"sync.phase.push":      {Zh: "上传核查结果", En: "uploading results"},
	"sync.phase.check":     {Zh: "核对县级已收结果", En: "checking what the county holds"},
	"sync.phase.divisions": {Zh: "更新行政区划代码表", En: "updating the division table"},
	"sync.phase.cases":     {Zh: "下载个案", En: "downloading cases"},
	"sync.phase.registry":  {Zh: "下载比对资料", En: "downloading the registry extract"},
})
