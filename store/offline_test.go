package store_test

import (
	"bytes"
	"context"
	"testing"

	"hecha"
	"hecha/store"
)

func TestTokenHash(t *testing.T) {
	ctx := context.Background()
	db, _ := MustOpenCounty(t)
	tok, info, err := db.CreateToken(ctx, townA)
	if err != nil {
		t.Fatal(err)
	}

	// Both sides arrive at the same hash.
	id, hash, err := store.TokenSecretHash(tok)
	if err != nil || id != info.ID || len(hash) != 32 {
		t.Fatalf("TokenSecretHash = %q, %x, %v", id, hash, err)
	}
	town, kept, err := db.TokenHash(ctx, info.ID)
	if err != nil || town != townA || !bytes.Equal(kept, hash) {
		t.Fatalf("TokenHash = %q, %x, %v; want %q, %x", town, kept, err, townA, hash)
	}

	// Another token has another hash.
	tok2, _, err := db.CreateToken(ctx, townA)
	if err != nil {
		t.Fatal(err)
	}
	if _, hash2, err := store.TokenSecretHash(tok2); err != nil || bytes.Equal(hash2, hash) {
		t.Errorf("second token's hash %x, %v", hash2, err)
	}

	for _, bad := range []string{"", "hc_", "nonsense", tok + "x", tok[:len(tok)-1]} {
		_, _, err := store.TokenSecretHash(bad)
		MustCode(t, err, hecha.EUNAUTHORIZED)
	}
	_, _, err = db.TokenHash(ctx, "nosuchid")
	MustCode(t, err, hecha.EUNAUTHORIZED)

	if err := db.RevokeToken(ctx, info.ID); err != nil {
		t.Fatal(err)
	}
	_, _, err = db.TokenHash(ctx, info.ID)
	MustCode(t, err, hecha.EUNAUTHORIZED)
	if e := hecha.AsErrors(err); len(e) != 1 || e[0].MsgID != "county.token_revoked" {
		t.Errorf("revoked: %v", err)
	}
}
