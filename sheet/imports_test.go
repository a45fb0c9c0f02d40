package sheet

import (
	"testing"

	"hecha/internal/testenv"
)

// TestImportsOnlyTheDomain enforces that the file formats stay a thin
// layer over the domain: the package imports the standard library, the
// root package and file-format libraries (codefile, for the folder of
// division files, among them), and no database, UI, transport or other
// subpackage of the project.
func TestImportsOnlyTheDomain(t *testing.T) {
	for name, paths := range testenv.Imports(t) {
		for _, path := range paths {
			if testenv.Outer(path) && path != "hecha/codefile" {
				t.Errorf("%s imports %s: the file formats import only the standard library, the root package and file-format libraries", name, path)
			}
		}
	}
}
