package sync_test

import (
	"bytes"
	"context"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
	"time"

	"hecha"
	hsync "hecha/sync"
)

// goldenKey is the key that signed testdata/offline_v1_*.hecha, written by
// the program of format version 1 (HMAC key derivation) before version 2.
func goldenKey() hsync.Key {
	hash := sha256.Sum256([]byte("hecha golden fixture token"))
	return hsync.NewKey("fixture01", "410102001", hash[:])
}

func readGolden(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestFileVersion1StillRead: files signed by older programs (format
// version 1, key derived by HMAC) are read and verified as before, and
// still refused when altered or relabelled.
func TestFileVersion1StillRead(t *testing.T) {
	ctx := context.Background()
	k := goldenKey()
	batch := readGolden(t, "offline_v1_batch.hecha")
	if !bytes.HasPrefix(batch, []byte("HECHA-OFFLINE 1\n")) {
		t.Fatalf("golden batch is not of version 1: %q", batch[:20])
	}
	var b hsync.BatchFile
	h, err := hsync.DecodeFile(ctx, "b", batch, hsync.FileBatch, fixedKey(k), &b)
	if err != nil {
		t.Fatalf("version 1 batch refused: %v", err)
	}
	if h.ID != "01J0AJ2W00AAAAAAAAAAAAAAAA" || h.Township != "410102001" || h.TokenID != "fixture01" || b.Cursor != 7 || b.RegistryCursor != 3 {
		t.Errorf("version 1 batch: %+v %+v", h, b)
	}

	receipt := readGolden(t, "offline_v1_receipt.hecha")
	var r hsync.ReceiptFile
	if _, err := hsync.DecodeFile(ctx, "r", receipt, hsync.FileReceipt, fixedKey(k), &r); err != nil {
		t.Fatalf("version 1 receipt refused: %v", err)
	}
	if len(r.Outcomes) != 1 || r.Outcomes[0].ChangeSeq != 12 || r.Outcomes[0].Status != hecha.ResultAccepted {
		t.Errorf("version 1 receipt: %+v", r)
	}

	sigAt := bytes.LastIndex(batch, []byte("HMAC-SHA256 "))
	other := hsync.NewKey("fixture01", "410102001", bytes.Repeat([]byte{1}, 32))
	for _, tc := range []struct {
		name  string
		data  []byte
		key   hsync.Key
		msgID string
	}{
		{"altered", flipSignature(batch, sigAt+12), k, "offline.err.signature"},
		{"passed off as version 2", bytes.Replace(batch, []byte("HECHA-OFFLINE 1"), []byte("HECHA-OFFLINE 2"), 1), k, "offline.err.signature"},
		{"another secret", batch, other, "offline.err.signature"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := hsync.DecodeFile(ctx, "b", tc.data, hsync.FileBatch, fixedKey(tc.key), new(hsync.BatchFile))
			wantRefused(t, err, tc.msgID)
		})
	}
}

// TestFileVersion2KeyIsHKDF: a file written now is of format version 2 and
// signed with the key the README gives, HKDF-SHA256 of the token secret's
// hash with info "hecha offline v2 " + kind, computed here independently.
func TestFileVersion2KeyIsHKDF(t *testing.T) {
	k := goldenKey()
	hash := sha256.Sum256([]byte("hecha golden fixture token"))
	now := time.Date(2024, 6, 15, 10, 0, 0, 0, time.UTC)
	var buf bytes.Buffer
	if _, err := hsync.EncodeFile(&buf, k, hsync.FileHeader{Kind: hsync.FileReceipt}, hsync.ReceiptFile{}, now); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	if !bytes.HasPrefix(data, []byte("HECHA-OFFLINE 2\n")) {
		t.Fatalf("written as %q", data[:16])
	}
	sigAt := bytes.LastIndex(data, []byte("HMAC-SHA256 "))
	key, err := hkdf.Key(sha256.New, hash[:], nil, "hecha offline v2 receipt", 32)
	if err != nil {
		t.Fatal(err)
	}
	m := hmac.New(sha256.New, key)
	m.Write(data[:sigAt])
	want := "HMAC-SHA256 " + hex.EncodeToString(m.Sum(nil)) + "\n"
	if got := string(data[sigAt:]); got != want {
		t.Fatalf("signature line %q, want %q", got, want)
	}
	if _, err := hsync.DecodeFile(context.Background(), "r", data, hsync.FileReceipt, fixedKey(k), new(hsync.ReceiptFile)); err != nil {
		t.Fatal(err)
	}
}
