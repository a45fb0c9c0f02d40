package report

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestImportsOnlyTheDomain enforces that the reports stay pure
// functions of the domain: the package imports the standard library and
// the root package, and no database, UI, transport or other subpackage.
func TestImportsOnlyTheDomain(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
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
			first, _, _ := strings.Cut(path, "/")
			if path != "hecha" && (strings.Contains(first, ".") || first == "hecha" || path == "net/http" || strings.HasPrefix(path, "net/http/")) {
				t.Errorf("%s imports %s: the reports import only the standard library and the root package", name, path)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no source files found")
	}
}
