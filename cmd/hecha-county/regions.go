package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"hecha"
	"hecha/cmd/internal/tabfile"
)

// The county keeps its division table beside the database, as the CSV
// that hecha.DivisionTable.WriteCSV writes, and the historic GB/T 2260
// codes (for old ID numbers) as a second CSV. Both are read on every start.
const (
	regionsSuffix  = ".regions.csv"
	historicSuffix = ".historic.csv"
)

// regionsPath and historicPath are the files beside the database at db.
func regionsPath(db string) string  { return db + regionsSuffix }
func historicPath(db string) string { return db + historicSuffix }

// loadRegions loads the division table kept beside the database at db:
// an empty table when none was imported yet.
func loadRegions(db string) (*hecha.DivisionTable, error) {
	t := hecha.NewDivisionTable()
	for _, f := range []struct {
		path string
		load func(io.Reader) error
	}{
		{regionsPath(db), t.Load},
		{historicPath(db), t.LoadHistoric},
	} {
		file, err := os.Open(f.path)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, hecha.Errorf(hecha.EUNAVAILABLE, "", "county.cli.regions.read", f.path, err)
		}
		err = f.load(file)
		file.Close()
		if err != nil {
			return nil, hecha.Errorf(hecha.EUNAVAILABLE, "", "county.cli.regions.damaged", f.path, hecha.ErrorMessage(err, hecha.English))
		}
	}
	return t, nil
}

// writeFileAtomic writes the file at path through a temporary file in
// the same folder, synced and renamed over it, so a crash leaves either
// the old file or the new one.
func writeFileAtomic(path string, write func(io.Writer) error) error {
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

// saveRegions writes the table beside the database at db.
func saveRegions(db string, t *hecha.DivisionTable) error {
	if err := writeFileAtomic(regionsPath(db), t.WriteCSV); err != nil {
		return hecha.Errorf(hecha.EUNAVAILABLE, "", "county.cli.regions.write", regionsPath(db), err)
	}
	return nil
}

// tableCSV reads a whole table file (CSV in any encoding, or XLSX) and
// returns it as UTF-8 CSV with every row on the line it has in the file,
// so that line numbers in errors from a CSV parser are the file's, and
// the header and the number of rows. A file that cannot be read is an
// EINVALID error (the caller exits with cli.ExitUsage).
func tableCSV(path string) (data []byte, header []string, rows int, err error) {
	r, err := tabfile.Open(path)
	if err != nil {
		return nil, nil, 0, err
	}
	defer r.Close()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	header = r.Header()
	if err := w.Write(header); err != nil {
		return nil, nil, 0, err
	}
	at := 1
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
		for ; at < line-1; at++ {
			buf.WriteByte('\n') // a blank line keeps the numbering
		}
		if err := w.Write(cells); err != nil {
			return nil, nil, 0, err
		}
		at++
	}
	w.Flush()
	return buf.Bytes(), header, rows, w.Error()
}

// isHistoricHeader reports whether a header is the historic table's
// (code,name,valid_from_year,valid_to_year).
func isHistoricHeader(h []string) bool {
	for _, c := range h {
		if strings.EqualFold(strings.TrimSpace(strings.TrimPrefix(c, "\ufeff")), "valid_from_year") {
			return true
		}
	}
	return false
}

// townshipCounties returns the counties that have townships in t.
func townshipCounties(t *hecha.DivisionTable) []hecha.Code {
	seen := map[hecha.Code]bool{}
	var out []hecha.Code
	for _, d := range t.All() {
		if c := d.Code.County(); d.Code.Level() == hecha.LevelTownship && !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out
}

// countyList writes codes for a message, at most a few.
func countyList(cs []hecha.Code) string {
	var parts []string
	for i, c := range cs {
		if i == 5 {
			parts = append(parts, fmt.Sprintf("… (%d)", len(cs)))
			break
		}
		parts = append(parts, string(c))
	}
	return strings.Join(parts, ", ")
}
