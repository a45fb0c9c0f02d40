package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"hecha"
	"hecha/store"
)

var _ = hecha.Register(map[string]hecha.Msg{
	"cli.compact.summary": {Zh: "压缩数据库文件", En: "compact the database file"},
	"cli.compact.missing": {Zh: "数据库文件 %s 不存在", En: "the database file %s does not exist"},
	"cli.compact.done":    {Zh: "已压缩 %s：%s → %s", En: "compacted %s: %s → %s"},
})

// CompactCommand is the "compact" command both programs have: it rewrites
// the database file without its free pages (bbolt files never shrink by
// themselves). help is the catalogue id of the program's own advice (what
// to stop first); dbPath resolves --db and the environment; the outcome
// is written to out in the language lang returns.
func CompactCommand(help string, dbPath func() (string, error), out func() io.Writer, lang func() hecha.Lang) *Command {
	return &Command{
		Name: "compact", Summary: "cli.compact.summary", Help: help,
		Flags: func(fs *flag.FlagSet, _ hecha.Lang) RunFunc {
			return func(context.Context, []string) error {
				path, err := dbPath()
				if err != nil {
					return err
				}
				return Compact(path, out(), lang())
			}
		},
	}
}

// Compact compacts the database at path in place and says how much it
// shrank. The file must not be open in another process (ELOCKED).
func Compact(path string, w io.Writer, lang hecha.Lang) error {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return hecha.Errorf(hecha.ENOTFOUND, "", "cli.compact.missing", path)
	}
	before, after, err := store.CompactFile(path)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, hecha.T(lang, "cli.compact.done", path, FileSize(before), FileSize(after)))
	return nil
}
