package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"strings"
	"testing"
	"time"

	"hecha"
)

// testMain is a program's Main as the commands write it: Base embedded,
// ParseFlags on its tree, Close with its own error.
type testMain struct {
	Base
	closeErr error
	closed   int
	runErr   error
}

func (m *testMain) ParseFlags(args []string) error {
	return m.Parse(&Program{
		Name: m.Prog, Summary: "cli.flag.help", Stdout: m.Stdout, Stderr: m.Stderr,
		Commands: []*Command{{Name: "do", Summary: "cli.flag.help", MaxArgs: -1,
			Flags: func(fs *flag.FlagSet, lang hecha.Lang) RunFunc {
				return func(ctx context.Context, args []string) error {
					m.Stdout.Write([]byte(strings.Join(args, ",") + " db=" + m.DBFlag + " now=" + m.Clock().Format("2006") + "\n"))
					return m.runErr
				}
			}}},
		Common: m.CommonFlags,
	}, args)
}

func (m *testMain) Close() error { m.closed++; return m.closeErr }

// TestExecute: the skeleton parses, runs, closes, prints the error in the
// language asked for and returns the exit status.
func TestExecute(t *testing.T) {
	env := map[string]string{"LANG": "zh_CN.UTF-8", "HOME": "/h"}
	for _, tc := range []struct {
		name             string
		args             []string
		runErr, closeErr error
		code             int
		stdout, stderr   string
		closed           int
	}{
		{"runs", []string{"--db", "x.db", "do", "a", "b"}, nil, nil, ExitOK, "a,b db=x.db now=2024\n", "", 1},
		{"common flags after", []string{"do", "a", "--db=y.db"}, nil, nil, ExitOK, "a db=y.db now=2024\n", "", 1},
		{"help", []string{"do", "--help"}, nil, nil, ExitOK, "--db FILE", "", 0},
		{"usage in English", []string{"--lang", "en", "nope"}, nil, nil, ExitUsage, "", "prog: unknown command", 1},
		{"usage in Chinese", []string{"nope"}, nil, nil, ExitUsage, "", "prog: 没有命令", 1},
		{"run fails", []string{"do", "--lang=en"}, hecha.Errorf(hecha.EUNAVAILABLE, "", "cli.interrupted"), nil, ExitUnreachable, "db= now=2024\n", "prog: interrupted", 1},
		{"close fails", []string{"do"}, nil, errors.New("disk gone"), ExitFailure, "", "prog: disk gone\n", 1},
		{"run error wins over close", []string{"do"}, Exit(ExitUsage, errors.New("bad")), errors.New("disk gone"), ExitUsage, "", "prog: bad\n", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errw bytes.Buffer
			m := &testMain{Base: NewBase("prog"), runErr: tc.runErr, closeErr: tc.closeErr}
			m.Stdout, m.Stderr = &out, &errw
			m.Getenv = func(k string) string { return env[k] }
			m.Now = func() time.Time { return time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC) }
			code := Execute(context.Background(), m, tc.args)
			if code != tc.code || !strings.Contains(out.String(), tc.stdout) || !strings.Contains(errw.String(), tc.stderr) || m.closed != tc.closed {
				t.Errorf("%q: exit %d (want %d), closed %d times (want %d)\nstdout %q (want %q)\nstderr %q (want %q)",
					tc.args, code, tc.code, m.closed, tc.closed, out.String(), tc.stdout, errw.String(), tc.stderr)
			}
		})
	}
}

// TestBaseRunBeforeParse: Run without a parsed command line is an error,
// not a panic.
func TestBaseRunBeforeParse(t *testing.T) {
	var b Base
	if err := b.Run(context.Background()); err == nil {
		t.Fatal("Run before Parse: no error")
	}
	if b.Env("HECHA_NO_SUCH_VARIABLE_X") != "" {
		t.Error("Env with a nil Getenv does not read the process's environment")
	}
}

// TestAdditions: each constructor is called with the program's Main.
func TestAdditions(t *testing.T) {
	var adds Additions[string]
	adds = append(adds, func(m string) Addition { return Addition{Command: &Command{Name: m + "1"}} })
	adds = append(adds, func(m string) Addition { return Addition{Parent: "g", Command: &Command{Name: m + "2"}} })
	got := Extend(nil, adds.For("x"))
	if len(got) != 2 || got[0].Name != "x1" || got[1].Name != "g" || got[1].Sub[0].Name != "x2" {
		t.Errorf("Extend(For) = %+v", got)
	}
}
