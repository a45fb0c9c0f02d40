package hecha

import (
	"testing"

	"hecha/internal/testenv"
)

// TestRootImportsNoOuterLayers enforces the package layout: the root
// package is the domain and imports no database, UI, transport or any of
// the project's own subpackages (dependencies point inward), and no file
// system: files and folders are opened by sheet and cmd, the root reads
// from an io.Reader. (encoding/csv is still imported by division_csv.go,
// whose readers fill the division table's internals.)
func TestRootImportsNoOuterLayers(t *testing.T) {
	for name, paths := range testenv.Imports(t) {
		for _, path := range paths {
			if testenv.Outer(path) || path == "os" || path == "path/filepath" || path == "io/fs" {
				t.Errorf("%s imports %s: the root package must not depend on the outer layers or the file system", name, path)
			}
		}
	}
}
