package store_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"hecha"
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

	// Only the hash is on disk.
	secret := tokB[strings.LastIndexByte(tokB, '_')+1:]
	MustCloseDB(t, db)
	data, err := os.ReadFile(db.Path())
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
