package sync

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"hecha"
)

// TestMessages checks that every message id this package uses is in the
// catalogue, in both languages, with the same verbs in each.
func TestMessages(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	re := regexp.MustCompile(`"(sync\.[a-z_]+(?:\.[a-z_]+)*)"`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = true
		}
	}
	for _, p := range []Phase{PhaseConnect, PhasePush, PhaseCheck, PhaseCases, PhaseRegistry} {
		used["sync.phase."+string(p)] = true
	}
	if len(used) < 10 {
		t.Fatalf("found only %d message ids; the scan is broken", len(used))
	}
	verbs := regexp.MustCompile(`%[a-zA-Z]`)
	for id := range used {
		m, ok := hecha.CatalogueEntry(id)
		if !ok {
			t.Errorf("message %s is used but not registered", id)
			continue
		}
		if m.Zh == "" || m.En == "" {
			t.Errorf("message %s lacks a language: %+v", id, m)
		}
		if a, b := verbs.FindAllString(m.Zh, -1), verbs.FindAllString(m.En, -1); strings.Join(a, "") != strings.Join(b, "") {
			t.Errorf("message %s: verbs %v in Chinese, %v in English", id, a, b)
		}
	}
	for _, id := range hecha.CatalogueKeys() {
		if strings.HasPrefix(id, "sync.") && !used[id] {
			t.Errorf("message %s is registered but never used", id)
		}
	}
}
