package main

import (
	"context"
	"flag"
	"fmt"
	"slices"
	"sort"
	"strconv"

	"hecha"
	"hecha/cmd/internal/cli"
)

// assignOptions are the flags of "assign".
type assignOptions struct {
	to, from string
	auto     bool
	by       string
}

// assignCommand is "assign --to UNIT CASE-ID…", "assign --to UNIT --from
// UNIT" and "assign --auto".
func (m *Main) assignCommand() *cli.Command {
	return &cli.Command{
		Name: "assign", Args: "[CASE-ID…]", Summary: "county.cli.assign.summary", Help: "county.cli.assign.help",
		MaxArgs: -1,
		Flags: func(fs *flag.FlagSet, lang hecha.Lang) cli.RunFunc {
			var o assignOptions
			fs.StringVar(&o.to, "to", "", hecha.T(lang, "county.cli.flag.assign.to"))
			fs.StringVar(&o.from, "from", "", hecha.T(lang, "county.cli.flag.assign.from"))
			fs.BoolVar(&o.auto, "auto", false, hecha.T(lang, "county.cli.flag.assign.auto"))
			fs.StringVar(&o.by, "by", "", hecha.T(lang, "county.cli.flag.assign.by"))
			return func(ctx context.Context, ids []string) error { return m.assign(ctx, o, ids) }
		},
	}
}

// assign checks the combination of flags and distributes the cases.
func (m *Main) assign(ctx context.Context, o assignOptions, ids []string) error {
	usage := func(msgID string) error {
		return cli.Exit(cli.ExitUsage, hecha.Errorf(hecha.EINVALID, "", msgID))
	}
	switch {
	case o.auto && (o.to != "" || o.from != "" || len(ids) > 0):
		return usage("county.cli.assign.auto_alone")
	case !o.auto && o.to == "":
		return usage("county.cli.assign.need_to")
	case o.from != "" && len(ids) > 0:
		return usage("county.cli.assign.from_or_ids")
	case !o.auto && o.from == "" && len(ids) == 0:
		return usage("county.cli.assign.need_cases")
	}
	var to, from hecha.Code
	var err error
	if o.to != "" {
		if to, err = hecha.ParseCode("to", o.to); err != nil {
			return cli.Exit(cli.ExitUsage, err)
		}
	}
	if o.from != "" {
		if from, err = hecha.ParseCode("from", o.from); err != nil {
			return cli.Exit(cli.ExitUsage, err)
		}
	}
	by := o.by
	if by == "" {
		by = m.operator()
	}
	db, err := m.openDB()
	if err != nil {
		return err
	}

	// Single cases: report each one.
	if len(ids) > 0 {
		m.noteCases(ids...)
		if err := db.Assign(ctx, ids, to, by); err != nil {
			return err
		}
		for _, id := range ids {
			fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "county.cli.assign.one", cli.Sanitize(id), to, cli.Sanitize(m.Rules.Divisions.FullName(to))))
		}
		return nil
	}

	// Batches: note the ids of the undistributed cases first (ids only,
	// walked without holding the cases), to report where each went.
	var before []string
	err = db.CaseResults(ctx, hecha.CaseFilter{Undistributed: true}, func(c *hecha.Case, _ *hecha.Result) error {
		before = append(before, c.ID)
		return nil
	})
	if err != nil {
		return err
	}
	slices.Sort(before)
	var n int
	if o.auto {
		n, err = db.AutoAssign(ctx, by)
	} else {
		n, err = db.AssignUnder(ctx, from, to, by)
	}
	if err != nil {
		return err
	}
	m.noteCount(n)
	if n == 0 {
		fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "county.cli.assign.none", len(before)))
		return nil
	}
	return m.printAssigned(ctx, before, n)
}

// printAssigned prints how many of the cases that were undistributed
// (before, sorted ids) went to each township (villages counted with their
// township), and how many are still undistributed. It walks the cases once
// instead of reading each one.
func (m *Main) printAssigned(ctx context.Context, before []string, n int) error {
	perTownship := map[hecha.Code]int{}
	units := map[hecha.Code]bool{}
	left := 0
	err := m.DB.CaseResults(ctx, hecha.CaseFilter{}, func(c *hecha.Case, _ *hecha.Result) error {
		if _, ok := slices.BinarySearch(before, c.ID); !ok {
			return nil
		}
		if c.Unit == "" {
			left++
			return nil
		}
		units[c.Unit] = true
		perTownship[c.Unit.At(hecha.LevelTownship)]++
		return nil
	})
	if err != nil {
		return err
	}
	townships := make([]hecha.Code, 0, len(perTownship))
	for u := range perTownship {
		townships = append(townships, u)
	}
	sort.Slice(townships, func(i, j int) bool { return townships[i] < townships[j] })
	t := cli.Table{
		Header: []string{hecha.T(m.Lang, "county.cli.col.township"), hecha.T(m.Lang, "county.cli.col.name"), hecha.T(m.Lang, "county.cli.col.count")},
		Right:  []bool{false, false, true},
		Min:    []int{9, 10, 4},
	}
	for _, u := range townships {
		t.Rows = append(t.Rows, []string{string(u), m.unitName(u), strconv.Itoa(perTownship[u])})
	}
	if err := t.Render(m.Stdout, m.width()); err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "county.cli.assign.done", n, len(townships), len(units), left))
	return nil
}

// unitName is a unit's name below the county: "林山寨街道/建设路社区".
func (m *Main) unitName(u hecha.Code) string {
	path := m.Rules.Divisions.Path(u)
	name := ""
	for _, d := range path {
		if d.Code.Level() > hecha.LevelCounty {
			if name != "" {
				name += "/"
			}
			name += d.Name
		}
	}
	if name == "" {
		return m.shortName(u)
	}
	return name
}
