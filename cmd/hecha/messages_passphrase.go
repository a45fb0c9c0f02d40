package main

import "hecha"

// The township's words on passphrases (the shared ones are in
// cmd/internal/cli).
var _ = hecha.Register(map[string]hecha.Msg{
	"cli.township.flag.lock_after": {Zh: "多久不按键就锁屏（数据库加密时；0 为不锁）", En: "lock the screen after this long without a key (encrypted database; 0: never)"},
	"cli.township.passwd.help": {Zh: "先输入现在的口令（或用 HECHA_PASSPHRASE_FILE），再输两遍新口令。只重新包装数据密钥，不重新加密数据，很快完成；恢复密钥不变。\n数据库还没有加密时，设置口令后显示恢复密钥（只显示一次），然后就地加密数据库；中途断电或被终止也不会丢数据，下次打开时继续。运行前先退出 hecha。",
		En: "Asks for the current passphrase (or reads HECHA_PASSPHRASE_FILE), then the new one twice. Only the data key is rewrapped, nothing is re-encrypted; the recovery key stays the same.\nFor a database not yet encrypted it sets the passphrase, shows the recovery key (once) and encrypts the database in place; a crash or kill midway loses nothing, and the next open finishes the job. Quit hecha first."},
	"cli.township.recover.help": {Zh: "输入设置口令时显示的 40 位恢复密钥（空格可有可无），再输两遍新口令。抄错一位会提示检查，不会当成错误的密钥。",
		En: "Type the 40-digit recovery key shown when the passphrase was set (spaces optional), then the new passphrase twice. A digit written down wrong is reported as such, not as a wrong key."},
})
