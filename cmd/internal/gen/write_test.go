package gen

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"hecha"
	"hecha/codefile"
	"hecha/sheet"
)

func TestGenerateDeterministic(t *testing.T) {
	cfg := Config{Cases: 400, Seed: 42}
	a, b, c := t.TempDir(), t.TempDir(), t.TempDir()
	for _, dir := range []string{a, b} {
		if err := mustGenerate(t, cfg).WriteDir(dir); err != nil {
			t.Fatal(err)
		}
	}
	cfg.Seed = 43
	if err := mustGenerate(t, cfg).WriteDir(c); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{RegionsFile, CasesFile, ResidentFile, FloatingFile} {
		x, _ := os.ReadFile(filepath.Join(a, f))
		y, _ := os.ReadFile(filepath.Join(b, f))
		z, _ := os.ReadFile(filepath.Join(c, f))
		if len(x) == 0 || !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs with the same config", f)
		}
		if !bytes.HasPrefix(x, []byte("\uFEFF")) {
			t.Errorf("%s has no byte-order mark", f)
		}
		if f != RegionsFile && bytes.Equal(x, z) {
			t.Errorf("%s is the same for another seed", f)
		}
	}
}

// TestWriteDirImports reads the written files back through sheet.Reader and
// the import parsers: every record comes back as generated, and the
// defective cases are reported.
func TestWriteDirImports(t *testing.T) {
	ds := mustGenerate(t, Config{Cases: 600, Seed: 9, DefectRate: 0.05})
	dir := t.TempDir()
	if err := ds.WriteDir(dir); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, RegionsFile))
	if err != nil {
		t.Fatal(err)
	}
	table := hecha.NewDivisionTable()
	if err := codefile.LoadDivisions(table, f); err != nil {
		t.Fatalf("load regions.csv: %v", err)
	}
	f.Close()
	if !reflect.DeepEqual(table.All(), ds.Divisions.All()) {
		t.Error("regions.csv does not hold the table")
	}
	r := testRules(table)

	rows := readRows(t, filepath.Join(dir, CasesFile), sheet.NewCaseHeader)
	if len(rows.cells) != len(ds.Cases) {
		t.Fatalf("%d case rows, want %d", len(rows.cells), len(ds.Cases))
	}
	for i, cells := range rows.cells {
		c, err := rows.h.ParseCase(cells, r)
		want := ds.Cases[i]
		if _, bad := ds.Defective[want.ID]; bad {
			if err == nil {
				t.Errorf("defective case %s imports without error", want.ID)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(c, want) {
			t.Errorf("case %s: %v\n got %+v\nwant %+v", want.ID, err, c, want)
		}
	}
	rows = readRows(t, filepath.Join(dir, ResidentFile), sheet.NewResidentHeader)
	for i, cells := range rows.cells {
		rec, err := rows.h.ParseResident(cells, r)
		if err != nil || !reflect.DeepEqual(rec, ds.Resident[i]) {
			t.Errorf("resident row %d: %v", i, err)
		}
	}
	rows = readRows(t, filepath.Join(dir, FloatingFile), sheet.NewFloatingHeader)
	for i, cells := range rows.cells {
		rec, err := rows.h.ParseFloating(cells, r)
		if err != nil || !reflect.DeepEqual(rec, ds.Floating[i]) {
			t.Errorf("floating row %d: %v", i, err)
		}
	}
}

type tableRows struct {
	h     *sheet.Header
	cells [][]string
}

func readRows(t *testing.T, path string, header func([]string) (*sheet.Header, error)) tableRows {
	t.Helper()
	rd, err := sheet.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	h, err := header(rd.Header())
	if err != nil {
		t.Fatalf("%s header: %v", path, err)
	}
	out := tableRows{h: h}
	for {
		_, cells, err := rd.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out.cells = append(out.cells, cells)
	}
}
