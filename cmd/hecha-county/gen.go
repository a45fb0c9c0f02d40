package main

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"runtime/debug"
	"time"

	"hecha"
	"hecha/cmd/internal/cli"
	"hecha/cmd/internal/gen"
	"hecha/sheet"
)

func init() { cli.ValueNames["now"] = "DATE" }

// genOptions are the flags of "gen".
type genOptions struct {
	out, county, regions string
	now                  string // --now: the data's date; "" is today
	townships, cases     int
	seed                 int64
	defects              float64
}

// genCommand is "gen --out DIR [--county CODE] [--townships N] [--cases N]
// [--seed N] [--now DATE] [--regions DIR] [--defects SHARE]".
func (m *Main) genCommand() *cli.Command {
	return &cli.Command{
		Name: "gen", Summary: "county.cli.gen.summary", Help: "county.cli.gen.help",
		Flags: func(fs *flag.FlagSet, lang hecha.Lang) cli.RunFunc {
			var o genOptions
			fs.StringVar(&o.out, "out", "", hecha.T(lang, "county.cli.flag.gen.out"))
			fs.StringVar(&o.county, "county", string(gen.DefaultCounty), hecha.T(lang, "county.cli.flag.gen.county"))
			fs.IntVar(&o.townships, "townships", 0, hecha.T(lang, "county.cli.flag.gen.townships"))
			fs.IntVar(&o.cases, "cases", 200, hecha.T(lang, "county.cli.flag.gen.cases"))
			fs.Int64Var(&o.seed, "seed", 1, hecha.T(lang, "county.cli.flag.gen.seed"))
			fs.StringVar(&o.now, "now", "", hecha.T(lang, "county.cli.flag.gen.now"))
			fs.StringVar(&o.regions, "regions", "", hecha.T(lang, "county.cli.flag.gen.regions"))
			fs.Float64Var(&o.defects, "defects", gen.DefaultDefectRate, hecha.T(lang, "county.cli.flag.gen.defects"))
			return func(ctx context.Context, _ []string) error { return m.gen(o) }
		},
	}
}

// gen writes a generated county's import files into --out.
func (m *Main) gen(o genOptions) error {
	if o.out == "" {
		return cli.Exit(cli.ExitUsage, hecha.Errorf(hecha.EINVALID, "", "county.cli.gen.need_out"))
	}
	if o.townships < 0 || o.cases <= 0 || o.defects < 0 || o.defects > 1 {
		return cli.Exit(cli.ExitUsage, hecha.Errorf(hecha.EINVALID, "", "county.cli.gen.numbers"))
	}
	county, err := hecha.ParseCode("county", o.county)
	if err != nil {
		return cli.Exit(cli.ExitUsage, err)
	}
	// The data's date: --now, or today. The generator reads no clock, so
	// the same --seed and --now give the same files on any day.
	today := hecha.DateOf(m.Clock())
	day := today
	if o.now != "" {
		if day, err = hecha.ParseDate("--now", o.now); err != nil {
			return cli.Exit(cli.ExitUsage, err)
		}
		if day.Year < gen.MinYear || day.Year > gen.MaxYear {
			return cli.Exit(cli.ExitUsage, hecha.Invalid("--now", "gen.now_range", day.String(), gen.MinYear, gen.MaxYear))
		}
	}
	cfg := gen.Config{County: county, Townships: o.townships, Cases: o.cases, Seed: o.seed, DefectRate: o.defects,
		Now: time.Date(day.Year, day.Month, day.Day, 12, 0, 0, 0, time.UTC)}
	if o.defects == 0 {
		cfg.DefectRate = -1 // gen reads 0 as its default
	}
	if o.regions != "" {
		t, err := sheet.LoadDivisionDir(o.regions)
		if t == nil {
			return cli.Exit(cli.ExitUsage, err)
		}
		// Bad rows of the source files are reported; the good ones serve.
		for _, e := range hecha.AsErrors(err) {
			fmt.Fprintln(m.Stderr, cli.Sanitize(hecha.ErrorMessage(e, m.Lang)))
		}
		cfg.Divisions = t
	}
	if cfg.Divisions == nil {
		cfg.Divisions = gen.Builtin()
	}
	// Each row is written as it is made: memory does not grow with --cases
	// beyond the generator's set of people made (8 bytes a person). The
	// collector runs at a third of its default slack: gen is a batch job
	// whose heap is mostly garbage, and the slack is what the machine sees.
	defer debug.SetGCPercent(debug.SetGCPercent(30))
	n, err := gen.StreamDir(cfg, o.out)
	if hecha.ErrorCode(err) == hecha.EINVALID {
		return cli.Exit(cli.ExitUsage, err)
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "county.cli.gen.done", o.out, n.Cases, n.Resident, n.Floating,
		cfg.Divisions.Len(), county, cli.Sanitize(cfg.Divisions.FullName(county))))
	fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "county.cli.gen.dated", day, o.seed))
	if day.After(today) {
		fmt.Fprintln(m.Stderr, hecha.T(m.Lang, "county.cli.gen.future", day))
	}
	if n.Defective > 0 {
		fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "county.cli.gen.defects", n.Defective))
	}
	fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "county.cli.gen.next"))
	fmt.Fprintf(m.Stdout, "  %s import regions %s --county %s\n", progName, filepath.Join(o.out, gen.RegionsFile), county)
	for _, f := range []string{"floating", "resident", "cases"} {
		fmt.Fprintf(m.Stdout, "  %s import %s %s\n", progName, f, filepath.Join(o.out, f+".csv"))
	}
	fmt.Fprintf(m.Stdout, "  %s assign --auto\n", progName)
	return nil
}
