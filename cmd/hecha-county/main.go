// Command hecha-county is the county's side of hecha: it generates demo
// datasets, imports the national case files and the county's registries,
// distributes cases to townships, manages the townships' tokens and serves
// the sync API the township terminals talk to.
//
// Usage: hecha-county COMMAND [options] [arguments]; hecha-county help.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/charmbracelet/x/term"

	"hecha"
	"hecha/cmd/internal/cli"
	"hecha/store"
)

// progName is the program's name in messages and help.
const progName = "hecha-county"

func main() {
	ctx, stop := cli.SignalContext()
	defer stop()
	m := NewMain()
	err := m.ParseFlags(os.Args[1:])
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(cli.ExitOK)
	}
	if err == nil {
		err = m.Run(ctx)
	}
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	cli.PrintError(m.Stderr, progName, m.Lang, err)
	os.Exit(cli.ExitCode(err))
}

// Main is the program: its surroundings, the options from the command
// line, and the county database once a command opens it.
type Main struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Getenv reads the environment (os.Getenv by default).
	Getenv func(string) string
	// Now is the clock (time.Now by default).
	Now func() time.Time
	// Width is the width tables are laid out in; 0 means the terminal's
	// width, or 80 when Stdout is not a terminal.
	Width int

	// DBFlag and LangFlag are the --db and --lang flags as given; Lang is
	// the language in use.
	DBFlag, LangFlag string
	Lang             hecha.Lang

	// DB is the county database, opened by the commands that need it;
	// Rules the rules it validates against (with the division table
	// stored in the database).
	DB    *store.DB
	Rules *hecha.Rules

	run  cli.RunFunc
	args []string
	// rawArgs is the command line as given, for the admin endpoint;
	// dbFile the database file once openDB looked for it; serving is set
	// by serve, which never hands itself to another server.
	rawArgs []string
	dbFile  string
	serving bool
}

// NewMain returns a Main wired to the process's standard streams,
// environment and clock.
func NewMain() *Main {
	return &Main{
		Stdin:  os.Stdin,
		Stdout: os.Stdout,
		Stderr: os.Stderr,
		Getenv: os.Getenv,
		Now:    time.Now,
		Lang:   hecha.LangFromEnv(),
	}
}

// ParseFlags reads the command line (without the program name): the
// command and its flags. It returns flag.ErrHelp when help was asked for
// and printed, and an *cli.ExitError with cli.ExitUsage for a bad command
// line (its usage already printed).
func (m *Main) ParseFlags(args []string) error {
	m.Lang = cli.Lang(cli.PeekLang(args), m.getenv)
	run, pos, err := m.program().Parse(args, m.Lang)
	if err != nil {
		return err
	}
	m.Lang = cli.Lang(m.LangFlag, m.getenv)
	m.run, m.args, m.rawArgs = run, pos, append([]string(nil), args...)
	return nil
}

// Run runs the command ParseFlags chose. When the database is locked by
// a running server (hecha-county serve), the command runs on that server
// instead, through its admin endpoint (admin.go).
func (m *Main) Run(ctx context.Context) error {
	if m.run == nil {
		return errors.New("hecha-county: Run before ParseFlags")
	}
	err := m.run(ctx, m.args)
	if e, ok := asAdmin(err); ok {
		return m.forward(ctx, e)
	}
	return err
}

// Close closes the database if a command opened it.
func (m *Main) Close() error {
	if m.DB == nil {
		return nil
	}
	err := m.DB.Close()
	m.DB = nil
	return err
}

// program is the command tree.
func (m *Main) program() *cli.Program {
	return &cli.Program{
		Name:    progName,
		Summary: "county.cli.summary",
		Stdout:  m.Stdout,
		Stderr:  m.Stderr,
		Commands: cli.Extend([]*cli.Command{
			m.genCommand(),
			m.importCommand(),
			m.assignCommand(),
			m.casesCommand(),
			m.tokenCommand(),
			m.serveCommand(),
			m.compactCommand(),
		}, m.additions()),
		Common: func(fs *flag.FlagSet, lang hecha.Lang) {
			fs.StringVar(&m.DBFlag, "db", "", hecha.T(lang, "cli.flag.db"))
			fs.StringVar(&m.LangFlag, "lang", "", hecha.T(lang, "cli.flag.lang"))
		},
		Footer: func(lang hecha.Lang) string {
			return hecha.T(lang, "cli.db.help", cli.CountyDBEnv, cli.DefaultDBPath(lang, cli.CountyDBFile))
		},
	}
}

// now returns the current time by m.Now.
func (m *Main) now() time.Time {
	if m.Now == nil {
		return time.Now()
	}
	return m.Now()
}

// getenv reads the environment by m.Getenv.
func (m *Main) getenv(k string) string {
	if m.Getenv == nil {
		return os.Getenv(k)
	}
	return m.Getenv(k)
}

// dbPath returns the database file: --db, $HECHA_COUNTY_DB or the default.
func (m *Main) dbPath() (string, error) {
	return cli.DBPath(m.DBFlag, cli.CountyDBEnv, cli.CountyDBFile, m.getenv)
}

// openDB opens the county database (once) with the division table stored
// in it, after moving in the division files an earlier version kept
// beside it.
func (m *Main) openDB() (*store.DB, error) {
	if m.DB != nil {
		return m.DB, nil
	}
	path, err := m.dbPath()
	if err != nil {
		return nil, err
	}
	m.dbFile = path
	db, err := m.openStore(path)
	if err != nil {
		return nil, err
	}
	moved, _, err := cli.MigrateRegions(context.Background(), db)
	if err != nil {
		db.Close()
		return nil, err
	}
	for _, f := range moved {
		fmt.Fprintln(m.Stderr, hecha.T(m.Lang, "cli.regions.moved", f, f+cli.ImportedSuffix))
	}
	m.DB, m.Rules = db, db.Rules()
	return db, nil
}

// width returns the width to lay tables out in.
func (m *Main) width() int {
	if m.Width > 0 {
		return m.Width
	}
	if n, err := strconv.Atoi(m.getenv("COLUMNS")); err == nil && n >= 40 {
		return n
	}
	if f, ok := m.Stdout.(*os.File); ok && term.IsTerminal(f.Fd()) {
		if w, _, err := term.GetSize(f.Fd()); err == nil && w >= 40 {
			return w
		}
	}
	return 80
}

// operator names who distributes cases: the login name.
func (m *Main) operator() string {
	for _, k := range []string{"USER", "USERNAME", "LOGNAME"} {
		if v := m.getenv(k); v != "" {
			return v
		}
	}
	return ""
}

// additions are the commands that files other than main.go add to the
// tree; each such file appends a constructor in its init.
var additions []func(m *Main) cli.Addition

// additions builds the added commands for m.
func (m *Main) additions() []cli.Addition {
	out := make([]cli.Addition, len(additions))
	for i, f := range additions {
		out[i] = f(m)
	}
	return out
}
