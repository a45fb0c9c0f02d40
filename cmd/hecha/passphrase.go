package main

import (
	"context"

	"hecha/cmd/internal/cli"
	"hecha/store"
)

// The encrypted township database on the command line (the shared part is
// cli.Passphrases): the passphrase asked on the terminal or read from the
// file $HECHA_PASSPHRASE_FILE names; the lock screen at the interface's
// start; "passwd" and "recover"; setup encrypting a new terminal's
// database and showing the recovery key once.
//
//	hecha passwd [--new-passphrase-file FILE]
//	hecha recover [--recovery-key-file FILE] [--new-passphrase-file FILE]

// PassphraseFileEnv names the file holding the passphrase, for scripts.
const PassphraseFileEnv = cli.TownshipPassphraseEnv

func init() {
	additions = append(additions,
		func(m *Main) cli.Addition {
			return cli.Addition{Command: m.secrets().PasswdCommand("cli.township.passwd.help", func(ctx context.Context) (*store.DB, error) {
				db, err := m.OpenDB(ctx)
				if err != nil {
					return nil, err
				}
				return db.DB, nil
			})}
		},
		func(m *Main) cli.Addition {
			return cli.Addition{Command: m.secrets().RecoverCommand("cli.township.recover.help", m.dbPath,
				func(path string, opts ...store.Option) (*store.DB, error) {
					db, err := store.OpenTownship(path, opts...)
					if err != nil {
						return nil, err
					}
					return db.DB, nil
				}, store.WithNow(m.Clock))}
		},
	)
}

// secrets returns the passphrases of m's database.
func (m *Main) secrets() *cli.Passphrases {
	return &cli.Passphrases{Base: &m.Base, FileEnv: PassphraseFileEnv, KDF: m.KDF, ReadSecret: m.ReadSecret, Screen: m.unlockScreen}
}
