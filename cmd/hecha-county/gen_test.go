package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hecha/cmd/internal/cli"
	"hecha/internal/countytest"
)

func TestGenThenImport(t *testing.T) {
	out := t.TempDir()
	db := countytest.New(t)
	r := run(t, db, "gen", "--out", out, "--cases", "60", "--seed", "7", "--defects", "0", "--now", "2024-05-31")
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "import regions "+filepath.Join(out, "regions.csv")+" --county 410122") {
		t.Errorf("gen's next steps:\n%s", r.stdout)
	}
	for _, kind := range []string{"regions", "floating", "resident", "cases"} {
		args := []string{"import", kind, filepath.Join(out, kind+".csv")}
		if kind == "regions" {
			args = append(args, "--county", "410122")
		}
		r := run(t, db, args...)
		wantCode(t, r, 0)
		if !strings.Contains(r.stdout, "rejected 0") {
			t.Errorf("%s: %s", kind, r.stdout)
		}
	}
	r = run(t, db, "assign", "--auto")
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "assigned ") {
		t.Errorf("assign --auto:\n%s", r.stdout)
	}

	// The same options give the same files.
	again := t.TempDir()
	wantCode(t, run(t, db, "gen", "--out", again, "--cases", "60", "--seed", "7", "--defects", "0", "--now", "2024-05-31"), 0)
	for _, f := range []string{"regions.csv", "cases.csv", "resident.csv", "floating.csv"} {
		a, _ := os.ReadFile(filepath.Join(out, f))
		b, _ := os.ReadFile(filepath.Join(again, f))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s differs between runs (%d, %d bytes)", f, len(a), len(b))
		}
	}
}

func TestGenDefectsAreRejected(t *testing.T) {
	out := t.TempDir()
	db := countytest.New(t)
	wantCode(t, run(t, db, "gen", "--out", out, "--cases", "100", "--defects", "0.1", "--now", "2024-05-31"), 0)
	wantCode(t, run(t, db, "import", "regions", filepath.Join(out, "regions.csv")), 0)
	r := run(t, db, "import", "cases", filepath.Join(out, "cases.csv"))
	wantCode(t, r, cli.ExitFailure)
	if strings.Contains(r.stdout, "rejected 0") || !strings.Contains(r.stderr, "line ") {
		t.Errorf("defects not rejected:\n%s\n%s", r.stdout, r.stderr)
	}
	// Without a county named, the cases' households name it.
	if !strings.Contains(r.stdout, "serves the county 410122") {
		t.Errorf("county not taken from the cases:\n%s", r.stdout)
	}
}

func TestGenUsage(t *testing.T) {
	db := countytest.New(t)
	for _, args := range [][]string{
		{"gen"},
		{"gen", "--out", t.TempDir(), "--cases", "0"},
		{"gen", "--out", t.TempDir(), "--defects", "2"},
		{"gen", "--out", t.TempDir(), "--county", "999999"},
		{"gen", "--out", t.TempDir(), "--regions", t.TempDir()},
	} {
		if r := run(t, db, args...); r.code != cli.ExitUsage || r.stderr == "" {
			t.Errorf("%q: exit %d, stderr %q", args, r.code, r.stderr)
		}
	}
}
