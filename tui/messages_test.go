package tui

import (
	"go/ast"
	goparser "go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"hecha"
)

// TestMessages_BothLanguages checks that every message of the TUI has
// both languages, with the same placeholders.
func TestMessages_BothLanguages(t *testing.T) {
	n := 0
	for _, k := range hecha.CatalogueKeys() {
		if !strings.HasPrefix(k, "tui.") {
			continue
		}
		n++
		m, _ := hecha.CatalogueEntry(k)
		if strings.TrimSpace(m.Zh) == "" || strings.TrimSpace(m.En) == "" {
			t.Errorf("%s lacks a language: %+v", k, m)
		}
		if verbs(m.Zh) != verbs(m.En) {
			t.Errorf("%s: placeholders differ: %q vs %q", k, m.Zh, m.En)
		}
	}
	if n < 100 {
		t.Fatalf("only %d tui messages registered", n)
	}
}

// verbs returns the fmt verbs of s, in order.
func verbs(s string) string {
	var b strings.Builder
	for i := 0; i < len(s)-1; i++ {
		if s[i] == '%' {
			b.WriteByte(s[i+1])
			i++
		}
	}
	return b.String()
}

// messageID matches a string that names a catalogue message.
var messageID = regexp.MustCompile(`^(tui|field|report|sync|store|cli)\.[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$`)

// stringLiterals returns the string literals of the Go files matched by
// globs (test files left out), and the values of the constants of type
// typeName among them.
func stringLiterals(t *testing.T, typeName string, globs ...string) (lits []string, consts []string) {
	t.Helper()
	fset := token.NewFileSet()
	for _, g := range globs {
		files, err := filepath.Glob(g)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := goparser.ParseFile(fset, name, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.BasicLit:
					if n.Kind == token.STRING {
						if s, err := strconv.Unquote(n.Value); err == nil {
							lits = append(lits, s)
						}
					}
				case *ast.ValueSpec:
					if id, ok := n.Type.(*ast.Ident); ok && id.Name == typeName {
						for _, v := range n.Values {
							if lit, ok := v.(*ast.BasicLit); ok {
								s, _ := strconv.Unquote(lit.Value)
								consts = append(consts, s)
							}
						}
					}
				}
				return true
			})
		}
	}
	return lits, consts
}

// TestMessages_EveryIDUsedHasBothLanguages reads the interface's sources
// for the message ids they name, whole or as a prefix completed by a value
// (a status, a kind, a form, a field path), and checks each is in the
// catalogue with both languages: a message missing a language fails here,
// not on a clerk's screen. (cmd/hecha checks the sync phases' names and
// its own files that belong to the interface.)
func TestMessages_EveryIDUsedHasBothLanguages(t *testing.T) {
	lits, _ := stringLiterals(t, "", "*.go")
	ids := map[string]bool{}
	for _, s := range lits {
		if messageID.MatchString(s) && !strings.HasPrefix(s, "sync.phase.") {
			ids[s] = true
		}
	}
	add := func(prefix string, values ...string) {
		for _, v := range values {
			ids[prefix+v] = true
		}
	}
	for _, st := range hecha.Statuses {
		add("tui.status.", string(st))
	}
	for _, k := range []hecha.Kind{hecha.KindCrossProvince, hecha.KindInProvince, hecha.KindMismatch} {
		add("tui.kind.", string(k))
	}
	for _, f := range hecha.Forms {
		add("tui.form.", string(f))
	}
	add("tui.upload.", string(hecha.ResultAccepted), string(hecha.ResultDuplicate), string(hecha.ResultRejected), string(hecha.ResultConflict))
	add("tui.source.", string(hecha.SourceFloating), string(hecha.SourceResident))
	if len(ids) < 150 {
		t.Fatalf("only %d message ids found", len(ids))
	}
	for id := range ids {
		m, ok := hecha.CatalogueEntry(id)
		switch {
		case !ok:
			t.Errorf("%s is used but not in the catalogue", id)
		case strings.TrimSpace(m.Zh) == "" || strings.TrimSpace(m.En) == "":
			t.Errorf("%s lacks a language: %+v", id, m)
		}
	}

	// Every field of every form has a label in both languages.
	e := &env{lang: hecha.English, rules: &hecha.Rules{}}
	for _, f := range hecha.Forms {
		for _, fd := range allFields(f, map[string]string{pathMembers: "2", pathReason: "1"}) {
			for _, lang := range []hecha.Lang{hecha.Chinese, hecha.English} {
				e.lang = lang
				if l := label(e, fd.path); messageID.MatchString(l) || l == "" {
					t.Errorf("form %s, field %s: no label in %s (%q)", f, fd.path, lang, l)
				}
			}
		}
	}
}
