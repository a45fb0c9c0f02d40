package cli

import "hecha"

// The messages of passphrases, passwd and recover (passphrase.go).
var _ = hecha.Register(map[string]hecha.Msg{
	"cli.passphrase.prompt":  {Zh: "口令：", En: "Passphrase: "},
	"cli.passphrase.new":     {Zh: "新口令（至少 8 个字符）：", En: "New passphrase (8 characters or more): "},
	"cli.passphrase.again":   {Zh: "再输一遍新口令：", En: "The new passphrase again: "},
	"cli.passphrase.differ":  {Zh: "两次输入的口令不一样，请重新输入", En: "the two passphrases differ; try again"},
	"cli.passphrase.gave_up": {Zh: "没有设好新口令", En: "no new passphrase was set"},
	"cli.passphrase.file":    {Zh: "无法读取口令文件 %s（%s）", En: "cannot read the passphrase file %s (%s)"},
	"cli.passphrase.read":    {Zh: "无法读取输入的口令（%s）", En: "cannot read the passphrase typed (%s)"},
	"cli.passphrase.no_terminal": {Zh: "数据库已加密，需要口令：请在终端上运行，或用环境变量 %s 指定口令文件",
		En: "the database is encrypted and needs its passphrase: run on a terminal, or name a passphrase file in %s"},
	"cli.passphrase.choose": {Zh: "为数据库设置口令。群众的个人信息将加密保存，每次打开数据库都要输入这个口令。",
		En: "Choose a passphrase for the database. People's personal data is kept encrypted; opening the database asks for this passphrase each time."},
	"cli.passphrase.plain": {Zh: "注意：数据库没有加密（没有终端可以输入口令，也没有设置 %s）。请尽快运行 %s passwd 设置口令。",
		En: "Warning: the database is not encrypted (no terminal to type a passphrase, and %s is not set). Run %s passwd soon to set one."},
	"cli.passphrase.recovery": {Zh: "恢复密钥（只显示这一次，请乡镇负责人抄在纸上，妥善保管，不要和电脑放在一起）：\n\n    %s\n\n忘记口令时，用 recover 命令和这个恢复密钥设置新口令。",
		En: "Recovery key (shown this once: have the township head write it on paper and keep it safe, away from the computer):\n\n    %s\n\nIf the passphrase is forgotten, the recover command sets a new one with this key."},
	"cli.passphrase.recovery_enter":     {Zh: "抄好后按回车继续…", En: "Press Enter once it is written down…"},
	"cli.passphrase.encrypted":          {Zh: "数据库 %s 已加密", En: "the database %s is encrypted"},
	"cli.passphrase.changed":            {Zh: "口令已更改（恢复密钥不变）", En: "the passphrase is changed (the recovery key stays the same)"},
	"cli.passphrase.recovered":          {Zh: "已设置新口令（恢复密钥不变，仍然有效）", En: "a new passphrase is set (the recovery key stays the same and still works)"},
	"cli.passphrase.recovery_prompt":    {Zh: "恢复密钥（40 位数字）：", En: "Recovery key (40 digits): "},
	"cli.passphrase.no_recovery_key":    {Zh: "没有输入恢复密钥", En: "no recovery key was given"},
	"cli.passphrase.not_unlocked":       {Zh: "没有解锁，已退出", En: "not unlocked; quitting"},
	"cli.passphrase.flag.new_file":      {Zh: "从文件读取新口令（第一行），不在终端上询问", En: "read the new passphrase from the first line of this file instead of asking"},
	"cli.passphrase.flag.recovery_file": {Zh: "从文件读取恢复密钥，不在终端上询问", En: "read the recovery key from this file instead of asking"},
	"cli.passphrase.passwd.summary":     {Zh: "更改口令（数据库未加密时：设置口令并加密）", En: "change the passphrase (or, for a plain database, set one and encrypt it)"},
	"cli.passphrase.recover.summary":    {Zh: "忘记口令时，用恢复密钥设置新口令", En: "set a new passphrase with the recovery key, when the passphrase is forgotten"},
})
