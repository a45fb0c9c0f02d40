package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"

	"hecha"
	"hecha/codefile"
	"hecha/sheet"
	"hecha/store"
)

// Both programs keep a database's division table in the database itself
// (store.DB.SaveDivisions, SaveHistoricDivisions), and a township takes the
// county's with each sync. Earlier versions kept it beside the database,
// as the CSV that codefile.WriteDivisions writes (<db>.regions.csv),
// and the historic GB/T 2260 codes for old ID numbers as a second CSV
// (<db>.historic.csv). MigrateRegions moves such files into the database,
// once, when it is opened.
const (
	RegionsSuffix  = ".regions.csv"
	HistoricSuffix = ".historic.csv"
	// ImportedSuffix is added to a file's name once MigrateRegions has
	// moved it into the database.
	ImportedSuffix = ".imported"
)

// RegionsPath and HistoricPath are the files beside the database at db
// that earlier versions kept.
func RegionsPath(db string) string  { return db + RegionsSuffix }
func HistoricPath(db string) string { return db + HistoricSuffix } //nolint:revive // documented with RegionsPath

// LoadRegions loads the division files an earlier version kept beside the
// database at db: an empty table when there are none. A damaged file is
// an EUNAVAILABLE error naming it.
func LoadRegions(db string) (*hecha.DivisionTable, error) {
	t := hecha.NewDivisionTable()
	for _, f := range []struct {
		path string
		load func(io.Reader) error
	}{
		{RegionsPath(db), func(r io.Reader) error { return codefile.LoadDivisions(t, r) }},
		{HistoricPath(db), func(r io.Reader) error { return codefile.LoadHistoric(t, r) }},
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

// SaveRegions writes t beside the database at db, as earlier versions
// kept it (for tests of MigrateRegions and of databases made by them).
func SaveRegions(db string, t *hecha.DivisionTable) error {
	if err := WriteFileAtomic(RegionsPath(db), func(w io.Writer) error { return codefile.WriteDivisions(w, t) }); err != nil {
		return hecha.Errorf(hecha.EUNAVAILABLE, "", "cli.regions.write", RegionsPath(db), err)
	}
	return nil
}

// MigrateRegions moves the division files an earlier version kept beside
// the database into it: the table's codes are added to the stored table
// (an empty one at first), the historic list is stored unless the
// database holds one already, and each file is then renamed to
// <file>.imported, so that it is read only this once. The stored table is
// then marked as not the county's (store.DB.SetDivisionsSource), so a
// township's next sync round takes the county's. Call it right after
// opening the database, before anyone else uses it: when it moved a file
// it makes the database's rules validate against the stored table (the
// one returned). It returns the files it moved, none when there were none.
//
// Errors: EUNAVAILABLE naming a file that cannot be read, is damaged or
// cannot be renamed (the database then holds its content already: moving
// it again adds nothing).
func MigrateRegions(ctx context.Context, db *store.DB) (moved []string, table *hecha.DivisionTable, err error) {
	regions, historic := RegionsPath(db.Path()), HistoricPath(db.Path())
	var tableFile, historicFile []byte
	for _, f := range []struct {
		path string
		data *[]byte
	}{{regions, &tableFile}, {historic, &historicFile}} {
		b, err := os.ReadFile(f.path)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, nil, hecha.Errorf(hecha.EUNAVAILABLE, "", "cli.regions.read", f.path, err)
		}
		*f.data = b
	}
	if tableFile == nil && historicFile == nil {
		return nil, nil, nil
	}

	// Check both files before anything is stored.
	fresh := hecha.NewDivisionTable()
	if tableFile != nil {
		if err := codefile.LoadDivisions(fresh, bytes.NewReader(tableFile)); err != nil {
			return nil, nil, hecha.Errorf(hecha.EUNAVAILABLE, "", "cli.regions.damaged", regions, hecha.ErrorMessage(err, hecha.English))
		}
	}
	if historicFile != nil {
		if err := codefile.LoadHistoric(hecha.NewDivisionTable(), bytes.NewReader(historicFile)); err != nil {
			return nil, nil, hecha.Errorf(hecha.EUNAVAILABLE, "", "cli.regions.damaged", historic, hecha.ErrorMessage(err, hecha.English))
		}
	}

	if tableFile != nil {
		stored, err := db.Divisions(ctx)
		if err != nil {
			return nil, nil, err
		}
		for _, d := range fresh.All() {
			if old, ok := stored.Lookup(d.Code); ok && old.Name == d.Name {
				continue
			}
			if err := stored.Add(d); err != nil {
				return nil, nil, err
			}
		}
		if err := db.SaveDivisions(ctx, stored); err != nil {
			return nil, nil, err
		}
	}
	if historicFile != nil {
		_, have, _, err := db.DivisionsCSV(ctx)
		if err != nil {
			return nil, nil, err
		}
		if have == nil {
			if err := db.SaveHistoricDivisions(ctx, historicFile); err != nil {
				return nil, nil, err
			}
		}
	}
	if err := db.SetDivisionsSource(ctx, ""); err != nil {
		return nil, nil, err
	}
	for _, f := range []struct {
		path string
		data []byte
	}{{regions, tableFile}, {historic, historicFile}} {
		if f.data == nil {
			continue
		}
		if err := os.Rename(f.path, f.path+ImportedSuffix); err != nil {
			return nil, nil, hecha.Errorf(hecha.EUNAVAILABLE, "", "cli.regions.rename", f.path, err)
		}
		moved = append(moved, f.path)
	}
	table, err = db.Divisions(ctx)
	if err != nil {
		return nil, nil, err
	}
	db.Rules().Divisions = table
	return moved, table, nil
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

// TableCSV reads a whole table file (CSV in any encoding sheet.Reader knows,
// or XLSX) and returns it as UTF-8 CSV with every row on the line sheet.Reader
// gives it (the row a spreadsheet shows), so that line numbers in a CSV
// parser's errors are the file's; also the header and the number of rows
// after it. Line breaks inside cells become vertical tabs (see oneLine). A file that
// cannot be read is an error from sheet.Reader (EINVALID naming the file).
func TableCSV(path string) (data []byte, header []string, rows int, err error) {
	r, err := sheet.Open(path)
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
