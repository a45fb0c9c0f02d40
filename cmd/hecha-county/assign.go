package main

import (
	"context"
	"flag"
	"fmt"
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

	// Batches: count the cases per unit before and after, to report
	// where the cases went without holding them (a county may have a
	// million; the store assigns them a batch at a time).
	before, err := m.unitCounts(ctx)
	if err != nil {
		return err
	}
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
		fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "county.cli.assign.none", before[""]))
		return nil
	}
	after, err := m.unitCounts(ctx)
	if err != nil {
		return err
	}
	return m.printAssigned(before, after, n)
}

// unitCounter is a store that counts its cases per unit without reading
// them (PostgreSQL: one GROUP BY).
type unitCounter interface {
	UnitCounts(ctx context.Context) (map[hecha.Code]int, error)
}

// unitCounts returns how many cases each unit holds, the undistributed
// ones under "": from the store's own count when it has one, else
// reading the cases a page at a time.
func (m *Main) unitCounts(ctx context.Context) (map[hecha.Code]int, error) {
	if uc, ok := m.DB.(unitCounter); ok {
		return uc.UnitCounts(ctx)
	}
	counts := map[hecha.Code]int{}
	err := m.DB.CaseResults(ctx, hecha.CaseFilter{}, func(c *hecha.Case, _ *hecha.Result) error {
		counts[c.Unit]++
		return nil
	})
	return counts, err
}

// printAssigned prints how many of the cases that were undistributed went
// to each township (villages counted with their township), from the cases
// per unit before and after a batch assignment (which only takes cases
// out of the undistributed set), and how many are still undistributed.
func (m *Main) printAssigned(before, after map[hecha.Code]int, n int) error {
	perTownship := map[hecha.Code]int{}
	units := 0
	for u, k := range after {
		if gained := k - before[u]; u != "" && gained > 0 {
			units++
			perTownship[u.At(hecha.LevelTownship)] += gained
		}
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
	fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "county.cli.assign.done", n, len(townships), units, after[""]))
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
