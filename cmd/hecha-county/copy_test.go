package main

import (
	"strings"
	"testing"

	"hecha/internal/countytest"
)

// TestCopy moves the report fixture's county (results in force, a
// mismatch case, tokens) from the selected backend to each backend, and
// back: the reports read the same on every copy, and a second copy only
// verifies.
func TestCopy(t *testing.T) {
	src := reportCounty(t)
	wantCode(t, run(t, src, "token", "create", "--township", "410102001"), 0)
	reports := func(db string) string {
		var b strings.Builder
		for _, r := range []string{"progress", "mismatch", "notfound"} {
			res := run(t, db, "report", r)
			wantCode(t, res, 0)
			b.WriteString(res.stdout)
		}
		res := run(t, db, "token", "list", "--all")
		wantCode(t, res, 0)
		b.WriteString(res.stdout)
		return b.String()
	}
	want := reports(src)
	if !strings.Contains(want, "410102001") {
		t.Fatalf("the fixture's reports are empty:\n%s", want)
	}
	for _, b := range countytest.Backends {
		t.Run(b.Name, func(t *testing.T) {
			dst := b.New(t)
			r := run(t, src, "copy", "--from", src, "--to", dst)
			wantCode(t, r, 0)
			if !strings.Contains(r.stdout, "verified") || strings.Contains(r.stdout, "differs") {
				t.Errorf("copy said:\n%s", r.stdout)
			}
			if got := reports(dst); got != want {
				t.Errorf("the copy's reports:\n%s\nwant:\n%s", got, want)
			}
			r = run(t, src, "copy", "--from", src, "--to", dst)
			wantCode(t, r, 0)
			if !strings.Contains(r.stdout, "already holds") {
				t.Errorf("a second copy said:\n%s", r.stdout)
			}
			// And back into a fresh store of the source's backend.
			back := countytest.New(t)
			wantCode(t, run(t, src, "copy", "--from", dst, "--to", back), 0)
			if got := reports(back); got != want {
				t.Errorf("the copy back's reports:\n%s\nwant:\n%s", got, want)
			}
		})
	}
	r := run(t, src, "copy", "--from", t.TempDir()+"/none.db", "--to", t.TempDir()+"/x.db")
	if r.code == 0 || !strings.Contains(r.stderr, "does not exist") {
		t.Errorf("copy from a missing file: %d\n%s", r.code, r.stderr)
	}
}
