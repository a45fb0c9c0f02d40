package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"hecha"
	"hecha/cmd/internal/cli"
	"hecha/report"
	"hecha/sheet"
)

// The county's reports (DESIGN §6) and its export of results:
//
//	hecha-county report progress|mismatch|notfound [--unit CODE] [--format table|csv|xlsx] [--encoding utf8|gb18030] [-o FILE]
//	hecha-county export results -o FILE [--format csv|xlsx] [--encoding utf8|gb18030] [--unit CODE]
func init() {
	additions = append(additions,
		func(m *Main) cli.Addition {
			return cli.Addition{Command: &cli.Command{Name: "report", Summary: "county.cli.report.summary", Sub: []*cli.Command{
				m.reportCommand("progress"), m.reportCommand("mismatch"), m.reportCommand("notfound"),
			}}}
		},
		func(m *Main) cli.Addition {
			return cli.Addition{Parent: "export", GroupSummary: "county.cli.export.summary", Command: m.exportResultsCommand()}
		},
	)
}

// reportOptions are the flags of a report.
type reportOptions struct {
	unit, format, encoding, out string
}

// output is where and how a report or an export is written.
type output struct {
	table bool // a text table (only reports)
	fmt   sheet.Format
	enc   sheet.Encoding
	path  string // "" for the standard output
}

// parseOutput reads --format, --encoding and -o: without --format, a text
// table on the screen, or the format the file's extension names; a
// workbook needs a file.
func parseOutput(format, encoding, out string, tableOK bool) (output, error) {
	o := output{path: out}
	var err error
	if o.enc, err = sheet.ParseEncoding(encoding); err != nil {
		return o, err
	}
	switch strings.ToLower(strings.TrimSpace(format)) {
	case "":
		o.table = tableOK && out == ""
		o.fmt = sheet.FormatOf(out)
	case "table", "text":
		if !tableOK {
			return o, hecha.Invalid("format", "tabfile.format", format)
		}
		o.table = true
	default:
		if o.fmt, err = sheet.ParseFormat(format); err != nil {
			return o, err
		}
	}
	if !o.table && out == "" && (o.fmt == sheet.XLSX || !tableOK) {
		return o, hecha.Invalid("o", "county.cli.report.need_out")
	}
	return o, nil
}

// reportCommand is "report NAME".
func (m *Main) reportCommand(name string) *cli.Command {
	return &cli.Command{
		Name: name, Summary: "county.cli.report." + name + ".summary", Help: "county.cli.report." + name + ".help",
		ValueNames: map[string]string{"format": "table|csv|xlsx"},
		Flags: func(fs *flag.FlagSet, lang hecha.Lang) cli.RunFunc {
			var o reportOptions
			fs.StringVar(&o.unit, "unit", "", hecha.T(lang, "county.cli.report.flag.unit"))
			fs.StringVar(&o.format, "format", "", hecha.T(lang, "county.cli.report.flag.format"))
			fs.StringVar(&o.encoding, "encoding", "utf8", hecha.T(lang, "county.cli.report.flag.encoding"))
			fs.StringVar(&o.out, "o", "", hecha.T(lang, "county.cli.report.flag.out"))
			return func(ctx context.Context, _ []string) error { return m.report(ctx, name, o) }
		},
	}
}

// report computes one report over every case of the county and writes it.
func (m *Main) report(ctx context.Context, name string, o reportOptions) error {
	out, err := parseOutput(o.format, o.encoding, o.out, true)
	if err != nil {
		return cli.Exit(cli.ExitUsage, err)
	}
	db, err := m.openDB()
	if err != nil {
		return err
	}
	root, err := m.reportRoot(ctx, o.unit)
	if err != nil {
		return err
	}

	// One walk over the cases keeps what the report needs of each.
	var progress []report.ProgressItem
	var mismatch []report.MismatchItem
	var notFound []report.CaseResult
	err = db.CaseResults(ctx, hecha.CaseFilter{}, func(c *hecha.Case, r *hecha.Result) error {
		switch name {
		case "progress":
			if c.Kind == hecha.KindCrossProvince {
				progress = append(progress, report.ProgressItemOf(c, r))
			}
		case "mismatch":
			if it, ok := report.MismatchItemOf(c, r); ok {
				mismatch = append(mismatch, it)
			}
		default:
			if r != nil && r.Form == hecha.FormP2 {
				notFound = append(notFound, report.CaseResult{Case: c, Result: r})
			}
		}
		return nil
	})
	if err != nil {
		return err
	}

	title := hecha.T(m.Lang, "report.title."+name)
	t := m.Rules.Divisions
	switch name {
	case "progress":
		p := report.ProgressOf(progress, root, t)
		return m.writeReport(out, title, hecha.T(m.Lang, "report.note.cross"), p.Table(m.Lang, out.table), p.Table(m.Lang, false))
	case "mismatch":
		s := report.MismatchSummaryOf(mismatch, root, t)
		return m.writeReport(out, title, "", s.Table(m.Lang, out.table), s.Table(m.Lang, false))
	}
	groups := report.NotFoundList(notFound, root, t)
	if !out.table {
		return m.writeReport(out, title, "", report.Table{}, report.NotFoundTable(groups, m.Lang, m.Rules, false))
	}
	return m.printNotFound(out, title, groups)
}

// reportRoot returns the unit a report starts from: --unit, else the
// county the database serves ("" when none is set: every county).
func (m *Main) reportRoot(ctx context.Context, unit string) (hecha.Code, error) {
	if unit == "" {
		return m.DB.County(ctx)
	}
	c, err := hecha.ParseCode("unit", unit)
	if err != nil {
		return "", cli.Exit(cli.ExitUsage, err)
	}
	if _, ok := m.Rules.Divisions.Lookup(c); !ok && m.Rules.Divisions.Len() > 0 {
		return "", cli.Exit(cli.ExitUsage, hecha.Errorf(hecha.ENOTFOUND, "unit", "county.cli.report.unit_unknown", string(c)))
	}
	return c, nil
}

// writeReport writes a report: screen as a text table laid out for the
// terminal's width under its title (and note), or file to a CSV file or
// workbook.
func (m *Main) writeReport(out output, title, note string, screen, file report.Table) error {
	if !out.table {
		return m.writeTable(out, title, file)
	}
	return m.printText(out, func(w io.Writer) error {
		fmt.Fprintln(w, title)
		if note != "" {
			fmt.Fprintln(w, note)
		}
		fmt.Fprintln(w)
		t := screenTable(screen)
		return t.Render(w, m.width())
	})
}

// printNotFound prints the no-such-person list as a text table per inflow
// township.
func (m *Main) printNotFound(out output, title string, groups []report.NotFoundGroup) error {
	return m.printText(out, func(w io.Writer) error {
		fmt.Fprintln(w, title)
		if len(groups) == 0 {
			fmt.Fprintln(w, hecha.T(m.Lang, "report.notfound.none"))
			return nil
		}
		for _, g := range groups {
			fmt.Fprintln(w)
			fmt.Fprintln(w, cli.Sanitize(hecha.T(m.Lang, "report.notfound.group", g.Inflow, g.Name, len(g.Cases))))
			t := screenTable(report.NotFoundTable([]report.NotFoundGroup{g}, m.Lang, m.Rules, true))
			t.Min = []int{hecha.MaxCaseIDLen, 4, 18, 4, 6} // case numbers and ID numbers are never cut
			if err := t.Render(w, m.width()); err != nil {
				return err
			}
		}
		return nil
	})
}

// printText writes text to the standard output or to the file -o names.
func (m *Main) printText(out output, write func(io.Writer) error) error {
	if out.path == "" {
		return write(m.Stdout)
	}
	err := cli.WriteFileAtomic(out.path, write)
	if err != nil {
		return hecha.Errorf(hecha.EUNAVAILABLE, "", "county.cli.report.write", out.path, err)
	}
	fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "county.cli.report.wrote", cli.Sanitize(out.path)))
	return nil
}

// screenTable is a report's table laid out for a terminal.
func screenTable(t report.Table) *cli.Table {
	return &cli.Table{Header: t.Header, Rows: t.Rows, Right: t.Numeric}
}

// writeTable writes a table as CSV (to the standard output without -o)
// or as a workbook.
func (m *Main) writeTable(out output, title string, t report.Table) error {
	cols := make([]sheet.ExportColumn, len(t.Header))
	for i, h := range t.Header {
		cols[i] = sheet.ExportColumn{Header: h, Numeric: t.Numeric[i], Width: 10}
		if !t.Numeric[i] {
			cols[i].Width = 16
		}
	}
	o := sheet.ExportOptions{Format: out.fmt, Encoding: out.enc, Title: title, Sheet: title, Freeze: 1}
	var w *sheet.Export
	var err error
	if out.path == "" {
		w, err = sheet.NewExport(m.Stdout, cols, o)
	} else {
		w, err = sheet.CreateExport(out.path, cols, o)
	}
	if err != nil {
		return err
	}
	defer w.Abort()
	for _, row := range t.Rows {
		if err := w.Write(row); err != nil {
			return err
		}
	}
	if err := w.Close(); err != nil {
		return err
	}
	if out.path != "" {
		fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "county.cli.report.wrote_rows", len(t.Rows), cli.Sanitize(out.path)))
	}
	return nil
}

// exportResultsCommand is "export results -o FILE".
func (m *Main) exportResultsCommand() *cli.Command {
	return &cli.Command{
		Name: "results", Summary: "county.cli.report.results.summary", Help: "county.cli.report.results.help",
		Flags: func(fs *flag.FlagSet, lang hecha.Lang) cli.RunFunc {
			var o reportOptions
			fs.StringVar(&o.unit, "unit", "", hecha.T(lang, "county.cli.report.flag.results_unit"))
			fs.StringVar(&o.format, "format", "", hecha.T(lang, "county.cli.report.flag.results_format"))
			fs.StringVar(&o.encoding, "encoding", "utf8", hecha.T(lang, "county.cli.report.flag.encoding"))
			fs.StringVar(&o.out, "o", "", hecha.T(lang, "county.cli.report.flag.results_out"))
			return func(ctx context.Context, _ []string) error { return m.exportResults(ctx, o) }
		},
	}
}

// exportResults writes every result in force with its case: the columns
// of the field worksheet, filled, and the result's bookkeeping.
func (m *Main) exportResults(ctx context.Context, o reportOptions) error {
	out, err := parseOutput(o.format, o.encoding, o.out, false)
	if err != nil {
		return cli.Exit(cli.ExitUsage, err)
	}
	db, err := m.openDB()
	if err != nil {
		return err
	}
	var f hecha.CaseFilter
	if o.unit != "" {
		if f.Unit, err = m.reportRoot(ctx, o.unit); err != nil {
			return err
		}
	}
	wcols := sheet.ResultColumns(m.Rules)
	cols := make([]sheet.ExportColumn, len(wcols))
	for i, c := range wcols {
		cols[i] = sheet.ExportColumn{Header: c.Header, Width: c.Width, Wrap: c.Wrap}
	}
	w, err := sheet.CreateExport(out.path, cols, sheet.ExportOptions{Format: out.fmt, Encoding: out.enc,
		Title: hecha.T(hecha.Chinese, "county.cli.report.results.title"), Sheet: hecha.T(hecha.Chinese, "county.cli.report.results.title"), Freeze: 2})
	if err != nil {
		return err
	}
	defer w.Abort()
	err = db.CaseResults(ctx, f, func(c *hecha.Case, r *hecha.Result) error {
		if r == nil {
			return nil
		}
		return w.Write(sheet.ResultRow(wcols, c, r, m.Rules))
	})
	if err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "county.cli.report.results.done", w.Rows(), cli.Sanitize(out.path)))
	return nil
}
