package gen

import (
	"fmt"
	"hecha/codefile"
	"os"
	"path/filepath"

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
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write data set: %w", err)
	}
	if err := d.writeRegions(filepath.Join(dir, RegionsFile)); err != nil {
		return err
	}
	cases := func(w *sheet.Writer) error {
		for i := range d.Cases {
			if err := w.Write(sheet.CaseRow(&d.Cases[i])); err != nil {
				return err
			}
		}
		return nil
	}
	resident := func(w *sheet.Writer) error {
		for i := range d.Resident {
			if err := w.Write(sheet.ResidentRow(&d.Resident[i])); err != nil {
				return err
			}
		}
		return nil
	}
	floating := func(w *sheet.Writer) error {
		for i := range d.Floating {
			if err := w.Write(sheet.FloatingRow(&d.Floating[i])); err != nil {
				return err
			}
		}
		return nil
	}
	if err := writeTable(filepath.Join(dir, CasesFile), sheet.CaseColumns, cases); err != nil {
		return err
	}
	if err := writeTable(filepath.Join(dir, ResidentFile), sheet.ResidentColumns, resident); err != nil {
		return err
	}
	return writeTable(filepath.Join(dir, FloatingFile), sheet.FloatingColumns, floating)
}

// writeTable writes one CSV file: the header, then the rows rows writes.
func writeTable(path string, header []string, rows func(*sheet.Writer) error) error {
	w, err := sheet.Create(path, sheet.CSV, sheet.UTF8BOM)
	if err != nil {
		return err
	}
	err = w.Write(header)
	if err == nil {
		err = rows(w)
	}
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// writeRegions writes the division table as regions.csv with a BOM.
func (d *Dataset) writeRegions(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	_, err = f.WriteString("\uFEFF")
	if err == nil {
		err = codefile.WriteDivisions(f, d.Divisions)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
