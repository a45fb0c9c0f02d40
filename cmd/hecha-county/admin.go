package main

import (
	"encoding/json"
	"errors"
	"flag"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"hecha"
	"hecha/cmd/internal/cli"
)

// County commands while the server runs.
//
// bbolt lets one process hold the database file, and "hecha-county serve"
// holds it all day. So that an operator can still import, distribute,
// make tokens and read reports meanwhile, serve also listens on a local
// admin endpoint and runs those commands itself, on the database it has
// open:
//
//   - serve listens on 127.0.0.1 at a random port — never on the sync
//     API's listener — with a random 256-bit secret, and writes both to
//     <db>.admin (JSON, mode 0600, beside the database; see adminFile). It
//     removes the file when it stops cleanly. The secret stands for the
//     operator's account: whoever can read the file can read the database.
//   - A county command whose database turns out to be locked (ELOCKED)
//     while <db>.admin exists hands its command line to that endpoint
//     (POST /admin/v1/run, Authorization: Bearer SECRET; multipart, see
//     adminRequest) instead of failing, with the bytes of the files it
//     reads (the FILE arguments of import), and receives back the standard
//     output, the standard error, the exit status and the files the
//     command wrote (its -o file, and files written beside an input, as
//     import batch's receipt), which it writes where the operator asked.
//     It then prints and exits as the command itself would have.
//   - The server checks the secret in constant time, bounds the request
//     (adminMaxBody), takes only the commands that work on the database
//     (adminCommands), puts the files in a private temporary folder, and
//     runs the command with a fresh Main whose DB and Rules are its own,
//     output captured, one command at a time; paths of the temporary
//     folder in the output are replaced by the names the operator gave.
//   - A stale <db>.admin (the server was killed) changes nothing: when
//     the database opens, the file is removed; when it is locked by
//     something else and nothing answers at the address, the command
//     fails as before ("another hecha is using …").

// adminSuffix names the admin file beside the database.
const adminSuffix = ".admin"

// adminPath is the admin file of the database at db.
func adminPath(db string) string { return db + adminSuffix }

// The admin endpoint's limits.
const (
	// adminMaxRequest bounds the request's JSON part.
	adminMaxRequest = 1 << 20
	// adminMaxFile bounds the admin file read by a command.
	adminMaxFile = 4 << 10
	// adminMaxArgs bounds the command line's words.
	adminMaxArgs = 1000
	// adminPathRun is the endpoint's one path.
	adminPathRun = "/admin/v1/run"
)

// adminMaxBody bounds a request: the command line and every file it
// reads (a county's registry extract runs to hundreds of megabytes). A
// variable for the tests.
var adminMaxBody int64 = 1 << 30

// adminCommands are the top-level commands the admin endpoint runs: those
// that work on the database. serve and compact need the file to
// themselves; gen does not use the database.
var adminCommands = map[string]bool{
	"import": true, "assign": true, "cases": true, "token": true, "report": true, "export": true,
	"audit": true,
}

// adminFile is the content of <db>.admin.
type adminFile struct {
	// URL is the endpoint's base address, http://127.0.0.1:PORT.
	URL string `json:"url"`
	// Secret is the bearer secret, 64 hex digits.
	Secret string `json:"secret"`
	// PID is the server's process id, for the operator.
	PID int `json:"pid"`
}

// readAdminFile reads the admin file of the database at db; ok is false
// when there is none or it is not one (a stale file is read as any other).
// An address that is not on this machine is refused.
func readAdminFile(db string) (adminFile, bool) {
	f, err := os.Open(adminPath(db))
	if err != nil {
		return adminFile{}, false
	}
	defer f.Close()
	var a adminFile
	if err := json.NewDecoder(io.LimitReader(f, adminMaxFile)).Decode(&a); err != nil || a.Secret == "" {
		return adminFile{}, false
	}
	u, err := url.Parse(a.URL)
	if err != nil || u.Scheme != "http" || u.User != nil || u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" || u.ForceQuery {
		return adminFile{}, false
	}
	host, _, err := net.SplitHostPort(u.Host)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		return adminFile{}, false
	}
	return a, true
}

// adminRequest is the request's JSON part, sent first; the bytes of each
// input present follow as parts named "input" in order.
type adminRequest struct {
	// Args is the command line (without the program name), as
	// commandLine.args writes it: the command's words, its flags as
	// --name=value (without --db), then "--" and the positional
	// arguments. Files are named as the operator gave them.
	Args []string `json:"args"`
	// Inputs says, for each file the command reads (commandLine.inputs),
	// whether the client could read it; a missing one is missing for the
	// command too, and it fails as it would have.
	Inputs []bool `json:"inputs"`
	// Width is the client's terminal width for tables; Env the client's
	// USER, USERNAME and LOGNAME (who assigns cases).
	Width int               `json:"width"`
	Env   map[string]string `json:"env,omitempty"`
}

// adminEnv are the environment variables a command reads that the client
// sends along.
var adminEnv = []string{"USER", "USERNAME", "LOGNAME"}

// adminResult is the answer's JSON part, sent first; then the parts
// "stdout" and "stderr", then one part "output" per entry of Outputs.
type adminResult struct {
	Code    int           `json:"code"`
	Outputs []adminOutput `json:"outputs,omitempty"`
}

// adminOutput is a file the command wrote: its -o file (Input < 0), or a
// file named Name written beside input number Input.
type adminOutput struct {
	Input int    `json:"input"`
	Name  string `json:"name,omitempty"`
}

// commandLine is a county command line taken apart as the program parses
// it, to tell which of its arguments are files.
type commandLine struct {
	words []string     // the command's words: "import", "cases"
	cmd   *cli.Command // the command they name
	flags []flagValue  // the flags given, by name, without --db
	pos   []string     // the positional arguments
}

// flagValue is one flag given on a command line.
type flagValue struct{ name, value string }

// parseCommandLine takes a county command line apart as the program
// parses it (cli.Program.Resolve), common flags before the command
// included. It refuses (ok false) anything but a runnable command that
// parses.
func parseCommandLine(args []string) (cl commandLine, ok bool) {
	line, err := (&Main{}).program().Resolve(args, hecha.English)
	if err != nil || len(line.Path) == 0 {
		return cl, false
	}
	for _, c := range line.Path {
		cl.words = append(cl.words, c.Name)
	}
	cl.cmd, cl.pos = line.Command, line.Args
	line.Flags.Visit(func(f *flag.Flag) {
		if f.Name != "db" {
			cl.flags = append(cl.flags, flagValue{f.Name, f.Value.String()})
		}
	})
	return cl, true
}

// adminAllowed reports whether the admin endpoint runs the command.
func (cl commandLine) adminAllowed() bool {
	return len(cl.words) > 0 && adminCommands[cl.words[0]]
}

// inputs returns the files the command reads: its positional arguments
// when its synopsis is FILE.
func (cl commandLine) inputs() []string {
	if cl.cmd.Args != "FILE" {
		return nil
	}
	return cl.pos
}

// output returns the file -o names, "" when none.
func (cl commandLine) output() string {
	for _, f := range cl.flags {
		if f.name == "o" {
			return f.value
		}
	}
	return ""
}

// set gives the flag name the value, adding it when it was not given.
func (cl *commandLine) set(name, value string) {
	for i := range cl.flags {
		if cl.flags[i].name == name {
			cl.flags[i].value = value
			return
		}
	}
	cl.flags = append(cl.flags, flagValue{name, value})
}

// args writes the command line back: its words, its flags as
// --name=value, "--" and its positional arguments, the inputs replaced by
// in (when not nil) and the -o file by out (when not "").
func (cl commandLine) args(in []string, out string) []string {
	args := append([]string{}, cl.words...)
	for _, f := range cl.flags {
		if f.name == "o" && out != "" {
			f.value = out
		}
		args = append(args, "--"+f.name+"="+f.value)
	}
	args = append(args, "--")
	for i, p := range cl.pos {
		if in != nil && cl.cmd.Args == "FILE" {
			p = in[i]
		}
		args = append(args, p)
	}
	return args
}

// safeBase returns the last element of a path for a file in the admin
// folder: never empty, ".", ".." nor holding a separator.
func safeBase(p string) string {
	b := filepath.Base(filepath.Clean(p))
	if b == "." || b == ".." || b == string(filepath.Separator) || b == "" || strings.ContainsAny(b, `/\`) {
		return "file"
	}
	return b
}

// errAdmin is returned by openDB when the database is locked and a
// running server's admin endpoint may run the command instead.
type errAdmin struct {
	admin  adminFile
	locked error // the ELOCKED error, for when the server does not answer
}

func (e *errAdmin) Error() string { return e.locked.Error() }
func (e *errAdmin) Unwrap() error { return e.locked }

// asAdmin returns the errAdmin in err, if any.
func asAdmin(err error) (*errAdmin, bool) {
	var e *errAdmin
	ok := errors.As(err, &e)
	return e, ok
}

// The admin endpoint's messages.
var _ = hecha.Register(map[string]hecha.Msg{
	"county.cli.admin.listening":   {Zh: "同步服务运行期间，县级命令（导入、分发、令牌、报表、导出）照常可用，经由 %s 交给本服务执行", En: "county commands (import, assign, token, report, export) work while the server runs: they reach it through %s"},
	"county.cli.admin.no_endpoint": {Zh: "警告：同步服务运行期间无法使用县级命令（%v）", En: "warning: county commands cannot reach this server while it runs (%v)"},
	"county.cli.admin.refused":     {Zh: "正在运行的服务（%[2]s）不接受 %[1]s 中的密钥；该文件可能是以前的服务留下的", En: "the running server (%[2]s) refuses the secret in %[1]s; the file may be left from an earlier server"},
	"county.cli.admin.failed":      {Zh: "无法把命令交给正在运行的服务 %s（%s）", En: "cannot hand the command to the running server at %s (%s)"},
	"county.cli.admin.write":       {Zh: "无法写入 %s：%v", En: "cannot write %s: %v"},
})
