package main

import (
	"io"

	"hecha"
	"hecha/cmd/internal/cli"
)

// compactCommand is "compact": rewrite the database file without its free
// pages.
func (m *Main) compactCommand() *cli.Command {
	return cli.CompactCommand("cli.township.compact.help", m.dbPath,
		func() io.Writer { return m.Stdout }, func() hecha.Lang { return m.Lang })
}
