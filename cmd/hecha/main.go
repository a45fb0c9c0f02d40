// Command hecha is the township clerk's terminal: a Bubble Tea interface
// that walks each assigned case through its verification form, keeps
// everything on disk (bbolt) and syncs with the county server whenever a
// connection is there. Its headless commands set the terminal up (setup),
// run one sync round (sync) and compact the database (compact).
//
// Usage: hecha [options] runs the interface; hecha COMMAND [options].
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"hecha"
	"hecha/cmd/internal/cli"
	"hecha/store"
	hsync "hecha/sync"
)

// progName is the program's name in messages and help.
const progName = "hecha"

// runTUI and runDemo run the interactive interface and its demonstration.
// They are set by the files that hold the interface (tui.go, demo.go) in
// their init functions; while they are nil, hecha says the interface is
// not part of this build.
//
// runTUI is called with m.DB open (the township database), m.Rules,
// m.Settings and the flags in m; runDemo with m.DB nil (the demonstration
// makes its own data) and the same flags.
var runTUI, runDemo func(ctx context.Context, m *Main) error

// runUnlock, set with runTUI, asks for the passphrase of an encrypted
// database on the interface's own lock screen (see Main.unlockScreen).
var runUnlock func(m *Main, try func(passphrase string) error) error

func main() {
	ctx, stop := cli.SignalContext()
	code := cli.Execute(ctx, NewMain(), os.Args[1:])
	stop()
	os.Exit(code)
}

// Main is the program: its surroundings, the options from the command
// line, and the township database once opened. The interface (runTUI,
// runDemo) reads its fields; see each field for when it is set. With
// ParseFlags, Close and the Run of cli.Base it is a cli.Runner.
type Main struct {
	// Base holds the streams, environment, clock, --db and --lang, and
	// the command chosen.
	cli.Base

	// The interface's flags: --ascii (no box-drawing or other glyphs old
	// consoles lack), --fps (frame-rate cap; 0 means the default), --demo
	// (run the demonstration instead of the real database).
	ASCII bool
	FPS   int
	Demo  bool
	// LockAfter is --lock-after: how long the interface of an encrypted
	// database waits without a key before it locks (0: never).
	LockAfter time.Duration

	// DBPath is the database file (--db, $HECHA_DB or the default), set
	// when the database is opened. DB is the open township database; Rules
	// the rules it validates with (the division table stored in the
	// database, shared with it; nil when there is none); Settings the
	// settings read when it was opened (server, township, token, clerk,
	// cursors).
	DBPath   string
	DB       *store.TownshipDB
	Rules    *hecha.Rules
	Settings hecha.Settings

	// ClientOptions are added to every sync client NewClient makes (the
	// tests shorten the retries).
	ClientOptions []hsync.ClientOption

	// KDF, when set, are the Argon2id parameters of new passphrases
	// (store.DefaultKDF otherwise; the tests use cheap ones). ReadSecret,
	// when set, replaces the terminal for asking passphrases (the tests).
	KDF        *store.KDFParams
	ReadSecret func(prompt string) (string, error)
	// unlockScreen, set by the interface, asks for the passphrase of an
	// encrypted database on its own lock screen instead of the terminal's
	// prompt: it calls try with each passphrase until try returns nil.
	unlockScreen func(try func(passphrase string) error) error
}

// NewMain returns a Main wired to the process's standard streams,
// environment and clock.
func NewMain() *Main {
	return &Main{Base: cli.NewBase(progName)}
}

// ParseFlags reads the command line (without the program name). With no
// command it prepares the interface. It returns flag.ErrHelp when help was
// asked for and printed, and an *cli.ExitError with cli.ExitUsage for a
// bad command line (its usage already printed).
func (m *Main) ParseFlags(args []string) error {
	return m.Parse(m.program(), args)
}

// Close closes the database if it was opened.
func (m *Main) Close() error {
	if m.DB == nil {
		return nil
	}
	err := m.DB.Close()
	m.DB = nil
	return err
}

// program is the command tree; with no command, the interface runs.
func (m *Main) program() *cli.Program {
	p := m.Program("cli.township.summary", cli.TownshipDBEnv, cli.TownshipDBFile, cli.Extend([]*cli.Command{
		m.setupCommand(),
		m.syncCommand(),
		m.compactCommand(),
	}, additions.For(m)))
	p.Default = m.tuiCommand()
	return p
}

// tuiCommand is hecha without a command: the interactive interface.
func (m *Main) tuiCommand() *cli.Command {
	return &cli.Command{
		Name: "", Summary: "cli.township.tui.summary",
		Flags: func(fs *flag.FlagSet, lang hecha.Lang) cli.RunFunc {
			fs.BoolVar(&m.ASCII, "ascii", false, hecha.T(lang, "cli.township.flag.ascii"))
			fs.IntVar(&m.FPS, "fps", 0, hecha.T(lang, "cli.township.flag.fps"))
			fs.BoolVar(&m.Demo, "demo", false, hecha.T(lang, "cli.township.flag.demo"))
			fs.DurationVar(&m.LockAfter, "lock-after", 15*time.Minute, hecha.T(lang, "cli.township.flag.lock_after"))
			return m.runInterface
		},
	}
}

// runInterface runs the interface or its demonstration.
func (m *Main) runInterface(ctx context.Context, _ []string) error {
	if m.FPS < 0 || m.FPS > 120 {
		return cli.Exit(cli.ExitUsage, hecha.Invalid("fps", "cli.township.fps"))
	}
	// Consoles that lack the box-drawing glyphs get ASCII without --ascii.
	m.ASCII = m.ASCII || plainTerminal(m.Env("TERM"))
	if m.Demo {
		if runDemo == nil {
			return hecha.Errorf(hecha.EINTERNAL, "", "cli.township.no_tui")
		}
		return runDemo(ctx, m)
	}
	if runTUI == nil {
		return hecha.Errorf(hecha.EINTERNAL, "", "cli.township.no_tui")
	}
	if runUnlock != nil {
		m.unlockScreen = func(try func(string) error) error { return runUnlock(m, try) }
	}
	if _, err := m.OpenDB(ctx); err != nil {
		return err
	}
	return runTUI(ctx, m)
}

// plainTerminal reports whether the terminal type term (TERM) names a
// console that cannot draw the interface's lines, arrows and ticks: the
// Linux and BSD text consoles, the DEC VT terminals and their emulations,
// and terminals that name no capabilities at all.
func plainTerminal(term string) bool {
	term = strings.ToLower(strings.TrimSpace(term))
	base, _, _ := strings.Cut(term, "-")
	switch base {
	case "linux", "dumb", "ansi", "cons25", "pcansi", "vt52", "vt100", "vt102", "vt220", "vt320", "vt420":
		return true
	}
	return false
}

// dbPath returns the database file: --db, $HECHA_DB or the default.
func (m *Main) dbPath() (string, error) {
	if m.DBPath != "" {
		return m.DBPath, nil
	}
	return cli.DBPath(m.DBFlag, cli.TownshipDBEnv, cli.TownshipDBFile, m.Env)
}

// OpenDB opens the township database (once) with the division table
// stored in it, after moving in the division files an earlier version
// kept beside it, and reads its settings into m.Settings. m.Rules shares
// the database's table: a sync round that brings a new one updates it in
// place.
func (m *Main) OpenDB(ctx context.Context) (*store.TownshipDB, error) {
	if m.DB != nil {
		return m.DB, nil
	}
	path, err := m.dbPath()
	if err != nil {
		return nil, err
	}
	db, err := cli.Unlock(m.secrets(), store.OpenTownship, path, store.WithStoredDivisions(), store.WithNow(m.Clock))
	if err != nil {
		return nil, err
	}
	moved, _, err := cli.MigrateRegions(ctx, db.DB)
	if err != nil {
		db.Close()
		return nil, err
	}
	for _, f := range moved {
		fmt.Fprintln(m.Stderr, hecha.T(m.Lang, "cli.regions.moved", f, f+cli.ImportedSuffix))
	}
	if db.Rules().Divisions.Len() == 0 {
		// No table yet (setup and sync bring the county's): division
		// codes are then checked for their form only, never refused as
		// unknown. Nobody else has the database yet.
		db.Rules().Divisions = nil
	}
	st, err := db.Settings(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	m.Rules = &hecha.Rules{Divisions: db.Rules().Divisions, Now: m.Clock}
	m.DBPath, m.DB, m.Settings = path, db, st
	return db, nil
}

// caPath is the county's certificate authority kept beside the database
// by "setup --ca", trusted for the server's TLS certificate.
func caPath(db string) string { return db + ".ca.pem" }

// NewClient returns a sync client for the server and token in m.Settings
// (or those given), trusting the certificate authority kept beside the
// database when there is one.
func (m *Main) NewClient(serverURL, token string, opts ...hsync.ClientOption) (*hsync.Client, error) {
	if m.DBPath != "" {
		pem, err := os.ReadFile(caPath(m.DBPath))
		switch {
		case err == nil:
			pool := x509.NewCertPool()
			if !pool.AppendCertsFromPEM(pem) {
				return nil, hecha.Errorf(hecha.EINVALID, "", "cli.township.ca.bad", caPath(m.DBPath))
			}
			opts = append([]hsync.ClientOption{hsync.WithTLSConfig(&tls.Config{RootCAs: pool})}, opts...)
		case !errors.Is(err, os.ErrNotExist):
			return nil, hecha.Errorf(hecha.EUNAVAILABLE, "", "cli.township.ca.read", caPath(m.DBPath), err)
		}
	}
	opts = append(opts, m.ClientOptions...)
	return hsync.NewClient(serverURL, token, opts...)
}

// NewSyncer returns a Syncer over the open database and a client for the
// stored settings, for "hecha sync" and for the interface's background
// sync. It is EINVALID (cli.township.not_setup) before "hecha setup".
func (m *Main) NewSyncer(ctx context.Context) (*hsync.Syncer, error) {
	db, err := m.OpenDB(ctx)
	if err != nil {
		return nil, err
	}
	st, err := db.Settings(ctx)
	if err != nil {
		return nil, err
	}
	if st.ServerURL == "" || st.Token == "" {
		return nil, hecha.Errorf(hecha.EINVALID, "", "cli.township.not_setup")
	}
	if u, err := url.Parse(st.ServerURL); err == nil && u.Scheme == "http" && !st.InsecureHTTP {
		// Set up before TLS was the rule, or by hand.
		return nil, hecha.Invalid("server_url", "cli.township.plain_http", st.ServerURL)
	}
	c, err := m.NewClient(st.ServerURL, st.Token, trustOptions(st)...)
	if err != nil {
		return nil, err
	}
	return &hsync.Syncer{Store: db, Client: c, Now: m.Clock}, nil
}

// additions are the commands that files other than main.go add to the
// tree; each such file appends a constructor in its init.
var additions cli.Additions[*Main]

// trustOptions are the client options that make a client trust the
// county server as setup recorded in st: its pinned certificate, or plain
// HTTP when setup was told --insecure-http. A plain http:// address
// without that is refused (cli.township.plain_http).
func trustOptions(st hecha.Settings) []hsync.ClientOption {
	var opts []hsync.ClientOption
	if st.InsecureHTTP {
		opts = append(opts, hsync.WithInsecureHTTP())
	}
	if st.TLSFingerprint != "" {
		opts = append(opts, hsync.WithPinnedCertificate(st.TLSFingerprint))
	}
	return opts
}
