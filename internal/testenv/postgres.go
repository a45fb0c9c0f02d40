package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// PostgresEnv names the environment variable holding the DSN of a
// PostgreSQL database on a server where the tests may create and drop
// databases (.ci/run exports it).
const PostgresEnv = "HECHA_TEST_POSTGRES"

// DefaultPostgres is the DSN used when PostgresEnv is not set: the local
// server the project's machines run, trust authentication.
const DefaultPostgres = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// Postgres returns the DSN of a fresh, empty database of its own for tb,
// created on the server PostgresEnv names (DefaultPostgres by default)
// and dropped when tb ends. When the server cannot be reached the need
// "PostgreSQL" is missing (see Require): the test skips, or fails under CI.
func Postgres(tb testing.TB) string {
	tb.Helper()
	admin := adminDSN()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		Require(tb, "PostgreSQL ("+PostgresEnv+")", err)
		return ""
	}
	defer conn.Close(context.Background())

	var raw [6]byte
	if _, err := rand.Read(raw[:]); err != nil {
		tb.Fatal(err)
	}
	name := fmt.Sprintf("hecha_test_%d_%s", os.Getpid(), hex.EncodeToString(raw[:]))
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		tb.Fatalf("create database %s: %v", name, err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, admin)
		if err != nil {
			tb.Errorf("drop database %s: %v", name, err)
			return
		}
		defer conn.Close(context.Background())
		// WITH (FORCE) ends connections a test left open (PostgreSQL 13+).
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			tb.Errorf("drop database %s: %v", name, err)
		}
	})
	u, err := url.Parse(admin)
	if err != nil {
		tb.Fatalf("%s: %v", PostgresEnv, err)
	}
	u.Path = "/" + name
	return u.String()
}

// adminDSN is the DSN of the server the tests make their databases on.
func adminDSN() string {
	if dsn := os.Getenv(PostgresEnv); dsn != "" {
		return dsn
	}
	return DefaultPostgres
}

// PostgresAdmin connects to the server PostgresEnv names, as Postgres
// does to make a database, and returns the connection (closed when tb
// ends) and the name of the database dsn names: for a test that ends that
// database's sessions, as a restart of the server would.
func PostgresAdmin(tb testing.TB, dsn string) (*pgx.Conn, string) {
	tb.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		tb.Fatal(err)
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, adminDSN())
	if err != nil {
		Require(tb, "PostgreSQL ("+PostgresEnv+")", err)
		return nil, ""
	}
	tb.Cleanup(func() { conn.Close(context.Background()) })
	return conn, strings.TrimPrefix(u.Path, "/")
}
