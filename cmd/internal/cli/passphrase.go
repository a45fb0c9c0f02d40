package cli

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/charmbracelet/x/term"

	"hecha"
	"hecha/store"
)

// Passphrases of encrypted databases, for both programs: asked on the
// terminal (masked) or read from the file an environment variable names,
// for scripts and services; the "passwd" and "recover" commands; a new
// passphrase set, with the recovery key shown once.

// The environment variables naming each program's passphrase file: its
// first line is the passphrase.
const (
	TownshipPassphraseEnv = "HECHA_PASSPHRASE_FILE"
	CountyPassphraseEnv   = "HECHA_COUNTY_PASSPHRASE_FILE"
)

// passphraseTries is how many passphrases are asked for on the terminal
// before giving up.
const passphraseTries = 3

// Passphrases asks for and reads the passphrases of a program's database.
type Passphrases struct {
	Base *Base
	// FileEnv names the environment variable of the passphrase file.
	FileEnv string
	// KDF, when set, are the Argon2id parameters of new passphrases
	// (store.DefaultKDF otherwise).
	KDF *store.KDFParams
	// ReadSecret, when set, replaces the terminal (the tests).
	ReadSecret func(prompt string) (string, error)
	// Screen, when set, asks for the passphrase of an encrypted database
	// on the program's own lock screen: it calls try with each passphrase
	// until try returns nil.
	Screen func(try func(passphrase string) error) error
}

// ReadSecretFile returns the first line of the file at path.
func ReadSecretFile(path string) (string, error) {
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

// terminalFd returns the file descriptor of stdin when it is a terminal.
func (p *Passphrases) terminalFd() (uintptr, bool) {
	f, ok := p.Base.Stdin.(*os.File)
	if !ok || !term.IsTerminal(f.Fd()) {
		return 0, false
	}
	return f.Fd(), true
}

// interactive reports whether secrets can be asked for.
func (p *Passphrases) interactive() bool {
	_, ok := p.terminalFd()
	return ok || p.ReadSecret != nil
}

// readSecret asks for a passphrase on the terminal without echoing it.
// Errors: EINVALID (cli.passphrase.no_terminal) when stdin is not a
// terminal.
func (p *Passphrases) readSecret(prompt string) (string, error) {
	if p.ReadSecret != nil {
		return p.ReadSecret(prompt)
	}
	fd, ok := p.terminalFd()
	if !ok {
		return "", hecha.Errorf(hecha.EINVALID, "", "cli.passphrase.no_terminal", p.FileEnv)
	}
	fmt.Fprint(p.Base.Stderr, prompt)
	b, err := term.ReadPassword(fd)
	fmt.Fprintln(p.Base.Stderr)
	if err != nil {
		return "", hecha.Errorf(hecha.EUNAVAILABLE, "", "cli.passphrase.read", err.Error())
	}
	return string(b), nil
}

// KDFParams returns the Argon2id parameters for a new passphrase.
func (p *Passphrases) KDFParams() store.KDFParams {
	if p.KDF != nil {
		return *p.KDF
	}
	return store.DefaultKDF
}

// Unlock opens the database at path with open (store.OpenTownship or
// store.OpenCounty). An encrypted one is unlocked with the passphrase of
// the file p.FileEnv names, else with one asked for: on p.Screen when set,
// else on the terminal, up to passphraseTries times.
func Unlock[DB any](p *Passphrases, open func(string, ...store.Option) (DB, error), path string, opts ...store.Option) (DB, error) {
	var none DB
	opts = append(opts, store.WithKDF(p.KDFParams()))
	if f := p.Base.Env(p.FileEnv); f != "" {
		pass, err := ReadSecretFile(f)
		if err != nil {
			return none, err
		}
		return open(path, append(opts, store.WithPassphrase(pass))...)
	}
	db, err := open(path, opts...)
	if !store.NeedsPassphrase(err) {
		return db, err
	}
	try := func(pass string) error {
		db, err = open(path, append(opts, store.WithPassphrase(pass))...)
		return err
	}
	if p.Screen != nil {
		if err := p.Screen(try); err != nil {
			return none, err
		}
		return db, nil
	}
	for range passphraseTries {
		pass, rerr := p.readSecret(hecha.T(p.Base.Lang, "cli.passphrase.prompt"))
		if rerr != nil {
			return none, rerr
		}
		if err := try(pass); !store.WrongPassphrase(err) {
			return db, err
		}
		fmt.Fprintln(p.Base.Stderr, hecha.ErrorMessage(err, p.Base.Lang))
	}
	return none, err
}

// New returns a new passphrase: the first line of file when given, else
// asked twice on the terminal until both agree and it is long enough.
func (p *Passphrases) New(file string) (string, error) {
	if file != "" {
		pass, err := ReadSecretFile(file)
		if err != nil {
			return "", err
		}
		return pass, store.ValidatePassphrase(pass)
	}
	for range passphraseTries {
		pass, err := p.readSecret(hecha.T(p.Base.Lang, "cli.passphrase.new"))
		if err != nil {
			return "", err
		}
		if err := store.ValidatePassphrase(pass); err != nil {
			fmt.Fprintln(p.Base.Stderr, hecha.ErrorMessage(err, p.Base.Lang))
			continue
		}
		again, err := p.readSecret(hecha.T(p.Base.Lang, "cli.passphrase.again"))
		if err != nil {
			return "", err
		}
		if again == pass {
			return pass, nil
		}
		fmt.Fprintln(p.Base.Stderr, hecha.T(p.Base.Lang, "cli.passphrase.differ"))
	}
	return "", hecha.Errorf(hecha.EINVALID, "passphrase", "cli.passphrase.gave_up")
}

// Encrypt gives the open plain database a keyring for passphrase, shows
// the recovery key (and, on a terminal, waits until it is written down),
// then encrypts the file in place.
func (p *Passphrases) Encrypt(ctx context.Context, db *store.DB, passphrase string) error {
	keys, recovery, err := store.NewKeys(passphrase, p.KDFParams())
	if err != nil {
		return err
	}
	fmt.Fprintln(p.Base.Stdout, hecha.T(p.Base.Lang, "cli.passphrase.recovery", recovery))
	if _, ok := p.terminalFd(); ok {
		fmt.Fprint(p.Base.Stderr, hecha.T(p.Base.Lang, "cli.passphrase.recovery_enter"))
		_, _ = bufio.NewReader(p.Base.Stdin).ReadString('\n')
	}
	if err := db.Encrypt(ctx, keys); err != nil {
		return err
	}
	fmt.Fprintln(p.Base.Stdout, hecha.T(p.Base.Lang, "cli.passphrase.encrypted", db.Path()))
	return nil
}

// SetupEncryption encrypts the database when it is not yet: with the
// passphrase of the file FileEnv names, or a new one asked on the
// terminal; without either it only warns (passwd encrypts later).
func (p *Passphrases) SetupEncryption(ctx context.Context, db *store.DB) error {
	if db.Encrypted() {
		return nil
	}
	var pass string
	var err error
	switch f := p.Base.Env(p.FileEnv); {
	case f != "":
		pass, err = p.New(f)
	case p.interactive():
		fmt.Fprintln(p.Base.Stderr, hecha.T(p.Base.Lang, "cli.passphrase.choose"))
		pass, err = p.New("")
	default:
		fmt.Fprintln(p.Base.Stderr, hecha.T(p.Base.Lang, "cli.passphrase.plain", p.FileEnv, p.Base.Prog))
		return nil
	}
	if err != nil {
		return err
	}
	return p.Encrypt(ctx, db, pass)
}

// PasswdCommand is "passwd": change the passphrase of the database open
// returns, or set the first one (encrypting a plain database in place).
func (p *Passphrases) PasswdCommand(help string, open func(ctx context.Context) (*store.DB, error)) *Command {
	return &Command{
		Name: "passwd", Summary: "cli.passphrase.passwd.summary", Help: help,
		ValueNames: map[string]string{"new-passphrase-file": "FILE"},
		Flags: func(fs *flag.FlagSet, lang hecha.Lang) RunFunc {
			var newFile string
			fs.StringVar(&newFile, "new-passphrase-file", "", hecha.T(lang, "cli.passphrase.flag.new_file"))
			return func(ctx context.Context, _ []string) error {
				db, err := open(ctx)
				if err != nil {
					return err
				}
				pass, err := p.New(newFile)
				if err != nil {
					return err
				}
				if !db.Encrypted() {
					return p.Encrypt(ctx, db, pass)
				}
				if err := db.ChangePassphrase(ctx, pass); err != nil {
					return err
				}
				fmt.Fprintln(p.Base.Stdout, hecha.T(p.Base.Lang, "cli.passphrase.changed"))
				return nil
			}
		},
	}
}

// RecoverCommand is "recover": set a new passphrase with the recovery key.
// dbPath resolves the database; open opens it in the program's role
// (its shared core is all recover needs) with opts.
func (p *Passphrases) RecoverCommand(help string, dbPath func() (string, error), open func(string, ...store.Option) (*store.DB, error), opts ...store.Option) *Command {
	return &Command{
		Name: "recover", Summary: "cli.passphrase.recover.summary", Help: help,
		ValueNames: map[string]string{"new-passphrase-file": "FILE", "recovery-key-file": "FILE"},
		Flags: func(fs *flag.FlagSet, lang hecha.Lang) RunFunc {
			var newFile, keyFile string
			fs.StringVar(&newFile, "new-passphrase-file", "", hecha.T(lang, "cli.passphrase.flag.new_file"))
			fs.StringVar(&keyFile, "recovery-key-file", "", hecha.T(lang, "cli.passphrase.flag.recovery_file"))
			return func(ctx context.Context, _ []string) error {
				path, err := dbPath()
				if err != nil {
					return err
				}
				return p.recover(ctx, path, keyFile, newFile, open, opts)
			}
		},
	}
}

// recover opens the database at path with the recovery key (from keyFile,
// else a line typed on stdin) and sets a new passphrase.
func (p *Passphrases) recover(ctx context.Context, path, keyFile, newFile string, open func(string, ...store.Option) (*store.DB, error), opts []store.Option) error {
	var key string
	if keyFile != "" {
		var err error
		if key, err = ReadSecretFile(keyFile); err != nil {
			return err
		}
	} else {
		fmt.Fprint(p.Base.Stderr, hecha.T(p.Base.Lang, "cli.passphrase.recovery_prompt"))
		line, err := bufio.NewReader(p.Base.Stdin).ReadString('\n')
		if err != nil && (err != io.EOF || line == "") {
			return hecha.Errorf(hecha.EINVALID, "recovery_key", "cli.passphrase.no_recovery_key")
		}
		key = strings.TrimSpace(line)
	}
	if _, err := store.ParseRecoveryKey(key); err != nil {
		return Exit(ExitUsage, err)
	}
	db, err := open(path, append(opts, store.WithRecoveryKey(key), store.WithKDF(p.KDFParams()))...)
	if err != nil {
		return err
	}
	defer db.Close()
	if !db.Encrypted() {
		return hecha.Errorf(hecha.EINVALID, "", "store.not_encrypted", path)
	}
	pass, err := p.New(newFile)
	if err != nil {
		return err
	}
	if err := db.ChangePassphrase(ctx, pass); err != nil {
		return err
	}
	fmt.Fprintln(p.Base.Stdout, hecha.T(p.Base.Lang, "cli.passphrase.recovered"))
	return nil
}
