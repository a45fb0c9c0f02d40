package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hecha"
	"hecha/cmd/internal/cli"
	"hecha/codefile"
	"hecha/store"
	hsync "hecha/sync"
)

// countyKey is the county's key for the fixture's token.
func (c *county) key(t *testing.T) hsync.Key {
	t.Helper()
	town, hash, err := c.db.TokenHash(context.Background(), c.tokID)
	if err != nil {
		t.Fatal(err)
	}
	return hsync.NewKey(c.tokID, town, hash)
}

// writeFile writes an offline file signed with k.
func writeFile(t *testing.T, path string, k hsync.Key, kind hsync.FileKind, payload any) {
	t.Helper()
	err := cli.WriteFileAtomic(path, func(w io.Writer) error {
		_, err := hsync.EncodeFile(w, k, hsync.FileHeader{Kind: kind}, payload, testNow)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// caseFile writes what "hecha-county export cases" writes for the
// fixture's township.
func (c *county) caseFile(t *testing.T, path string) {
	t.Helper()
	f, err := hsync.CollectCases(context.Background(), c.db, "410102001", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := codefile.WriteDivisions(&buf, c.rules.Divisions); err != nil {
		t.Fatal(err)
	}
	f.Regions = buf.String()
	writeFile(t, path, c.key(t), hsync.FileCases, f)
}

// importBatch does what "hecha-county import batch" does, and writes the
// receipt beside the batch.
func (c *county) importBatch(t *testing.T, path string) []hecha.Outcome {
	t.Helper()
	ctx := context.Background()
	var b hsync.BatchFile
	keys := func(ctx context.Context, h hsync.FileHeader) (hsync.Key, error) { return c.key(t), nil }
	h, _, err := hsync.ReadFile(ctx, path, hsync.FileBatch, keys, &b)
	if err != nil {
		t.Fatal(err)
	}
	outs, err := hsync.ApplyBatch(ctx, c.db, h.Township, b.Results)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, path+".receipt", c.key(t), hsync.FileReceipt, hsync.ReceiptFile{BatchID: h.ID, Outcomes: outs})
	return outs
}

// saveR1 saves a "died" result for a case on the township database.
func saveR1(t *testing.T, path, caseID string) *hecha.Result {
	t.Helper()
	db := openTownship(t, path)
	defer db.Close()
	r, err := db.SaveResult(context.Background(), &hecha.Result{CaseID: caseID, Form: hecha.FormR1, NotFound: &hecha.NotFound{Reason: hecha.NotFoundDied}})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func wantOut(t *testing.T, r result, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(r.stdout+r.stderr, w) {
			t.Errorf("output lacks %q:\nstdout:\n%s\nstderr:\n%s", w, r.stdout, r.stderr)
		}
	}
}

func TestOfflineFiles(t *testing.T) {
	c := newCounty(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "township.db")
	cases := filepath.Join(dir, "cases.hecha")
	c.caseFile(t, cases)

	// The first case file sets the terminal up, with the token it names.
	r := run(t, db, "import", "cases", cases)
	wantCode(t, r, cli.ExitUsage)
	wantOut(t, r, "no token yet")
	wantCode(t, run(t, db, "import", "cases", cases, "--token", "hc_nonsense"), cli.ExitUsage)
	r = run(t, db, "import", "cases", cases, "--token", c.token, "--clerk", "王芳")
	wantCode(t, r, 0)
	wantOut(t, r, "set up for township 410102001 河南省/郑州市/中原区/林山寨街道", "added or updated 8 division codes",
		"imported 2 cases and 0 registry records", "2 cases here: not verified 2")
	tdb := openTownship(t, db)
	if table, err := tdb.Divisions(context.Background()); err != nil || table.Len() != 8 {
		t.Errorf("the database holds no division table: %v, %v", table, err)
	}
	if src, _ := tdb.DivisionsSource(context.Background()); src != "" {
		t.Errorf("a table from a file is marked as the county's: %q", src)
	}
	st, _ := tdb.Settings(context.Background())
	tdb.Close()
	if st.Township != "410102001" || st.Token != c.token || st.Clerk != "王芳" || st.ServerURL != "" || st.Cursor == 0 {
		t.Errorf("settings after the first file: %+v", st)
	}

	// A batch of the one result, which stays waiting until the receipt.
	r = run(t, db, "export", "batch")
	wantCode(t, r, cli.ExitUsage)
	saved := saveR1(t, db, "C001")
	batch := filepath.Join(dir, "batch.hecha")
	r = run(t, db, "export", "batch", "-o", batch)
	wantCode(t, r, 0)
	wantOut(t, r, "wrote 1 results to "+batch, "hecha import receipt "+batch+".receipt")
	if outs := c.importBatch(t, batch); len(outs) != 1 || outs[0].Status != hecha.ResultAccepted || outs[0].ResultID != saved.ID {
		t.Fatalf("county outcomes %+v", outs)
	}
	tdb = openTownship(t, db)
	if items, _ := tdb.Outbox(context.Background(), hecha.OutboxPending); len(items) != 1 {
		t.Errorf("outbox pending %d after export, want 1", len(items))
	}
	tdb.Close()

	// Refused receipts change nothing.
	data, err := os.ReadFile(batch + ".receipt")
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.receipt")
	data[len(data)/2] ^= 0x20
	if err := os.WriteFile(bad, data, 0o600); err != nil {
		t.Fatal(err)
	}
	r = run(t, db, "import", "receipt", bad)
	wantCode(t, r, cli.ExitUsage)
	wantOut(t, r, bad)
	r = run(t, db, "import", "receipt", batch)
	wantCode(t, r, cli.ExitUsage)
	wantOut(t, r, "is a batch file, not a receipt")
	wantCode(t, run(t, db, "import", "receipt", filepath.Join(dir, "missing")), cli.ExitUsage)

	// The receipt, twice.
	for i := 0; i < 2; i++ {
		r = run(t, db, "import", "receipt", batch+".receipt")
		wantCode(t, r, 0)
		wantOut(t, r, "accepted 1, duplicate 0, rejected 0, conflict 0", "2 cases here: not verified 1, waiting to upload 0, done 1")
	}
	wantOut(t, run(t, db, "export", "batch", "-o", batch), "no results are waiting")

	// A result of a case the county changed meanwhile comes back in conflict.
	saveR1(t, db, "C002")
	cs, err := c.db.Case(context.Background(), "C002")
	if err != nil {
		t.Fatal(err)
	}
	cs.Person.CurrentAddress = "上海市黄浦区南京东路9号"
	if _, err := c.db.ImportCases(context.Background(), []hecha.Case{*cs}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, run(t, db, "export", "batch", "-o", batch), 0)
	c.importBatch(t, batch)
	r = run(t, db, "import", "receipt", batch+".receipt")
	wantCode(t, r, 0)
	wantOut(t, r, "conflict 1", "conflict: case C002", "was changed or reassigned by the county")
	if strings.Contains(r.stdout, "%!") {
		t.Errorf("a message lost its arguments:\n%s", r.stdout)
	}

	// The next case file brings the change; the result stays set aside.
	c.caseFile(t, cases)
	r = run(t, db, "import", "cases", cases)
	wantCode(t, r, 0)
	wantOut(t, r, "imported 2 cases")
}

func TestOfflineFilesOtherTownship(t *testing.T) {
	c := newCounty(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "township.db")
	cases := filepath.Join(dir, "cases.hecha")
	c.caseFile(t, cases)
	wantCode(t, run(t, db, "import", "cases", cases, "--token", c.token), 0)

	// A file for 建设路街道, signed with its own token.
	secret, tok, err := c.db.CreateToken(context.Background(), "410102002")
	if err != nil {
		t.Fatal(err)
	}
	id, hash, err := store.TokenSecretHash(secret)
	if err != nil || id != tok.ID {
		t.Fatal(id, err)
	}
	other := filepath.Join(dir, "other.hecha")
	writeFile(t, other, hsync.NewKey(id, "410102002", hash), hsync.FileCases, hsync.CasesFile{})
	r := run(t, db, "import", "cases", other)
	wantCode(t, r, cli.ExitUsage)
	wantOut(t, r, "belongs to township 410102002, not to 410102001")
	r = run(t, db, "import", "cases", other, "--token", secret)
	wantCode(t, r, cli.ExitUsage)
	wantOut(t, r, "belongs to township 410102002, not to 410102001")
	tdb := openTownship(t, db)
	defer tdb.Close()
	if st, _ := tdb.Settings(context.Background()); st.Token != c.token || st.Township != "410102001" {
		t.Errorf("settings changed by a refused file: %+v", st)
	}
}
