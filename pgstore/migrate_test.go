package pgstore_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"hecha"
	"hecha/internal/testenv"
	"hecha/pgstore"
)

// childEnv names the database the migration child works on.
const childEnv = "HECHA_PGSTORE_MIGRATE_CHILD"

// TestMigrateChild is the child process of TestMigrate_Killed: it runs
// Migrate and, inside the first migration's transaction, prints
// "migrating" and waits to be killed. Without childEnv it skips.
func TestMigrateChild(t *testing.T) {
	dsn := os.Getenv(childEnv)
	if dsn == "" {
		t.Skip("only run as TestMigrate_Killed's child process")
	}
	pgstore.SetTestHookMigrating(func(int) {
		fmt.Println("migrating")
		time.Sleep(time.Minute)
	})
	_, err := pgstore.Migrate(context.Background(), dsn, pgstore.WithNow(func() time.Time { return Now }))
	fmt.Fprintln(os.Stderr, "child: migrate returned", err)
	os.Exit(3)
}

// TestMigrate_Killed kills a process with SIGKILL in the middle of a
// migration: the database must be as before it (Open says to migrate),
// and the next Migrate completes it.
func TestMigrate_Killed(t *testing.T) {
	if os.Getenv(childEnv) != "" {
		t.Skip("in the child")
	}
	dsn := testenv.Postgres(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestMigrateChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), childEnv+"="+dsn)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "migrating" {
		_ = cmd.Process.Kill()
		t.Fatalf("child said %q, %v", line, err)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()

	ctx := context.Background()
	now := pgstore.WithNow(func() time.Time { return Now })
	// The server ends the dead connection's transaction; Open may see it
	// still running for a moment, holding its locks, so it waits a little.
	var openErr error
	for range 100 {
		_, openErr = pgstore.Open(ctx, dsn, now)
		if hecha.ErrorCode(openErr) == hecha.EUNAVAILABLE {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if msg := hecha.ErrorMessage(openErr, hecha.English); !strings.Contains(msg, "no hecha tables") {
		t.Fatalf("open after the killed migration: %v", openErr)
	}
	applied, err := pgstore.Migrate(ctx, dsn, now)
	if err != nil || len(applied) == 0 {
		t.Fatalf("migrate after the kill: %v, %v", applied, err)
	}
	s, err := pgstore.Open(ctx, dsn, now)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	s.Close()
}

// TestOpen_Newer: a schema a newer hecha migrated is refused by Open and
// by Migrate, with a message saying to upgrade.
func TestOpen_Newer(t *testing.T) {
	dsn := MustMigrated(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	_, err = conn.Exec(ctx, `INSERT INTO hecha_schema_version (version, name, applied_at) VALUES (999, 'future', now())`)
	conn.Close(ctx)
	if err != nil {
		t.Fatal(err)
	}
	now := pgstore.WithNow(func() time.Time { return Now })
	_, err = pgstore.Open(ctx, dsn, now)
	if hecha.ErrorCode(err) != hecha.EUNAVAILABLE || !strings.Contains(hecha.ErrorMessage(err, hecha.Chinese), "请升级 hecha") {
		t.Errorf("open: %v", err)
	}
	if _, err := pgstore.Migrate(ctx, dsn, now); hecha.ErrorCode(err) != hecha.EUNAVAILABLE {
		t.Errorf("migrate: %v", err)
	}
}
