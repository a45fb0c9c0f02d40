package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"hecha"
	"hecha/cmd/internal/cli"
	"hecha/internal/countytest"
	"hecha/store"
)

// TestOfflineEndToEnd builds both programs and follows the README's file
// workflow for a township with no connection: a case file sets the
// terminal up, results go to the county in a batch file, the receipt comes
// back, and the next case file carries only the changes since.
func TestOfflineEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds both programs")
	}
	bin := t.TempDir()
	county, township := filepath.Join(bin, "hecha-county"), filepath.Join(bin, "hecha")
	build(t, county, "hecha/cmd/hecha-county")
	build(t, township, "hecha/cmd/hecha")

	work := t.TempDir()
	usb := filepath.Join(work, "usb")
	if err := os.Mkdir(usb, 0o700); err != nil {
		t.Fatal(err)
	}
	countyDB, townDB := countytest.New(t), filepath.Join(work, "township.db")
	env := append(os.Environ(), "LANG=en_US.UTF-8", "LC_ALL=", "LC_MESSAGES=",
		cli.CountyDBEnv+"="+countyDB, cli.TownshipDBEnv+"="+townDB, "XDG_CONFIG_HOME="+work, "HOME="+work)
	sh := func(wantCode int, name string, args ...string) string {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Env = env
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatalf("%s %q: %v", filepath.Base(name), args, err)
		}
		if code != wantCode {
			t.Fatalf("%s %q: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", filepath.Base(name), args, code, wantCode, out.String(), errb.String())
		}
		return out.String() + errb.String()
	}
	contains := func(out string, wants ...string) {
		t.Helper()
		for _, w := range wants {
			if !strings.Contains(out, w) {
				t.Errorf("output lacks %q:\n%s", w, out)
			}
		}
	}

	// The county, as far as a token for a township with three cases a
	// not-found result fits (whichever township that is at e2eNow).
	data := filepath.Join(work, "data")
	sh(0, county, "gen", "--out", data, "--cases", "60", "--seed", "5", "--defects", "0", "--now", e2eNow)
	sh(0, county, "import", "regions", filepath.Join(data, "regions.csv"), "--county", "410122")
	for _, kind := range []string{"floating", "resident", "cases"} {
		sh(0, county, "import", kind, filepath.Join(data, kind+".csv"))
	}
	sh(0, county, "assign", "--auto")
	code, n := pickTownship(t, countyDB, 3, canSaveNotFound)
	assigned := strconv.Itoa(n)
	token, _, _ := strings.Cut(sh(0, county, "token", "create", "--township", code), "\n") // stdout comes first

	// 1. The county writes the case file; the township takes it with its token.
	cases := filepath.Join(usb, "cases.hecha")
	sh(0, county, "export", "cases", "--township", code, "-o", cases)
	out := sh(0, township, "import", "cases", cases, "--token", token, "--clerk", "王芳")
	contains(out, "set up for township "+code, "imported "+assigned+" cases")

	// 2. The clerk verifies three cases (here through the store).
	saved := saveNotFound(t, townDB, 3)

	// 3. Batch to the county, receipt back.
	batch := filepath.Join(usb, "batch.hecha")
	contains(sh(0, township, "export", "batch", "-o", batch), "wrote 3 results")
	out = sh(0, county, "import", "batch", batch)
	contains(out, "3 results, accepted 3")
	next := regexp.MustCompile(`--since (\d+) --registry-since (\d+)`).FindStringSubmatch(out)
	if next == nil {
		t.Fatalf("no cursors in:\n%s", out)
	}
	contains(sh(0, township, "import", "receipt", batch+".receipt"), "accepted 3, duplicate 0, rejected 0, conflict 0")

	// A copy altered on the way is refused by either side.
	raw, err := os.ReadFile(batch)
	if err != nil {
		t.Fatal(err)
	}
	raw[len(raw)/2] ^= 0x04
	bad := filepath.Join(usb, "altered.hecha")
	if err := os.WriteFile(bad, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	contains(sh(cli.ExitUsage, county, "import", "batch", bad), bad)
	contains(sh(cli.ExitUsage, township, "import", "receipt", bad), bad)

	// 4. The next case file carries only what changed: the three cases done.
	cases2 := filepath.Join(usb, "cases2.hecha")
	sh(0, county, "export", "cases", "--township", code, "--since", next[1], "--registry-since", next[2], "-o", cases2)
	contains(sh(0, township, "import", "cases", cases2), "imported 3 cases")

	// The county holds each result once; the township's outbox is answered.
	cdb := countytest.OpenAt(t, countyDB, countytest.Options{Now: testClock})
	for _, r := range saved {
		if got, err := cdb.ResultsOf(context.Background(), r.CaseID); err != nil || len(got) != 1 || got[0].ID != r.ID {
			t.Errorf("county results of %s: %v, %v", r.CaseID, got, err)
		}
	}
	cdb.Close()
	tdb, err := store.OpenTownship(townDB, store.WithNow(testClock))
	if err != nil {
		t.Fatal(err)
	}
	defer tdb.Close()
	items, err := tdb.Outbox(context.Background())
	if err != nil || len(items) != 3 {
		t.Fatalf("outbox %v, %v", items, err)
	}
	for _, it := range items {
		if it.State != hecha.OutboxAccepted {
			t.Errorf("outbox item %+v", it)
		}
	}
}

// e2eNow is the --now the end-to-end tests generate their county at: a
// fixed day before any day they run on, since the programs they drive
// read the real clock and reject dates after it. The tests choose the
// township and cases they need, so they pass at any e2eNow; to try
// another, go test -ldflags=-X=hecha/cmd/hecha-county.e2eNow=2016-02-29.
var e2eNow = "2024-06-01"

// e2eClock is the clock at e2eNow, for the test's own reads of a database.
func e2eClock(t *testing.T) func() time.Time {
	now, err := time.Parse(time.DateOnly, e2eNow)
	if err != nil {
		t.Fatalf("e2eNow %q: %v", e2eNow, err)
	}
	return func() time.Time { return now }
}

// notFoundForm is the not-found form of each kind of case that has one.
var notFoundForm = map[hecha.Kind]hecha.Form{hecha.KindCrossProvince: hecha.FormR1, hecha.KindInProvince: hecha.FormP2}

// canSaveNotFound reports whether a not-found result fits c.
func canSaveNotFound(c *hecha.Case) bool { return notFoundForm[c.Kind] != "" }

// pickTownship returns, from the county database at path (no program
// holding it), the township with the most assigned cases that want
// accepts (the lowest code among equals), and how many cases in all it
// was assigned. It fails the test when no township has min such cases.
func pickTownship(t *testing.T, path string, min int, want func(*hecha.Case) bool) (string, int) {
	t.Helper()
	db := countytest.OpenAt(t, path, countytest.Options{Now: e2eClock(t)})
	defer db.Close()
	cases, err := db.Cases(context.Background(), hecha.CaseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	fit, all := map[hecha.Code]int{}, map[hecha.Code]int{}
	for i := range cases {
		town := cases[i].Unit.At(hecha.LevelTownship)
		if town == "" {
			continue
		}
		all[town]++
		if want(&cases[i]) {
			fit[town]++
		}
	}
	var best hecha.Code
	for town, n := range fit {
		if n > fit[best] || n == fit[best] && town < best {
			best = town
		}
	}
	if best == "" || fit[best] < min {
		t.Fatalf("no township has %d fitting cases: %v", min, fit)
	}
	return string(best), all[best]
}

// saveNotFound saves a not-found result (R1 or P2, "died") for n cases of
// the township database at path, with the division table stored in it.
func saveNotFound(t *testing.T, path string, n int) []hecha.Result {
	t.Helper()
	db, err := store.OpenTownship(path, store.WithStoredDivisions(), store.WithNow(testClock))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	sums, err := db.Summaries(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out []hecha.Result
	for _, s := range sums {
		form := notFoundForm[s.Kind]
		if len(out) == n || form == "" {
			continue
		}
		r, err := db.SaveResult(ctx, &hecha.Result{CaseID: s.ID, Form: form, NotFound: &hecha.NotFound{Reason: hecha.NotFoundDied}})
		if err != nil {
			t.Fatalf("save %s: %v", s.ID, err)
		}
		out = append(out, *r)
	}
	if len(out) < n {
		t.Fatalf("only %d results saved", len(out))
	}
	return out
}
