package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"

	"hecha"
	"hecha/cmd/internal/cli"
	"hecha/pgstore"
	"hecha/store"
)

// migrateCommand is "migrate": bring the database's schema to this
// program's version. A PostgreSQL database needs it before its first use
// and after an upgrade of hecha-county (serve and the other commands
// refuse an unmigrated or older schema); a bbolt file is brought up to
// date whenever it is opened, so there migrate only opens it.
func (m *Main) migrateCommand() *cli.Command {
	return &cli.Command{
		Name: "migrate", Summary: "county.cli.migrate.summary", Help: "county.cli.migrate.help",
		Flags: func(fs *flag.FlagSet, lang hecha.Lang) cli.RunFunc {
			return func(ctx context.Context, _ []string) error { return m.migrate(ctx) }
		},
	}
}

// migrate applies the migrations the database has not had and says what
// it did.
func (m *Main) migrate(ctx context.Context) error {
	loc, err := m.dbPath()
	if err != nil {
		return err
	}
	if !isPostgres(loc) {
		if _, err := m.openDB(); err != nil {
			return err
		}
		fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "county.cli.migrate.bolt", cli.Sanitize(loc), store.SchemaVersion))
		return nil
	}
	applied, err := pgstore.Migrate(ctx, loc, pgstore.WithNow(m.Clock))
	if len(applied) > 0 {
		vs := make([]string, len(applied))
		for i, v := range applied {
			vs[i] = strconv.Itoa(v)
		}
		fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "county.cli.migrate.applied", strings.Join(vs, ", ")))
	}
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "county.cli.migrate.current", pgstore.SchemaVersion))
	} else {
		fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "county.cli.migrate.done", pgstore.SchemaVersion))
	}
	return nil
}

// The messages of migrate.
var _ = hecha.Register(map[string]hecha.Msg{
	"county.cli.migrate.summary": {Zh: "建立或升级数据库的表结构（PostgreSQL 首次使用前及升级后必须运行）", En: "create or upgrade the database's schema (needed before a PostgreSQL database is first used and after an upgrade)"},
	"county.cli.migrate.help": {
		Zh: "按顺序执行数据库尚未执行的迁移，每个迁移在一个事务中完成；可以重复运行，中途中断后再运行即可。多个进程同时运行时只有一个执行迁移。bbolt 数据库文件在每次打开时自动升级。",
		En: "Applies, in order, the migrations the database has not had, each in one transaction; safe to run again, and after an interruption. Processes running it at once apply each migration once. A bbolt file is upgraded whenever it is opened.",
	},
	"county.cli.migrate.applied": {Zh: "已执行迁移：%s", En: "applied migrations: %s"},
	"county.cli.migrate.done":    {Zh: "数据库表结构已升级到版本 %d", En: "the database's schema is now at version %d"},
	"county.cli.migrate.current": {Zh: "数据库表结构已是版本 %d，无需迁移", En: "the database's schema is already at version %d; nothing to do"},
	"county.cli.migrate.bolt":    {Zh: "bbolt 数据库文件 %s 的格式为版本 %d（打开时自动升级，无需迁移）", En: "the bbolt database file %s is at format version %d (upgraded when opened; nothing to migrate)"},
})
