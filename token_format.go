package hecha

import (
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"strings"
)

// A township token reads hc_<id>_<secret>: TokenPrefix, a public id of
// tokenIDBytes random bytes and a secret of tokenSecretBytes random bytes,
// both in lower-case unpadded base32 (letters and 2–7, so the underscores
// are unambiguous and the token survives a shell, a URL and a config
// file). Every county store makes and reads tokens with these functions
// and keeps only the SHA-256 of the secret.
const (
	TokenPrefix      = "hc_"
	tokenIDBytes     = 5  // 8 characters
	tokenSecretBytes = 32 // 52 characters
)

var tokenEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// NewTokenID returns a fresh random public token id.
func NewTokenID() (string, error) {
	raw := make([]byte, tokenIDBytes)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("token id: %w", err)
	}
	return tokenEncoding.EncodeToString(raw), nil
}

// NewTokenSecret returns a fresh random token secret.
func NewTokenSecret() ([]byte, error) {
	secret := make([]byte, tokenSecretBytes)
	if _, err := rand.Read(secret); err != nil {
		return nil, fmt.Errorf("token secret: %w", err)
	}
	return secret, nil
}

// FormatToken returns the token with public id id and secret secret.
func FormatToken(id string, secret []byte) string {
	return TokenPrefix + id + "_" + tokenEncoding.EncodeToString(secret)
}

// ParseToken splits a token into its public id and secret bytes; ok is
// false for anything but a token as FormatToken writes it (surrounding
// space aside).
func ParseToken(token string) (id string, secret []byte, ok bool) {
	rest, found := strings.CutPrefix(strings.TrimSpace(token), TokenPrefix)
	if !found {
		return "", nil, false
	}
	id, enc, found := strings.Cut(rest, "_")
	if !found || len(id) != tokenEncoding.EncodedLen(tokenIDBytes) ||
		len(enc) != tokenEncoding.EncodedLen(tokenSecretBytes) {
		return "", nil, false
	}
	if _, err := tokenEncoding.DecodeString(id); err != nil {
		return "", nil, false
	}
	secret, err := tokenEncoding.DecodeString(enc)
	// Only the canonical spelling: the last character's spare bits are zero.
	if err != nil || len(secret) != tokenSecretBytes || tokenEncoding.EncodeToString(secret) != enc {
		return "", nil, false
	}
	return id, secret, true
}
