package codefile

import (
	"testing"

	"hecha/internal/testenv"
)

// TestImportsOnlyTheDomain: the code-list files are read for the root
// package, and import nothing of the project but it.
func TestImportsOnlyTheDomain(t *testing.T) {
	for name, paths := range testenv.Imports(t) {
		for _, path := range paths {
			if testenv.Outer(path) {
				t.Errorf("%s imports %s: codefile imports only the standard library and the root package", name, path)
			}
		}
	}
}
