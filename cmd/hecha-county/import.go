package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"

	"hecha"
	"hecha/cmd/internal/cli"
	"hecha/codefile"
)

// importCommand is "import regions|cases|resident|floating FILE".
func (m *Main) importCommand() *cli.Command {
	return &cli.Command{
		Name:    "import",
		Summary: "county.cli.import.summary",
		Sub: []*cli.Command{
			{
				Name: "regions", Args: "FILE", Summary: "county.cli.import.regions.summary", Help: "county.cli.import.regions.help",
				MinArgs: 1, MaxArgs: 1,
				Flags: func(fs *flag.FlagSet, lang hecha.Lang) cli.RunFunc {
					var o regionsOptions
					fs.BoolVar(&o.replace, "replace", false, hecha.T(lang, "county.cli.flag.import.replace"))
					fs.StringVar(&o.county, "county", "", hecha.T(lang, "county.cli.flag.import.county"))
					return func(ctx context.Context, args []string) error { return m.importRegions(ctx, args[0], o) }
				},
			},
			m.recordsCommand("cases", "county.cli.import.cases.summary", "county.cli.import.cases.help", m.importCases),
			m.recordsCommand("resident", "county.cli.import.resident.summary", "county.cli.import.resident.help", m.importResident),
			m.recordsCommand("floating", "county.cli.import.floating.summary", "county.cli.import.floating.help", m.importFloating),
		},
	}
}

// regionsOptions are the flags of "import regions".
type regionsOptions struct {
	replace bool
	county  string
}

// importRegions merges a division file into the county's table (or
// replaces it with --replace), stores it in the database (where the sync
// API serves it to the townships) and, when
// the database serves no county yet, sets the county: the one named by
// --county, or the only county the table has townships for.
func (m *Main) importRegions(ctx context.Context, file string, o regionsOptions) error {
	var county hecha.Code
	if o.county != "" {
		c, err := hecha.ParseCode("county", o.county)
		if err != nil {
			return cli.Exit(cli.ExitUsage, err)
		}
		county = c
		// In a province's database the county named is the one to work on.
		if loc, err := m.dbPath(); err == nil && isPostgres(loc) && m.County == "" {
			m.County = string(c)
		}
	}
	data, header, rows, err := cli.TableCSV(file)
	if err != nil {
		return cli.Exit(cli.ExitUsage, err)
	}
	db, err := m.openDB()
	if err != nil {
		return err
	}
	if cli.IsHistoricHeader(header) {
		return m.importHistoric(ctx, data, rows)
	}

	// Read the file into a table of its own, to compare with the current one.
	fresh := hecha.NewDivisionTable()
	errs, err := rowErrors(codefile.LoadDivisions(fresh, bytes.NewReader(data)))
	if err != nil {
		return cli.Exit(cli.ExitUsage, err)
	}
	if fresh.Len() == 0 && len(errs) > 0 {
		return cli.Exit(cli.ExitUsage, errs[0])
	}
	for _, e := range errs {
		fmt.Fprintln(m.Stderr, cli.Sanitize(e.Message(m.Lang)))
	}
	cur := m.Rules.Divisions
	var st hecha.ImportStats
	for _, d := range fresh.All() {
		old, ok := cur.Lookup(d.Code)
		switch {
		case !ok:
			st.Added++
		case old.Name != d.Name:
			st.Changed++
		default:
			st.Unchanged++
		}
		if err := cur.Add(d); err != nil {
			return err
		}
	}
	keep := cur
	removed := 0
	if o.replace {
		removed = cur.Len() - fresh.Len()
		keep = fresh
	}
	if st.Added+st.Changed+removed > 0 {
		// The open database keeps validating with cur, which holds every
		// code kept; codes --replace removed go at the next start.
		if err := db.SaveDivisions(ctx, keep); err != nil {
			return err
		}
	}
	fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "county.cli.import.stats", st.Added, st.Changed, st.Unchanged, len(errs)))
	if removed > 0 {
		fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "county.cli.import.removed", removed))
	}
	if err := m.settleCounty(ctx, county); err != nil {
		return err
	}
	if len(errs) > 0 {
		return cli.Exit(cli.ExitFailure, nil)
	}
	return nil
}

// importHistoric replaces the historic GB/T 2260 list stored in the
// database with the file's good rows; bad rows are reported and left out.
func (m *Main) importHistoric(ctx context.Context, data []byte, rows int) error {
	check := hecha.NewDivisionTable()
	errs, err := rowErrors(codefile.LoadHistoric(check, bytes.NewReader(data)))
	if err != nil {
		return cli.Exit(cli.ExitUsage, err)
	}
	for _, e := range errs {
		fmt.Fprintln(m.Stderr, cli.Sanitize(e.Message(m.Lang)))
	}
	if len(errs) > 0 {
		data = goodHistoricRows(data)
	}
	rows -= len(errs)
	_, old, _, err := m.DB.DivisionsCSV(ctx)
	if err != nil {
		return err
	}
	var st hecha.ImportStats
	switch {
	case old != nil && bytes.Equal(old, data):
		st.Unchanged = rows
	case old != nil:
		st.Changed = rows
	default:
		st.Added = rows
	}
	if st.Unchanged == 0 {
		if err := m.DB.SaveHistoricDivisions(ctx, data); err != nil {
			return err
		}
		// The open database checks ID numbers with the new list too.
		if err := codefile.LoadHistoric(m.Rules.Divisions, bytes.NewReader(data)); err != nil {
			return err
		}
	}
	fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "county.cli.import.historic", st.Added, st.Changed, st.Unchanged, len(errs)))
	if len(errs) > 0 {
		return cli.Exit(cli.ExitFailure, nil)
	}
	return nil
}

// goodHistoricRows returns the historic list's CSV (one record a line, as
// cli.TableCSV writes it) without the rows LoadHistoric refuses.
func goodHistoricRows(data []byte) []byte {
	lines := bytes.Split(data, []byte("\n"))
	header := lines[0]
	out := append(append([]byte{}, header...), '\n')
	for _, line := range lines[1:] {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		one := append(append(append([]byte{}, header...), '\n'), line...)
		if codefile.LoadHistoric(hecha.NewDivisionTable(), bytes.NewReader(one)) == nil {
			out = append(append(out, line...), '\n')
		}
	}
	return out
}

// settleCounty sets the county the database serves when named, or when
// none is set and the table has townships of exactly one county, and
// says which county it serves.
func (m *Main) settleCounty(ctx context.Context, named hecha.Code) error {
	cur, err := m.DB.County(ctx)
	if err != nil {
		return err
	}
	switch {
	case named != "":
		// Even when the store is scoped to named already (--county on
		// PostgreSQL), so that the database records the county.
		if err := m.DB.SetCounty(ctx, named); err != nil {
			return err
		}
		cur = named
	case cur == "":
		if province, err := m.provinceNote(ctx); province || err != nil {
			return err
		}
		cs := townshipCounties(m.Rules.Divisions)
		if len(cs) != 1 {
			if len(cs) > 1 {
				fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "county.cli.import.which_county", len(cs), countyList(cs)))
			}
			return nil
		}
		if err := m.DB.SetCounty(ctx, cs[0]); err != nil {
			return err
		}
		cur = cs[0]
	}
	fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "county.cli.import.county", cur, cli.Sanitize(m.Rules.Divisions.FullName(cur))))
	return nil
}

// provinceNote says, for a command without --county on a province's
// database (PostgreSQL holding counties, the store scoped to none), that
// the database is the province's and how to work on one county, and
// returns true: such a command never sets the county the database serves.
// It returns false for any other database.
func (m *Main) provinceNote(ctx context.Context) (bool, error) {
	p, ok := m.DB.(interface {
		Counties(context.Context) ([]hecha.Code, error)
	})
	if !ok {
		return false, nil
	}
	cs, err := p.Counties(ctx)
	if err != nil || len(cs) == 0 {
		return false, err
	}
	fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "county.cli.import.province", len(cs), countyList(cs)))
	return true, nil
}

// rowErrors splits what a table loader returned into the rows' errors and
// an error that stopped it.
func rowErrors(err error) (hecha.Errors, error) {
	if err == nil {
		return nil, nil
	}
	var es hecha.Errors
	if errors.As(err, &es) {
		return es, nil
	}
	var e *hecha.Error
	if errors.As(err, &e) {
		return hecha.Errors{e}, nil
	}
	return nil, err
}
