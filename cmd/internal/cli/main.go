package cli

import (
	"context"
	"errors"
	"flag"
	"io"
	"os"
	"time"

	"hecha"
)

// The skeleton both programs share (CONVENTIONS §7). Each program has a
// Main that embeds Base and adds its own options and database; main is
//
//	func main() {
//		ctx, stop := cli.SignalContext()
//		code := cli.Execute(ctx, NewMain(), os.Args[1:])
//		stop()
//		os.Exit(code)
//	}
//
// and Main.ParseFlags calls Base.Parse with the program's command tree.

// Base is what every program's Main holds: its surroundings, the flags
// every command takes, and the command the command line chose.
type Base struct {
	// Prog is the program's name in messages and help.
	Prog           string
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Getenv reads the environment (os.Getenv when nil).
	Getenv func(string) string
	// Now is the clock (time.Now when nil).
	Now func() time.Time

	// DBFlag and LangFlag are --db and --lang as given. Lang is the
	// language in use: --lang, else the locale's (Chinese unless English).
	DBFlag, LangFlag string
	Lang             hecha.Lang

	run  RunFunc
	args []string
}

// NewBase returns a Base for the program prog wired to the process's
// standard streams, environment and clock.
func NewBase(prog string) Base {
	return Base{
		Prog:   prog,
		Stdin:  os.Stdin,
		Stdout: os.Stdout,
		Stderr: os.Stderr,
		Getenv: os.Getenv,
		Now:    time.Now,
		Lang:   hecha.LangFromEnv(os.Getenv),
	}
}

// Env reads the environment variable k by b.Getenv.
func (b *Base) Env(k string) string {
	if b.Getenv == nil {
		return os.Getenv(k)
	}
	return b.Getenv(k)
}

// Clock returns the current time by b.Now.
func (b *Base) Clock() time.Time {
	if b.Now == nil {
		return time.Now()
	}
	return b.Now()
}

// CommonFlags defines the flags every command takes, --db and --lang
// (Program.Common).
func (b *Base) CommonFlags(fs *flag.FlagSet, lang hecha.Lang) {
	fs.StringVar(&b.DBFlag, "db", "", hecha.T(lang, "cli.flag.db"))
	fs.StringVar(&b.LangFlag, "lang", "", hecha.T(lang, "cli.flag.lang"))
}

// Program returns a program's command tree with what b provides: the
// program's name, its streams, the common flags (CommonFlags) and, closing
// every help page, where the database is (the variable dbEnv, else the
// file dbFile in the default folder).
func (b *Base) Program(summary, dbEnv, dbFile string, commands []*Command) *Program {
	return &Program{
		Name:     b.Prog,
		Summary:  summary,
		Stdout:   b.Stdout,
		Stderr:   b.Stderr,
		Commands: commands,
		Common:   b.CommonFlags,
		Footer: func(lang hecha.Lang) string {
			return hecha.T(lang, "cli.db.help", dbEnv, DefaultDBPath(lang, dbFile))
		},
	}
}

// Parse reads the command line (without the program name) against p,
// help and usage already in the language --lang asks for, and keeps the
// command it chose for Run. It returns flag.ErrHelp when help was asked
// for and printed, and an *ExitError with ExitUsage for a bad command
// line (its usage already printed).
func (b *Base) Parse(p *Program, args []string) error {
	b.Lang = Lang(PeekLang(args), b.Env)
	run, pos, err := p.Parse(args, b.Lang)
	if err != nil {
		return err
	}
	b.Lang = Lang(b.LangFlag, b.Env)
	b.run, b.args = run, pos
	return nil
}

// Run runs the command Parse chose.
func (b *Base) Run(ctx context.Context) error {
	if b.run == nil {
		return errors.New(b.Prog + ": Run before ParseFlags")
	}
	return b.run(ctx, b.args)
}

func (b *Base) base() *Base { return b }

// Runner is a program's Main: a type that embeds Base and has
// ParseFlags, Run and Close.
type Runner interface {
	ParseFlags(args []string) error
	Run(ctx context.Context) error
	Close() error
	base() *Base
}

// Execute parses args with m, runs the command and closes m, prints what
// went wrong to m's Stderr in its language, and returns the exit status
// (ExitCode). Help asked for exits with ExitOK.
func Execute(ctx context.Context, m Runner, args []string) int {
	err := m.ParseFlags(args)
	if errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	if err == nil {
		err = m.Run(ctx)
	}
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	b := m.base()
	PrintError(b.Stderr, b.Prog, b.Lang, err)
	return ExitCode(err)
}

// Additions are the constructors of the commands that files other than
// main.go add to a program's tree (Addition); each such file appends one
// in its init.
type Additions[M any] []func(m M) Addition

// For builds the added commands for m.
func (a Additions[M]) For(m M) []Addition {
	out := make([]Addition, len(a))
	for i, f := range a {
		out[i] = f(m)
	}
	return out
}
