package tui

import "hecha"

// The lock screen's text (lock.go), Chinese first.
var _ = hecha.Register(map[string]hecha.Msg{
	"tui.lock.title": {Zh: "已锁定", En: "Locked"},
	"tui.lock.why": {Zh: "本机数据库已加密，保护群众的个人信息。\n请输入口令解锁。",
		En: "This terminal's database is encrypted to protect people's personal data.\nEnter the passphrase to unlock."},
	"tui.lock.prompt":   {Zh: "口令：", En: "Passphrase:"},
	"tui.lock.checking": {Zh: "正在核对口令…", En: "Checking the passphrase…"},
	"tui.lock.wait":     {Zh: "口令错误次数太多，请 %d 秒后再试", En: "Too many wrong passphrases; try again in %d s"},
	"tui.lock.wrong_wait": {Zh: "口令不对（已连续错 %d 次），请 %d 秒后再试",
		En: "Wrong passphrase (%d times in a row); try again in %d s"},
	"tui.lock.keys": {Zh: "回车 解锁%sctrl+c 退出", En: "enter unlock%sctrl+c quit"},
})
