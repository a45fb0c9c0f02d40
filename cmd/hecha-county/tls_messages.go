package main

import "hecha"

// Messages of the county server's certificate (tls.go, serve.go).
var _ = hecha.Register(map[string]hecha.Msg{
	"county.cli.tls.summary":             {Zh: "同步服务的证书", En: "the sync server's certificate"},
	"county.cli.tls.fingerprint.summary": {Zh: "显示同步服务证书的指纹（乡镇设置时核对）", En: "show the fingerprint of the sync server's certificate (townships compare it at setup)"},
	"county.cli.tls.fingerprint.help": {
		Zh: "不给 --tls-cert 时显示数据库旁 <数据库>.tls 文件夹里的证书的指纹；还没有证书时先生成（与 hecha-county serve 第一次启动时相同）。\n指纹是证书的 SHA-256，写成 16 组、每组 4 位十六进制数字，便于在电话里念给乡镇信息员核对；乡镇也可以用 hecha setup --fingerprint 直接填入。",
		En: "Without --tls-cert, the fingerprint of the certificate in the folder <database>.tls beside the database; when there is none yet it is made first (as the first hecha-county serve does).\nThe fingerprint is the certificate's SHA-256 in 16 groups of 4 hexadecimal digits, easy to read out on the phone for a township clerk to compare; a township can also give it to hecha setup --fingerprint.",
	},
	"county.cli.flag.tls.cert": {Zh: "证书文件（PEM）；不给时用数据库旁的证书", En: "a certificate file (PEM); without it, the certificate beside the database"},
	"county.cli.tls.read":      {Zh: "无法读取证书 %s：%v", En: "cannot read the certificate %s: %v"},
	"county.cli.tls.bad":       {Zh: "证书 %s 无法使用：%s", En: "the certificate %s cannot be used: %s"},
	"county.cli.tls.create":    {Zh: "无法生成证书 %s：%v", En: "cannot make the certificate %s: %v"},
	"county.cli.tls.damaged": {
		Zh: "证书文件夹 %s 已损坏（%v）。如果乡镇已经登记了它的指纹，请从备份恢复；否则删除这个文件夹，重新启动时会生成新证书，各乡镇要用新指纹重新设置",
		En: "the certificate folder %s is damaged (%v). If townships have pinned its fingerprint, restore it from a backup; otherwise delete the folder and a new certificate is made on the next start, which every township must then set up again with the new fingerprint",
	},
	"county.cli.tls.created": {
		Zh: "已为同步服务生成自签名证书，保存在 %s（私钥只有本用户可读，请一并备份）；以后每次启动都用它",
		En: "made a self-signed certificate for the sync server in %s (the key is readable by this user only; back it up too); every later start uses it",
	},
	"county.cli.serve.fingerprint": {
		Zh: "证书指纹（SHA-256，乡镇设置时核对）：%s",
		En: "certificate fingerprint (SHA-256, for townships to compare at setup): %s",
	},
	"county.cli.flag.serve.insecure": {Zh: "不用 TLS，以明文 HTTP 提供服务（令牌和个人信息明文传输，只用于本机测试）", En: "serve plain HTTP without TLS (tokens and personal data in clear text; for tests on this machine only)"},
	"county.cli.serve.insecure_tls":  {Zh: "--insecure-http 不能与 --tls-cert、--tls-key 一起用", En: "--insecure-http cannot go with --tls-cert or --tls-key"},
	"county.cli.serve.plain":         {Zh: "注意：以明文 HTTP 提供服务（--insecure-http），令牌和个人信息不加密", En: "note: serving plain HTTP (--insecure-http); tokens and personal data are not encrypted"},
})
