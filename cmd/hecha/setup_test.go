package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hecha"
	"hecha/cmd/internal/cli"
	"hecha/store"
	hsync "hecha/sync"
)

// openTownship opens a township database the program wrote, for checks.
func openTownship(t *testing.T, path string) *store.TownshipDB {
	t.Helper()
	db, err := store.OpenTownship(path, store.WithNow(testClock))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestSetupAndSync(t *testing.T) {
	c := newCounty(t)
	db := filepath.Join(t.TempDir(), "township.db")

	r := run(t, db, "setup", "--server", c.srv.URL, "--fingerprint", c.fp, "--token", c.token, "--clerk", "王芳", "--regions", c.region)
	wantCode(t, r, 0)
	for _, want := range []string{"410102001 河南省/郑州市/中原区/林山寨街道", "王芳", "imported 8 division codes"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("setup lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, c.token) {
		t.Errorf("setup prints the token")
	}

	r = run(t, db, "sync")
	wantCode(t, r, 0)
	for _, want := range []string{"pushed 0 results", "pulled 2 cases", "2 cases here: not verified 2"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("sync lacks %q:\n%s", want, r.stdout)
		}
	}

	tdb := openTownship(t, db)
	st, err := tdb.Settings(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Township != "410102001" || st.Clerk != "王芳" || st.ServerURL != c.srv.URL || st.Token != c.token || st.Cursor == 0 {
		t.Errorf("settings %+v", st)
	}
	counts, err := tdb.Counts(context.Background())
	if err != nil || counts.Total() != 2 {
		t.Errorf("township cases %v, %v", counts, err)
	}
}

func TestSetupErrors(t *testing.T) {
	c := newCounty(t)
	db := filepath.Join(t.TempDir(), "township.db")
	wantCode(t, run(t, db, "setup", "--server", c.srv.URL), cli.ExitUsage)
	wantCode(t, run(t, db, "setup", "--server", "ftp://x", "--token", "t"), cli.ExitUsage)
	wantCode(t, run(t, db, "setup", "--server", c.srv.URL, "--fingerprint", c.fp, "--token", "hc_wrong"), cli.ExitUnauthorized)
	wantCode(t, run(t, db, "setup", "--server", c.srv.URL, "--fingerprint", c.fp, "--token", c.token, "--ca", c.region), cli.ExitUsage)

	// An address where nothing listens.
	dead := newCounty(t)
	dead.srv.Close()
	r := run(t, db, "setup", "--server", dead.srv.URL, "--fingerprint", dead.fp, "--token", c.token)
	wantCode(t, r, cli.ExitUnreachable)
}

func TestSetupRefusesAnotherTownship(t *testing.T) {
	c := newCounty(t)
	db := filepath.Join(t.TempDir(), "township.db")
	wantCode(t, run(t, db, "setup", "--server", c.srv.URL, "--fingerprint", c.fp, "--token", c.token), 0)
	wantCode(t, run(t, db, "sync"), 0)
	secret, _, err := c.db.CreateToken(context.Background(), "410102002")
	if err != nil {
		t.Fatal(err)
	}
	r := run(t, db, "setup", "--server", c.srv.URL, "--fingerprint", c.fp, "--token", secret)
	if r.code != cli.ExitFailure || !strings.Contains(r.stderr, "410102001") {
		t.Errorf("switching township: %d %q", r.code, r.stderr)
	}
	// The same township's new token is fine.
	secret, _, err = c.db.CreateToken(context.Background(), "410102001")
	if err != nil {
		t.Fatal(err)
	}
	wantCode(t, run(t, db, "setup", "--server", c.srv.URL, "--fingerprint", c.fp, "--token", secret), 0)
}

func TestSyncExitCodes(t *testing.T) {
	c := newCounty(t)
	db := filepath.Join(t.TempDir(), "township.db")
	r := run(t, db, "sync")
	if r.code != cli.ExitFailure || !strings.Contains(r.stderr, "hecha setup") {
		t.Errorf("before setup: %d %q", r.code, r.stderr)
	}
	wantCode(t, run(t, db, "setup", "--server", c.srv.URL, "--fingerprint", c.fp, "--token", c.token), 0)

	// A revoked token: 4.
	if err := c.db.RevokeToken(context.Background(), c.tokID); err != nil {
		t.Fatal(err)
	}
	r = run(t, db, "sync")
	wantCode(t, r, cli.ExitUnauthorized)
	// A round refused before anything moved prints no counts of zero.
	if r.stdout != "" {
		t.Errorf("a refused round printed counts:\n%s", r.stdout)
	}

	// The server gone: 3.
	c.srv.Close()
	r = run(t, db, "sync")
	wantCode(t, r, cli.ExitUnreachable)
	if r.stdout != "" {
		t.Errorf("a round with no server printed counts:\n%s", r.stdout)
	}
}

func TestSyncListsConflicts(t *testing.T) {
	c := newCounty(t)
	db := filepath.Join(t.TempDir(), "township.db")
	wantCode(t, run(t, db, "setup", "--server", c.srv.URL, "--fingerprint", c.fp, "--token", c.token, "--regions", c.region), 0)
	wantCode(t, run(t, db, "sync"), 0)

	// The clerk finds C001 dead; meanwhile the county moves C001 elsewhere.
	tdb := openTownship(t, db)
	ctx := context.Background()
	if _, err := tdb.SaveResult(ctx, &hecha.Result{CaseID: "C001", Form: hecha.FormR1, NotFound: &hecha.NotFound{Reason: hecha.NotFoundDied}}); err != nil {
		t.Fatal(err)
	}
	if _, err := tdb.SaveResult(ctx, &hecha.Result{CaseID: "C002", Form: hecha.FormR1, NotFound: &hecha.NotFound{Reason: hecha.NotFoundDied}}); err != nil {
		t.Fatal(err)
	}
	tdb.Close()
	if err := c.db.Assign(ctx, []string{"C001"}, "410102002", "test"); err != nil {
		t.Fatal(err)
	}

	r := run(t, db, "sync")
	wantCode(t, r, 0)
	for _, want := range []string{"pushed 2 results: accepted 1, duplicate 0, rejected 0, conflict 1", "conflict: case C001"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("sync lacks %q:\n%s", want, r.stdout)
		}
	}
	// The next round lists it only as waiting.
	r = run(t, db, "sync")
	wantCode(t, r, 0)
	if strings.Contains(r.stdout, "conflict: case C001") || !strings.Contains(r.stdout, "1 results rejected or in conflict earlier") {
		t.Errorf("second round:\n%s", r.stdout)
	}
}

// TestSyncReportCountsWhatWasAnswered: a round cut off mid-push says how
// many results were answered and how many go again, in both languages.
func TestSyncReportCountsWhatWasAnswered(t *testing.T) {
	var out, errb syncBuffer
	m := newTestMain("", &out, &errb)
	rep := hsync.Report{Pushed: 200, Accepted: 200, Unanswered: 200}
	m.Lang = hecha.English
	m.printReport(rep)
	m.Lang = hecha.Chinese
	m.printReport(rep)
	got := out.String()
	for _, want := range []string{
		"pushed 200 results: accepted 200",
		"the connection broke: 200 results were sent but not answered; they will be sent again",
		"上传 200 个结果：接收 200",
		"连接中断：200 个结果已发出但没有收到县里的答复，下次同步时会重新上传",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}

// TestDBFlagBeforeTheCommand: --db may come before the command name as
// well as after it (hecha --db FILE setup …), as the README says.
func TestDBFlagBeforeTheCommand(t *testing.T) {
	c := newCounty(t)
	dir := t.TempDir()
	db, other := filepath.Join(dir, "township.db"), filepath.Join(dir, "other.db")
	wantCode(t, run(t, other, "--db", db, "setup", "--server", c.srv.URL, "--fingerprint", c.fp, "--token", c.token, "--regions", c.region), 0)
	r := run(t, other, "--db", db, "sync")
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "pulled 2 cases") {
		t.Errorf("sync with --db first:\n%s%s", r.stdout, r.stderr)
	}
	wantCode(t, run(t, other, "--db="+db, "--lang", "zh", "sync"), 0)
	if _, err := os.Stat(other); err == nil {
		t.Error("the database named by the environment was used, not --db")
	}
}
