package testenv

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Imports returns, for each non-test Go file of the package under test
// (the working directory of a test), the import paths it names: the
// layout tests check them against what the package may depend on. It
// fails tb when a file cannot be parsed or there are no files at all.
func Imports(tb testing.TB) map[string][]string {
	tb.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		tb.Fatal(err)
	}
	fset := token.NewFileSet()
	imports := map[string][]string{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		if err != nil {
			tb.Fatal(err)
		}
		paths := []string{}
		for _, imp := range f.Imports {
			path, err := strconv.Unquote(imp.Path.Value)
			if err != nil {
				tb.Fatal(err)
			}
			paths = append(paths, path)
		}
		imports[name] = paths
	}
	if len(imports) == 0 {
		tb.Fatal("no source files found")
	}
	return imports
}

// Outer reports whether path is one of the project's outer layers as seen
// from an inner package: the database, the terminal UI, HTTP, or any of
// the project's own subpackages (module hecha).
func Outer(path string) bool {
	return path == "go.etcd.io/bbolt" || strings.HasPrefix(path, "go.etcd.io/bbolt/") ||
		strings.HasPrefix(path, "github.com/charmbracelet/") ||
		path == "net/http" || strings.HasPrefix(path, "net/http/") ||
		strings.HasPrefix(path, "hecha/")
}
