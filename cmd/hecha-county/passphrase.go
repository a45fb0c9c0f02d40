package main

import (
	"context"

	"hecha"
	"hecha/cmd/internal/cli"
	"hecha/store"
)

// The county's database can be encrypted as a township's is (store's
// seal.go): "passwd" sets the first passphrase (showing the recovery key
// once and encrypting the file in place) or changes it, "recover" sets a
// new one with the recovery key. Every command, serve included, unlocks it
// with the passphrase in the file $HECHA_COUNTY_PASSPHRASE_FILE names (for
// the service), or asks on the terminal.
//
//	hecha-county passwd [--new-passphrase-file FILE]
//	hecha-county recover [--recovery-key-file FILE] [--new-passphrase-file FILE]

func init() {
	additions = append(additions,
		func(m *Main) cli.Addition {
			return cli.Addition{Command: m.secrets().PasswdCommand("county.cli.passwd.help", func(context.Context) (*store.DB, error) {
				db, err := m.openDB()
				if err != nil {
					return nil, err
				}
				bolt, ok := db.(*store.CountyDB)
				if !ok {
					return nil, hecha.Errorf(hecha.EINVALID, "db", "county.cli.passwd.bolt_only")
				}
				return bolt.DB, nil
			})}
		},
		func(m *Main) cli.Addition {
			return cli.Addition{Command: m.secrets().RecoverCommand("county.cli.recover.help", m.dbPath,
				func(path string, opts ...store.Option) (*store.DB, error) {
					if isPostgres(path) {
						return nil, hecha.Errorf(hecha.EINVALID, "db", "county.cli.passwd.bolt_only")
					}
					db, err := store.OpenCounty(path, opts...)
					if err != nil {
						return nil, err
					}
					return db.DB, nil
				}, store.WithNow(m.Clock))}
		},
	)
}

// secrets returns the passphrases of the county's database.
func (m *Main) secrets() *cli.Passphrases {
	return &cli.Passphrases{Base: &m.Base, FileEnv: cli.CountyPassphraseEnv, KDF: m.KDF}
}

var _ = hecha.Register(map[string]hecha.Msg{
	"county.cli.passwd.help": {Zh: "数据库还没有加密时：设置口令（至少 8 个字符），显示恢复密钥（只显示一次，请负责人抄在纸上妥善保管），然后就地加密数据库（个案、登记记录、收到的核查结果）；中途断电或被终止不丢数据，下次打开时继续。已经加密时：更改口令，不重新加密，恢复密钥不变。\n加密以后，每个命令（包括 serve）都要口令：在终端上询问，或从环境变量 HECHA_COUNTY_PASSPHRASE_FILE 指定的文件读取（第一行；作为服务运行时用它，文件只给运行服务的用户读）。运行前先停止 serve。",
		En: "For a database not yet encrypted: sets a passphrase (8 characters or more), shows the recovery key (once: have the person in charge write it down and keep it safe), then encrypts the database in place (cases, registries, the results received); a crash or kill midway loses nothing, and the next open finishes the job. For an encrypted one: changes the passphrase; nothing is re-encrypted and the recovery key stays the same.\nOnce encrypted, every command (serve too) needs the passphrase: asked on the terminal, or read from the first line of the file HECHA_COUNTY_PASSPHRASE_FILE names (for the service: readable only by the user it runs as). Stop serve first."},
	"county.cli.passwd.bolt_only": {Zh: "口令只用于 bbolt 数据库文件；PostgreSQL 数据库请用数据库自己的账号和权限保护",
		En: "a passphrase protects a bbolt database file only; protect a PostgreSQL database with its own accounts and privileges"},
	"county.cli.recover.help": {Zh: "忘记口令时：输入设置口令时显示的 40 位恢复密钥，再设新口令。运行前先停止 serve。",
		En: "When the passphrase is forgotten: type the 40-digit recovery key shown when it was set, then a new passphrase. Stop serve first."},
})
