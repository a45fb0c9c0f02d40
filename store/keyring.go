package store

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"math/big"
	"strings"

	"golang.org/x/crypto/argon2"

	"hecha"
)

// The keyring of an encrypted database, in the meta key keyKeyring (JSON,
// declared in schema_values.go): the data key wrapped twice, once under a
// key derived from the clerk's passphrase with Argon2id and once under a
// key derived from the recovery key with HKDF-SHA256, each with AES-256-GCM
// (the additional data names which wrapping it is). The data key itself is
// never stored.
//
// The recovery key is 40 decimal digits, shown once at setup in eight
// groups of five for the township head to write down: 38 random digits
// (126 bits, enough that no slow derivation is needed) and two check
// digits (ISO 7064 MOD 97-10, as IBAN uses), so a digit written down wrong
// is reported as a typing mistake rather than as a wrong key.
//
// Changing the passphrase rewraps the data key; nothing is re-encrypted.
// The old wrapping stays in a free page of the file until bbolt reuses it:
// whoever knew the old passphrase and kept a copy of the file could already
// read it.

// KDFParams are the Argon2id parameters of a passphrase.
type KDFParams struct {
	Time      uint32 `json:"time"`       // passes
	MemoryKiB uint32 `json:"memory_kib"` // memory in KiB
	Threads   uint8  `json:"threads"`
}

// DefaultKDF is tuned to about 250 ms on the 2-core terminals hecha runs
// on (BenchmarkArgon2id measures it; a first unlock in a new process also
// pays for faulting in the memory): six passes over 64 MiB with two
// threads, at the strong end of what RFC 9106 recommends for a machine
// with little memory.
var DefaultKDF = KDFParams{Time: 6, MemoryKiB: 64 << 10, Threads: 2}

// keyring is the stored form of the keys.
type keyring struct {
	Version int       `json:"version"`
	KDF     KDFParams `json:"kdf"`
	Salt    []byte    `json:"salt"`
	// Passphrase and Recovery are the data key wrapped: nonce, ciphertext,
	// tag.
	Passphrase []byte `json:"passphrase"`
	Recovery   []byte `json:"recovery"`
}

// keyringV1 is the keyring's version.
const keyringV1 = 1

// The additional data of the two wrappings.
var (
	adPassphrase = []byte("hecha data key / passphrase")
	adRecovery   = []byte("hecha data key / recovery key")
)

// Keys are a new data key with its keyring, made by NewKeys for Encrypt.
type Keys struct {
	dataKey []byte
	ring    keyring
}

// minPassphrase is the shortest passphrase accepted, in characters.
const minPassphrase = 8

// ValidatePassphrase returns an EINVALID error about "passphrase" when p is
// too short to protect the database.
func ValidatePassphrase(p string) error {
	if len([]rune(p)) < minPassphrase {
		return hecha.Invalid("passphrase", "store.passphrase_short", minPassphrase)
	}
	return nil
}

// NewKeys makes a random data key and wraps it under passphrase (Argon2id
// with kdf) and under a new recovery key, which it returns formatted for
// writing down (FormatRecoveryKey). Show the recovery key before calling
// Encrypt: it is not stored anywhere.
// Errors: EINVALID about "passphrase" (ValidatePassphrase).
func NewKeys(passphrase string, kdf KDFParams) (*Keys, string, error) {
	if err := ValidatePassphrase(passphrase); err != nil {
		return nil, "", err
	}
	k := &Keys{dataKey: make([]byte, 32)}
	rand.Read(k.dataKey)
	recovery := newRecoveryDigits()
	if err := k.ring.wrapPassphrase(k.dataKey, passphrase, kdf); err != nil {
		return nil, "", err
	}
	wrapped, err := wrap(recoveryKEK(recovery), k.dataKey, adRecovery)
	if err != nil {
		return nil, "", err
	}
	k.ring.Version, k.ring.Recovery = keyringV1, wrapped
	return k, FormatRecoveryKey(recovery), nil
}

// wrapPassphrase wraps dataKey under passphrase with a new salt.
func (r *keyring) wrapPassphrase(dataKey []byte, passphrase string, kdf KDFParams) error {
	r.KDF, r.Salt = kdf, make([]byte, 16)
	rand.Read(r.Salt)
	wrapped, err := wrap(r.passphraseKEK(passphrase), dataKey, adPassphrase)
	r.Passphrase = wrapped
	return err
}

// passphraseKEK derives the key that wraps the data key from passphrase.
func (r *keyring) passphraseKEK(passphrase string) []byte {
	threads := max(r.KDF.Threads, 1)
	return argon2.IDKey([]byte(passphrase), r.Salt, max(r.KDF.Time, 1), r.KDF.MemoryKiB, threads, 32)
}

// unwrapPassphrase returns the data key, or EUNAUTHORIZED for a wrong
// passphrase.
func (r *keyring) unwrapPassphrase(passphrase string) ([]byte, error) {
	key, err := unwrap(r.passphraseKEK(passphrase), r.Passphrase, adPassphrase)
	if err != nil {
		return nil, hecha.Errorf(hecha.EUNAUTHORIZED, "passphrase", "store.wrong_passphrase")
	}
	return key, nil
}

// unwrapRecovery returns the data key, or EINVALID about "recovery_key"
// for a key mistyped or wrong.
func (r *keyring) unwrapRecovery(text string) ([]byte, error) {
	digits, err := ParseRecoveryKey(text)
	if err != nil {
		return nil, err
	}
	key, err := unwrap(recoveryKEK(digits), r.Recovery, adRecovery)
	if err != nil {
		return nil, hecha.Errorf(hecha.EUNAUTHORIZED, "recovery_key", "store.wrong_recovery_key")
	}
	return key, nil
}

// check reports a keyring this code cannot use.
func (r *keyring) check() error {
	if r.Version != keyringV1 {
		return fmt.Errorf("keyring version %d, this hecha reads %d", r.Version, keyringV1)
	}
	if len(r.Salt) < 8 || r.KDF.MemoryKiB < 8 || len(r.Passphrase) < 12+16 || len(r.Recovery) < 12+16 ||
		r.KDF.Time > 16 || r.KDF.MemoryKiB > 1<<20 {
		return fmt.Errorf("keyring is malformed")
	}
	return nil
}

// wrap seals key under kek.
func wrap(kek, key, ad []byte) ([]byte, error) {
	aead, err := gcm(kek)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, 12, 12+len(key)+16)
	rand.Read(nonce)
	return aead.Seal(nonce, nonce, key, ad), nil
}

// unwrap opens a key sealed by wrap.
func unwrap(kek, wrapped, ad []byte) ([]byte, error) {
	aead, err := gcm(kek)
	if err != nil {
		return nil, err
	}
	if len(wrapped) < 12+16 {
		return nil, errSealed
	}
	return aead.Open(nil, wrapped[:12], wrapped[12:], ad)
}

func gcm(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// The recovery key's shape.
const (
	recoveryRandom = 38 // random digits
	recoveryDigits = recoveryRandom + 2
	recoveryGroup  = 5
)

// newRecoveryDigits returns a new recovery key: 38 random digits and their
// two check digits.
func newRecoveryDigits() string {
	limit := new(big.Int).Exp(big.NewInt(10), big.NewInt(recoveryRandom), nil)
	n, err := rand.Int(rand.Reader, limit)
	if err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	body := fmt.Sprintf("%0*s", recoveryRandom, n.String())
	return body + fmt.Sprintf("%02d", 98-mod97(body+"00"))
}

// mod97 returns the decimal number digits modulo 97.
func mod97(digits string) int {
	r := 0
	for _, c := range digits {
		r = (r*10 + int(c-'0')) % 97
	}
	return r
}

// recoveryKEK derives the key that wraps the data key from the recovery
// key's digits.
func recoveryKEK(digits string) []byte {
	k, err := hkdf.Key(sha256.New, []byte(digits), nil, "hecha recovery key v1", 32)
	if err != nil {
		panic(err) // only for a length HKDF cannot give
	}
	return k
}

// FormatRecoveryKey writes a recovery key's digits in groups of five.
func FormatRecoveryKey(digits string) string {
	var b strings.Builder
	for i := 0; i < len(digits); i += recoveryGroup {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(digits[i:min(i+recoveryGroup, len(digits))])
	}
	return b.String()
}

// ParseRecoveryKey reads a recovery key as written down: its 40 digits,
// with any spaces or dashes between them. Errors: EINVALID about
// "recovery_key" when it has another character, another number of digits,
// or check digits that do not match (a digit written or typed wrong).
func ParseRecoveryKey(text string) (string, error) {
	var b strings.Builder
	for _, c := range text {
		switch {
		case c >= '0' && c <= '9':
			b.WriteRune(c)
		case c == ' ' || c == '-' || c == '\t' || c == '\u3000':
		default:
			return "", hecha.Invalid("recovery_key", "store.recovery_key_char", string(c))
		}
	}
	digits := b.String()
	if len(digits) != recoveryDigits {
		return "", hecha.Invalid("recovery_key", "store.recovery_key_length", recoveryDigits, len(digits))
	}
	if mod97(digits) != 1 {
		return "", hecha.Invalid("recovery_key", "store.recovery_key_check")
	}
	return digits, nil
}
