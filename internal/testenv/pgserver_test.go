package testenv

import (
	"context"
	"errors"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// TestPrivatePostgres starts a server of the test's own, commits rows,
// and checks they outlive a crash restart (recovered from the WAL), a
// fast restart, and a stop and start; and that while it is stopped
// nothing answers at its address.
func TestPrivatePostgres(t *testing.T) {
	srv := PrivatePostgres(t)
	u, err := url.Parse(srv.DSN)
	if err != nil {
		t.Fatal(err)
	}
	if u.Hostname() != "127.0.0.1" {
		t.Errorf("DSN %s: want a server on 127.0.0.1", srv.DSN)
	}
	ctx := context.Background()
	exec := func(sql string, args ...any) {
		t.Helper()
		conn := connect(t, srv.DSN)
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	count := func() int {
		t.Helper()
		conn := connect(t, srv.DSN)
		defer conn.Close(ctx)
		var n int
		if err := conn.QueryRow(ctx, "SELECT count(*) FROM kept").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	exec("CREATE TABLE kept (n int PRIMARY KEY)")
	var fsync string
	conn := connect(t, srv.DSN)
	if err := conn.QueryRow(ctx, "SHOW fsync").Scan(&fsync); err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)
	if fsync != "on" {
		t.Errorf("fsync is %s, want on", fsync)
	}

	want := 0
	for _, mode := range []ShutdownMode{ShutdownImmediate, ShutdownFast, ShutdownImmediate} {
		// A session open across the restart is ended by it.
		held := connect(t, srv.DSN)
		for range 50 {
			want++
			exec("INSERT INTO kept VALUES ($1)", want)
		}
		if err := srv.Restart(mode); err != nil {
			t.Fatal(err)
		}
		if _, err := held.Exec(ctx, "SELECT 1"); err == nil {
			t.Errorf("restart -m %s: a session from before it still answers", mode)
		}
		held.Close(ctx)
		if n := count(); n != want {
			t.Fatalf("after restart -m %s: %d rows, want %d", mode, n, want)
		}
	}
	if mode := ShutdownImmediate; !strings.Contains(srv.Log(), "database system was not properly shut down; automatic recovery in progress") {
		t.Errorf("restart -m %s: the server's log tells no recovery:\n%s", mode, srv.Log())
	}

	if err := srv.Stop(ShutdownFast); err != nil {
		t.Fatal(err)
	}
	cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if c, err := pgx.Connect(cctx, srv.DSN); err == nil {
		c.Close(ctx)
		t.Fatal("the stopped server took a connection")
	} else if ce := (*pgconn.ConnectError)(nil); !errors.As(err, &ce) {
		t.Errorf("connect to the stopped server: %v, want a connect error", err)
	}
	if err := srv.Stop(ShutdownFast); err == nil {
		t.Error("stopping a stopped server did not fail")
	}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != want {
		t.Fatalf("after stop and start: %d rows, want %d", n, want)
	}
}

// TestPrivatePostgres_NoPrograms: without initdb and pg_ctl the test
// skips, and fails under CI.
func TestPrivatePostgres_NoPrograms(t *testing.T) {
	t.Setenv(PostgresBinEnv, t.TempDir())
	for _, ci := range []string{"", "1"} {
		t.Setenv(CIEnv, ci)
		r := &recorder{TB: t}
		if srv := PrivatePostgres(r); srv != nil {
			t.Errorf("HECHA_CI=%q: got a server without the programs", ci)
		}
		if (r.skipped != "") != (ci == "") || (r.failed != "") != (ci == "1") {
			t.Errorf("HECHA_CI=%q: skipped %q, failed %q", ci, r.skipped, r.failed)
		}
		if !strings.Contains(r.skipped+r.failed, "no initdb and pg_ctl in "+os.Getenv(PostgresBinEnv)) {
			t.Errorf("HECHA_CI=%q: the reason %q does not name where it looked", ci, r.skipped+r.failed)
		}
	}
}

func connect(tb testing.TB, dsn string) *pgx.Conn {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		tb.Fatal(err)
	}
	return conn
}
