package store

import "hecha"

// The messages of the encrypted database (seal.go, keyring.go, encrypt.go).
var _ = hecha.Register(map[string]hecha.Msg{
	"store.passphrase_short": {
		Zh: "口令太短：至少 %d 个字符",
		En: "the passphrase is too short: at least %d characters",
	},
	"store.passphrase_needed": {
		Zh: "数据库 %s 已加密，需要输入口令",
		En: "the database %s is encrypted; a passphrase is needed",
	},
	"store.wrong_passphrase": {
		Zh: "口令不对",
		En: "wrong passphrase",
	},
	"store.wrong_recovery_key": {
		Zh: "恢复密钥不是这个数据库的",
		En: "the recovery key is not this database's",
	},
	"store.recovery_key_char": {
		Zh: "恢复密钥只有数字（可以用空格分组），不能有“%s”",
		En: "a recovery key has only digits (spaces between groups are fine), not “%s”",
	},
	"store.recovery_key_length": {
		Zh: "恢复密钥应有 %d 位数字，输入了 %d 位",
		En: "a recovery key has %d digits; %d were given",
	},
	"store.recovery_key_check": {
		Zh: "恢复密钥有一位数字抄错或输错了，请对照纸上的记录再输一遍",
		En: "a digit of the recovery key was written down or typed wrong; check it against the paper and type it again",
	},
	"store.already_encrypted": {
		Zh: "数据库 %s 已经加密",
		En: "the database %s is already encrypted",
	},
	"store.not_encrypted": {
		Zh: "数据库 %s 没有加密",
		En: "the database %s is not encrypted",
	},
})
