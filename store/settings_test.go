package store_test

import (
	"context"
	"testing"
	"time"

	"hecha"
)

func TestSettings_RoundTrip(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	s, err := db.Settings(ctx)
	if err != nil || s != (hecha.Settings{}) {
		t.Fatalf("fresh settings = %+v, %v", s, err)
	}
	want := hecha.Settings{ServerURL: "https://county.example:8443", Township: "410102001000", Token: "tok",
		Clerk: " 李娜 ", Cursor: 3, RegistryCursor: 4, LastSync: Now,
		TLSFingerprint: "3F2A 9C01 B7E4 5D6F 08A1 C2E3 D4F5 A6B7 C8D9 E0F1 A2B3 C4D5 E6F7 0819 2A3B 4C5D"}
	if err := db.SaveSettings(ctx, want); err != nil {
		t.Fatal(err)
	}
	got, err := db.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The township code is normalised, the clerk trimmed, the fingerprint
	// kept as 64 lower-case digits.
	if got.Township != "410102001" || got.Clerk != "李娜" ||
		got.TLSFingerprint != "3f2a9c01b7e45d6f08a1c2e3d4f5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d" || got.ServerURL != want.ServerURL ||
		got.Token != "tok" || got.Cursor != 3 || got.RegistryCursor != 4 || !got.LastSync.Equal(Now) {
		t.Errorf("settings = %+v", got)
	}
}

func TestSaveSettings_Invalid(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	for _, tc := range []struct {
		name  string
		s     hecha.Settings
		field string
	}{
		{"ftp url", hecha.Settings{ServerURL: "ftp://x"}, "server_url"},
		{"no host", hecha.Settings{ServerURL: "http://"}, "server_url"},
		{"county code", hecha.Settings{Township: "410102"}, "township"},
		{"not a code", hecha.Settings{Township: "abc"}, "township"},
		{"control in clerk", hecha.Settings{Clerk: "李\x01娜"}, "clerk"},
		{"short fingerprint", hecha.Settings{TLSFingerprint: "3F2A 9C01"}, "tls_fingerprint"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			MustField(t, db.SaveSettings(ctx, tc.s), hecha.EINVALID, tc.field)
		})
	}
	if s, _ := db.Settings(ctx); s.LastSync != (time.Time{}) || s.ServerURL != "" {
		t.Errorf("invalid settings were stored: %+v", s)
	}
}
