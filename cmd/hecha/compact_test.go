package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"hecha/cmd/internal/cli"
)

func TestCompactTownship(t *testing.T) {
	c := newCounty(t)
	db := filepath.Join(t.TempDir(), "township.db")
	wantCode(t, run(t, db, "setup", "--server", c.srv.URL, "--fingerprint", c.fp, "--token", c.token), 0)
	wantCode(t, run(t, db, "sync"), 0)
	r := run(t, db, "compact")
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "compacted") {
		t.Errorf("compact: %s", r.stdout)
	}
	counts, err := openTownship(t, db).Counts(context.Background())
	if err != nil || counts.Total() != 2 {
		t.Errorf("after compact: %v %v", counts, err)
	}
	wantCode(t, run(t, filepath.Join(t.TempDir(), "none.db"), "compact"), cli.ExitFailure)
}

func TestHelpNamesTheDatabase(t *testing.T) {
	db := filepath.Join(t.TempDir(), "township.db")
	for _, args := range [][]string{{"--help"}, {"setup", "--help"}, {"sync", "--help"}, {"compact", "--help"}, {"help", "sync"}} {
		r := run(t, db, args...)
		if r.code != 0 || !strings.Contains(r.stdout, cli.TownshipDBEnv) || !strings.Contains(r.stdout, "--db FILE") ||
			!strings.Contains(r.stdout, filepath.Join("hecha", cli.TownshipDBFile)) {
			t.Errorf("%q: exit %d\n%s", args, r.code, r.stdout)
		}
	}
	r := run(t, db, "--help")
	for _, want := range []string{"--ascii", "--fps N", "--demo", "setup", "sync", "compact"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("program help lacks %q", want)
		}
	}
	wantCode(t, run(t, db, "nonsense"), cli.ExitUsage)
	wantCode(t, run(t, db, "--fps", "1000"), cli.ExitUsage)
}

func TestInterfaceGetsMain(t *testing.T) {
	db := filepath.Join(t.TempDir(), "township.db")
	oldTUI, oldDemo := runTUI, runDemo
	defer func() { runTUI, runDemo = oldTUI, oldDemo }()

	var got Main
	called := false
	runTUI = func(ctx context.Context, m *Main) error { got, called = *m, true; return nil }
	runDemo = func(ctx context.Context, m *Main) error { got, called = *m, true; return nil }
	wantCode(t, run(t, db, "--ascii", "--fps", "10", "--lang", "zh"), 0)
	if !called || got.DB == nil || got.Rules == nil || !got.ASCII || got.FPS != 10 || got.Lang != "zh" || got.DBPath != db || got.Demo {
		t.Fatalf("runTUI got %+v", got)
	}
	called = false
	wantCode(t, run(t, db, "--demo"), 0)
	if !called || !got.Demo || got.DB != nil {
		t.Fatalf("runDemo got %+v", got)
	}

	runTUI, runDemo = nil, nil
	r := run(t, db)
	if r.code != cli.ExitFailure || !strings.Contains(r.stderr, "no interactive interface") {
		t.Errorf("without an interface: %d %q", r.code, r.stderr)
	}
}

// TestInterfacePlainTerminal checks that consoles without box-drawing
// glyphs (TERM=linux, vt100) get the ASCII interface without --ascii.
func TestInterfacePlainTerminal(t *testing.T) {
	for term, want := range map[string]bool{"linux": true, "vt100": true, "vt220": true, "dumb": true, "linux-16color": true,
		"xterm-256color": false, "screen": false, "tmux-256color": false, "": false} {
		if got := plainTerminal(term); got != want {
			t.Errorf("plainTerminal(%q) = %v, want %v", term, got, want)
		}
	}
}
