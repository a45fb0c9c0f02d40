//go:build unix

package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
)

// privatePostgresOS reports whether PrivatePostgres can start a server
// here.
const privatePostgresOS = true

// serverUser is the user the private server runs as.
type serverUser = syscall.Credential

// setUser makes cmd run as the server's user.
func (s *PGServer) setUser(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.user}
}

// handOver gives the test's directory to the server's user and lets it
// reach it: the directories above it must be searchable by others (the
// testing package makes its own 0700; it is opened to search only).
func (s *PGServer) handOver() error {
	if err := os.Chown(s.dir, int(s.user.Uid), int(s.user.Gid)); err != nil {
		return err
	}
	top := filepath.Dir(s.dir) // the testing package's directory for this test
	if err := os.Chmod(top, 0o711); err != nil {
		return err
	}
	for d := filepath.Dir(top); ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil {
			return err
		}
		st, ok := fi.Sys().(*syscall.Stat_t)
		if fi.Mode().Perm()&0o001 == 0 && !(ok && st.Uid == s.user.Uid) {
			return fmt.Errorf("the postgres user cannot reach %s: %s is not searchable by others (%v); set TMPDIR to a directory it can reach", s.dir, d, fi.Mode().Perm())
		}
		if d == filepath.Dir(d) {
			return nil
		}
	}
}

// postgresUser is the credential of the system user postgres, for running
// the server when the test runs as root.
func postgresUser() (*syscall.Credential, error) {
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("running as root, the server needs the system user postgres: %v", err)
	}
	uid, err := strconv.ParseUint(u.Uid, 10, 32)
	if err != nil {
		return nil, err
	}
	gid, err := strconv.ParseUint(u.Gid, 10, 32)
	if err != nil {
		return nil, err
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}
