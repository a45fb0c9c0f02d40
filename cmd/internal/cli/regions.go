package cli

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"

	"hecha"
	"hecha/cmd/internal/tabfile"
)

// A database's division table is kept beside it, as the CSV that
// hecha.DivisionTable.WriteCSV writes (<db>.regions.csv), and the historic
// GB/T 2260 codes for old ID numbers as a second CSV (<db>.historic.csv).
// Both are read whenever the database is opened.
const (
	RegionsSuffix  = ".regions.csv"
	HistoricSuffix = ".historic.csv"
)

// RegionsPath and HistoricPath are the files beside the database at db.
func RegionsPath(db string) string  { return db + RegionsSuffix }
func HistoricPath(db string) string { return db + HistoricSuffix } //nolint:revive // documented with RegionsPath

// LoadRegions loads the division table kept beside the database at db:
// an empty table when none was imported yet. A damaged file is an
// EUNAVAILABLE error naming it.
func LoadRegions(db string) (*hecha.DivisionTable, error) {
	t := hecha.NewDivisionTable()
	for _, f := range []struct {
		path string
		load func(io.Reader) error
	}{
		{RegionsPath(db), t.Load},
		{HistoricPath(db), t.LoadHistoric},
	} {
		file, err := os.Open(f.path)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, hecha.Errorf(hecha.EUNAVAILABLE, "", "cli.regions.read", f.path, err)
		}
		err = f.load(file)
		file.Close()
		if err != nil {
			return nil, hecha.Errorf(hecha.EUNAVAILABLE, "", "cli.regions.damaged", f.path, hecha.ErrorMessage(err, hecha.English))
		}
	}
	return t, nil
}

// SaveRegions writes t beside the database at db.
func SaveRegions(db string, t *hecha.DivisionTable) error {
	if err := WriteFileAtomic(RegionsPath(db), t.WriteCSV); err != nil {
		return hecha.Errorf(hecha.EUNAVAILABLE, "", "cli.regions.write", RegionsPath(db), err)
	}
	return nil
}

// WriteFileAtomic writes the file at path (mode 0600) through a temporary
// file in the same folder, synced and renamed over it, so a crash leaves
// either the old file or the new one.
func WriteFileAtomic(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// TableCSV reads a whole table file (CSV in any encoding tabfile knows,
// or XLSX) and returns it as UTF-8 CSV with every row on the line tabfile
// gives it (the row a spreadsheet shows), so that line numbers in a CSV
// parser's errors are the file's; also the header and the number of rows
// after it. Line breaks inside cells become vertical tabs (see oneLine). A file that
// cannot be read is an error from tabfile (EINVALID naming the file).
func TableCSV(path string) (data []byte, header []string, rows int, err error) {
	r, err := tabfile.Open(path)
	if err != nil {
		return nil, nil, 0, err
	}
	defer r.Close()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	header = r.Header()
	if err := w.Write(oneLine(header)); err != nil {
		return nil, nil, 0, err
	}
	// next is the line the next record written starts on.
	next, counted := 1, 0
	for {
		line, cells, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, 0, err
		}
		rows++
		w.Flush()
		next += bytes.Count(buf.Bytes()[counted:], []byte{'\n'})
		for ; next < line; next++ {
			buf.WriteByte('\n') // a blank line keeps the numbering
		}
		counted = buf.Len()
		if err := w.Write(oneLine(cells)); err != nil {
			return nil, nil, 0, err
		}
	}
	w.Flush()
	return buf.Bytes(), header, rows, w.Error()
}

// oneLine replaces the line breaks inside cells by a vertical tab, so each
// record takes one line of the output. The vertical tab is a control
// character, which a value with a line break was too: the loaders still
// refuse it.
func oneLine(cells []string) []string {
	for i, c := range cells {
		if strings.ContainsAny(c, "\r\n") {
			cells[i] = strings.Map(func(r rune) rune {
				if r == '\r' || r == '\n' {
					return '\v'
				}
				return r
			}, c)
		}
	}
	return cells
}

// IsHistoricHeader reports whether a header is the historic county
// list's (code,name,valid_from_year,valid_to_year).
func IsHistoricHeader(h []string) bool {
	for _, c := range h {
		if strings.EqualFold(strings.TrimSpace(strings.TrimPrefix(c, "\ufeff")), "valid_from_year") {
			return true
		}
	}
	return false
}
