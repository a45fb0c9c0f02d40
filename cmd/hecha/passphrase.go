package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/charmbracelet/x/term"

	"hecha"
	"hecha/cmd/internal/cli"
	"hecha/store"
)

// The encrypted township database on the command line: the passphrase
// asked on the terminal (masked) or read from the file named by
// $HECHA_PASSPHRASE_FILE, for scripts; "passwd" and "recover"; setup
// encrypting a new terminal's database and showing the recovery key once.
//
//	hecha passwd [--new-passphrase-file FILE]
//	hecha recover [--recovery-key-file FILE] [--new-passphrase-file FILE]

// PassphraseFileEnv names the file holding the passphrase, for scripts
// and services: its first line is the passphrase.
const PassphraseFileEnv = "HECHA_PASSPHRASE_FILE"

// passphraseTries is how many passphrases a command asks for on the
// terminal before it gives up.
const passphraseTries = 3

func init() {
	additions = append(additions,
		func(m *Main) cli.Addition { return cli.Addition{Command: m.passwdCommand()} },
		func(m *Main) cli.Addition { return cli.Addition{Command: m.recoverCommand()} },
	)
}

// readSecretFile returns the first line of the file at path.
func readSecretFile(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", hecha.Errorf(hecha.EINVALID, "", "cli.passphrase.file", path, err.Error())
	}
	line, _, _ := bytes.Cut(data, []byte("\n"))
	line = bytes.TrimSuffix(line, []byte("\r"))
	if len(line) == 0 {
		return "", hecha.Errorf(hecha.EINVALID, "", "cli.passphrase.file", path, "empty")
	}
	return string(line), nil
}

// terminalFd returns the file descriptor of m.Stdin when it is a
// terminal.
func (m *Main) terminalFd() (uintptr, bool) {
	f, ok := m.Stdin.(*os.File)
	if !ok || !term.IsTerminal(f.Fd()) {
		return 0, false
	}
	return f.Fd(), true
}

// interactive reports whether secrets can be asked for (a terminal, or
// the tests' ReadSecret).
func (m *Main) interactive() bool {
	_, ok := m.terminalFd()
	return ok || m.ReadSecret != nil
}

// readSecret asks for a passphrase on the terminal without echoing it.
// Errors: EINVALID (cli.passphrase.no_terminal) when stdin is not a
// terminal.
func (m *Main) readSecret(prompt string) (string, error) {
	if m.ReadSecret != nil {
		return m.ReadSecret(prompt)
	}
	fd, ok := m.terminalFd()
	if !ok {
		return "", hecha.Errorf(hecha.EINVALID, "", "cli.passphrase.no_terminal", PassphraseFileEnv)
	}
	fmt.Fprint(m.Stderr, prompt)
	b, err := term.ReadPassword(fd)
	fmt.Fprintln(m.Stderr)
	if err != nil {
		return "", hecha.Errorf(hecha.EUNAVAILABLE, "", "cli.passphrase.read", err.Error())
	}
	return string(b), nil
}

// openStore opens the township database at path. An encrypted one is
// unlocked with the passphrase of $HECHA_PASSPHRASE_FILE, else with one
// asked for: by m.unlockScreen when set (the interface's start), else on
// the terminal, up to passphraseTries times.
func (m *Main) openStore(path string, opts ...store.Option) (*store.DB, error) {
	if f := m.Env(PassphraseFileEnv); f != "" {
		p, err := readSecretFile(f)
		if err != nil {
			return nil, err
		}
		return store.Open(path, append(opts, store.WithPassphrase(p))...)
	}
	db, err := store.Open(path, opts...)
	if !store.NeedsPassphrase(err) {
		return db, err
	}
	try := func(p string) error {
		db, err = store.Open(path, append(opts, store.WithPassphrase(p))...)
		return err
	}
	if m.unlockScreen != nil {
		if err := m.unlockScreen(try); err != nil {
			return nil, err
		}
		return db, nil
	}
	for range passphraseTries {
		p, rerr := m.readSecret(hecha.T(m.Lang, "cli.passphrase.prompt"))
		if rerr != nil {
			return nil, rerr
		}
		if err := try(p); !store.WrongPassphrase(err) {
			return db, err
		}
		fmt.Fprintln(m.Stderr, hecha.ErrorMessage(err, m.Lang))
	}
	return nil, err
}

// newPassphrase returns a new passphrase: the first line of file when
// given, else asked twice on the terminal until both agree and it is long
// enough.
func (m *Main) newPassphrase(file string) (string, error) {
	if file != "" {
		p, err := readSecretFile(file)
		if err != nil {
			return "", err
		}
		return p, store.ValidatePassphrase(p)
	}
	for range passphraseTries {
		p, err := m.readSecret(hecha.T(m.Lang, "cli.passphrase.new"))
		if err != nil {
			return "", err
		}
		if err := store.ValidatePassphrase(p); err != nil {
			fmt.Fprintln(m.Stderr, hecha.ErrorMessage(err, m.Lang))
			continue
		}
		again, err := m.readSecret(hecha.T(m.Lang, "cli.passphrase.again"))
		if err != nil {
			return "", err
		}
		if again == p {
			return p, nil
		}
		fmt.Fprintln(m.Stderr, hecha.T(m.Lang, "cli.passphrase.differ"))
	}
	return "", hecha.Errorf(hecha.EINVALID, "passphrase", "cli.passphrase.gave_up")
}

// kdf returns the Argon2id parameters for a new passphrase.
func (m *Main) kdf() store.KDFParams {
	if m.KDF != nil {
		return *m.KDF
	}
	return store.DefaultKDF
}

// encrypt gives the open plain database a keyring for passphrase, shows
// the recovery key (and, on a terminal, waits until the clerk says it is
// written down), then encrypts the file in place.
func (m *Main) encrypt(ctx context.Context, db *store.DB, passphrase string) error {
	keys, recovery, err := store.NewKeys(passphrase, m.kdf())
	if err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "cli.passphrase.recovery", recovery))
	if _, ok := m.terminalFd(); ok {
		fmt.Fprint(m.Stderr, hecha.T(m.Lang, "cli.passphrase.recovery_enter"))
		_, _ = bufio.NewReader(m.Stdin).ReadString('\n')
	}
	if err := db.Encrypt(ctx, keys); err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "cli.passphrase.encrypted", db.Path()))
	return nil
}

// setupEncryption encrypts the database during setup when it is not yet:
// with the passphrase of $HECHA_PASSPHRASE_FILE, or a new one asked on the
// terminal; without either it only warns (hecha passwd encrypts later).
func (m *Main) setupEncryption(ctx context.Context, db *store.DB) error {
	if db.Encrypted() {
		return nil
	}
	var p string
	var err error
	switch f := m.Env(PassphraseFileEnv); {
	case f != "":
		p, err = m.newPassphrase(f)
	case m.interactive():
		fmt.Fprintln(m.Stderr, hecha.T(m.Lang, "cli.passphrase.choose"))
		p, err = m.newPassphrase("")
	default:
		fmt.Fprintln(m.Stderr, hecha.T(m.Lang, "cli.passphrase.plain", PassphraseFileEnv))
		return nil
	}
	if err != nil {
		return err
	}
	return m.encrypt(ctx, db, p)
}

// passwdCommand is "passwd": change the passphrase, or set the first one
// (encrypting a plain database in place).
func (m *Main) passwdCommand() *cli.Command {
	return &cli.Command{
		Name: "passwd", Summary: "cli.passphrase.passwd.summary", Help: "cli.passphrase.passwd.help",
		ValueNames: map[string]string{"new-passphrase-file": "FILE"},
		Flags: func(fs *flag.FlagSet, lang hecha.Lang) cli.RunFunc {
			var newFile string
			fs.StringVar(&newFile, "new-passphrase-file", "", hecha.T(lang, "cli.passphrase.flag.new_file"))
			return func(ctx context.Context, _ []string) error {
				db, err := m.OpenDB(ctx)
				if err != nil {
					return err
				}
				p, err := m.newPassphrase(newFile)
				if err != nil {
					return err
				}
				if !db.Encrypted() {
					return m.encrypt(ctx, db, p)
				}
				if err := db.ChangePassphrase(ctx, p); err != nil {
					return err
				}
				fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "cli.passphrase.changed"))
				return nil
			}
		},
	}
}

// recoverCommand is "recover": set a new passphrase with the recovery key.
func (m *Main) recoverCommand() *cli.Command {
	return &cli.Command{
		Name: "recover", Summary: "cli.passphrase.recover.summary", Help: "cli.passphrase.recover.help",
		ValueNames: map[string]string{"new-passphrase-file": "FILE", "recovery-key-file": "FILE"},
		Flags: func(fs *flag.FlagSet, lang hecha.Lang) cli.RunFunc {
			var newFile, keyFile string
			fs.StringVar(&newFile, "new-passphrase-file", "", hecha.T(lang, "cli.passphrase.flag.new_file"))
			fs.StringVar(&keyFile, "recovery-key-file", "", hecha.T(lang, "cli.passphrase.flag.recovery_file"))
			return func(ctx context.Context, _ []string) error { return m.recover(ctx, keyFile, newFile) }
		},
	}
}

// recover opens the database with the recovery key (from keyFile, else a
// line typed on stdin) and sets a new passphrase.
func (m *Main) recover(ctx context.Context, keyFile, newFile string) error {
	path, err := m.dbPath()
	if err != nil {
		return err
	}
	var key string
	if keyFile != "" {
		if key, err = readSecretFile(keyFile); err != nil {
			return err
		}
	} else {
		fmt.Fprint(m.Stderr, hecha.T(m.Lang, "cli.passphrase.recovery_prompt"))
		line, err := bufio.NewReader(m.Stdin).ReadString('\n')
		if err != nil && line == "" {
			return hecha.Errorf(hecha.EINVALID, "recovery_key", "cli.passphrase.no_recovery_key")
		}
		key = strings.TrimSpace(line)
	}
	if _, err := store.ParseRecoveryKey(key); err != nil {
		return cli.Exit(cli.ExitUsage, err)
	}
	db, err := store.Open(path, store.WithRole(store.RoleTownship), store.WithNow(m.Clock),
		store.WithRecoveryKey(key), store.WithKDF(m.kdf()))
	if err != nil {
		return err
	}
	defer db.Close()
	if !db.Encrypted() {
		return hecha.Errorf(hecha.EINVALID, "", "store.not_encrypted", path)
	}
	p, err := m.newPassphrase(newFile)
	if err != nil {
		return err
	}
	if err := db.ChangePassphrase(ctx, p); err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "cli.passphrase.recovered"))
	return nil
}
