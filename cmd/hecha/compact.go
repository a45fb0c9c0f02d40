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
		Name: "compact", Summary: "cli.township.compact.summary", Help: "cli.township.compact.help",
		Flags: func(fs *flag.FlagSet, lang hecha.Lang) cli.RunFunc {
			return func(ctx context.Context, _ []string) error { return m.compact() }
		},
	}
}

// compact compacts the database in place; hecha must not be running on it.
func (m *Main) compact() error {
	path, err := m.dbPath()
	if err != nil {
		return err
	}
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return hecha.Errorf(hecha.ENOTFOUND, "", "cli.township.compact.missing", path)
	}
	before, after, err := store.CompactFile(path)
	if err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "cli.township.compact.done", path, cli.FileSize(before), cli.FileSize(after)))
	return nil
}
