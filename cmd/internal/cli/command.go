package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"hecha"
)

// RunFunc runs a command with its positional arguments.
type RunFunc func(ctx context.Context, args []string) error

// Command is one node of a program's command tree: either a group of
// subcommands ("import" with "regions", "cases", ...) or a command that
// runs (it has Flags).
type Command struct {
	Name string
	// Args is the synopsis of the positional arguments: "FILE", "CASE-ID…".
	Args string
	// Summary is the catalogue id of the one-line description; Help, when
	// set, the catalogue id of further text shown by --help.
	Summary, Help string
	// ValueNames names the values of this command's string flags in help
	// where the program-wide ValueNames do not fit ("--regions FILE").
	ValueNames map[string]string
	// MinArgs and MaxArgs bound the number of positional arguments;
	// MaxArgs < 0 means any number.
	MinArgs, MaxArgs int
	// Sub are the subcommands of a group.
	Sub []*Command
	// Flags defines the command's own flags on fs, with usage text in
	// lang, and returns the function that runs the command once fs is
	// parsed.
	Flags func(fs *flag.FlagSet, lang hecha.Lang) RunFunc
}

// Program is a program's command tree and what every command shares.
type Program struct {
	Name     string
	Summary  string // catalogue id
	Commands []*Command
	// Default, when set, runs when no command is named (hecha's TUI).
	Default *Command
	// Common defines the flags every command takes (--db, --lang).
	Common func(fs *flag.FlagSet, lang hecha.Lang)
	// Footer returns the text closing every help page (where the database
	// is); may be nil.
	Footer func(lang hecha.Lang) string
	// Stdout receives help asked for; Stderr usage errors.
	Stdout, Stderr io.Writer
}

// Parse finds the command args name, parses its flags (flags and
// positional arguments may be mixed; "--" ends the flags) and returns the
// function to run with the positional arguments. Help asked for (-h,
// --help, "help [COMMAND]") is printed to Stdout and flag.ErrHelp returned.
// A usage error prints the command's usage to Stderr and returns an
// *ExitError with ExitUsage.
func (p *Program) Parse(args []string, lang hecha.Lang) (RunFunc, []string, error) {
	line, err := p.Resolve(args, lang)
	var pe *parseError
	if !errors.As(err, &pe) {
		return line.run, line.Args, err
	}
	switch {
	case pe.help && len(pe.args) > 0:
		return nil, nil, p.help(pe.args, lang)
	case pe.help && len(pe.path) == 0:
		p.printProgramHelp(p.Stdout, lang)
		return nil, nil, flag.ErrHelp
	case pe.help:
		p.printHelp(p.Stdout, pe.path, pe.cmd, lang)
		return nil, nil, flag.ErrHelp
	case pe.err == nil:
		p.printProgramHelp(p.Stderr, lang)
		return nil, nil, Exit(ExitUsage, nil)
	}
	return nil, nil, p.usageError(pe.path, lang, pe.err)
}

// Line is a command line resolved against a program's tree.
type Line struct {
	// Path is the command's words from the top ("import", "cases"); empty
	// for the program's Default command.
	Path    []*Command
	Command *Command
	// Flags holds the common flags and the command's own, parsed.
	Flags *flag.FlagSet
	// Args are the positional arguments.
	Args []string
	run  RunFunc
}

// parseError says what Parse prints for a command line Resolve refused:
// help (for the command at path, or "help ARGS..."), the program's help
// as a usage error (no command, err nil), or err with the usage.
type parseError struct {
	path []*Command
	cmd  *Command
	help bool
	args []string // "help ARGS..."
	err  error
}

func (e *parseError) Error() string {
	switch {
	case e.help:
		return flag.ErrHelp.Error()
	case e.err == nil:
		return "no command"
	}
	return e.err.Error()
}

// Unwrap returns flag.ErrHelp for help asked for, else the usage error.
func (e *parseError) Unwrap() error {
	if e.help {
		return flag.ErrHelp
	}
	return e.err
}

// Resolve takes args apart as Parse does — the leading common flags, the
// command's words, its flags and positional arguments — and returns the
// command line without printing or running anything. The flags are
// parsed into the variables the commands' Flags functions bind, in lang.
// Any error (help asked for included, which matches flag.ErrHelp) means
// args are not a command line the program runs.
func (p *Program) Resolve(args []string, lang hecha.Lang) (Line, error) {
	// The flags every command takes may come before the command
	// ("hecha --db FILE setup …"): set them aside, parsed after the
	// command's own.
	lead, rest := p.leadingCommon(args, lang)
	// Walk down the tree by name.
	var path []*Command
	list := p.Commands
	if len(rest) > 0 && rest[0] == "help" {
		return Line{}, &parseError{help: true, args: rest[1:]}
	}
	for len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		c := find(list, rest[0])
		if c == nil {
			return Line{}, &parseError{path: path, err: hecha.Errorf(hecha.EINVALID, "", "cli.err.command", rest[0])}
		}
		path = append(path, c)
		rest = rest[1:]
		if c.Flags != nil {
			break
		}
		list = c.Sub
	}
	var cmd *Command
	switch {
	case len(path) > 0:
		cmd = path[len(path)-1]
	case p.Default != nil:
		cmd = p.Default
	default:
		return Line{}, &parseError{help: len(rest) > 0 && isHelpFlag(rest[0])}
	}
	if cmd.Flags == nil {
		if len(rest) > 0 && isHelpFlag(rest[0]) {
			return Line{}, &parseError{path: path, cmd: cmd, help: true}
		}
		return Line{}, &parseError{path: path, err: hecha.Errorf(hecha.EINVALID, "", "cli.err.subcommand", cmd.Name, names(cmd.Sub))}
	}

	// Parse the command's flags.
	fs := p.flagSet(path, cmd, lang)
	run := cmd.Flags(fs, lang)
	pos, err := parseInterspersed(fs, append(lead, rest...))
	if errors.Is(err, flag.ErrHelp) {
		return Line{}, &parseError{path: path, cmd: cmd, help: true}
	}
	if err != nil {
		return Line{}, &parseError{path: path, err: hecha.Errorf(hecha.EINVALID, "", "cli.err.flags", err.Error())}
	}
	if len(pos) < cmd.MinArgs {
		return Line{}, &parseError{path: path, err: hecha.Errorf(hecha.EINVALID, "", "cli.err.args.few", cmd.Args)}
	}
	if cmd.MaxArgs >= 0 && len(pos) > cmd.MaxArgs {
		return Line{}, &parseError{path: path, err: hecha.Errorf(hecha.EINVALID, "", "cli.err.args.many", strings.Join(pos[cmd.MaxArgs:], " "))}
	}
	return Line{Path: path, Command: cmd, Flags: fs, Args: pos, run: run}, nil
}

// leadingCommon splits off the program's common flags (with their
// values) that args begin with, before any command name: "--db FILE",
// "--db=FILE", "-lang en". It stops at the first argument that is not
// one, so a flag only the default command knows ("hecha --demo") and
// help are left where they are.
func (p *Program) leadingCommon(args []string, lang hecha.Lang) (lead, rest []string) {
	if p.Common == nil {
		return nil, args
	}
	fs := flag.NewFlagSet(p.Name, flag.ContinueOnError)
	p.Common(fs, lang)
	rest = args
	for len(rest) > 0 {
		a := rest[0]
		if a == "-" || a == "--" || !strings.HasPrefix(a, "-") {
			break
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		f := fs.Lookup(name)
		if f == nil {
			break
		}
		n := 1
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); !hasValue && !(ok && b.IsBoolFlag()) {
			n = 2 // the value is the next argument
		}
		n = min(n, len(rest))
		lead = append(lead, rest[:n]...)
		rest = rest[n:]
	}
	return lead, rest
}

// flagSet returns a silent FlagSet with the program's common flags.
func (p *Program) flagSet(path []*Command, cmd *Command, lang hecha.Lang) *flag.FlagSet {
	fs := flag.NewFlagSet(p.commandName(path), flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	if p.Common != nil {
		p.Common(fs, lang)
	}
	return fs
}

// parseInterspersed parses fs from args, letting flags follow positional
// arguments, and returns the positional arguments.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		consumed := len(args) - fs.NArg()
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

func isHelpFlag(s string) bool {
	switch s {
	case "-h", "-help", "--help", "--h":
		return true
	}
	return false
}

func find(list []*Command, name string) *Command {
	for _, c := range list {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func names(list []*Command) string {
	out := make([]string, len(list))
	for i, c := range list {
		out[i] = c.Name
	}
	return strings.Join(out, ", ")
}

// commandName is "prog import cases".
func (p *Program) commandName(path []*Command) string {
	parts := []string{p.Name}
	for _, c := range path {
		parts = append(parts, c.Name)
	}
	return strings.Join(parts, " ")
}

// usageError prints err and the command's synopsis to Stderr and returns
// an ExitUsage error that prints nothing more.
func (p *Program) usageError(path []*Command, lang hecha.Lang, err error) error {
	PrintError(p.Stderr, p.Name, lang, err)
	var b strings.Builder
	name := p.commandName(path)
	fmt.Fprintf(&b, "%s\n", hecha.T(lang, "cli.usage"))
	switch {
	case len(path) == 0:
		if p.Default != nil {
			fmt.Fprintf(&b, "  %s %s\n", p.Name, hecha.T(lang, "cli.usage.options"))
		}
		fmt.Fprintf(&b, "  %s %s %s\n", p.Name, hecha.T(lang, "cli.usage.command"), hecha.T(lang, "cli.usage.options"))
	case path[len(path)-1].Flags == nil:
		fmt.Fprintf(&b, "  %s <%s> %s\n", name, strings.Join(subNames(path[len(path)-1]), "|"), hecha.T(lang, "cli.usage.options"))
	default:
		fmt.Fprintf(&b, "  %s\n", strings.TrimSpace(name+" "+hecha.T(lang, "cli.usage.options")+" "+path[len(path)-1].Args))
	}
	fmt.Fprintf(&b, "%s\n", hecha.T(lang, "cli.help.see", name+" --help"))
	io.WriteString(p.Stderr, b.String())
	return Exit(ExitUsage, nil)
}

// help handles "prog help [COMMAND...]".
func (p *Program) help(args []string, lang hecha.Lang) error {
	var path []*Command
	list := p.Commands
	for _, a := range args {
		c := find(list, a)
		if c == nil {
			return p.usageError(path, lang, hecha.Errorf(hecha.EINVALID, "", "cli.err.command", a))
		}
		path = append(path, c)
		list = c.Sub
	}
	if len(path) == 0 {
		p.printProgramHelp(p.Stdout, lang)
	} else {
		p.printHelp(p.Stdout, path, path[len(path)-1], lang)
	}
	return flag.ErrHelp
}

// printProgramHelp lists the commands (and the default command's flags).
func (p *Program) printProgramHelp(w io.Writer, lang hecha.Lang) {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n%s\n", hecha.T(lang, p.Summary), hecha.T(lang, "cli.usage"))
	if p.Default != nil {
		fmt.Fprintf(&b, "  %s %s\n", p.Name, hecha.T(lang, "cli.usage.options"))
	}
	fmt.Fprintf(&b, "  %s %s %s\n\n%s\n", p.Name, hecha.T(lang, "cli.usage.command"), hecha.T(lang, "cli.usage.options"), hecha.T(lang, "cli.commands"))
	writeCommandList(&b, "", p.Commands, lang)
	if p.Default != nil {
		fs := p.flagSet(nil, p.Default, lang)
		p.Default.Flags(fs, lang)
		fmt.Fprintf(&b, "\n%s\n", hecha.T(lang, "cli.options"))
		writeFlags(&b, fs, lang, p.Default.ValueNames)
	}
	fmt.Fprintf(&b, "\n%s\n", hecha.T(lang, "cli.help.more", p.Name))
	if p.Footer != nil {
		fmt.Fprintf(&b, "%s\n", p.Footer(lang))
	}
	io.WriteString(w, b.String())
}

// writeCommandList writes one line per runnable command under list.
func writeCommandList(b *strings.Builder, prefix string, list []*Command, lang hecha.Lang) {
	type row struct{ name, summary string }
	var rows []row
	var walk func(prefix string, list []*Command)
	walk = func(prefix string, list []*Command) {
		for _, c := range list {
			name := strings.TrimSpace(prefix + " " + c.Name)
			if c.Flags != nil {
				rows = append(rows, row{name, hecha.T(lang, c.Summary)})
			}
			walk(name, c.Sub)
		}
	}
	walk(prefix, list)
	width := 0
	for _, r := range rows {
		width = max(width, len(r.name))
	}
	for _, r := range rows {
		fmt.Fprintf(b, "  %s  %s\n", PadRight(r.name, width), r.summary)
	}
}

// printHelp writes the help page of one command.
func (p *Program) printHelp(w io.Writer, path []*Command, cmd *Command, lang hecha.Lang) {
	var b strings.Builder
	name := p.commandName(path)
	fmt.Fprintf(&b, "%s\n", hecha.T(lang, "cli.usage"))
	if cmd.Flags == nil {
		fmt.Fprintf(&b, "  %s <%s> %s\n\n%s\n\n%s\n", name, strings.Join(subNames(cmd), "|"), hecha.T(lang, "cli.usage.options"), hecha.T(lang, cmd.Summary), hecha.T(lang, "cli.commands"))
		writeCommandList(&b, name, cmd.Sub, lang)
		fmt.Fprintf(&b, "\n%s\n", hecha.T(lang, "cli.help.more", p.Name))
	} else {
		fmt.Fprintf(&b, "  %s\n\n%s\n", strings.TrimSpace(name+" "+hecha.T(lang, "cli.usage.options")+" "+cmd.Args), hecha.T(lang, cmd.Summary))
		if cmd.Help != "" {
			fmt.Fprintf(&b, "\n%s\n", strings.TrimRight(hecha.T(lang, cmd.Help), "\n"))
		}
		fs := p.flagSet(path, cmd, lang)
		cmd.Flags(fs, lang)
		fmt.Fprintf(&b, "\n%s\n", hecha.T(lang, "cli.options"))
		writeFlags(&b, fs, lang, cmd.ValueNames)
	}
	if p.Footer != nil {
		fmt.Fprintf(&b, "\n%s\n", p.Footer(lang))
	}
	io.WriteString(w, b.String())
}

func subNames(c *Command) []string {
	out := make([]string, len(c.Sub))
	for i, s := range c.Sub {
		out[i] = s.Name
	}
	return out
}

// writeFlags lists fs's flags, GNU style, sorted by name.
func writeFlags(b *strings.Builder, fs *flag.FlagSet, lang hecha.Lang, names map[string]string) {
	var all []*flag.Flag
	fs.VisitAll(func(f *flag.Flag) { all = append(all, f) })
	sort.Slice(all, func(i, j int) bool { return all[i].Name < all[j].Name })
	for _, f := range all {
		valueName, usage := flag.UnquoteUsage(f)
		if n, ok := names[f.Name]; ok && valueName == "string" {
			valueName = n
		} else {
			valueName = valueNameOf(f.Name, valueName)
		}
		dashes := "--"
		if len(f.Name) == 1 {
			dashes = "-" // -o FILE, as it is written
		}
		fmt.Fprintf(b, "  %s%s", dashes, f.Name)
		if valueName != "" {
			fmt.Fprintf(b, " %s", valueName)
		}
		fmt.Fprintf(b, "\n        %s", usage)
		switch f.DefValue {
		case "", "0", "false", "[]":
		default:
			fmt.Fprintf(b, " %s", hecha.T(lang, "cli.default", f.DefValue))
		}
		b.WriteByte('\n')
	}
	fmt.Fprintf(b, "  --help\n        %s\n", hecha.T(lang, "cli.flag.help"))
}

// ValueNames names the value of a string flag in help ("--db FILE"), by
// the flag's name. Programs may add their own.
var ValueNames = map[string]string{
	"db": "FILE", "lang": "zh|en", "o": "FILE", "out": "DIR", "regions": "DIR",
	"township": "CODE", "county": "CODE", "to": "CODE", "from": "CODE", "unit": "CODE",
	"addr": "HOST:PORT", "tls-cert": "FILE", "tls-key": "FILE",
	"status": "STATUS", "kind": "KIND", "server": "URL", "token": "TOKEN",
	"clerk": "NAME", "by": "NAME", "ca": "FILE", "format": "csv|xlsx", "encoding": "utf8|gb18030",
}

// valueNameOf returns the value name shown for a flag: a backquoted name
// in its usage, else ValueNames, else one by its type.
func valueNameOf(flagName, fromUsage string) string {
	switch fromUsage {
	case "string":
		if n, ok := ValueNames[flagName]; ok {
			return n
		}
		return "TEXT"
	case "int", "uint", "float", "int64", "uint64":
		return "N"
	case "duration":
		return "DURATION"
	}
	return fromUsage
}
