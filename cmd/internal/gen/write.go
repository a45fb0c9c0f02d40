package gen

import (
	"fmt"
	"hecha/codefile"
	"os"
	"path/filepath"

	"hecha"
	"hecha/sheet"
)

// The files WriteDir writes.
const (
	RegionsFile  = "regions.csv"
	CasesFile    = "cases.csv"
	ResidentFile = "resident.csv"
	FloatingFile = "floating.csv"
)

// WriteDir writes the data set into dir (made if missing) as the import
// files: regions.csv (the division table), cases.csv, resident.csv and
// floating.csv, all CSV in UTF-8 with a byte-order mark.
func (d *Dataset) WriteDir(dir string) error {
	w, err := createDir(dir, d.Divisions)
	if err != nil {
		return err
	}
	for i := range d.Cases {
		if err := w.Case(&d.Cases[i], ""); err != nil {
			return w.close(err)
		}
	}
	for i := range d.Resident {
		if err := w.Resident(&d.Resident[i]); err != nil {
			return w.close(err)
		}
	}
	for i := range d.Floating {
		if err := w.Floating(&d.Floating[i]); err != nil {
			return w.close(err)
		}
	}
	return w.close(nil)
}

// StreamDir generates the county cfg describes straight into dir (made if
// missing), the same files WriteDir writes for Generate's data set, each
// row written as it is made: memory stays flat in the case count (see
// Stream). It returns what was made.
func StreamDir(cfg Config, dir string) (Counts, error) {
	if cfg.Divisions == nil {
		cfg.Divisions = Builtin()
	}
	// Check the Config before any file is made.
	if _, err := newGenerator(cfg); err != nil {
		return Counts{}, err
	}
	w, err := createDir(dir, cfg.Divisions)
	if err != nil {
		return Counts{}, err
	}
	n, err := Stream(cfg, w)
	return n, w.close(err)
}

// dirWriter is the Sink that writes the three record files.
type dirWriter struct {
	files                     [3]string
	cases, resident, floating *sheet.Writer
}

// createDir makes dir, writes regions.csv and opens the record files with
// their headers.
func createDir(dir string, t *hecha.DivisionTable) (*dirWriter, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("write data set: %w", err)
	}
	if err := writeRegions(t, filepath.Join(dir, RegionsFile)); err != nil {
		return nil, err
	}
	w := &dirWriter{files: [3]string{filepath.Join(dir, CasesFile), filepath.Join(dir, ResidentFile), filepath.Join(dir, FloatingFile)}}
	headers := [3][]string{sheet.CaseColumns, sheet.ResidentColumns, sheet.FloatingColumns}
	outs := [3]**sheet.Writer{&w.cases, &w.resident, &w.floating}
	for i, path := range w.files {
		f, err := sheet.Create(path, sheet.CSV, sheet.UTF8BOM)
		if err == nil {
			*outs[i] = f
			err = f.Write(headers[i])
		}
		if err != nil {
			return nil, w.close(fmt.Errorf("write %s: %w", path, err))
		}
	}
	return w, nil
}

func (w *dirWriter) Case(c *hecha.Case, _ string) error {
	return w.wrap(0, w.cases.Write(sheet.CaseRow(c)))
}

func (w *dirWriter) Resident(r *hecha.ResidentRecord) error {
	return w.wrap(1, w.resident.Write(sheet.ResidentRow(r)))
}

func (w *dirWriter) Floating(r *hecha.FloatingRecord) error {
	return w.wrap(2, w.floating.Write(sheet.FloatingRow(r)))
}

// wrap names file i in err.
func (w *dirWriter) wrap(i int, err error) error {
	if err != nil {
		return fmt.Errorf("write %s: %w", w.files[i], err)
	}
	return nil
}

// close closes the files that are open and returns err, or else the
// first error closing them.
func (w *dirWriter) close(err error) error {
	for i, f := range []*sheet.Writer{w.cases, w.resident, w.floating} {
		if f == nil {
			continue
		}
		if cerr := f.Close(); err == nil && cerr != nil {
			err = w.wrap(i, cerr)
		}
	}
	return err
}

// writeRegions writes the division table as regions.csv with a BOM.
func writeRegions(t *hecha.DivisionTable, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	_, err = f.WriteString("\uFEFF")
	if err == nil {
		err = codefile.WriteDivisions(f, t)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
