package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"hecha"
	"hecha/cmd/internal/cli"
	"hecha/store"
)

// compactCommand is "compact": rewrite the database file without its free
// pages.
func (m *Main) compactCommand() *cli.Command {
	return &cli.Command{
		Name: "compact", Summary: "county.cli.compact.summary", Help: "county.cli.compact.help",
		Flags: func(fs *flag.FlagSet, lang hecha.Lang) cli.RunFunc {
			return func(ctx context.Context, _ []string) error { return m.compact(ctx) }
		},
	}
}

// compact compacts the database in place; it must not be open elsewhere
// (the server stopped).
func (m *Main) compact(ctx context.Context) error {
	path, err := m.dbPath()
	if err != nil {
		return err
	}
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return hecha.Errorf(hecha.ENOTFOUND, "", "county.cli.compact.missing", path)
	}
	before, after, err := store.CompactFile(path)
	if err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "county.cli.compact.done", path, cli.FileSize(before), cli.FileSize(after)))
	return nil
}
