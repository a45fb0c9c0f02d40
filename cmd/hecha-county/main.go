// Command hecha-county is the county's side of hecha: it generates demo
// datasets, imports the national case files and the county's registries,
// distributes cases to townships, manages the townships' tokens and serves
// the sync API the township terminals talk to.
//
// Usage: hecha-county COMMAND [options] [arguments]; hecha-county help.
package main

import (
	"context"
	"fmt"
	"os"
	"strconv"

	"github.com/charmbracelet/x/term"

	"hecha"
	"hecha/cmd/internal/cli"
	"hecha/store"
)

// progName is the program's name in messages and help.
const progName = "hecha-county"

func main() {
	ctx, stop := cli.SignalContext()
	code := cli.Execute(ctx, NewMain(), os.Args[1:])
	stop()
	os.Exit(code)
}

// Main is the program: its surroundings, the options from the command
// line, and the county database once a command opens it. With
// ParseFlags, Run and Close it is a cli.Runner.
type Main struct {
	// Base holds the streams, environment, clock, --db and --lang, and
	// the command chosen.
	cli.Base

	// Width is the width tables are laid out in; 0 means the terminal's
	// width, or 80 when Stdout is not a terminal.
	Width int

	// DB is the county's store, opened by the commands that need it;
	// Rules the rules it validates against (with the division table
	// stored in the database).
	DB    hecha.CountyStore
	Rules *hecha.Rules

	// County is --county: the county a command works on in a database
	// that holds several (backend.go).
	County string

	// rawArgs is the command line as given, for the admin endpoint;
	// dbFile the database file once openDB looked for it; serving is set
	// by serve, which never hands itself to another server.
	rawArgs []string
	dbFile  string
	serving bool
	// audit is what the command noted for its audit entry (audit.go);
	// auditArgs, when set, the command line the entry records instead of
	// rawArgs: the operator's own, with the file names the operator gave,
	// for a command the admin endpoint runs.
	audit     auditNote
	auditArgs []string

	// KDF, when set, are the Argon2id parameters of new passphrases
	// (store.DefaultKDF otherwise; the tests use cheap ones).
	KDF *store.KDFParams
}

// NewMain returns a Main wired to the process's standard streams,
// environment and clock.
func NewMain() *Main {
	return &Main{Base: cli.NewBase(progName)}
}

// ParseFlags reads the command line (without the program name): the
// command and its flags. It returns flag.ErrHelp when help was asked for
// and printed, and an *cli.ExitError with cli.ExitUsage for a bad command
// line (its usage already printed).
func (m *Main) ParseFlags(args []string) error {
	if err := m.Parse(m.program(), args); err != nil {
		return err
	}
	m.rawArgs = append([]string(nil), args...)
	return nil
}

// Run runs the command ParseFlags chose and records it in the audit
// trail (audit.go). When the database is locked by a running server
// (hecha-county serve), the command runs on that server instead, through
// its admin endpoint (admin.go), which records it.
func (m *Main) Run(ctx context.Context) error {
	err := m.Base.Run(ctx)
	if e, ok := asAdmin(err); ok {
		return m.forward(ctx, e)
	}
	if aerr := m.recordCommand(ctx, err); aerr != nil && err == nil {
		err = aerr
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
	p := m.Program("county.cli.summary", cli.CountyDBEnv, cli.CountyDBFile, m.withCountyFlag(cli.Extend([]*cli.Command{
		m.genCommand(),
		m.importCommand(),
		m.assignCommand(),
		m.casesCommand(),
		m.tokenCommand(),
		m.serveCommand(),
		m.compactCommand(),
		m.migrateCommand(),
		m.copyCommand(),
	}, additions.For(m))))
	// The county's database may also be PostgreSQL: say so where the
	// help says where the database is.
	p.Footer = func(lang hecha.Lang) string {
		return hecha.T(lang, "county.cli.db.help", cli.CountyDBEnv, cli.DefaultDBPath(lang, cli.CountyDBFile))
	}
	return p
}

// dbPath returns the database: --db, $HECHA_COUNTY_DB or the default
// file; a postgres:// URL names a PostgreSQL database (backend.go).
func (m *Main) dbPath() (string, error) {
	return cli.DBPath(m.DBFlag, cli.CountyDBEnv, cli.CountyDBFile, m.Env)
}

// openDB opens the county database (once) with the division table stored
// in it (openStore); for a bbolt file, after moving in the division files
// an earlier version kept beside it.
func (m *Main) openDB() (hecha.CountyStore, error) {
	if m.DB != nil {
		// A command the admin endpoint runs on the server's database.
		county, err := m.scope()
		if err == nil {
			err = checkBoltScope(context.Background(), m.DB, county)
		}
		return m.DB, err
	}
	path, err := m.dbPath()
	if err != nil {
		return nil, err
	}
	m.dbFile = path
	ctx := context.Background()
	db, err := m.openStore(ctx, path)
	if err != nil {
		return nil, err
	}
	if bolt, ok := db.(*store.CountyDB); ok {
		moved, _, err := cli.MigrateRegions(ctx, bolt.DB)
		if err != nil {
			db.Close()
			return nil, err
		}
		for _, f := range moved {
			fmt.Fprintln(m.Stderr, hecha.T(m.Lang, "cli.regions.moved", f, f+cli.ImportedSuffix))
		}
	}
	m.DB, m.Rules = db, db.Rules()
	return db, nil
}

// width returns the width to lay tables out in.
func (m *Main) width() int {
	if m.Width > 0 {
		return m.Width
	}
	if n, err := strconv.Atoi(m.Env("COLUMNS")); err == nil && n >= 40 {
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
		if v := m.Env(k); v != "" {
			return v
		}
	}
	return ""
}

// additions are the commands that files other than main.go add to the
// tree; each such file appends a constructor in its init.
var additions cli.Additions[*Main]
