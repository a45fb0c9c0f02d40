package hecha

import (
	"testing"

	"hecha/internal/testenv"
)

// TestRootImportsNoOuterLayers enforces the package layout: the root
// package is the domain and imports no database, UI, transport or any of
// the project's own subpackages (dependencies point inward), and no file
// system and no file format: files and folders are opened by sheet and
// cmd, and the code-list files are read by codefile through the table's
// loader (DivisionTable.Loader), so the root imports no os, path/filepath,
// io/fs or encoding/csv.
func TestRootImportsNoOuterLayers(t *testing.T) {
	for name, paths := range testenv.Imports(t) {
		for _, path := range paths {
			if testenv.Outer(path) || path == "os" || path == "path/filepath" || path == "io/fs" || path == "encoding/csv" {
				t.Errorf("%s imports %s: the root package must not depend on the outer layers, the file system or a file format", name, path)
			}
		}
	}
}
