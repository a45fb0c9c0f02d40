package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"hecha"
	"hecha/cmd/internal/cli"
	"hecha/internal/countytest"
)

// runAt runs hecha-county as run does, with its clock at now.
func runAt(t *testing.T, now time.Time, db string, args ...string) result {
	t.Helper()
	var out, errb syncBuffer
	m := newTestMain(db, &out, &errb)
	m.Now = func() time.Time { return now }
	err := m.ParseFlags(args)
	if errors.Is(err, flag.ErrHelp) {
		err = nil
	} else if err == nil {
		err = m.Run(context.Background())
	}
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	cli.PrintError(&errb, progName, m.Lang, err)
	return result{out.String(), errb.String(), cli.ExitCode(err)}
}

// noon returns the date s (2006-01-02) at noon UTC.
func noon(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return d.Add(12 * time.Hour)
}

// TestGenNowSameBytesAnyDay runs gen with the same --seed and --now on
// two different days: the files are byte-identical, and the summary says
// which date and seed made them. Without --now the date is the clock's.
func TestGenNowSameBytesAnyDay(t *testing.T) {
	db := countytest.New(t)
	args := []string{"--cases", "80", "--seed", "3", "--now", "2019-12-31"}
	a, b := t.TempDir(), t.TempDir()
	r := runAt(t, noon(t, "2026-12-04"), db, append([]string{"gen", "--out", a}, args...)...)
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "dated 2019-12-31 with seed 3") {
		t.Errorf("the summary does not name the date and seed:\n%s", r.stdout)
	}
	wantCode(t, runAt(t, noon(t, "2031-07-15"), db, append([]string{"gen", "--out", b}, args...)...), 0)
	for _, f := range []string{"regions.csv", "cases.csv", "resident.csv", "floating.csv"} {
		x, err := os.ReadFile(filepath.Join(a, f))
		if err != nil {
			t.Fatal(err)
		}
		y, err := os.ReadFile(filepath.Join(b, f))
		if err != nil {
			t.Fatal(err)
		}
		if len(x) == 0 || !bytes.Equal(x, y) {
			t.Errorf("%s differs between two days (%d and %d bytes)", f, len(x), len(y))
		}
	}

	// No --now: today, by the clock, the same as --now today.
	c, d := t.TempDir(), t.TempDir()
	r = runAt(t, noon(t, "2019-12-31"), db, "gen", "--out", c, "--cases", "80", "--seed", "3")
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "dated 2019-12-31 with seed 3") {
		t.Errorf("without --now the date is not today's:\n%s", r.stdout)
	}
	wantCode(t, runAt(t, noon(t, "2019-12-31"), db, "gen", "--out", d, "--cases", "80", "--seed", "3", "--now", "2019-12-31"), 0)
	x, _ := os.ReadFile(filepath.Join(c, "cases.csv"))
	y, _ := os.ReadFile(filepath.Join(d, "cases.csv"))
	if len(x) == 0 || !bytes.Equal(x, y) {
		t.Error("gen without --now differs from gen --now today")
	}

	// A date after today is made, with a warning.
	r = runAt(t, noon(t, "2019-12-31"), db, "gen", "--out", t.TempDir(), "--cases", "10", "--now", "2020-01-01")
	wantCode(t, r, 0)
	if !strings.Contains(r.stderr, "--now 2020-01-01 is after today") {
		t.Errorf("no warning about a future --now:\n%s", r.stderr)
	}
}

func TestGenNowUsage(t *testing.T) {
	db := countytest.New(t)
	for _, tt := range []struct{ now, want string }{
		{"2023-02-30", "--now"},
		{"yesterday", "--now"},
		{"1989-12-31", "1990"},
		{"2101-01-01", "2100"},
	} {
		out := t.TempDir()
		r := run(t, db, "gen", "--out", out, "--now", tt.now)
		if r.code != cli.ExitUsage || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("--now %s: exit %d, stderr %q", tt.now, r.code, r.stderr)
		}
		if entries, _ := os.ReadDir(out); len(entries) != 0 {
			t.Errorf("--now %s wrote %d files", tt.now, len(entries))
		}
	}
	r := run(t, db, "gen", "--lang", "zh", "--out", t.TempDir(), "--now", "2023-02-30")
	if !strings.Contains(r.stderr, "--now") || !strings.Contains(r.stderr, "2023-02-30") {
		t.Errorf("Chinese message: %q", r.stderr)
	}
}

// genDates are the --now dates the generated county must work at: from
// 2013 to 2035, with 29 February and 31 December among them.
var genDates = []string{
	"2013-01-01", "2013-12-31", "2014-06-15", "2015-03-01", "2016-02-29",
	"2016-12-31", "2017-08-20", "2018-11-11", "2019-05-31", "2020-02-29",
	"2020-12-31", "2021-07-01", "2022-10-01", "2023-01-31", "2024-02-29",
	"2024-12-31", "2025-04-30", "2026-12-04", "2028-02-29", "2030-06-30",
	"2032-02-29", "2033-09-09", "2035-12-31",
}

// TestGenEveryResultAtAnyDate generates a small county at each of
// genDates, imports it as the README says (the county's clock on that
// date) and runs the comparison on every cross-province case: at every
// date (each with its own seed) each of the six results R1–R6 comes out
// for some case, and nothing is rejected.
func TestGenEveryResultAtAnyDate(t *testing.T) {
	for i, date := range genDates {
		seed := strconv.Itoa(i + 1)
		t.Run(date, func(t *testing.T) {
			t.Parallel()
			now := noon(t, date)
			dir := t.TempDir()
			db := countytest.New(t)
			wantCode(t, runAt(t, now, db, "gen", "--out", dir, "--cases", "60", "--seed", seed, "--defects", "0", "--now", date), 0)
			for _, kind := range []string{"regions", "floating", "resident", "cases"} {
				args := []string{"import", kind, filepath.Join(dir, kind+".csv")}
				if kind == "regions" {
					args = append(args, "--county", "410122")
				}
				r := runAt(t, now, db, args...)
				wantCode(t, r, 0)
				if !strings.Contains(r.stdout, "rejected 0") {
					t.Errorf("import %s: %s", kind, r.stdout)
				}
			}
			cdb := countytest.OpenAt(t, db, countytest.Options{Now: func() time.Time { return now }})
			cases, err := cdb.Cases(context.Background(), hecha.CaseFilter{Kind: hecha.KindCrossProvince})
			if err != nil {
				t.Fatal(err)
			}
			forms := map[hecha.Form]int{}
			for i := range cases {
				cm, err := hecha.Compare(&cases[i], cdb, cdb, hecha.PrecisionDay)
				if err != nil {
					t.Fatal(err)
				}
				forms[cm.Form]++
			}
			t.Logf("%d cross-province cases: %v", len(cases), forms)
			for _, f := range []hecha.Form{hecha.FormR1, hecha.FormR2, hecha.FormR3, hecha.FormR4, hecha.FormR5, hecha.FormR6} {
				if forms[f] == 0 {
					t.Errorf("no case of %d compares to %s: %v", len(cases), f, forms)
				}
			}
		})
	}
}
