package cli

import (
	"bytes"
	"encoding/csv"
	"errors"
	"flag"
	"hecha/sheet"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hecha"
)

// FuzzProgramParse feeds arbitrary command lines to the parser: it never
// panics, and it either returns a function to run or an error whose exit
// status is ExitOK (help) or ExitUsage.
func FuzzProgramParse(f *testing.F) {
	for _, s := range []string{"", "import cases a.csv", "help import", "list -n 3 -- -x", "--help", "import --db", "list --n=x", "nope", "--lang en list"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		args := strings.Fields(s)
		var out, errw bytes.Buffer
		var ran []string
		p := testProgram(&out, &errw, &ran)
		run, _, err := p.Parse(args, hecha.Lang(PeekLang(args)))
		switch {
		case err == nil && run == nil:
			t.Fatalf("%q: no error and nothing to run", args)
		case errors.Is(err, flag.ErrHelp):
		case err != nil && ExitCode(err) != ExitUsage:
			t.Fatalf("%q: %v (exit %d)", args, err, ExitCode(err))
		}
	})
}

// FuzzTableCSV checks that TableCSV keeps every row sheet.Reader reads, with
// its cells, on the line sheet.Reader gives it.
func FuzzTableCSV(f *testing.F) {
	for _, s := range []string{
		"code,name\n1,a\n\n2,b\n",
		"\ufeffa,b\n\"x\ny\",2\n",
		"a\tb\n1\t2\n",
		"h\n\n\n\nv\n",
		"a,b\n\"unterminated\n",
		"a,b\n\"x\ny\",2\n\n3,4\n5,6\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "t.csv")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		out, header, rows, err := TableCSV(path)
		if err != nil {
			return // sheet.Reader refused it; nothing to compare
		}
		// What sheet.Reader reads, line by line.
		r, err := sheet.Open(path)
		if err != nil {
			t.Fatalf("TableCSV read what sheet.Reader refuses: %v", err)
		}
		defer r.Close()
		want := map[int][]string{}
		for {
			line, cells, err := r.Next()
			if err != nil {
				break
			}
			want[line] = oneLine(cells)
		}
		if len(want) != rows {
			t.Fatalf("rows %d, sheet.Reader %d", rows, len(want))
		}
		// What a CSV reader finds in TableCSV's output, by line.
		cr := csv.NewReader(bytes.NewReader(out))
		cr.FieldsPerRecord = -1
		first, err := cr.Read()
		if err != nil || !equal(first, oneLine(header)) {
			t.Fatalf("header %q, %v; want %q", first, err, header)
		}
		for {
			rec, err := cr.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("output is not CSV: %v", err)
			}
			line, _ := cr.FieldPos(0)
			if !equal(rec, want[line]) && !(len(want[line]) == 0 && blankRow(rec)) {
				t.Fatalf("line %d: %q, sheet.Reader %q", line, rec, want[line])
			}
		}
	})
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func blankRow(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
