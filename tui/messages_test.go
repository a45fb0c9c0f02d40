package tui

import (
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
