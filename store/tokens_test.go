package store_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"hecha"
	"hecha/store"
)

func TestTokens(t *testing.T) {
	ctx := context.Background()
	db, clk := MustOpenCounty(t)
	tokA, infoA, err := db.CreateToken(ctx, townA)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(tokA, "hc_"+infoA.ID+"_") || infoA.Township != townA || !infoA.CreatedAt.Equal(Now) || infoA.Revoked {
		t.Errorf("token %q, info %+v", tokA, infoA)
	}
	clk.advance(time.Second)
	tokB, infoB, err := db.CreateToken(ctx, townB)
	if err != nil {
		t.Fatal(err)
	}
	if tokA == tokB || infoA.ID == infoB.ID {
		t.Fatalf("two tokens alike: %q %q", tokA, tokB)
	}
	for tok, want := range map[string]hecha.Code{tokA: townA, tokB: townB, " " + tokA + "\n": townA} {
		if got, err := db.Authenticate(ctx, tok); err != nil || got != want {
			t.Errorf("Authenticate(%q) = %q, %v; want %q", tok, got, err, want)
		}
	}
	list, err := db.Tokens(ctx)
	if err != nil || len(list) != 2 || list[0] != infoA || list[1].ID != infoB.ID {
		t.Fatalf("Tokens = %+v, %v", list, err)
	}

	if err := db.RevokeToken(ctx, infoA.ID); err != nil {
		t.Fatal(err)
	}
	_, err = db.Authenticate(ctx, tokA)
	MustCode(t, err, hecha.EUNAUTHORIZED)
	if err := db.RevokeToken(ctx, infoA.ID); err != nil {
		t.Errorf("revoking twice: %v", err)
	}
	if got, err := db.Authenticate(ctx, tokB); err != nil || got != townB {
		t.Errorf("B after revoking A: %q, %v", got, err)
	}
	if list, _ := db.Tokens(ctx); !list[0].Revoked || list[1].Revoked {
		t.Errorf("Tokens after revoking = %+v", list)
	}
	MustCode(t, db.RevokeToken(ctx, "nosuchid"), hecha.ENOTFOUND)

	// Only the hash is on disk: read back from a bbolt county's file (the
	// check looks at the file's bytes, so it runs on that backend only).
	bdb, ok := db.(*store.CountyDB)
	if !ok {
		return
	}
	secret := tokB[strings.LastIndexByte(tokB, '_')+1:]
	MustCloseDB(t, bdb)
	data, err := os.ReadFile(bdb.Path())
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte(secret)) || bytes.Contains(data, []byte(tokB)) {
		t.Error("the token's secret is stored in the file")
	}
}

func TestCreateToken_Errors(t *testing.T) {
	ctx := context.Background()
	db, _ := MustOpenCounty(t)
	for _, tc := range []struct {
		code hecha.Code
		want string
	}{
		{testCounty, hecha.EINVALID},
		{villageA, hecha.EINVALID},
		{"", hecha.EINVALID},
		{"410102077", hecha.ENOTFOUND},
		{otherTown, hecha.EINVALID}, // another county
	} {
		_, _, err := db.CreateToken(ctx, tc.code)
		MustCode(t, err, tc.want)
		if f := hecha.ErrorField(err); f != "township" {
			t.Errorf("CreateToken(%q): field %q", tc.code, f)
		}
	}
	if list, _ := db.Tokens(ctx); len(list) != 0 {
		t.Errorf("tokens made by failed calls: %+v", list)
	}
}

func TestAuthenticate_Refused(t *testing.T) {
	ctx := context.Background()
	db, _ := MustOpenCounty(t)
	tok, info, err := db.CreateToken(ctx, townA)
	if err != nil {
		t.Fatal(err)
	}
	secret := tok[strings.LastIndexByte(tok, '_')+1:]
	flip := func(s string) string {
		b := []byte(s)
		if b[len(b)-1] == 'a' {
			b[len(b)-1] = 'b'
		} else {
			b[len(b)-1] = 'a'
		}
		return string(b)
	}
	for name, bad := range map[string]string{
		"empty":            "",
		"no prefix":        strings.TrimPrefix(tok, "hc_"),
		"wrong secret":     flip(tok),
		"unknown id":       "hc_aaaaaaaa_" + secret,
		"short secret":     "hc_" + info.ID + "_" + secret[:10],
		"long secret":      tok + "a",
		"not base32":       "hc_" + info.ID + "_" + strings.Repeat("!", len(secret)),
		"upper case":       strings.ToUpper(tok),
		"extra underscore": "hc_" + info.ID + "__" + secret[1:],
		"bearer":           "Bearer " + tok,
	} {
		_, err := db.Authenticate(ctx, bad)
		if hecha.ErrorCode(err) != hecha.EUNAUTHORIZED {
			t.Errorf("%s: Authenticate(%q) = %v, want unauthorized", name, bad, err)
		}
	}
}

func FuzzAuthenticate(f *testing.F) {
	db, _ := MustOpenCounty(f)
	tok, _, err := db.CreateToken(context.Background(), townA)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(tok)
	f.Add("hc_aaaaaaaa_" + strings.Repeat("a", 52))
	f.Add("hc__")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		town, err := db.Authenticate(context.Background(), s)
		switch {
		case err == nil && (town != townA || strings.TrimSpace(s) != tok):
			t.Errorf("Authenticate(%q) = %q", s, town)
		case err != nil && hecha.ErrorCode(err) != hecha.EUNAUTHORIZED:
			t.Errorf("Authenticate(%q): %v", s, err)
		}
	})
}

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
