package main

import "hecha"

// Messages of the county server's certificate: setup pins it, every
// connection checks it.
var _ = hecha.Register(map[string]hecha.Msg{
	"cli.township.flag.fingerprint": {Zh: "县级服务器证书的指纹（县里用 hecha-county tls fingerprint 查看）；给出时不再询问", En: "the fingerprint of the county server's certificate (the county shows it with hecha-county tls fingerprint); given, setup does not ask"},
	"cli.township.flag.insecure":    {Zh: "允许不加密的 http:// 地址（令牌和个人信息明文传输；只在县里明确要求时使用）", En: "allow a plain http:// address (token and personal data in clear text; only when the county says so)"},
	"cli.township.setup.plain_http": {
		Zh: "服务器地址 %s 是不加密的 http://，令牌和个人信息会明文传输。请向县里要 https:// 地址和证书指纹；只有县里明确要求时才加 --insecure-http",
		En: "the server address %s is plain http://, where the token and personal data travel in clear text. Ask the county for its https:// address and certificate fingerprint; add --insecure-http only when the county says so",
	},
	"cli.township.setup.http_pin": {Zh: "http:// 地址没有证书：--fingerprint 和 --ca 只用于 https:// 地址", En: "an http:// address has no certificate: --fingerprint and --ca are for https:// addresses"},
	"cli.township.setup.shown":    {Zh: "县级服务器 %s 出示的证书指纹（SHA-256）是：", En: "the county server %s presents a certificate with the fingerprint (SHA-256):"},
	"cli.township.setup.changed":  {Zh: "注意：与本机原来登记的指纹不同（原来是 %s）。只有县里确认换了证书时才继续", En: "note: this is not the fingerprint pinned before (%s). Go on only when the county confirms it replaced its certificate"},
	"cli.township.setup.ask": {
		Zh: "请打电话给县里，请县里运行 hecha-county tls fingerprint 并把指纹念出来，逐组核对。完全一致请输入 y 并回车，否则直接回车：",
		En: "Call the county, ask them to run hecha-county tls fingerprint and read the fingerprint out, and compare it group by group. Type y and Enter if every group is the same, else just Enter: ",
	},
	"cli.township.setup.not_confirmed": {
		Zh: "没有确认证书指纹，什么都没有保存。指纹不一致时请不要继续（可能有人冒充县级服务器），请告知县里；在脚本里请用 --fingerprint 给出县里的指纹",
		En: "the certificate fingerprint was not confirmed; nothing was saved. If the fingerprints differ, do not go on (someone may be posing as the county server) and tell the county; in a script, give the county's fingerprint with --fingerprint",
	},
	"cli.township.setup.pinned": {Zh: "已登记县级服务器证书指纹：%s；以后只接受这张证书", En: "pinned the county server's certificate: %s; no other certificate is accepted from now on"},
	"cli.township.setup.plain":  {Zh: "警告：与县级服务器之间不加密（--insecure-http），令牌和个人信息明文传输", En: "warning: the connection to the county server is not encrypted (--insecure-http); the token and personal data travel in clear text"},
	"cli.township.plain_http": {
		Zh: "本机设置的服务器地址 %s 是不加密的 http://，为保护个人信息已停止使用。请向县里要 https:// 地址和证书指纹，重新运行 hecha setup --server 地址 --token 令牌 --fingerprint 指纹；县里明确要求明文时，hecha setup 加 --insecure-http",
		En: "the server address set up here, %s, is plain http://, which is no longer used, to protect personal data. Ask the county for its https:// address and certificate fingerprint and run hecha setup --server URL --token TOKEN --fingerprint HEX again; when the county says to use clear text, add --insecure-http to hecha setup",
	},
})
