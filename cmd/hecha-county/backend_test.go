package main

import (
	"strings"
	"testing"

	"hecha/cmd/internal/cli"
	"hecha/internal/testenv"
)

// TestMigrateCommand: a fresh PostgreSQL database is refused by every
// command, serve included, with a message naming "hecha-county migrate";
// migrate creates the schema, says so, and a second run has nothing to do.
func TestMigrateCommand(t *testing.T) {
	dsn := testenv.Postgres(t)
	for _, args := range [][]string{{"report", "progress"}, {"serve", "--addr", "127.0.0.1:0"}, {"token", "list"}} {
		r := run(t, dsn, args...)
		if r.code == 0 || !strings.Contains(r.stderr, "no hecha tables yet: run hecha-county migrate first") {
			t.Errorf("%v on an unmigrated database: exit %d\n%s", args, r.code, r.stderr)
		}
		if strings.Contains(r.stderr, "serving on") {
			t.Errorf("serve started on an unmigrated database:\n%s", r.stderr)
		}
	}
	r := run(t, dsn, "report", "progress", "--lang", "zh")
	if !strings.Contains(r.stderr, "尚未建立 hecha 的表：请先运行 hecha-county migrate") {
		t.Errorf("in Chinese: %s", r.stderr)
	}

	r = run(t, dsn, "migrate")
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "applied migrations: 1") || !strings.Contains(r.stdout, "is now at version") {
		t.Errorf("migrate:\n%s", r.stdout)
	}
	r = run(t, dsn, "migrate")
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "already at version") || strings.Contains(r.stdout, "applied") {
		t.Errorf("migrate again:\n%s", r.stdout)
	}
	wantCode(t, run(t, dsn, "token", "list"), 0)
}

// TestMigrateBolt: on a bbolt file migrate only opens it.
func TestMigrateBolt(t *testing.T) {
	db := t.TempDir() + "/county.db"
	r := run(t, db, "migrate")
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "upgraded when opened") {
		t.Errorf("migrate on bbolt:\n%s", r.stdout)
	}
}

// TestCompactPostgres: compact is for bbolt files.
func TestCompactPostgres(t *testing.T) {
	r := run(t, "postgres://postgres@127.0.0.1:5432/none?sslmode=disable", "compact")
	wantCode(t, r, cli.ExitUsage)
	if !strings.Contains(r.stderr, "autovacuum") {
		t.Errorf("compact on PostgreSQL: %s", r.stderr)
	}
}
