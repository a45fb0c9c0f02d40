package sheet

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestImportsOnlyTheDomain enforces that the file formats stay a thin
// layer over the domain: the package imports the standard library, the
// root package and file-format libraries, and no database, UI, transport
// or other subpackage of the project.
func TestImportsOnlyTheDomain(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	forbidden := func(path string) bool {
		return path == "go.etcd.io/bbolt" || strings.HasPrefix(path, "go.etcd.io/bbolt/") ||
			strings.HasPrefix(path, "github.com/charmbracelet/") ||
			path == "net/http" || strings.HasPrefix(path, "net/http/") ||
			strings.HasPrefix(path, "hecha/")
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
				t.Errorf("%s imports %s: the file formats import only the standard library, the root package and file-format libraries", name, path)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no source files found")
	}
}
