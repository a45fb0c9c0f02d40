package sync_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hecha"
	"hecha/store"
	hsync "hecha/sync"
)

// offline is a county and one township set up for offline files: the
// county database with cases of townA (and townB), the township database,
// the township's token and both sides' keys.
type offline struct {
	county hecha.CountyStore
	town   *store.TownshipDB
	tokens map[hecha.Code]string
	key    hsync.Key // the township's key for townA
}

func newOffline(tb testing.TB, n int) *offline {
	tb.Helper()
	dir := tb.TempDir()
	county := openCounty(tb, false)
	tb.Cleanup(func() { county.Close() })
	tokens := seedCounty(tb, county, n, townA, townB)
	town := openTownship(tb, filepath.Join(dir, "town.db"), townA)
	tb.Cleanup(func() { town.Close() })
	o := &offline{county: county, town: town, tokens: tokens, key: townKey(tb, tokens[townA], townA)}
	if rep := o.importCases(tb, 0, 0); rep.Cases != n {
		tb.Fatalf("case file brought %d cases, want %d", rep.Cases, n)
	}
	return o
}

// townKey is a township's key, made from its token.
func townKey(tb testing.TB, token string, township hecha.Code) hsync.Key {
	tb.Helper()
	id, hash, err := store.TokenSecretHash(token)
	if err != nil {
		tb.Fatal(err)
	}
	return hsync.NewKey(id, township, hash)
}

// countyKeys looks a file's token up in the county database.
func countyKeys(county hecha.CountyStore) hsync.KeyFunc {
	return func(ctx context.Context, h hsync.FileHeader) (hsync.Key, error) {
		town, hash, err := county.TokenHash(ctx, h.TokenID)
		if err != nil {
			return hsync.Key{}, err
		}
		return hsync.NewKey(h.TokenID, town, hash), nil
	}
}

// fixedKey always gives k.
func fixedKey(k hsync.Key) hsync.KeyFunc {
	return func(context.Context, hsync.FileHeader) (hsync.Key, error) { return k, nil }
}

func encode(tb testing.TB, k hsync.Key, kind hsync.FileKind, payload any) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if _, err := hsync.EncodeFile(&buf, k, hsync.FileHeader{Kind: kind}, payload, fxNow); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// exportBatch writes the township's unanswered results as a batch file.
func (o *offline) exportBatch(tb testing.TB) ([]byte, int) {
	tb.Helper()
	b, err := hsync.CollectBatch(context.Background(), o.town)
	if err != nil {
		tb.Fatal(err)
	}
	return encode(tb, o.key, hsync.FileBatch, b), len(b.Results)
}

// importBatch does what "hecha-county import batch" does: verify, apply,
// and answer with a signed receipt.
func (o *offline) importBatch(tb testing.TB, data []byte) ([]hecha.Outcome, []byte, error) {
	tb.Helper()
	ctx := context.Background()
	var b hsync.BatchFile
	h, err := hsync.DecodeFile(ctx, "batch.hecha", data, hsync.FileBatch, countyKeys(o.county), &b)
	if err != nil {
		return nil, nil, err
	}
	outs, err := hsync.ApplyBatch(ctx, o.county, h.Township, b.Results)
	if err != nil {
		tb.Fatal(err)
	}
	k, err := countyKeys(o.county)(ctx, h)
	if err != nil {
		tb.Fatal(err)
	}
	return outs, encode(tb, k, hsync.FileReceipt, hsync.ReceiptFile{BatchID: h.ID, Outcomes: outs}), nil
}

// importReceipt does what "hecha import receipt" does.
func (o *offline) importReceipt(tb testing.TB, data []byte) (hsync.ReceiptReport, error) {
	tb.Helper()
	var r hsync.ReceiptFile
	ctx := context.Background()
	if _, err := hsync.DecodeFile(ctx, "batch.hecha.receipt", data, hsync.FileReceipt, fixedKey(o.key), &r); err != nil {
		return hsync.ReceiptReport{}, err
	}
	return hsync.ApplyReceipt(ctx, o.town, r)
}

// importCases brings the county's cases for townA to the township by file.
func (o *offline) importCases(tb testing.TB, since, regSince uint64) hsync.CasesReport {
	tb.Helper()
	ctx := context.Background()
	f, err := hsync.CollectCases(ctx, o.county, townA, since, regSince)
	if err != nil {
		tb.Fatal(err)
	}
	data := encode(tb, townKey(tb, o.tokens[townA], townA), hsync.FileCases, f)
	var got hsync.CasesFile
	if _, err := hsync.DecodeFile(ctx, "cases.hecha", data, hsync.FileCases, fixedKey(o.key), &got); err != nil {
		tb.Fatal(err)
	}
	rep, err := hsync.ApplyCasesFile(ctx, o.town, &got)
	if err != nil {
		tb.Fatal(err)
	}
	return rep
}

// wantRefused checks that err is an EINVALID offline error with msgID
// naming the file.
func wantRefused(tb testing.TB, err error, msgID string) {
	tb.Helper()
	var e *hecha.Error
	if !errors.As(err, &e) {
		tb.Fatalf("err = %v, want %s", err, msgID)
	}
	if e.Code != hecha.EINVALID || e.MsgID != msgID {
		tb.Fatalf("err = %s %s (%v), want %s %s", e.Code, e.MsgID, e, hecha.EINVALID, msgID)
	}
	if len(e.Args) == 0 || !strings.Contains(e.Message(hecha.Chinese), e.Args[0].(string)) {
		tb.Fatalf("message %q does not name the file", e.Message(hecha.Chinese))
	}
}

func TestFileRoundTripKeepsBytes(t *testing.T) {
	o := newOffline(t, 3)
	payload := hsync.ReceiptFile{BatchID: hecha.NewResultID(fxNow), Outcomes: []hecha.Outcome{{ResultID: "X", Status: hecha.ResultRejected,
		Errors: hecha.Errors{hecha.Invalid("verified.name", "some.msg", 3, "甲")}}}}
	data := encode(t, o.key, hsync.FileReceipt, payload)
	if !bytes.HasPrefix(data, []byte("HECHA-OFFLINE 2\n{")) || !bytes.Contains(data, []byte("\nHMAC-SHA256 ")) || data[len(data)-1] != '\n' {
		t.Fatalf("layout:\n%q", data)
	}
	var got hsync.ReceiptFile
	h, err := hsync.DecodeFile(context.Background(), "r", data, hsync.FileReceipt, fixedKey(o.key), &got)
	if err != nil {
		t.Fatal(err)
	}
	if h.Kind != hsync.FileReceipt || h.Township != townA || h.TokenID != o.key.TokenID || !h.CreatedAt.Equal(fxNow) || !hecha.ValidResultID(h.ID) {
		t.Errorf("header %+v", h)
	}
	if got.BatchID != payload.BatchID || len(got.Outcomes) != 1 || got.Outcomes[0].Errors[0].Field != "verified.name" {
		t.Errorf("payload %+v", got)
	}
	if _, err := hsync.EncodeFile(&bytes.Buffer{}, hsync.Key{}, hsync.FileHeader{Kind: hsync.FileBatch}, nil, fxNow); err == nil {
		t.Error("the zero key signed a file")
	}
}

func TestFileRefused(t *testing.T) {
	o := newOffline(t, 3)
	saveResults(t, o.town, 2)
	good, n := o.exportBatch(t)
	if n != 2 {
		t.Fatalf("%d results exported", n)
	}
	sigAt := bytes.LastIndex(good, []byte("HMAC-SHA256 "))
	replace := func(old, new string) []byte { return bytes.Replace(good, []byte(old), []byte(new), 1) }

	// B's token labelled as A's file: the county finds the token's township is B.
	idB, hashB, err := store.TokenSecretHash(o.tokens[townB])
	if err != nil {
		t.Fatal(err)
	}
	forged := encode(t, hsync.NewKey(idB, townA, hashB), hsync.FileBatch, hsync.BatchFile{})
	receipt := encode(t, o.key, hsync.FileReceipt, hsync.ReceiptFile{})

	for _, tc := range []struct {
		name  string
		data  []byte
		msgID string
	}{
		{"empty", nil, "offline.err.empty"},
		{"garbage", []byte("name,sex\n张三,1\n"), "offline.err.not_offline"},
		{"magic only, cut", good[:5], "offline.err.truncated"},
		{"cut in the header", good[:30], "offline.err.truncated"},
		{"cut in the payload", good[:sigAt-10], "offline.err.truncated"},
		{"cut in the signature", good[:len(good)-1], "offline.err.truncated"},
		{"trailing data", append(bytes.Clone(good), "x"...), "offline.err.trailing"},
		{"newer version", replace("HECHA-OFFLINE 2", "HECHA-OFFLINE 3"), "offline.err.newer"},
		{"version zero", replace("HECHA-OFFLINE 2", "HECHA-OFFLINE 0"), "offline.err.damaged"},
		// The version is signed: a file cannot pass for version 1, whose
		// key is derived the old way.
		{"passed off as version 1", replace("HECHA-OFFLINE 2", "HECHA-OFFLINE 1"), "offline.err.signature"},
		{"header not JSON", replace(`{"kind"`, `["kind"`), "offline.err.damaged"},
		{"receipt as batch", receipt, "offline.err.kind.batch.receipt"},
		{"signed for another township", forged, "offline.err.township"},
		{"signature altered", flipSignature(good, sigAt+12), "offline.err.signature"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := o.importBatch(t, tc.data)
			wantRefused(t, err, tc.msgID)
		})
	}

	// Every single-byte change and every truncation is refused.
	for i := range good {
		bad := bytes.Clone(good)
		bad[i] ^= 0x01
		// A flip in the token id names a token the county does not know.
		if _, _, err := o.importBatch(t, bad); hecha.ErrorCode(err) != hecha.EINVALID && hecha.ErrorCode(err) != hecha.EUNAUTHORIZED {
			t.Fatalf("byte %d flipped: err %v", i, err)
		}
		if _, _, err := o.importBatch(t, good[:i]); hecha.ErrorCode(err) != hecha.EINVALID {
			t.Fatalf("cut at %d: err %v", i, err)
		}
	}

	// A revoked token signs nothing any more.
	toks, err := o.county.Tokens(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range toks {
		if tk.Township == townA {
			if err := o.county.RevokeToken(context.Background(), tk.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, _, err := o.importBatch(t, good); hecha.ErrorCode(err) != hecha.EUNAUTHORIZED {
		t.Fatalf("revoked token: %v", err)
	}

	// Nothing of it reached the county; the outbox is as it was.
	if missing, err := o.county.HasResults(context.Background(), townA, resultIDs(t, o.town)); err != nil || len(missing) != 2 {
		t.Errorf("county holds results after refusals: missing %v, %v", missing, err)
	}
	if items, _ := o.town.Outbox(context.Background(), hecha.OutboxPending); len(items) != 2 {
		t.Errorf("outbox pending %d, want 2", len(items))
	}
}

// flipSignature returns a copy of file with the hex digit at i changed, so
// the signature no longer matches (a copy: replacing the first occurrence
// of the same digits could alter the header instead, depending on the data).
func flipSignature(file []byte, i int) []byte {
	out := bytes.Clone(file)
	if out[i] == '0' {
		out[i] = '1'
	} else {
		out[i] = '0'
	}
	return out
}

func TestFileOtherTownshipOrToken(t *testing.T) {
	o := newOffline(t, 3)
	ctx := context.Background()
	// A receipt for B does not go into A's terminal.
	forB := encode(t, townKey(t, o.tokens[townB], townB), hsync.FileReceipt, hsync.ReceiptFile{})
	_, err := o.importReceipt(t, forB)
	wantRefused(t, err, "offline.err.township")

	// A's receipt signed with a token A has since replaced.
	old := o.key
	tok2, _, err := o.county.CreateToken(ctx, townA)
	if err != nil {
		t.Fatal(err)
	}
	o.key = townKey(t, tok2, townA)
	_, err = o.importReceipt(t, encode(t, old, hsync.FileReceipt, hsync.ReceiptFile{}))
	wantRefused(t, err, "offline.err.token")
}

func resultIDs(tb testing.TB, db *store.TownshipDB) []string {
	tb.Helper()
	items, err := db.Outbox(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = it.ResultID
	}
	return ids
}

// FuzzDecodeFile feeds arbitrary bytes to the offline file reader: it
// never panics, and what it accepts is signed with the key.
func FuzzDecodeFile(f *testing.F) {
	k := hsync.NewKey("abcdefgh", townA, bytes.Repeat([]byte{7}, 32))
	now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, p := range []struct {
		kind    hsync.FileKind
		payload any
	}{
		{hsync.FileBatch, hsync.BatchFile{Results: []hecha.Result{{ID: hecha.NewResultID(now), CaseID: "C1", Form: hecha.FormR1}}}},
		{hsync.FileReceipt, hsync.ReceiptFile{Outcomes: []hecha.Outcome{{ResultID: "x", Status: hecha.ResultAccepted}}}},
		{hsync.FileCases, hsync.CasesFile{Cases: []hecha.Case{{ID: "C1"}}, Regions: "code,name\n"}},
	} {
		var buf bytes.Buffer
		if _, err := hsync.EncodeFile(&buf, k, hsync.FileHeader{Kind: p.kind}, p.payload, now); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes())
	}
	f.Add([]byte("HECHA-OFFLINE 1\n"))
	f.Add([]byte("HECHA-OFFLINE 2\n"))
	for _, name := range []string{"offline_v1_batch.hecha", "offline_v1_receipt.hecha"} {
		if data, err := os.ReadFile(filepath.Join("testdata", name)); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("HECHA-OFFLINE 99\n{}\n"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, kind := range []hsync.FileKind{hsync.FileBatch, hsync.FileReceipt, hsync.FileCases} {
			var v any
			switch kind {
			case hsync.FileBatch:
				v = new(hsync.BatchFile)
			case hsync.FileReceipt:
				v = new(hsync.ReceiptFile)
			default:
				v = new(hsync.CasesFile)
			}
			h, err := hsync.DecodeFile(context.Background(), "f", data, kind, fixedKey(k), v)
			if err != nil {
				if hecha.ErrorCode(err) != hecha.EINVALID {
					t.Fatalf("%s: error code %s: %v", kind, hecha.ErrorCode(err), err)
				}
				continue
			}
			if h.Kind != kind || h.Township != townA || h.TokenID != "abcdefgh" {
				t.Fatalf("accepted header %+v", h)
			}
		}
	})
}
