package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"hecha"
)

func TestDBPath(t *testing.T) {
	cfg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	t.Setenv("HOME", cfg)
	t.Setenv("AppData", cfg)
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }

	// The flag wins over everything.
	env[CountyDBEnv] = "/from/env.db"
	if got, err := DBPath("/from/flag.db", CountyDBEnv, CountyDBFile, getenv); err != nil || got != "/from/flag.db" {
		t.Fatalf("flag: got %q, %v", got, err)
	}
	// Then the environment variable.
	if got, err := DBPath("", CountyDBEnv, CountyDBFile, getenv); err != nil || got != "/from/env.db" {
		t.Fatalf("env: got %q, %v", got, err)
	}
	// Then the config folder, created 0700.
	delete(env, CountyDBEnv)
	got, err := DBPath("", CountyDBEnv, CountyDBFile, getenv)
	if err != nil {
		t.Fatal(err)
	}
	base, _ := os.UserConfigDir()
	if want := filepath.Join(base, AppDir, CountyDBFile); got != want {
		t.Fatalf("default: got %q, want %q", got, want)
	}
	fi, err := os.Stat(filepath.Dir(got))
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o700 && os.PathSeparator == '/' {
		t.Errorf("folder mode %o, want 700", perm)
	}
	if !strings.Contains(DefaultDBPath(hecha.English, TownshipDBFile), filepath.Join(AppDir, TownshipDBFile)) {
		t.Errorf("DefaultDBPath = %q", DefaultDBPath(hecha.English, TownshipDBFile))
	}
}

func TestLang(t *testing.T) {
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "en_US.UTF-8")
	if got := Lang("", nil); got != hecha.English {
		t.Errorf("locale en: got %v", got)
	}
	if got := Lang("zh", nil); got != hecha.Chinese {
		t.Errorf("flag zh: got %v", got)
	}
	t.Setenv("LANG", "zh_CN.UTF-8")
	if got := Lang("en", nil); got != hecha.English {
		t.Errorf("flag en: got %v", got)
	}
	if got := Lang("", nil); got != hecha.Chinese {
		t.Errorf("locale zh: got %v", got)
	}
	env := map[string]string{"LC_ALL": "C", "LANG": "en_GB.UTF-8"}
	if got := Lang("", func(k string) string { return env[k] }); got != hecha.English {
		t.Errorf("getenv en: got %v", got)
	}
	env = map[string]string{"LC_MESSAGES": "zh_CN.GB18030", "LANG": "en_GB.UTF-8"}
	if got := Lang("", func(k string) string { return env[k] }); got != hecha.Chinese {
		t.Errorf("getenv LC_MESSAGES: got %v", got)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"import", "--lang", "en", "x"}, "en"},
		{[]string{"--lang=zh"}, "zh"},
		{[]string{"-lang", "en"}, "en"},
		{[]string{"--", "--lang", "en"}, ""},
		{[]string{"--language", "en"}, ""},
		{[]string{"--lang"}, ""},
	} {
		if got := PeekLang(tc.args); got != tc.want {
			t.Errorf("PeekLang(%q) = %q, want %q", tc.args, got, tc.want)
		}
	}
}

func TestExitCode(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want int
	}{
		{nil, ExitOK},
		{errors.New("boom"), ExitFailure},
		{Exit(ExitUsage, nil), ExitUsage},
		{fmt.Errorf("sync: %w", hecha.Errorf(hecha.EUNAVAILABLE, "", "")), ExitUnreachable},
		{hecha.Errorf(hecha.EUNAUTHORIZED, "", ""), ExitUnauthorized},
		{hecha.Errors{hecha.Invalid("name", "text.required")}, ExitFailure},
		{Exit(ExitUsage, hecha.Errorf(hecha.EUNAVAILABLE, "", "")), ExitUsage},
		{context.Canceled, ExitFailure},
		{fmt.Errorf("open: %w", hecha.Errorf(hecha.EUNAUTHORIZED, "passphrase", "store.wrong_passphrase")), ExitLocked},
		{hecha.Errorf(hecha.EUNAUTHORIZED, "", "store.wrong_recovery_key"), ExitLocked},
	} {
		if got := ExitCode(tc.err); got != tc.want {
			t.Errorf("ExitCode(%v) = %d, want %d", tc.err, got, tc.want)
		}
	}
}

func TestPrintError(t *testing.T) {
	var b bytes.Buffer
	PrintError(&b, "prog", hecha.English, Exit(ExitFailure, nil))
	PrintError(&b, "prog", hecha.English, nil)
	if b.Len() != 0 {
		t.Fatalf("silent errors printed %q", b.String())
	}
	PrintError(&b, "prog", hecha.Chinese, hecha.Errors{hecha.Invalid("name", "text.required"), hecha.Errorf(hecha.EUNAVAILABLE, "", "")})
	if got := strings.Count(b.String(), "prog: "); got != 2 {
		t.Fatalf("want 2 lines, got %q", b.String())
	}
	b.Reset()
	PrintError(&b, "prog", hecha.English, fmt.Errorf("open x: %w", errors.New("no such file\x1b[2J")))
	if got := b.String(); !strings.Contains(got, "no such file") || strings.Contains(got, "\x1b") {
		t.Fatalf("plain error: %q", got)
	}
}

func TestLineReporter(t *testing.T) {
	var b bytes.Buffer
	r := LineReporter{W: &b, Lang: hecha.English}
	r.Report(3, nil)
	r.Report(12, hecha.Errors{hecha.Invalid("citizen_id", "id.length", 5), hecha.Invalid("", "text.required")})
	if r.Rows != 1 || r.Errors != 2 {
		t.Fatalf("rows %d errors %d", r.Rows, r.Errors)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("got %q", b.String())
	}
	want := "line 12, field " + hecha.FieldName(hecha.English, "citizen_id") + ": " + hecha.T(hecha.English, "id.length", 5)
	if lines[0] != want {
		t.Errorf("got %q, want %q", lines[0], want)
	}
	if !strings.HasPrefix(lines[1], "line 12: ") {
		t.Errorf("no-field line %q", lines[1])
	}
	b.Reset()
	r = LineReporter{W: &b, Lang: hecha.Chinese}
	r.Report(7, hecha.Invalid("name", "code.unknown", "x\x1b]0;pwn\x07"))
	got := b.String()
	if !strings.HasPrefix(got, "第 7 行，字段 ") || strings.ContainsAny(got, "\x1b\x07") {
		t.Errorf("zh line %q", got)
	}
}

func FuzzSanitize(f *testing.F) {
	for _, s := range []string{"", "张三", "\x1b[2J", "\u202e", "a\tb\nc", "\xc2\x9b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Sanitize(s)
		for _, r := range out {
			if r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 {
				t.Fatalf("Sanitize(%q) = %q keeps %U", s, out, r)
			}
		}
	})
}

func TestTable(t *testing.T) {
	tb := Table{
		Header: []string{"个案编号", "姓名", "地址", "数"},
		Rows: [][]string{
			{"C0001", "阿依古丽·买买提", "河南省郑州市中原区林山寨街道建设路社区一个很长很长的地址", "12"},
			{"C0002", "张三", "短", "3"},
		},
		Right: []bool{false, false, false, true},
	}
	for _, width := range []int{80, 40, 30} {
		var b bytes.Buffer
		if err := tb.Render(&b, width); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
		if len(lines) != 4 {
			t.Fatalf("width %d: %d lines", width, len(lines))
		}
		for _, l := range lines {
			if w := ansi.StringWidth(l); w > width {
				t.Errorf("width %d: line %q is %d wide", width, l, w)
			}
		}
		if !strings.HasSuffix(lines[3], " 3") {
			t.Errorf("numbers align right: %q", lines[3])
		}
	}
	var b bytes.Buffer
	tb.Render(&b, 200)
	if !strings.Contains(b.String(), "很长的地址") || strings.Contains(b.String(), Ellipsis) {
		t.Errorf("wide table cut: %s", b.String())
	}
}

func testProgram(out, errw *bytes.Buffer, ran *[]string) *Program {
	var db string
	leaf := func(name string, min, max int) *Command {
		return &Command{Name: name, Args: "FILE", Summary: "cli.flag.help", MinArgs: min, MaxArgs: max,
			Flags: func(fs *flag.FlagSet, lang hecha.Lang) RunFunc {
				n := fs.Int("n", 1, hecha.T(lang, "cli.flag.help"))
				return func(ctx context.Context, args []string) error {
					*ran = append(*ran, fmt.Sprintf("%s n=%d db=%s args=%q", name, *n, db, args))
					return nil
				}
			}}
	}
	return &Program{
		Name: "prog", Summary: "cli.flag.help", Stdout: out, Stderr: errw,
		Commands: []*Command{
			{Name: "import", Summary: "cli.flag.help", Sub: []*Command{leaf("cases", 1, 1), leaf("regions", 1, 1)}},
			leaf("list", 0, -1),
		},
		Common: func(fs *flag.FlagSet, lang hecha.Lang) {
			fs.StringVar(&db, "db", "", hecha.T(lang, "cli.flag.db"))
		},
		Footer: func(lang hecha.Lang) string { return "FOOTER" },
	}
}

func TestProgramParse(t *testing.T) {
	for _, tc := range []struct {
		args     []string
		wantRun  string
		wantCode int // exit code of the parse error, -1 for help
		wantOut  string
	}{
		{[]string{"import", "cases", "a.csv", "--db", "x.db", "--n=3"}, `cases n=3 db=x.db args=["a.csv"]`, 0, ""},
		{[]string{"import", "cases", "--", "-a.csv"}, `cases n=1 db= args=["-a.csv"]`, 0, ""},
		{[]string{"list", "a", "-n", "2", "b"}, `list n=2 db= args=["a" "b"]`, 0, ""},
		{[]string{"import"}, "", ExitUsage, "cases"},
		{[]string{"import", "cases"}, "", ExitUsage, "FILE"},
		{[]string{"import", "cases", "a", "b"}, "", ExitUsage, "b"},
		{[]string{"import", "nope"}, "", ExitUsage, "nope"},
		{[]string{"nope"}, "", ExitUsage, "nope"},
		{[]string{"list", "--bogus"}, "", ExitUsage, "bogus"},
		{[]string{}, "", ExitUsage, "import cases"},
		{[]string{"import", "cases", "--help"}, "", -1, "FOOTER"},
		{[]string{"help", "import"}, "", -1, "regions"},
		{[]string{"--help"}, "", -1, "list"},
		{[]string{"import", "-h"}, "", -1, "regions"},
		// The common flags before the command, as after it.
		{[]string{"--db", "x.db", "import", "cases", "a.csv"}, `cases n=1 db=x.db args=["a.csv"]`, 0, ""},
		{[]string{"--db=x.db", "list", "a", "-n", "2"}, `list n=2 db=x.db args=["a"]`, 0, ""},
		{[]string{"-db", "x.db", "list", "--db", "y.db"}, `list n=1 db=y.db args=[]`, 0, ""},
		{[]string{"--db", "x.db", "help", "import"}, "", -1, "regions"},
		{[]string{"--db", "x.db", "nope"}, "", ExitUsage, "nope"},
		{[]string{"--db", "x.db", "list", "--bogus"}, "", ExitUsage, "bogus"},
		{[]string{"--db"}, "", ExitUsage, "import cases"},
	} {
		var out, errw bytes.Buffer
		var ran []string
		p := testProgram(&out, &errw, &ran)
		// Resolve takes the line apart as Parse does, silently.
		var rout, rerr bytes.Buffer
		line, rErr := testProgram(&rout, &rerr, &ran).Resolve(tc.args, hecha.English)
		if rout.Len()+rerr.Len() != 0 || (rErr == nil) != (tc.wantCode == 0) || errors.Is(rErr, flag.ErrHelp) != (tc.wantCode == -1) {
			t.Errorf("Resolve(%q): %v, printed %q%q", tc.args, rErr, rout.String(), rerr.String())
		}
		if rErr == nil && (len(line.Path) == 0 || line.Command != line.Path[len(line.Path)-1] || line.Flags == nil || line.run == nil) {
			t.Errorf("Resolve(%q) = %+v", tc.args, line)
		}
		run, args, err := p.Parse(tc.args, hecha.English)
		switch {
		case tc.wantCode == -1:
			if !errors.Is(err, flag.ErrHelp) || !strings.Contains(out.String(), tc.wantOut) {
				t.Errorf("%q: err %v, stdout %q", tc.args, err, out.String())
			}
		case tc.wantCode != 0:
			if ExitCode(err) != tc.wantCode || !strings.Contains(errw.String(), tc.wantOut) {
				t.Errorf("%q: err %v (code %d), stderr %q", tc.args, err, ExitCode(err), errw.String())
			}
		default:
			if err != nil {
				t.Fatalf("%q: %v (%s)", tc.args, err, errw.String())
			}
			if err := run(context.Background(), args); err != nil {
				t.Fatal(err)
			}
			if len(ran) != 1 || ran[0] != tc.wantRun {
				t.Errorf("%q: ran %q, want %q", tc.args, ran, tc.wantRun)
			}
		}
	}
}

// TestProgramParseDefault: with a default command (hecha's interface),
// "--db FILE" before a command name goes with that command, not with the
// default; a flag only the default knows still goes to it.
func TestProgramParseDefault(t *testing.T) {
	for _, tc := range []struct {
		args    []string
		wantRun string
	}{
		{[]string{"--db", "x.db", "list", "a"}, `list n=1 db=x.db args=["a"]`},
		{[]string{"--db", "x.db"}, `tui n=1 db=x.db args=[]`},
		{[]string{"--db", "x.db", "-n", "4"}, `tui n=4 db=x.db args=[]`},
		{[]string{"-n", "4", "--db", "x.db"}, `tui n=4 db=x.db args=[]`},
	} {
		var out, errw bytes.Buffer
		var ran []string
		p := testProgram(&out, &errw, &ran)
		p.Default = &Command{Name: "tui", Summary: "cli.flag.help", Flags: func(fs *flag.FlagSet, lang hecha.Lang) RunFunc {
			n := fs.Int("n", 1, "")
			return func(ctx context.Context, args []string) error {
				ran = append(ran, fmt.Sprintf("tui n=%d db=%s args=%q", *n, fs.Lookup("db").Value, args))
				return nil
			}
		}}
		run, args, err := p.Parse(tc.args, hecha.English)
		if err != nil {
			t.Fatalf("%q: %v (%s)", tc.args, err, errw.String())
		}
		if err := run(context.Background(), args); err != nil {
			t.Fatal(err)
		}
		if len(ran) != 1 || ran[0] != tc.wantRun {
			t.Errorf("%q: ran %q, want %q", tc.args, ran, tc.wantRun)
		}
	}
}

func TestProgramHelpShowsFlags(t *testing.T) {
	var out, errw bytes.Buffer
	var ran []string
	p := testProgram(&out, &errw, &ran)
	p.Parse([]string{"import", "cases", "--help"}, hecha.Chinese)
	got := out.String()
	for _, want := range []string{"--db", "  -n N", "用法", "FOOTER", "prog import cases"} {
		if !strings.Contains(got, want) {
			t.Errorf("help lacks %q:\n%s", want, got)
		}
	}
}
