package main

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"hecha"
	"hecha/tui"
)

// TestInterfaceExports calls the exports the interface is given, as its
// export screen does: the worksheet in the format its name says, and the
// offline batch once the terminal has a token and a result waits.
func TestInterfaceExports(t *testing.T) {
	db := fieldTownship(t)
	var out, errb syncBuffer
	m := newTestMain(db, &out, &errb)
	defer m.Close()
	ctx := context.Background()
	if _, err := m.OpenDB(ctx); err != nil {
		t.Fatal(err)
	}
	var cfg tui.Config
	exports(m, &cfg)
	dir := t.TempDir()

	for _, name := range []string{"核查工作表.xlsx", "核查工作表.csv"} {
		n, err := cfg.ExportWorksheet(ctx, filepath.Join(dir, name))
		if err != nil || n != 4 {
			t.Fatalf("%s: ExportWorksheet = %d, %v", name, n, err)
		}
		if _, rows := readSheet(t, filepath.Join(dir, name)); len(rows) != 4 {
			t.Errorf("%s: %d rows", name, len(rows))
		}
	}

	// No token yet: the batch cannot be signed, and says so.
	if _, _, err := cfg.ExportBatch(ctx, filepath.Join(dir, "b.hecha")); hecha.ErrorCode(err) != hecha.EINVALID {
		t.Fatalf("ExportBatch without a token: %v", err)
	}
	st := m.Settings
	st.Token = newCounty(t).token
	if err := m.DB.SaveSettings(ctx, st); err != nil {
		t.Fatal(err)
	}
	m.Settings = st
	// Nothing waits: no file.
	if n, _, err := cfg.ExportBatch(ctx, filepath.Join(dir, "none.hecha")); err != nil || n != 0 {
		t.Fatalf("ExportBatch with nothing waiting = %d, %v", n, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "none.hecha")); !os.IsNotExist(err) {
		t.Errorf("a file was written with nothing waiting: %v", err)
	}
	if _, err := m.DB.SaveResult(ctx, &hecha.Result{CaseID: "C001", Form: hecha.FormR1, NotFound: &hecha.NotFound{Reason: hecha.NotFoundDied}}); err != nil {
		t.Fatal(err)
	}
	n, id, err := cfg.ExportBatch(ctx, filepath.Join(dir, "b.hecha"))
	if err != nil || n != 1 || id == "" {
		t.Fatalf("ExportBatch = %d, %q, %v", n, id, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "b.hecha")); err != nil {
		t.Fatal(err)
	}
}

// TestInterfaceMessages checks that the messages this command gives the
// interface exist in both languages: the name of every phase of a sync
// round (the sync package's Phase constants, read from its source) and
// the message ids tui.go and demo.go name.
func TestInterfaceMessages(t *testing.T) {
	ids := map[string]bool{}
	fset := token.NewFileSet()
	files, _ := filepath.Glob(filepath.Join("..", "..", "sync", "*.go"))
	files = append(files, "tui.go", "demo.go")
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.ValueSpec:
				if id, ok := n.Type.(*ast.Ident); ok && id.Name == "Phase" {
					for _, v := range n.Values {
						if lit, ok := v.(*ast.BasicLit); ok {
							s, _ := strconv.Unquote(lit.Value)
							ids["sync.phase."+s] = true
						}
					}
				}
			case *ast.BasicLit:
				if s, err := strconv.Unquote(n.Value); err == nil && strings.HasPrefix(s, "tui.") && !strings.HasSuffix(s, ".") &&
					filepath.Dir(fset.Position(n.Pos()).Filename) == "." {
					ids[s] = true
				}
			}
			return true
		})
	}
	if !ids["sync.phase.push"] || !ids["tui.demo.ready"] {
		t.Fatalf("the sources were not read: %v", ids)
	}
	for id := range ids {
		m, ok := hecha.CatalogueEntry(id)
		if !ok || strings.TrimSpace(m.Zh) == "" || strings.TrimSpace(m.En) == "" {
			t.Errorf("%s: %+v, registered %v", id, m, ok)
		}
	}
}

// TestInterfaceLanguage checks that the interface is given the language
// of --lang, else of the locale (English here, as newTestMain sets it).
func TestInterfaceLanguage(t *testing.T) {
	db := filepath.Join(t.TempDir(), "township.db")
	old := runTUI
	defer func() { runTUI = old }()
	var got hecha.Lang
	runTUI = func(ctx context.Context, m *Main) error { got = m.Lang; return nil }
	for _, tc := range []struct {
		args []string
		want hecha.Lang
	}{
		{nil, hecha.English},
		{[]string{"--lang", "zh"}, hecha.Chinese},
		{[]string{"--lang", "en"}, hecha.English},
	} {
		got = ""
		wantCode(t, run(t, db, tc.args...), 0)
		if got != tc.want {
			t.Errorf("%v: the interface got %q, want %q", tc.args, got, tc.want)
		}
	}
}
