package hecha

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestRootImportsNoOuterLayers enforces the package layout: the root
// package is the domain and imports no database, UI, transport or any of
// the project's own subpackages (dependencies point inward), and no file
// system: files and folders are opened by sheet and cmd, the root reads
// from an io.Reader. (encoding/csv is still imported by division_csv.go,
// whose readers fill the division table's internals.)
func TestRootImportsNoOuterLayers(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	forbidden := func(path string) bool {
		return path == "go.etcd.io/bbolt" || strings.HasPrefix(path, "go.etcd.io/bbolt/") ||
			strings.HasPrefix(path, "github.com/charmbracelet/") ||
			path == "net/http" || strings.HasPrefix(path, "net/http/") ||
			strings.HasPrefix(path, "hecha/") ||
			path == "os" || path == "path/filepath" || path == "io/fs"
	}
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		for _, imp := range f.Imports {
			path, err := strconv.Unquote(imp.Path.Value)
			if err != nil {
				t.Fatal(err)
			}
			if forbidden(path) {
				t.Errorf("%s imports %s: the root package must not depend on the outer layers or the file system", name, path)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no source files found")
	}
}
