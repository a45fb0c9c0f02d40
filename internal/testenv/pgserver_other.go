//go:build !unix

package testenv

import (
	"errors"
	"os/exec"
)

// privatePostgresOS reports whether PrivatePostgres can start a server
// here: it runs pg_ctl as on Unix only.
const privatePostgresOS = false

type serverUser struct{}

func (s *PGServer) setUser(*exec.Cmd) {}

func (s *PGServer) handOver() error { return errors.New("not on Unix") }

func postgresUser() (*serverUser, error) { return nil, errors.New("not on Unix") }
