package main

import (
	"io"

	"hecha"
	"hecha/cmd/internal/cli"
)

// compactCommand is "compact": rewrite the database file without its free
// pages.
func (m *Main) compactCommand() *cli.Command {
	return cli.CompactCommand("county.cli.compact.help", m.boltPath,
		func() io.Writer { return m.Stdout }, func() hecha.Lang { return m.Lang })
}

// boltPath returns the database file compact rewrites; a PostgreSQL
// database has no file to compact.
func (m *Main) boltPath() (string, error) {
	loc, err := m.dbPath()
	if err == nil && isPostgres(loc) {
		err = cli.Exit(cli.ExitUsage, hecha.Errorf(hecha.EINVALID, "db", "county.cli.compact.postgres"))
	}
	return loc, err
}
