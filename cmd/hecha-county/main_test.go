package main

import (
	"fmt"
	"os"
	"testing"
)

// TestMain keeps the certificate folders of the PostgreSQL databases the
// tests serve (tlsDir) in a temporary folder, not the user's data folder.
func TestMain(m *testing.M) {
	if os.Getenv(tlsDirEnv) == "" {
		dir, err := os.MkdirTemp("", "hecha-county-tls")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		os.Setenv(tlsDirEnv, dir)
		code := m.Run()
		os.RemoveAll(dir)
		os.Exit(code)
	}
	os.Exit(m.Run())
}
