package main

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"hecha/cmd/internal/cli"
)

func TestAssignAuto(t *testing.T) {
	f := newFixture(t)
	db := loadedCounty(t, f)

	r := run(t, db, "assign", "--auto")
	wantCode(t, r, 0)
	// C001 → 410102001, C002 → 410102002, C003 → the village; C005 only
	// reaches the county and stays undistributed.
	for _, want := range []string{"410102001 ", "410102002 ", "assigned 3 cases to 2 townships (3 units, villages included); 1 are still undistributed"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("assign --auto lacks %q:\n%s", want, r.stdout)
		}
	}
	r = run(t, db, "assign", "--auto")
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "no case was assigned (1 cases are undistributed)") {
		t.Errorf("second --auto: %s", r.stdout)
	}

	// Listing by unit and undistributed.
	r = run(t, db, "cases", "list", "--undistributed")
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "C005") || strings.Contains(r.stdout, "C001") || !strings.Contains(r.stdout, "1 cases") {
		t.Errorf("undistributed:\n%s", r.stdout)
	}
	r = run(t, db, "cases", "list", "--unit", "410102001")
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "C001") || !strings.Contains(r.stdout, "C003") || strings.Contains(r.stdout, "C002") {
		t.Errorf("--unit:\n%s", r.stdout)
	}

	// Single cases, and a batch by household division.
	r = run(t, db, "assign", "--to", "410102002", "C005")
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "C005 → 410102002 河南省/郑州市/中原区/建设路街道") {
		t.Errorf("single: %s", r.stdout)
	}
	r = run(t, db, "cases", "list", "--status", "pending", "--kind", "cross", "--limit", "2")
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "2 of 4 cases shown") {
		t.Errorf("--limit:\n%s", r.stdout)
	}
}

func TestAssignFrom(t *testing.T) {
	f := newFixture(t)
	db := loadedCounty(t, f)
	r := run(t, db, "assign", "--to", "410102002", "--from", "410102001")
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "assigned 2 cases to 1 townships (1 units, villages included); 2 are still undistributed") {
		t.Errorf("--from:\n%s", r.stdout)
	}
}

func TestAssignUsage(t *testing.T) {
	f := newFixture(t)
	db := loadedCounty(t, f)
	for _, args := range [][]string{
		{"assign"},
		{"assign", "--auto", "--to", "410102001"},
		{"assign", "--to", "410102001"},
		{"assign", "--to", "410102001", "--from", "410102", "C001"},
		{"assign", "--to", "41x", "C001"},
		{"cases", "list", "--status", "nonsense"},
		{"cases", "list", "--kind", "9"},
		{"cases", "show"},
	} {
		r := run(t, db, args...)
		if r.code != cli.ExitUsage || r.stderr == "" {
			t.Errorf("%q: exit %d, stderr %q", args, r.code, r.stderr)
		}
	}
	// Units outside the county or above township level are refused by the store.
	for _, args := range [][]string{
		{"assign", "--to", "410102", "C001"},
		{"assign", "--to", "310101", "C001"},
		{"assign", "--to", "410102001", "C999"},
	} {
		r := run(t, db, args...)
		if r.code != cli.ExitFailure || r.stderr == "" {
			t.Errorf("%q: exit %d, stderr %q", args, r.code, r.stderr)
		}
	}
}

func TestCasesShow(t *testing.T) {
	f := newFixture(t)
	db := loadedCounty(t, f)
	r := run(t, db, "cases", "show", "C002")
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "Not distributed") || !strings.Contains(r.stdout, "李四") {
		t.Errorf("before assign:\n%s", r.stdout)
	}
	wantCode(t, run(t, db, "assign", "--auto"), 0)

	// C002: the resident record's outflow went to 荔湾区, the case lives in
	// 黄浦区: R5, with the destination marked as differing.
	r = run(t, db, "cases", "show", "C002")
	wantCode(t, r, 0)
	for _, want := range []string{"Candidate 1", "R001", "R5", "*440103", "differs from the case", "Assigned to 410102002"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("C002 lacks %q:\n%s", want, r.stdout)
		}
	}
	// C001: found in the floating system with the same inflow county: R2,
	// nothing marked.
	r = run(t, db, "cases", "show", "C001")
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "R2") || !strings.Contains(r.stdout, "F001") || strings.Contains(r.stdout, "*") && !strings.Contains(r.stdout, "* differs") {
		t.Errorf("C001:\n%s", r.stdout)
	}
	// C003: the resident record has no outflow registration: R6.
	r = run(t, db, "cases", "show", "C003", "--lang", "zh")
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "R6") || !strings.Contains(r.stdout, "未流出登记") {
		t.Errorf("C003:\n%s", r.stdout)
	}
	for _, l := range strings.Split(r.stdout, "\n") {
		if w := ansi.StringWidth(l); w > 80 {
			t.Errorf("line %d wide: %q", w, l)
		}
	}
	wantCode(t, run(t, db, "cases", "show", "C999"), cli.ExitFailure)
}

func TestCasesListFits80(t *testing.T) {
	f := newFixture(t)
	db := loadedCounty(t, f)
	wantCode(t, run(t, db, "assign", "--auto"), 0)
	for _, lang := range []string{"zh", "en"} {
		r := run(t, db, "cases", "list", "--lang", lang)
		wantCode(t, r, 0)
		lines := strings.Split(strings.TrimRight(r.stdout, "\n"), "\n")
		if len(lines) != 7 { // header, rule, 4 cases, count
			t.Errorf("%s: %d lines:\n%s", lang, len(lines), r.stdout)
		}
		for _, l := range lines {
			if w := ansi.StringWidth(l); w > 80 {
				t.Errorf("%s: line %d wide: %q", lang, w, l)
			}
		}
	}
}
