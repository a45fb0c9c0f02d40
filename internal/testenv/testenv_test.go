package testenv

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// recorder is a testing.TB that records Skipf and Fatalf instead of
// ending the test.
type recorder struct {
	testing.TB
	skipped, failed string
}

func (r *recorder) Helper()                           {}
func (r *recorder) Skipf(format string, args ...any)  { r.skipped = fmt.Sprintf(format, args...) }
func (r *recorder) Fatalf(format string, args ...any) { r.failed = fmt.Sprintf(format, args...) }

func TestRequire(t *testing.T) {
	missing := errors.New("not found")
	for _, tc := range []struct {
		ci         string
		err        error
		skip, fail bool
	}{
		{"", nil, false, false},
		{"", missing, true, false},
		{"0", missing, true, false},
		{"1", nil, false, false},
		{"1", missing, false, true},
	} {
		t.Setenv(CIEnv, tc.ci)
		r := &recorder{TB: t}
		Require(r, "tmux", tc.err)
		if (r.skipped != "") != tc.skip || (r.failed != "") != tc.fail {
			t.Errorf("HECHA_CI=%q err=%v: skipped %q, failed %q", tc.ci, tc.err, r.skipped, r.failed)
		}
		if msg := r.skipped + r.failed; tc.err != nil && (!strings.Contains(msg, "needs tmux") || !strings.Contains(msg, "not found")) {
			t.Errorf("message %q does not name the need and the cause", msg)
		}
	}
}

func TestSharedDataAndCommand(t *testing.T) {
	root, err := ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("ModuleRoot = %s: %v", root, err)
	}
	t.Setenv(CIEnv, "1")
	r := &recorder{TB: t}
	if got := SharedData(r, "no-such-file.csv"); got != filepath.Join(root, "..", "shared", "data", "no-such-file.csv") || !strings.Contains(r.failed, "../shared/data/no-such-file.csv") {
		t.Errorf("SharedData = %s, failed %q", got, r.failed)
	}
	r = &recorder{TB: t}
	Command(r, "hecha-no-such-program")
	if !strings.Contains(r.failed, "hecha-no-such-program") {
		t.Errorf("Command of a missing program: failed %q", r.failed)
	}
	r = &recorder{TB: t}
	Command(r, "go")
	if r.failed != "" || r.skipped != "" {
		t.Errorf("Command(go): failed %q, skipped %q", r.failed, r.skipped)
	}
}

func TestPostgres(t *testing.T) {
	dsn := Postgres(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var name string
	if err := conn.QueryRow(ctx, "SELECT current_database()").Scan(&name); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(name, "hecha_test_") {
		t.Errorf("connected to %q, want a fresh hecha_test_ database", name)
	}
}

func TestPostgres_Unreachable(t *testing.T) {
	t.Setenv(PostgresEnv, "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=2")
	for _, ci := range []string{"", "1"} {
		t.Setenv(CIEnv, ci)
		r := &recorder{TB: t}
		if dsn := Postgres(r); dsn != "" {
			t.Errorf("HECHA_CI=%q: got dsn %q for an unreachable server", ci, dsn)
		}
		if (r.skipped != "") != (ci == "") || (r.failed != "") != (ci == "1") {
			t.Errorf("HECHA_CI=%q: skipped %q, failed %q", ci, r.skipped, r.failed)
		}
	}
}
