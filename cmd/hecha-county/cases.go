package main

import (
	"context"
	"flag"
	"fmt"
	"slices"
	"strings"

	"hecha"
	"hecha/cmd/internal/cli"
)

// casesCommand is "cases list" and "cases show".
func (m *Main) casesCommand() *cli.Command {
	return &cli.Command{
		Name:    "cases",
		Summary: "county.cli.cases.summary",
		Sub: []*cli.Command{
			{
				Name: "list", Summary: "county.cli.cases.list.summary",
				Flags: func(fs *flag.FlagSet, lang hecha.Lang) cli.RunFunc {
					var o listOptions
					fs.StringVar(&o.unit, "unit", "", hecha.T(lang, "county.cli.flag.cases.unit"))
					fs.BoolVar(&o.undistributed, "undistributed", false, hecha.T(lang, "county.cli.flag.cases.undistributed"))
					fs.StringVar(&o.status, "status", "", hecha.T(lang, "county.cli.flag.cases.status"))
					fs.StringVar(&o.kind, "kind", "", hecha.T(lang, "county.cli.flag.cases.kind"))
					fs.IntVar(&o.limit, "limit", 0, hecha.T(lang, "county.cli.flag.cases.limit"))
					return func(ctx context.Context, _ []string) error { return m.casesList(ctx, o) }
				},
			},
			{
				Name: "show", Args: "CASE-ID", Summary: "county.cli.cases.show.summary", MinArgs: 1, MaxArgs: 1,
				Flags: func(fs *flag.FlagSet, lang hecha.Lang) cli.RunFunc {
					return func(ctx context.Context, args []string) error { return m.casesShow(ctx, args[0]) }
				},
			},
		},
	}
}

// listOptions are the flags of "cases list".
type listOptions struct {
	unit, status, kind string
	undistributed      bool
	limit              int
}

// filter turns the options into a CaseFilter.
func (o listOptions) filter() (hecha.CaseFilter, error) {
	f := hecha.CaseFilter{Undistributed: o.undistributed}
	var err error
	if o.unit != "" {
		if f.Unit, err = hecha.ParseCode("unit", o.unit); err != nil {
			return f, err
		}
	}
	if o.status != "" {
		if f.Status, err = parseStatus(o.status); err != nil {
			return f, err
		}
	}
	if o.kind != "" {
		if f.Kind, err = parseKind(o.kind); err != nil {
			return f, err
		}
	}
	if o.limit < 0 {
		return f, hecha.Invalid("limit", "county.cli.limit")
	}
	return f, nil
}

// casesList prints the cases the filter selects as a table.
func (m *Main) casesList(ctx context.Context, o listOptions) error {
	f, err := o.filter()
	if err != nil {
		return cli.Exit(cli.ExitUsage, err)
	}
	db, err := m.openDB()
	if err != nil {
		return err
	}
	// The status of each case comes from the status index: ask once per
	// status (or only the one asked for) and merge by case id.
	type row struct {
		c      hecha.Case
		status hecha.Status
	}
	var rows []row
	statuses := hecha.Statuses
	if f.Status != "" {
		statuses = []hecha.Status{f.Status}
	}
	for _, s := range statuses {
		f.Status = s
		cases, err := db.Cases(ctx, f)
		if err != nil {
			return err
		}
		for _, c := range cases {
			rows = append(rows, row{c, s})
		}
	}
	slices.SortFunc(rows, func(a, b row) int { return strings.Compare(a.c.ID, b.c.ID) })
	total := len(rows)
	if o.limit > 0 && len(rows) > o.limit {
		rows = rows[:o.limit]
	}
	t := cli.Table{
		Header: []string{
			hecha.T(m.Lang, "county.cli.col.case"), hecha.T(m.Lang, "county.cli.col.kind"),
			hecha.FieldName(m.Lang, "name"), hecha.T(m.Lang, "county.cli.col.household"),
			hecha.T(m.Lang, "county.cli.col.unit"), hecha.T(m.Lang, "county.cli.col.status"),
		},
		// Case ids and unit codes are never cut; the place names give way.
		Min: []int{hecha.MaxCaseIDLen, 4, 4, 8, 12, 4},
	}
	for _, r := range rows {
		p := r.c.Person
		unit := string(r.c.Unit)
		if unit == "" {
			unit = hecha.T(m.Lang, "county.cli.undistributed")
		}
		t.Rows = append(t.Rows, []string{
			r.c.ID, kindShort(m.Lang, r.c.Kind), p.Name,
			m.unitName(p.HouseholdDivision), unit, statusName(m.Lang, r.status),
		})
	}
	if len(rows) > 0 {
		if err := t.Render(m.Stdout, m.width()); err != nil {
			return err
		}
	}
	if len(rows) < total {
		fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "county.cli.cases.count_limited", len(rows), total))
	} else {
		fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "county.cli.cases.count", total))
	}
	return nil
}

// codeName returns the display name of an enumeration's code.
func (m *Main) codeName(field, code string) string {
	if code == "" {
		return ""
	}
	if t := m.Rules.Table(field); t != nil {
		return t.Name(m.Lang, code)
	}
	return code
}

// parseStatus reads a status written as its code or its name.
func parseStatus(s string) (hecha.Status, error) {
	s = strings.TrimSpace(s)
	for _, st := range hecha.Statuses {
		if strings.EqualFold(s, string(st)) || s == statusName(hecha.Chinese, st) || strings.EqualFold(s, statusName(hecha.English, st)) {
			return st, nil
		}
	}
	return "", hecha.Invalid("status", "county.cli.status.unknown", s)
}

// statusName is a status's display name.
func statusName(lang hecha.Lang, s hecha.Status) string {
	return hecha.T(lang, "county.cli.status."+string(s))
}

// parseKind reads a kind written 1, 2, 3, as its Chinese name, or as an
// English word.
func parseKind(s string) (hecha.Kind, error) {
	s = strings.TrimSpace(s)
	for _, k := range []hecha.Kind{hecha.KindCrossProvince, hecha.KindInProvince, hecha.KindMismatch} {
		if s == string(k) || s == kindName(hecha.Chinese, k) || s == kindShort(hecha.Chinese, k) ||
			strings.EqualFold(s, kindShort(hecha.English, k)) || strings.EqualFold(s, kindName(hecha.English, k)) {
			return k, nil
		}
	}
	return "", hecha.Invalid("kind", "county.cli.kind.unknown", s)
}

// kindName is a kind's full name; kindShort the name in a table.
func kindName(lang hecha.Lang, k hecha.Kind) string {
	return hecha.T(lang, "county.cli.kind."+string(k))
}

func kindShort(lang hecha.Lang, k hecha.Kind) string {
	return hecha.T(lang, "county.cli.kind.short."+string(k))
}

// formName is a form's name: "R3 流动人口系统，流入地不一致".
func formName(lang hecha.Lang, f hecha.Form) string {
	return string(f) + " " + hecha.T(lang, "county.cli.form."+string(f))
}
