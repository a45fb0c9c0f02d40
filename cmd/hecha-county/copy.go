package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"

	"hecha"
	"hecha/cmd/internal/cli"
	"hecha/pgstore"
	"hecha/store"
)

// "copy" moves a county between a bbolt file and a PostgreSQL database
// (either way): it writes out the source's county (hecha.CountyDump),
// loads it into the target in one transaction, then writes out the
// target's and compares each part's count and checksum. A target that
// already holds the county is not written again; the copy is verified
// against it instead, so running it again is safe.

func init() {
	additions = append(additions, func(m *Main) cli.Addition {
		return cli.Addition{Command: m.copyCommand()}
	})
}

// copyCommand is "copy --from LOC --to LOC".
func (m *Main) copyCommand() *cli.Command {
	return &cli.Command{
		Name: "copy", Summary: "county.cli.copy.summary", Help: "county.cli.copy.help",
		ValueNames: map[string]string{"from": "FILE|URL", "to": "FILE|URL"},
		Flags: func(fs *flag.FlagSet, lang hecha.Lang) cli.RunFunc {
			from := fs.String("from", "", hecha.T(lang, "county.cli.flag.copy.from"))
			to := fs.String("to", "", hecha.T(lang, "county.cli.flag.copy.to"))
			return func(ctx context.Context, _ []string) error { return m.copyCounty(ctx, *from, *to) }
		},
	}
}

// dumper is a county store that can be written out and loaded.
type dumper interface {
	hecha.CountyStore
	hecha.CountyDumper
}

// openLocation opens the county store at loc: a PostgreSQL URL or a bbolt
// file; a source file must exist.
func (m *Main) openLocation(ctx context.Context, loc string, source bool) (dumper, error) {
	if pgstore.IsDSN(loc) {
		return pgstore.Open(ctx, loc, pgstore.WithNow(m.Clock))
	}
	if _, err := os.Stat(loc); source && err != nil {
		return nil, hecha.Errorf(hecha.ENOTFOUND, "from", "county.cli.copy.no_source", loc)
	}
	return store.OpenCounty(loc, store.WithNow(m.Clock))
}

func (m *Main) copyCounty(ctx context.Context, from, to string) error {
	if from == "" || to == "" {
		return cli.Exit(cli.ExitUsage, hecha.Invalid("from", "county.cli.copy.both"))
	}
	src, err := m.openLocation(ctx, from, true)
	if err != nil {
		return err
	}
	defer src.Close()
	d, err := src.DumpCounty(ctx)
	if err != nil {
		return err
	}
	want, err := d.Sums()
	if err != nil {
		return err
	}
	dst, err := m.openLocation(ctx, to, false)
	if err != nil {
		return err
	}
	defer dst.Close()
	table, _, _, err := dst.DivisionsCSV(ctx)
	if err != nil {
		return err
	}
	keptTable := table != nil && d.Table != nil
	err = dst.LoadCounty(ctx, d)
	already := false
	var he *hecha.Error
	if errors.As(err, &he) && he.MsgID == "copy.target_not_empty" {
		already, err = true, nil
	}
	if err != nil {
		return err
	}
	if already {
		fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "county.cli.copy.already", d.County))
	}
	td, err := dst.DumpCounty(ctx)
	if err != nil {
		return err
	}
	got, err := td.Sums()
	if err != nil {
		return err
	}
	bad := 0
	parts := make([]string, 0, len(want))
	for p := range want {
		parts = append(parts, p)
	}
	slices.Sort(parts)
	for _, p := range parts {
		status := hecha.T(m.Lang, "county.cli.copy.same")
		switch {
		case got[p] == want[p]:
		case p == "divisions" && keptTable:
			status = hecha.T(m.Lang, "county.cli.copy.kept")
		default:
			status = hecha.T(m.Lang, "county.cli.copy.differs", got[p].Count)
			bad++
		}
		fmt.Fprintf(m.Stdout, "%-10s %8d  %s\n", p, want[p].Count, status)
	}
	if bad > 0 {
		return hecha.Errorf(hecha.ECONFLICT, "", "county.cli.copy.mismatch", bad)
	}
	fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "county.cli.copy.done", d.County, len(d.Cases)))
	return nil
}

// The messages of copy.
var _ = hecha.Register(map[string]hecha.Msg{
	"county.cli.copy.summary": {
		Zh: "把一个县的全部数据在 bbolt 文件和 PostgreSQL 数据库之间复制，并核对",
		En: "copy a county's data between a bbolt file and a PostgreSQL database, and verify it",
	},
	"county.cli.copy.help": {
		Zh: "--from 和 --to 各是一个数据库文件或 postgres://… 网址（省级库用 ?county=代码 指明县）。复制个案及其核查结果、登记记录、令牌（只有散列值）、批次记录、冲突提示和区划表（目标库已有区划表时保留目标的），在一个事务中写入，然后逐项核对条数和校验和。目标库已有该县的个案时不再写入，只做核对，所以可以放心重复运行。复制后乡镇下次同步会重新下载全部个案。先停止源库的 serve。",
		En: "--from and --to are each a database file or a postgres://… URL (name the county of a province's database with ?county=CODE). Copies the cases with their results, the registries, the tokens (their hashes only), the batch log, the conflict notices and the division table (a target that has a table keeps its own) in one transaction, then compares each part's count and checksum. A target that already holds the county's cases is not written again, only verified, so running it again is safe. After a copy each township pulls all its cases again on its next sync. Stop serve on the source first.",
	},
	"county.cli.flag.copy.from": {Zh: "源：数据库文件或 postgres://… 网址", En: "the source: a database file or a postgres://… URL"},
	"county.cli.flag.copy.to":   {Zh: "目标：数据库文件或 postgres://… 网址", En: "the target: a database file or a postgres://… URL"},
	"county.cli.copy.both":      {Zh: "请用 --from 和 --to 给出源和目标", En: "give the source with --from and the target with --to"},
	"county.cli.copy.no_source": {Zh: "源数据库文件 %s 不存在", En: "the source database file %s does not exist"},
	"county.cli.copy.already":   {Zh: "目标库已有 %s 的数据，未再写入；下面是核对结果", En: "the target already holds %s; nothing was written; it is verified below"},
	"county.cli.copy.same":      {Zh: "一致", En: "same"},
	"county.cli.copy.kept":      {Zh: "保留目标库原有的区划表", En: "the target keeps its own division table"},
	"county.cli.copy.differs":   {Zh: "不一致（目标 %d 条）", En: "differs (the target has %d)"},
	"county.cli.copy.mismatch":  {Zh: "有 %d 项核对不一致", En: "%d parts differ"},
	"county.cli.copy.done":      {Zh: "已复制 %s 的 %d 个个案，核对一致", En: "copied %s's %d cases; verified"},
})
