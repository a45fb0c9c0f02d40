package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"reflect"

	"hecha"
	"hecha/cmd/internal/cli"
	"hecha/sheet"
)

// importChunk is how many accepted rows are handed to the store at a
// time; the store writes them in batched transactions.
const importChunk = 2000

// recordsCommand is "import cases|resident|floating FILE".
func (m *Main) recordsCommand(name, summary, help string, run func(ctx context.Context, file string) error) *cli.Command {
	return &cli.Command{
		Name: name, Args: "FILE", Summary: summary, Help: help, MinArgs: 1, MaxArgs: 1,
		Flags: func(fs *flag.FlagSet, lang hecha.Lang) cli.RunFunc {
			return func(ctx context.Context, args []string) error { return run(ctx, args[0]) }
		},
	}
}

// importer reads one file of records, reports rejected rows and hands
// the accepted ones to the store a chunk at a time.
type importer struct {
	m        *Main
	rep      cli.LineReporter
	seen     map[string]int // record id → line, for ids repeated in the file
	stats    hecha.ImportStats
	rejected int
	// parse reads and validates a row, returning the record's id and the
	// function that takes it in once it is known not to repeat an id.
	parse func(row []string) (id string, keep func(), err error)
	// flush stores the rows parsed since the last flush; lines are their
	// line numbers, for rows the store refuses after all.
	flush func(ctx context.Context, lines []int) error
	lines []int
}

// run reads the file with the header parser newHeader.
func (im *importer) run(ctx context.Context, file string, newHeader func([]string) (*sheet.Header, error), setHeader func(*sheet.Header)) error {
	if im.m.Rules.Divisions.Len() == 0 {
		// Every row would be rejected for its division codes.
		return hecha.Errorf(hecha.EINVALID, "", "county.cli.import.no_regions")
	}
	r, err := sheet.Open(file)
	if err != nil {
		return cli.Exit(cli.ExitUsage, err)
	}
	defer r.Close()
	h, err := newHeader(r.Header())
	if err != nil {
		return cli.Exit(cli.ExitUsage, err)
	}
	setHeader(h)
	for _, u := range h.Unknown() {
		fmt.Fprintln(im.m.Stderr, cli.Sanitize(u.Message(im.m.Lang)))
	}
	im.seen = map[string]int{}
	im.rep = cli.LineReporter{W: im.m.Stderr, Lang: im.m.Lang}
	var readErr error
	rows := 0
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		line, cells, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			readErr = err
			break
		}
		rows++
		id, keep, err := im.parse(cells)
		if err == nil {
			if first, dup := im.seen[id]; dup {
				err = hecha.Invalid("id", "county.cli.import.dup", id, first)
			}
		}
		if err != nil {
			im.reject(line, err)
			continue
		}
		im.seen[id] = line
		keep()
		im.lines = append(im.lines, line)
		if len(im.lines) >= importChunk {
			if err := im.flushNow(ctx); err != nil {
				return err
			}
		}
	}
	if err := im.flushNow(ctx); err != nil {
		return err
	}
	if rows == 0 && readErr == nil {
		return cli.Exit(cli.ExitFailure, hecha.Invalid("", "tabfile.no_rows", r.Name()))
	}
	fmt.Fprintln(im.m.Stdout, hecha.T(im.m.Lang, "county.cli.import.stats", im.stats.Added, im.stats.Changed, im.stats.Unchanged, im.rejected))
	switch {
	case readErr != nil:
		return cli.Exit(cli.ExitUsage, readErr)
	case im.rejected > 0:
		return cli.Exit(cli.ExitFailure, nil)
	}
	return nil
}

// reject reports a row and counts it.
func (im *importer) reject(line int, err error) {
	im.rep.Report(line, err)
	im.rejected++
}

// flushNow stores the pending rows.
func (im *importer) flushNow(ctx context.Context) error {
	if len(im.lines) == 0 {
		return nil
	}
	err := im.flush(ctx, im.lines)
	im.lines = im.lines[:0]
	return err
}

// importCases imports a cases file.
func (m *Main) importCases(ctx context.Context, file string) error {
	db, err := m.openDB()
	if err != nil {
		return err
	}
	var h *sheet.Header
	var batch []hecha.Case
	im := &importer{m: m}
	homes := map[hecha.Code]int{} // the counties of the cases' household divisions
	im.parse = func(row []string) (string, func(), error) {
		c, err := h.ParseCase(row, m.Rules)
		if err != nil {
			return "", nil, err
		}
		return c.ID, func() {
			batch = append(batch, c)
			if home := c.Person.HouseholdDivision.County(); home != "" {
				homes[home]++
			}
		}, nil
	}
	im.flush = func(ctx context.Context, lines []int) error {
		defer func() { batch = batch[:0] }()
		for len(batch) > 0 {
			st, err := db.ImportCases(ctx, batch)
			if err == nil {
				im.stats.Added += st.Added
				im.stats.Changed += st.Changed
				im.stats.Unchanged += st.Unchanged
				return nil
			}
			// The store refused a case the row check let through: report
			// it on its line and store the others.
			i, rest := refusedCase(batch, err)
			if i < 0 {
				return err
			}
			im.reject(lines[i], rest)
			batch = append(batch[:i], batch[i+1:]...)
			lines = append(lines[:i:i], lines[i+1:]...)
		}
		return nil
	}
	err = im.run(ctx, file, sheet.NewCaseHeader, func(x *sheet.Header) { h = x })
	m.noteCount(im.stats.Added + im.stats.Changed + im.stats.Unchanged)
	if cerr := m.countyFromCases(ctx, homes); err == nil || cerr != nil && cli.ExitCode(err) == cli.ExitFailure {
		err = cerr
	}
	return err
}

// countyFromCases sets the county the database serves, when none is set
// yet, to the one county all the imported cases' households lie in.
func (m *Main) countyFromCases(ctx context.Context, homes map[hecha.Code]int) error {
	cur, err := m.DB.County(ctx)
	if err != nil || cur != "" || len(homes) == 0 {
		return err
	}
	if province, err := m.provinceNote(ctx); province || err != nil {
		return err
	}
	if len(homes) > 1 {
		fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "county.cli.import.cases_counties", len(homes)))
		return nil
	}
	for c := range homes {
		if err := m.DB.SetCounty(ctx, c); err != nil {
			return err
		}
		fmt.Fprintln(m.Stdout, hecha.T(m.Lang, "county.cli.import.county", c, cli.Sanitize(m.Rules.Divisions.FullName(c))))
	}
	return nil
}

// refusedCase finds the case an ImportCases error is about (its first
// entry names the case id) and returns its index and the case's errors,
// or -1 when the error is not about one case.
func refusedCase(batch []hecha.Case, err error) (int, error) {
	es := hecha.AsErrors(err)
	if len(es) == 0 || es[0].Code != hecha.EINVALID || es[0].Field != "" || len(es[0].Args) == 0 {
		return -1, nil
	}
	id := fmt.Sprint(es[0].Args[0])
	for i := range batch {
		if batch[i].ID == id {
			rest := es[1:]
			if len(rest) == 0 {
				rest = es[:1]
			}
			return i, rest
		}
	}
	return -1, nil
}

// importResident imports a resident registry file.
func (m *Main) importResident(ctx context.Context, file string) error {
	db, err := m.openDB()
	if err != nil {
		return err
	}
	return importRegistry(ctx, m, file, sheet.NewResidentHeader, (*sheet.Header).ParseResident,
		db.ResidentByCitizenID, func(r hecha.ResidentRecord) (string, string) { return r.ID, r.CitizenID }, db.PutResident)
}

// importFloating imports a floating registry file.
func (m *Main) importFloating(ctx context.Context, file string) error {
	db, err := m.openDB()
	if err != nil {
		return err
	}
	return importRegistry(ctx, m, file, sheet.NewFloatingHeader, (*sheet.Header).ParseFloating,
		db.FloatingByCitizenID, func(r hecha.FloatingRecord) (string, string) { return r.ID, r.CitizenID }, db.PutFloating)
}

// importRegistry imports a registry file of records R: each row is parsed
// with parse, compared with the record stored under the same citizen ID
// (found by lookup; keys gives a record's id and citizen ID) to count it
// as added, changed or unchanged, and the new and changed records are
// stored with put, a batch at a time.
func importRegistry[R any](ctx context.Context, m *Main, file string,
	newHeader func([]string) (*sheet.Header, error),
	parse func(*sheet.Header, []string, *hecha.Rules) (R, error),
	lookup func(string) ([]R, error),
	keys func(R) (id, citizenID string),
	put func(context.Context, []R) error,
) error {
	var h *sheet.Header
	var batch []R
	im := &importer{m: m}
	recordID := func(r R) string { id, _ := keys(r); return id }
	im.parse = func(row []string) (string, func(), error) {
		rec, err := parse(h, row, m.Rules)
		if err != nil {
			return "", nil, err
		}
		id, citizenID := keys(rec)
		old, err := lookup(citizenID)
		if err != nil {
			return "", nil, err
		}
		return id, func() {
			switch compareRecord(old, rec, recordID) {
			case recordSame:
				im.stats.Unchanged++
				return
			case recordChanged:
				im.stats.Changed++
			default:
				im.stats.Added++
			}
			batch = append(batch, rec)
		}, nil
	}
	im.flush = func(ctx context.Context, _ []int) error {
		defer func() { batch = batch[:0] }()
		return put(ctx, batch)
	}
	return im.run(ctx, file, newHeader, func(x *sheet.Header) { h = x })
}

// recordState is how an imported registry record relates to the stored one.
type recordState int

const (
	recordNew recordState = iota
	recordChanged
	recordSame
)

// compareRecord finds rec among the stored records with its citizen ID
// (the registries are indexed by it) by record id and says whether it is
// new, changed or the same. A record whose citizen ID changed counts as new.
func compareRecord[R any](stored []R, rec R, id func(R) string) recordState {
	for _, old := range stored {
		if id(old) == id(rec) {
			if reflect.DeepEqual(old, rec) {
				return recordSame
			}
			return recordChanged
		}
	}
	return recordNew
}
