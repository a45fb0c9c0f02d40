package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
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
	admin := os.Getenv(PostgresEnv)
	if admin == "" {
		admin = DefaultPostgres
	}
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
