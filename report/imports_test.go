package report

import (
	"strings"
	"testing"

	"hecha/internal/testenv"
)

// TestImportsOnlyTheDomain enforces that the reports stay pure
// functions of the domain: the package imports the standard library and
// the root package, and no database, UI, transport or other subpackage.
func TestImportsOnlyTheDomain(t *testing.T) {
	for name, paths := range testenv.Imports(t) {
		for _, path := range paths {
			if first, _, _ := strings.Cut(path, "/"); path != "hecha" && (strings.Contains(first, ".") || testenv.Outer(path)) {
				t.Errorf("%s imports %s: the reports import only the standard library and the root package", name, path)
			}
		}
	}
}
