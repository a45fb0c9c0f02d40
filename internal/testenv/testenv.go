// Package testenv lets a test say what it needs from outside the module:
// the real data in ../shared/data, tmux, Wine, PostgreSQL. On a bare
// machine a test whose need is missing skips with a one-line reason; under
// CI (HECHA_CI=1, which .ci/run exports) the same need missing fails the
// test, so CI cannot pass by skipping what it was meant to run.
//
// Skips for other reasons (testing.Short, a child process, another
// operating system) are not needs and keep calling t.Skip directly.
package testenv

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// CIEnv is the environment variable that marks a CI run.
const CIEnv = "HECHA_CI"

// CI reports whether the tests run under CI (HECHA_CI=1).
func CI() bool { return os.Getenv(CIEnv) == "1" }

// Require checks a need of tb: when err is not nil, the need named by what
// is missing and tb skips with "needs <what>: <err>", or under CI fails
// with the same line. A nil err does nothing.
func Require(tb testing.TB, what string, err error) {
	tb.Helper()
	if err == nil {
		return
	}
	if CI() {
		tb.Fatalf("needs %s: %v (%s=1: a missing outside dependency fails CI)", what, err, CIEnv)
		return
	}
	tb.Skipf("needs %s: %v", what, err)
}

// SharedData returns the path of ../shared/data/<elem...> beside the
// module root (for the real division and code tables), after Require-ing
// that it exists.
func SharedData(tb testing.TB, elem ...string) string {
	tb.Helper()
	root, err := ModuleRoot()
	if err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(append([]string{root, "..", "shared", "data"}, elem...)...)
	if _, err = os.Stat(path); errors.Is(err, os.ErrNotExist) {
		err = fmt.Errorf("%s is absent", path)
	}
	Require(tb, "the real data "+filepath.ToSlash(filepath.Join(append([]string{"../shared/data"}, elem...)...)), err)
	return path
}

// Command returns the path of the program name on PATH, after Require-ing
// that it is installed.
func Command(tb testing.TB, name string) string {
	tb.Helper()
	path, err := exec.LookPath(name)
	Require(tb, name, err)
	return path
}

var (
	rootOnce sync.Once
	root     string
	rootErr  error
)

// ModuleRoot returns the directory holding the module's go.mod, found by
// walking up from the working directory (a test runs in its package's).
func ModuleRoot() (string, error) {
	rootOnce.Do(func() {
		dir, err := os.Getwd()
		if err != nil {
			rootErr = err
			return
		}
		for {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				root = dir
				return
			} else if !errors.Is(err, os.ErrNotExist) {
				rootErr = err
				return
			}
			up := filepath.Dir(dir)
			if up == dir {
				rootErr = fmt.Errorf("testenv: no go.mod above the working directory")
				return
			}
			dir = up
		}
	})
	return root, rootErr
}
