package main

import (
	"context"
	"flag"
	"strings"

	"hecha"
	"hecha/cmd/internal/cli"
	"hecha/pgstore"
)

// Where the county's data lives.
//
// --db (or $HECHA_COUNTY_DB) names the county store: a postgres:// or
// postgresql:// URL selects PostgreSQL (package pgstore), anything else is
// a bbolt file (package store), as before. openStore is the one place
// that tells them apart; every command opens its store through openDB,
// which calls it.
//
// On PostgreSQL one database may hold a whole province: --county CODE
// (or $HECHA_COUNTY, or the URL's county parameter) scopes a command to
// one county of it (imports, assignment, tokens,
// reports and the townships a server answers). Without --county a
// database that holds one county is that county's; one that holds several
// serves and reports on all of them, and the writes that need a county
// refuse. A bbolt file holds one county: --county must name it.
//
// The admin endpoint (admin.go) exists because bbolt lets one process
// hold the file; PostgreSQL takes any number of clients, so a command
// simply opens the database beside a running server.

// countyFlagName is the flag that scopes a command to one county.
const countyFlagName = "county"

// isPostgres reports whether loc, what --db names, is a PostgreSQL
// database rather than a bbolt file.
func isPostgres(loc string) bool { return pgstore.IsDSN(loc) }

// withCountyFlag gives every runnable command of the tree under cs that
// has no --county of its own the flag that scopes it to one county
// (Main.County). "import regions" has its own --county (the county to
// serve), which scopes it too (importRegions); "gen" has its own (the
// county to generate), which is not about the database.
func (m *Main) withCountyFlag(cs []*cli.Command) []*cli.Command {
	for _, c := range cs {
		m.withCountyFlag(c.Sub)
		if c.Flags == nil {
			continue
		}
		own := c.Flags
		c.Flags = func(fs *flag.FlagSet, lang hecha.Lang) cli.RunFunc {
			run := own(fs, lang)
			if fs.Lookup(countyFlagName) == nil {
				fs.StringVar(&m.County, countyFlagName, "", hecha.T(lang, "county.cli.flag.county"))
			}
			return run
		}
	}
	return cs
}

// countyEnv is the environment variable --county defaults to.
const countyEnv = "HECHA_COUNTY"

// scope returns the county --county (else $HECHA_COUNTY) names, "" when
// none; EINVALID (a usage error) for a code that is not at county level.
// A PostgreSQL URL's county parameter (postgres://host/db?county=CODE)
// scopes the store too when neither is given (pgstore.CountyParam).
func (m *Main) scope() (hecha.Code, error) {
	v := m.County
	if v == "" {
		v = strings.TrimSpace(m.Env(countyEnv))
	}
	if v == "" {
		return "", nil
	}
	c, err := hecha.ParseCode(countyFlagName, v)
	if err == nil && c.Level() != hecha.LevelCounty {
		err = hecha.Invalid(countyFlagName, "county.county_level", v)
	}
	if err != nil {
		return "", cli.Exit(cli.ExitUsage, err)
	}
	return c, nil
}

// openStore opens the county store at loc, scoped to --county: a
// PostgreSQL database for a postgres:// URL, else the bbolt file
// (openBolt). A PostgreSQL database whose schema is missing or older than
// this program's is refused with a message naming "hecha-county migrate".
func (m *Main) openStore(ctx context.Context, loc string) (hecha.CountyStore, error) {
	county, err := m.scope()
	if err != nil {
		return nil, err
	}
	return m.openScoped(ctx, loc, county)
}

// openScoped opens the county store at loc scoped to county ("" for the
// database's own), as openStore does.
func (m *Main) openScoped(ctx context.Context, loc string, county hecha.Code) (hecha.CountyStore, error) {
	if !isPostgres(loc) {
		db, err := m.openBolt(loc)
		if err != nil {
			return nil, err
		}
		if err := checkBoltScope(ctx, db, county); err != nil {
			db.Close()
			return nil, err
		}
		return db, nil
	}
	opts := []pgstore.Option{pgstore.WithStoredDivisions(), pgstore.WithNow(m.Clock)}
	if county != "" {
		opts = append(opts, pgstore.WithCounty(county))
	}
	if m.serving {
		opts = append(opts, pgstore.WithReadyConns(pgstore.ServerReadyConns))
	}
	return pgstore.Open(ctx, loc, opts...)
}

// checkBoltScope refuses a --county other than the county the bbolt file
// serves; a file that serves none yet takes any (import regions sets it).
func checkBoltScope(ctx context.Context, db hecha.CountyStore, county hecha.Code) error {
	if county == "" {
		return nil
	}
	cur, err := db.County(ctx)
	if err != nil || cur == "" || cur == county {
		return err
	}
	return cli.Exit(cli.ExitUsage, hecha.Invalid(countyFlagName, "county.cli.county.other", string(cur), string(county)))
}

// The messages of the backend selection and of migrate.
var _ = hecha.Register(map[string]hecha.Msg{
	"county.cli.flag.county": {
		Zh: "只处理这个县（县级代码）：省级数据库中多个县共用一个库时用它指定县；bbolt 文件只有一个县，须与之相同",
		En: "work on this county only (a county-level code): in a province's PostgreSQL database it picks one county; a bbolt file holds one county and must be that one",
	},
	"county.cli.county.other": {
		Zh: "此数据库文件服务于 %s，不是 --county 指定的 %s",
		En: "this database file serves %s, not %s as --county says",
	},
	"county.cli.serve.province": {
		Zh: "注意：未指定 --county，本服务为数据库中的所有县服务（每个乡镇的令牌只能访问本乡镇）",
		En: "note: no --county given, so this server serves every county of the database (each township's token reaches its own township only)",
	},
	"county.cli.serve.postgres": {
		Zh: "数据在 PostgreSQL 中：县级命令可在服务运行时直接执行，可以同时运行多个服务进程",
		En: "the data is in PostgreSQL: county commands run directly while the server runs, and several server processes may run at once",
	},
	"county.cli.compact.postgres": {
		Zh: "compact 只用于 bbolt 数据库文件；PostgreSQL 数据库由其自动清理（autovacuum）整理",
		En: "compact is for bbolt database files; PostgreSQL tidies its tables itself (autovacuum)",
	},
})
