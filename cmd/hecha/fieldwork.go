package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"runtime/debug"
	"slices"
	"strings"

	"hecha"
	"hecha/cmd/internal/cli"
	"hecha/sheet"
)

// Field work (导出 → 人工核查 → 录入): the clerk prints the cases not yet
// verified as a worksheet, checks each person door to door, writes the
// results into the sheet (on paper, then on a computer, or straight into
// the workbook) and imports the filled sheet:
//
//	hecha export pending -o FILE [--format csv|xlsx] [--encoding utf8|gb18030] [--kind KIND]
//	hecha import results FILE
func init() {
	additions = append(additions,
		func(m *Main) cli.Addition {
			return cli.Addition{Parent: "export", GroupSummary: "cli.township.export.summary", Command: m.exportPendingCommand()}
		},
		func(m *Main) cli.Addition {
			return cli.Addition{Parent: "import", GroupSummary: "cli.township.import.summary", Command: m.importResultsCommand()}
		},
	)
}

// exportPendingCommand is "export pending -o FILE".
func (m *Main) exportPendingCommand() *cli.Command {
	return &cli.Command{
		Name: "pending", Summary: "cli.township.fieldwork.pending.summary", Help: "cli.township.fieldwork.pending.help",
		ValueNames: map[string]string{"kind": "1|2|3"},
		Flags: func(fs *flag.FlagSet, lang hecha.Lang) cli.RunFunc {
			var out, format, encoding, kind string
			fs.StringVar(&out, "o", "", hecha.T(lang, "cli.township.fieldwork.flag.out"))
			fs.StringVar(&format, "format", "", hecha.T(lang, "cli.township.fieldwork.flag.format"))
			fs.StringVar(&encoding, "encoding", "utf8", hecha.T(lang, "cli.township.fieldwork.flag.encoding"))
			fs.StringVar(&kind, "kind", "", hecha.T(lang, "cli.township.fieldwork.flag.kind"))
			return func(ctx context.Context, _ []string) error {
				o, err := parseWorksheetOptions(out, format, encoding, kind)
				if err != nil {
					return cli.Exit(cli.ExitUsage, err)
				}
				// A batch command whose heap is mostly garbage: the
				// collector runs at a third of its default slack, which is
				// what an old terminal's memory sees (issue 17).
				defer debug.SetGCPercent(debug.SetGCPercent(30))
				n, err := m.ExportPending(ctx, o)
				if err != nil {
					return err
				}
				name := cli.Sanitize(o.Path)
				if n == 0 {
					fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "cli.township.fieldwork.pending.none", name))
					return nil
				}
				fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "cli.township.fieldwork.pending.done", n, name, o.Format))
				fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "cli.township.fieldwork.pending.next", name))
				return nil
			}
		},
	}
}

// WorksheetOptions say where and how ExportPending writes the worksheet.
type WorksheetOptions struct {
	Path     string
	Format   sheet.Format
	Encoding sheet.Encoding
	// Kind, when set, exports only cases of that kind.
	Kind hecha.Kind
}

// parseWorksheetOptions reads the flags of "export pending"; the format
// defaults to the one the file's extension names.
func parseWorksheetOptions(out, format, encoding, kind string) (WorksheetOptions, error) {
	o := WorksheetOptions{Path: out}
	if out == "" {
		return o, hecha.Invalid("o", "cli.township.fieldwork.need_out")
	}
	o.Format = sheet.FormatOf(out)
	var err error
	if format != "" {
		if o.Format, err = sheet.ParseFormat(format); err != nil {
			return o, err
		}
	}
	if o.Encoding, err = sheet.ParseEncoding(encoding); err != nil {
		return o, err
	}
	if kind != "" {
		if o.Kind, err = hecha.ParseKind(kind); err != nil {
			return o, err
		}
	}
	return o, nil
}

// worksheetStatuses are the states of the cases a worksheet holds: every
// case without a final result in force here — not verified, with a draft,
// rejected by the county, or in conflict.
var worksheetStatuses = []hecha.Status{hecha.StatusPending, hecha.StatusDraft, hecha.StatusRejected, hecha.StatusConflict}

// ExportPending writes the worksheet of the township's cases not verified
// (of o.Kind only, when set) to o.Path and returns how many it holds. The
// rows are ordered by kind, then case number; each kind's rows offer its
// own forms in the 核查结果 drop-down list of a workbook. The interface
// calls it too. The cases are streamed, a page at a time, once for each
// kind they hold (the first pass only counts them), so memory does not
// grow with the number of cases.
func (m *Main) ExportPending(ctx context.Context, o WorksheetOptions) (int, error) {
	db, err := m.OpenDB(ctx)
	if err != nil {
		return 0, err
	}
	keep := func(kind hecha.Kind) func(*hecha.CaseSummary) bool {
		return func(s *hecha.CaseSummary) bool {
			return slices.Contains(worksheetStatuses, s.Status) && (kind == "" || s.Kind == kind)
		}
	}
	// The kinds held, in the order their rows come (by name).
	perKind := map[hecha.Kind]int{}
	err = db.EachCase(ctx, func(s *hecha.CaseSummary) bool {
		if keep(o.Kind)(s) {
			perKind[s.Kind]++
		}
		return false
	}, nil)
	if err != nil {
		return 0, err
	}
	kinds := slices.Sorted(maps.Keys(perKind))
	if len(kinds) == 0 && o.Kind != "" {
		kinds = []hecha.Kind{o.Kind}
	}
	cols := sheet.WorksheetColumns(m.Rules, kinds...)
	w, err := sheet.CreateExport(o.Path, exportColumns(cols), sheet.ExportOptions{
		Format: o.Format, Encoding: o.Encoding, Freeze: freezeCount(cols),
		Title: m.worksheetTitle(), Sheet: hecha.T(hecha.Chinese, "cli.township.fieldwork.sheet"),
	})
	if err != nil {
		return 0, err
	}
	defer w.Abort()
	form := slices.IndexFunc(cols, func(c sheet.WorksheetColumn) bool { return c.Key == "form" })
	rows := 0
	for _, kind := range kinds {
		first := rows + 1
		err := db.EachCase(ctx, keep(kind), func(c *hecha.Case) error {
			rows++
			return w.Write(sheet.WorksheetRow(cols, c, m.Rules))
		})
		if err != nil {
			return 0, err
		}
		if err := w.Choices(form, first, rows, sheet.FormChoices(kind)); err != nil {
			return 0, err
		}
	}
	for i, c := range cols {
		if c.Key != "form" && len(c.Choices) > 0 {
			if err := w.Choices(i, 1, rows, c.Choices); err != nil {
				return 0, err
			}
		}
	}
	return rows, w.Close()
}

// exportColumns turns worksheet columns into the columns the writer takes;
// the form's drop-down list is set per kind.
func exportColumns(cols []sheet.WorksheetColumn) []sheet.ExportColumn {
	out := make([]sheet.ExportColumn, len(cols))
	for i, c := range cols {
		out[i] = sheet.ExportColumn{Header: c.Header, Width: c.Width, Wrap: c.Wrap, Input: c.Input}
	}
	return out
}

// freezeCount is how many leading columns stay in view and on every
// printed page: the case number, and the name when it follows.
func freezeCount(cols []sheet.WorksheetColumn) int {
	if len(cols) > 1 && cols[1].Key == "verified.name" {
		return 2
	}
	return 1
}

// worksheetTitle is the worksheet's printed title: the township and the day.
func (m *Main) worksheetTitle() string {
	place := string(m.Settings.Township)
	if m.Rules != nil && m.Settings.Township != "" {
		if d, ok := m.Rules.Divisions.Lookup(m.Settings.Township); ok {
			place = d.Name + " " + place
		}
	}
	return strings.TrimSpace(hecha.T(hecha.Chinese, "cli.township.fieldwork.title", place, m.Clock().Format("2006-01-02")))
}

// importResultsCommand is "import results FILE".
func (m *Main) importResultsCommand() *cli.Command {
	return &cli.Command{
		Name: "results", Args: "FILE", Summary: "cli.township.fieldwork.results.summary", Help: "cli.township.fieldwork.results.help",
		MinArgs: 1, MaxArgs: 1,
		Flags: func(fs *flag.FlagSet, lang hecha.Lang) cli.RunFunc {
			return func(ctx context.Context, args []string) error { return m.importResults(ctx, args[0]) }
		},
	}
}

// resultStats counts what an import of results did.
type resultStats struct {
	saved, corrected, unchanged, skipped, rejected int
}

// importResults reads a filled worksheet: each row with a result becomes a
// final result of its case, validated as the form validates it and saved
// into the outbox; a row that says what the result in force says changes
// nothing; another result for a case that has one is saved as its
// correction. Rejected rows are listed by line on Stderr, and so are
// header cells that name no known column. Exit status: 0, 1 when rows
// were rejected (the others are saved) or the file has no data rows, 2
// when the file could not be read (nothing changed, or the rows before
// the damage were saved).
func (m *Main) importResults(ctx context.Context, file string) error {
	if _, err := m.OpenDB(ctx); err != nil {
		return err
	}
	if m.Rules.Divisions.Len() == 0 {
		// Division codes are then checked for their form only: say so.
		fmt.Fprintln(m.Stderr, hecha.T(m.Lang, "cli.township.no_divisions"))
	}
	r, err := sheet.Open(file)
	if err != nil {
		return cli.Exit(cli.ExitUsage, err)
	}
	defer r.Close()
	h, err := sheet.NewWorksheetHeader(r.Header())
	if err != nil {
		return cli.Exit(cli.ExitUsage, err)
	}
	for _, u := range h.Unknown() {
		fmt.Fprintln(m.Stderr, cli.Sanitize(u.Message(m.Lang)))
	}
	rep := cli.LineReporter{W: m.Stderr, Lang: m.Lang}
	var st resultStats
	rows := 0
	reject := func(line int, err error) {
		rep.Report(line, err)
		st.rejected++
	}
	seen := map[string]int{}
	var readErr error
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		line, row, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			readErr = err
			break
		}
		rows++
		if !h.Filled(row) {
			st.skipped++
			continue
		}
		id := h.CaseID(row)
		if id == "" {
			reject(line, hecha.Invalid("case_id", "form.required"))
			continue
		}
		if first, dup := seen[id]; dup {
			reject(line, hecha.Invalid("case_id", "worksheet.case_repeated", id, first))
			continue
		}
		seen[id] = line
		if err := m.importResultRow(ctx, h, row, id, &st); err != nil {
			if !rowError(err) {
				return err
			}
			reject(line, err)
		}
	}
	if rows == 0 && readErr == nil {
		// Rows that vanished (line endings not read as such) must not look
		// like success.
		return cli.Exit(cli.ExitFailure, hecha.Invalid("", "tabfile.no_rows", r.Name()))
	}
	fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "cli.township.fieldwork.results.stats", st.saved, st.corrected, st.unchanged, st.skipped, st.rejected))
	switch {
	case readErr != nil:
		return cli.Exit(cli.ExitUsage, readErr)
	case st.rejected > 0:
		return cli.Exit(cli.ExitFailure, nil)
	}
	return nil
}

// importResultRow reads one filled row for case id and saves its result,
// unless it is the result already in force.
func (m *Main) importResultRow(ctx context.Context, h *sheet.WorksheetHeader, row []string, id string, st *resultStats) error {
	c, err := m.DB.Case(ctx, id)
	if hecha.ErrorCode(err) == hecha.ENOTFOUND {
		return hecha.Invalid("case_id", "worksheet.case_unknown", id)
	}
	if err != nil {
		return err
	}
	res, err := h.ParseResult(row, c, m.Rules)
	if err != nil {
		return err
	}
	hist, err := m.DB.History(ctx, id)
	if err != nil {
		return err
	}
	if len(hist) > 0 {
		newest := &hist[len(hist)-1].Result
		if newest.SameContent(&res) {
			st.unchanged++
			return nil
		}
		res.Replaces = newest.ID
	}
	if _, err := m.DB.SaveResult(ctx, &res); err != nil {
		return err
	}
	st.saved++
	if res.Replaces != "" {
		st.corrected++
	}
	return nil
}

// rowError reports whether err is about the row (it fails validation, or
// conflicts with what is stored) rather than a failure of the database.
func rowError(err error) bool {
	var e *hecha.Error
	var es hecha.Errors
	if !errors.As(err, &es) && !errors.As(err, &e) {
		return false
	}
	switch hecha.ErrorCode(err) {
	case hecha.EINVALID, hecha.ECONFLICT:
		return true
	}
	return false
}
