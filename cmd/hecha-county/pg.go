package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"hecha"
	"hecha/cmd/internal/cli"
	"hecha/pgstore"
)

// A province deployment keeps the county's data in PostgreSQL: --db (or
// HECHA_COUNTY_DB) names the database by URL (postgres://…), "migrate"
// creates and upgrades its tables, and the URL's county parameter
// (postgres://host/province?county=410102) or HECHA_COUNTY scopes a
// command to one county of the province's database. (A program-wide
// --county flag would clash with the --county of gen and import regions.)

// countyEnv is the environment variable --county defaults to.
const countyEnv = "HECHA_COUNTY"

func init() {
	additions = append(additions, func(m *Main) cli.Addition {
		return cli.Addition{Command: m.migrateCommand()}
	})
}

// scopeCounty returns the county HECHA_COUNTY names, "" for none.
func (m *Main) scopeCounty() (hecha.Code, error) {
	v := m.Env(countyEnv)
	if v == "" {
		return "", nil
	}
	c, err := hecha.ParseCode("county", strings.TrimSpace(v))
	if err == nil && c.Level() != hecha.LevelCounty {
		err = hecha.Invalid("county", "county.county_level", string(c))
	}
	if err != nil {
		return "", cli.Exit(cli.ExitUsage, err)
	}
	return c, nil
}

// openPostgres opens the PostgreSQL database dsn, scoped to the county
// its county parameter or HECHA_COUNTY names (else to the database's only
// county, else to none).
func (m *Main) openPostgres(ctx context.Context, dsn string) (*pgstore.Store, error) {
	county, err := m.scopeCounty()
	if err != nil {
		return nil, err
	}
	return pgstore.Open(ctx, dsn, pgstore.WithStoredDivisions(), pgstore.WithNow(m.Clock), pgstore.WithCounty(county))
}

// migrateCommand is "migrate": create or upgrade the tables of a
// PostgreSQL database. A bbolt file upgrades itself when opened.
func (m *Main) migrateCommand() *cli.Command {
	return &cli.Command{
		Name: "migrate", Summary: "county.cli.migrate.summary", Help: "county.cli.migrate.help",
		Flags: func(fs *flag.FlagSet, lang hecha.Lang) cli.RunFunc {
			return func(ctx context.Context, _ []string) error { return m.migrate(ctx) }
		},
	}
}

func (m *Main) migrate(ctx context.Context) error {
	path, err := m.dbPath()
	if err != nil {
		return err
	}
	if !pgstore.IsDSN(path) {
		// Opening a bbolt file brings it to the current layout.
		if _, err := m.openDB(); err != nil {
			return err
		}
		fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "county.cli.migrate.file"))
		return nil
	}
	applied, err := pgstore.Migrate(ctx, path, pgstore.WithNow(m.Clock))
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "county.cli.migrate.current", pgstore.SchemaVersion))
		return nil
	}
	for _, v := range applied {
		fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "county.cli.migrate.applied", v))
	}
	return nil
}

// The messages of the PostgreSQL commands.
var _ = hecha.Register(map[string]hecha.Msg{
	"county.cli.migrate.summary": {
		Zh: "建立或升级 PostgreSQL 数据库中的表",
		En: "create or upgrade the tables of a PostgreSQL database",
	},
	"county.cli.migrate.help": {
		Zh: "--db 为 postgres://… 时，按版本依次应用内置的迁移，每个迁移一个事务；多个进程同时运行也只会应用一次，中途中断可以重新运行。升级 hecha 后、启动 serve 之前运行。bbolt 文件在打开时自动升级，无需此命令。",
		En: "With --db postgres://…, applies the built-in migrations in order, each in its own transaction; several processes running it at once apply each once, and an interrupted run can simply be run again. Run it after upgrading hecha and before starting serve. A bbolt file upgrades itself when opened.",
	},
	"county.cli.migrate.file": {
		Zh: "数据库文件已是最新格式",
		En: "the database file is at the current layout",
	},
	"county.cli.migrate.current": {
		Zh: "数据库已是最新格式（版本 %d）",
		En: "the database is at the current schema (version %d)",
	},
	"county.cli.migrate.applied": {
		Zh: "已应用迁移 %d",
		En: "applied migration %d",
	},
})
