package testenv

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// PostgresBinEnv names the environment variable that may hold the
// directory of the PostgreSQL server programs (initdb, pg_ctl) for
// PrivatePostgres; by default it asks pg_config --bindir, then tries
// DefaultPostgresBin.
const PostgresBinEnv = "HECHA_TEST_POSTGRES_BIN"

// DefaultPostgresBin is where Debian and Ubuntu install PostgreSQL 15's
// server programs.
const DefaultPostgresBin = "/usr/lib/postgresql/15/bin"

// ShutdownMode is how pg_ctl stops a server (its -m option).
type ShutdownMode string

const (
	// ShutdownFast ends every session, writes a checkpoint and exits:
	// an orderly restart.
	ShutdownFast ShutdownMode = "fast"
	// ShutdownImmediate kills the server's processes without a
	// checkpoint: a crash. The next start recovers from the WAL.
	ShutdownImmediate ShutdownMode = "immediate"
)

// PGServer is a PostgreSQL server of one test's own, in the test's
// temporary directory, that the test may stop, crash and restart without
// disturbing the shared server the other tests use.
type PGServer struct {
	// DSN is the URL of the server's database "postgres" as superuser
	// postgres (trust authentication, TCP on 127.0.0.1).
	DSN string

	tb   testing.TB
	bin  string      // directory of initdb and pg_ctl
	dir  string      // the test's directory, owned by the server's user
	data string      // the data directory
	log  string      // the server's log
	user *serverUser // who runs the server, when not the test's own user

	mu      sync.Mutex
	running bool
}

// PrivatePostgres initialises a new PostgreSQL cluster in tb's temporary
// directory and starts it on a free port of 127.0.0.1, with its Unix
// socket in that directory too; it is stopped when tb ends. When the
// server programs are not installed (or, running as root, there is no
// postgres user to run them as) the need "a private PostgreSQL server" is
// missing (see Require): tb skips, or fails under CI.
//
// initdb refuses to run as root, so when the test runs as root the server
// runs as the system user postgres and the test's directory is handed to
// it. Commits stay durable (fsync is on): a test may crash the server and
// count on what it committed.
func PrivatePostgres(tb testing.TB) *PGServer {
	tb.Helper()
	const need = "a private PostgreSQL server (initdb, pg_ctl; " + PostgresBinEnv + ")"
	if !privatePostgresOS {
		tb.Skipf("a private PostgreSQL server is started on Unix only, not on %s", runtime.GOOS)
	}
	bin, err := postgresBin()
	if err != nil {
		Require(tb, need, err)
		return nil
	}
	s := &PGServer{tb: tb, bin: bin, dir: tb.TempDir()}
	if os.Geteuid() == 0 {
		if s.user, err = postgresUser(); err != nil {
			Require(tb, need, err)
			return nil
		}
		if err := s.handOver(); err != nil {
			Require(tb, need, err)
			return nil
		}
	}
	s.data = filepath.Join(s.dir, "data")
	s.log = filepath.Join(s.dir, "server.log")
	// The socket's path must fit a sockaddr_un (107 bytes); a test
	// directory too deep for it gets no socket (pg_ctl then waits on TCP).
	sockets := s.dir
	if len(sockets)+len("/.s.PGSQL.65535") > 107 {
		sockets = ""
	}
	// -N skips initdb's own fsync of the files it wrote: the new cluster
	// is thrown away if the machine goes down. The server itself keeps
	// fsync on.
	if out, err := s.run("initdb", "-D", s.data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "-N"); err != nil {
		tb.Fatalf("initdb: %v\n%s", err, out)
	}
	conf := fmt.Sprintf(`
# hecha test server (internal/testenv.PrivatePostgres)
listen_addresses = '127.0.0.1'
unix_socket_directories = '%s'
max_connections = 60
shared_buffers = 16MB
fsync = on
synchronous_commit = on
full_page_writes = on
`, sockets)
	if err := appendFile(filepath.Join(s.data, "postgresql.conf"), conf); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(s.cleanup)
	// A port found free may be taken before the server binds it: try a
	// few.
	for try := 0; ; try++ {
		port, err := freePort()
		if err != nil {
			tb.Fatal(err)
		}
		if err := appendFile(filepath.Join(s.data, "postgresql.conf"), fmt.Sprintf("port = %d\n", port)); err != nil {
			tb.Fatal(err)
		}
		s.DSN = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
		err = s.Start()
		if err == nil {
			return s
		}
		if try == 4 || !strings.Contains(err.Error(), "could not bind") {
			tb.Fatalf("start the private PostgreSQL server: %v", err)
		}
	}
}

// Start starts the stopped server and waits until it accepts
// connections, after recovering from the WAL if it crashed.
func (s *PGServer) Start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.running {
		return errors.New("the server is running already")
	}
	if err := s.ctl("start"); err != nil {
		return err
	}
	s.running = true
	return nil
}

// Stop stops the server in mode and waits until it is down.
func (s *PGServer) Stop(mode ShutdownMode) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.running {
		return errors.New("the server is not running")
	}
	if err := s.ctl("stop", "-m", string(mode)); err != nil {
		return err
	}
	s.running = false
	return nil
}

// Restart stops the server in mode (pg_ctl restart -m mode), starts it
// again and waits until it accepts connections. ShutdownImmediate is a
// crash restart: the new server recovers from the WAL.
func (s *PGServer) Restart(mode ShutdownMode) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.running {
		return errors.New("the server is not running")
	}
	if err := s.ctl("restart", "-m", string(mode)); err != nil {
		// Down or up, pg_ctl status knows.
		_, serr := s.run("pg_ctl", "status", "-D", s.data)
		s.running = serr == nil
		return err
	}
	return nil
}

// Log returns the server's log so far.
func (s *PGServer) Log() string {
	b, err := os.ReadFile(s.log)
	if err != nil {
		return err.Error()
	}
	return string(b)
}

// logTail returns about the last n bytes of the server's log, from the
// start of a line.
func (s *PGServer) logTail(n int) string {
	log := s.Log()
	if len(log) <= n {
		return log
	}
	log = log[len(log)-n:]
	if i := strings.IndexByte(log, '\n'); i >= 0 {
		log = log[i+1:]
	}
	return log
}

func (s *PGServer) cleanup() {
	s.mu.Lock()
	running := s.running
	s.mu.Unlock()
	if running {
		if err := s.Stop(ShutdownImmediate); err != nil {
			s.tb.Errorf("stop the private PostgreSQL server: %v", err)
		}
	}
	if s.tb.Failed() {
		s.tb.Logf("the private PostgreSQL server's log (end):\n%s", s.logTail(8<<10))
	}
}

// ctl runs pg_ctl cmd on the data directory, waiting for it to finish;
// its error carries pg_ctl's output and the end of the server's log.
func (s *PGServer) ctl(cmd string, args ...string) error {
	args = append([]string{cmd, "-D", s.data, "-l", s.log, "-w", "-t", "60", "-s"}, args...)
	out, err := s.run("pg_ctl", args...)
	if err != nil {
		return fmt.Errorf("pg_ctl %s: %v\n%s\nserver log (end):\n%s", strings.Join(args, " "), err, bytes.TrimSpace(out), s.logTail(2<<10))
	}
	return nil
}

// run runs one of the server programs as the server's user, in its
// directory, and returns its output.
func (s *PGServer) run(prog string, args ...string) ([]byte, error) {
	cmd := exec.Command(filepath.Join(s.bin, prog), args...)
	cmd.Dir = s.dir
	cmd.Env = append(os.Environ(), "LC_ALL=C", "PGTZ=UTC")
	if s.user != nil {
		s.setUser(cmd)
		cmd.Env = append(cmd.Env, "HOME="+s.dir, "USER=postgres", "LOGNAME=postgres")
	}
	// pg_ctl start sends the server's output to the log (-l), so the
	// server does not hold the pipe open after pg_ctl exits.
	return cmd.CombinedOutput()
}

// postgresBin finds the directory of initdb and pg_ctl.
func postgresBin() (string, error) {
	var dirs []string
	if d := os.Getenv(PostgresBinEnv); d != "" {
		dirs = append(dirs, d)
	} else {
		if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
			dirs = append(dirs, strings.TrimSpace(string(out)))
		}
		dirs = append(dirs, DefaultPostgresBin)
	}
	for _, d := range dirs {
		if isExec(filepath.Join(d, "initdb")) && isExec(filepath.Join(d, "pg_ctl")) {
			return d, nil
		}
	}
	return "", fmt.Errorf("no initdb and pg_ctl in %s", strings.Join(dirs, " or "))
}

func isExec(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && !fi.IsDir() && fi.Mode().Perm()&0o111 != 0
}

// freePort returns a TCP port of 127.0.0.1 that was free a moment ago.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func appendFile(path, text string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
