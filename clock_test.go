package hecha

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestOnlyCmdReadsTheClock enforces that only the commands read the real
// clock: every other package takes time from its caller (a Now field or
// option), so tests run on fixed clocks and behave the same on any day.
// Calls of time.Now (or taking it as a value) in non-test files outside
// cmd/ fail; comments and strings are not code and do not count.
// time.Since, time.Until, timers and tickers measure durations and are
// allowed.
func TestOnlyCmdReadsTheClock(t *testing.T) {
	checked := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if path == "cmd" || name == "testdata" || (path != "." && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_"))) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		checked++
		for _, pos := range clockReads(f) {
			t.Errorf("%s reads the real clock (time.Now); take a Now func from the caller instead", fset.Position(pos))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 50 {
		t.Fatalf("only %d source files checked: the walk missed the packages", checked)
	}
}

// TestClockReadsFindsEveryForm checks the detector itself on sources that
// read the clock in each way it knows, and on one that only mentions it.
func TestClockReadsFindsEveryForm(t *testing.T) {
	for src, want := range map[string]int{
		"package p\nimport \"time\"\nvar _ = time.Now()\n":                                                               1,
		"package p\nimport \"time\"\nvar clock = time.Now\n":                                                             1,
		"package p\nimport tm \"time\"\nfunc f() { _ = tm.Now().Year() }\n":                                              1,
		"package p\nimport . \"time\"\nvar _ = Now()\n":                                                                  1,
		"package p\nimport \"time\"\n// time.Now is not called here.\nvar s = \"time.Now()\"\n" + "var _ = time.Since\n": 0,
		"package p\ntype c struct{}\nfunc (c) Now() int { return 0 }\nvar time c\nvar _ = time.Now()\n":                  0,
	} {
		f, err := parser.ParseFile(token.NewFileSet(), "x.go", src, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		if got := len(clockReads(f)); got != want {
			t.Errorf("%d clock reads found in\n%s\nwant %d", got, src, want)
		}
	}
}

// clockReads returns where f uses time.Now: as a selector on the name
// under which f imports "time", or any use of a dot import of "time"
// (which would make Now a bare name).
func clockReads(f *ast.File) []token.Pos {
	var names []string
	var found []token.Pos
	for _, imp := range f.Imports {
		if p, err := strconv.Unquote(imp.Path.Value); err != nil || p != "time" {
			continue
		}
		switch {
		case imp.Name == nil:
			names = append(names, "time")
		case imp.Name.Name == ".":
			found = append(found, imp.Pos())
		case imp.Name.Name != "_":
			names = append(names, imp.Name.Name)
		}
	}
	if len(names) == 0 {
		return found
	}
	ast.Inspect(f, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "Now" {
			return true
		}
		if id, ok := sel.X.(*ast.Ident); ok && slices.Contains(names, id.Name) {
			found = append(found, sel.Pos())
		}
		return true
	})
	return found
}
