package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"hecha"
	"hecha/cmd/internal/cli"
	"hecha/codefile"
	"hecha/internal/countytest"
	"hecha/store"
	hsync "hecha/sync"
)

// withDB opens the county store the program wrote at loc (countytest),
// runs fn and closes it, so the next run can open it again. The clock is
// the tests' fixed one unless o brings another.
func withDB(t *testing.T, loc string, o countytest.Options, fn func(db hecha.CountyStore)) {
	t.Helper()
	if o.Now == nil {
		o.Now = testClock
	}
	db := countytest.OpenAt(t, loc, o)
	defer db.Close()
	fn(db)
}

// withTownshipDB is withDB for a township terminal's database.
func withTownshipDB(t *testing.T, path string, opts []store.Option, fn func(db *store.TownshipDB)) {
	t.Helper()
	db, err := store.OpenTownship(path, append([]store.Option{store.WithNow(testClock)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fn(db)
}

// township is a township terminal's side, driven through package sync
// as hecha's commands drive it.
type township struct {
	path string
	opts []store.Option
	key  hsync.Key
}

func newTownship(t *testing.T, token string, code hecha.Code) *township {
	t.Helper()
	table := hecha.NewDivisionTable()
	if err := codefile.LoadDivisions(table, strings.NewReader(regionsCSV)); err != nil {
		t.Fatal(err)
	}
	id, hash, err := store.TokenSecretHash(token)
	if err != nil {
		t.Fatal(err)
	}
	tw := &township{
		path: filepath.Join(t.TempDir(), "township.db"),
		opts: []store.Option{store.WithNoSync(),
			store.WithRules(&hecha.Rules{Divisions: table, Now: func() time.Time { return testNow }})},
		key: hsync.NewKey(id, code, hash),
	}
	withTownshipDB(t, tw.path, tw.opts, func(db *store.TownshipDB) {
		if err := db.SaveSettings(context.Background(), hecha.Settings{Township: code, Token: token}); err != nil {
			t.Fatal(err)
		}
	})
	return tw
}

func (tw *township) keys(context.Context, hsync.FileHeader) (hsync.Key, error) { return tw.key, nil }

// importCases reads and stores a case file.
func (tw *township) importCases(t *testing.T, path string) (hsync.CasesFile, hsync.CasesReport) {
	t.Helper()
	var f hsync.CasesFile
	if _, _, err := hsync.ReadFile(context.Background(), path, hsync.FileCases, tw.keys, &f); err != nil {
		t.Fatal(err)
	}
	var rep hsync.CasesReport
	withTownshipDB(t, tw.path, tw.opts, func(db *store.TownshipDB) {
		var err error
		if rep, err = hsync.ApplyCasesFile(context.Background(), db, &f); err != nil {
			t.Fatal(err)
		}
	})
	return f, rep
}

// exportBatch saves a "died" result for each case and writes the batch.
func (tw *township) exportBatch(t *testing.T, path string, caseIDs ...string) hsync.FileHeader {
	t.Helper()
	ctx := context.Background()
	var h hsync.FileHeader
	withTownshipDB(t, tw.path, tw.opts, func(db *store.TownshipDB) {
		for _, id := range caseIDs {
			if _, err := db.SaveResult(ctx, &hecha.Result{CaseID: id, Form: hecha.FormR1, NotFound: &hecha.NotFound{Reason: hecha.NotFoundDied}}); err != nil {
				t.Fatal(err)
			}
		}
		b, err := hsync.CollectBatch(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		err = cli.WriteFileAtomic(path, func(w io.Writer) error {
			h, err = hsync.EncodeFile(w, tw.key, hsync.FileHeader{Kind: hsync.FileBatch}, b, testNow)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	})
	return h
}

// receipt reads a receipt the county wrote.
func (tw *township) receipt(t *testing.T, path string) hsync.ReceiptFile {
	t.Helper()
	var r hsync.ReceiptFile
	if _, _, err := hsync.ReadFile(context.Background(), path, hsync.FileReceipt, tw.keys, &r); err != nil {
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

func TestOfflineCounty(t *testing.T) {
	f := newFixture(t)
	db := loadedCounty(t, f)
	dir := t.TempDir()
	wantCode(t, run(t, db, "assign", "--to", "410102001", "C001", "C003"), 0)
	cases := filepath.Join(dir, "cases.hecha")

	// Usage errors, and a township without a token.
	wantCode(t, run(t, db, "export", "cases", "-o", cases), cli.ExitUsage)
	wantCode(t, run(t, db, "export", "cases", "--township", "410102001"), cli.ExitUsage)
	wantCode(t, run(t, db, "export", "cases", "--township", "410102", "-o", cases), cli.ExitUsage)
	r := run(t, db, "export", "cases", "--township", "410102001", "-o", cases)
	wantCode(t, r, cli.ExitFailure)
	wantOut(t, r, "has no valid token", "token create --township 410102001")

	r = run(t, db, "token", "create", "--township", "410102001")
	wantCode(t, r, 0)
	tw := newTownship(t, strings.TrimSpace(r.stdout), "410102001")
	r = run(t, db, "export", "cases", "--township", "410102001", "-o", cases)
	wantCode(t, r, 0)
	wantOut(t, r, "wrote 2 cases and 2 registry records for township 410102001", "signed with token "+tw.key.TokenID)
	cf, rep := tw.importCases(t, cases)
	if rep.Cases != 2 || rep.Registry != 2 || !strings.Contains(cf.Regions, "410102001,林山寨街道") {
		t.Fatalf("case file: %+v; regions %q", rep, cf.Regions)
	}

	// A batch, its receipt, and the same batch again.
	batch := filepath.Join(dir, "batch.hecha")
	h := tw.exportBatch(t, batch, "C001")
	r = run(t, db, "import", "batch", batch)
	wantCode(t, r, 0)
	wantOut(t, r, "1 results, accepted 1, duplicate 0, rejected 0, conflict 0", "receipt written to "+batch+".receipt",
		"export cases --township 410102001 --since "+itoa(cf.Next)+" --registry-since "+itoa(cf.RegistryNext))
	rc := tw.receipt(t, batch+".receipt")
	if rc.BatchID != h.ID || len(rc.Outcomes) != 1 || rc.Outcomes[0].Status != hecha.ResultAccepted {
		t.Errorf("receipt %+v", rc)
	}
	other := filepath.Join(dir, "answer.receipt")
	r = run(t, db, "import", "batch", batch, "-o", other)
	wantCode(t, r, 0)
	wantOut(t, r, "accepted 0, duplicate 1")
	if rc := tw.receipt(t, other); rc.Outcomes[0].Status != hecha.ResultDuplicate {
		t.Errorf("second receipt %+v", rc)
	}

	// A tampered batch changes nothing.
	h = tw.exportBatch(t, batch, "C003")
	data, err := os.ReadFile(batch)
	if err != nil {
		t.Fatal(err)
	}
	data[bytes.LastIndex(data, []byte("\nHMAC-SHA256 "))-5] ^= 1 // in the payload
	bad := filepath.Join(dir, "bad.hecha")
	if err := os.WriteFile(bad, data, 0o600); err != nil {
		t.Fatal(err)
	}
	r = run(t, db, "import", "batch", bad)
	wantCode(t, r, cli.ExitUsage)
	wantOut(t, r, "the signature of "+bad+" does not match")
	wantCode(t, run(t, db, "import", "batch", cases), cli.ExitUsage)
	withDB(t, db, countytest.Options{}, func(cdb hecha.CountyStore) {
		if res, err := cdb.ResultsOf(context.Background(), "C003"); err != nil || len(res) != 0 {
			t.Errorf("C003 holds %v, %v after the refused file", res, err)
		}
	})
	if _, err := os.Stat(bad + ".receipt"); err == nil {
		t.Error("a refused batch got a receipt")
	}

	// A bit flipped in the header's token id: the file was altered (exit 2),
	// not a token the county refuses (exit 4).
	data, err = os.ReadFile(batch)
	if err != nil {
		t.Fatal(err)
	}
	at := bytes.Index(data, []byte(`"token_id":"`)) + len(`"token_id":"`) + 2
	data[at] ^= 1
	if err := os.WriteFile(bad, data, 0o600); err != nil {
		t.Fatal(err)
	}
	r = run(t, db, "import", "batch", bad)
	wantCode(t, r, cli.ExitUsage)
	wantOut(t, r, "the file was altered")

	// A revoked token: refused, exit 4, and no case file either.
	withDB(t, db, countytest.Options{}, func(cdb hecha.CountyStore) {
		if err := cdb.RevokeToken(context.Background(), tw.key.TokenID); err != nil {
			t.Fatal(err)
		}
	})
	r = run(t, db, "import", "batch", batch)
	wantCode(t, r, cli.ExitUnauthorized)
	wantOut(t, r, "revoked token "+tw.key.TokenID)
	wantCode(t, run(t, db, "export", "cases", "--township", "410102001", "-o", cases), cli.ExitFailure)
	_ = h
}

func itoa(n uint64) string { return strconv.FormatUint(n, 10) }
