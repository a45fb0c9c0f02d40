package store

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"sync"

	"go.etcd.io/bbolt"
)

// Sealed values: a database that has a keyring (keyring.go) keeps
// every value that holds personal data sealed with AES-256-GCM, and keys
// its registry indexes by keyed hashes instead of citizen ids and names.
//
// The layer is this file: the store reads and writes the values of the
// buckets in sealedBuckets only through getValue, putValue and openValue,
// and builds registry index keys with the sealer's indexKey (keys.go).
// A database without a keyring (the county; a township before its
// passphrase is set) has no sealer, and those functions pass values through
// unchanged.
//
// A sealed value is sealV1, a 12-byte random nonce, then the ciphertext
// and its 16-byte tag. The additional data is the bucket's name, 0x00 and
// the value's key, so a sealed value moved to another record or bucket
// does not open. The value inside is the plain layout of schema_values.go
// (its own version byte, or JSON).
//
// The AES key and the index key are derived from the random 32-byte data
// key with HKDF-SHA256 under different labels; the data key itself is kept
// only wrapped (keyring.go).

// sealV1 is the first byte of a sealed value. No plain layout starts with
// it: binary layouts start with a small version byte, JSON with '{'.
const sealV1 = 0xE1

// sealOverhead is what sealing adds to a value: the marker, the nonce and
// the tag.
const sealOverhead = 1 + 12 + 16

// sealedBuckets are the buckets whose every value is sealed. The meta
// key keySettings (it holds the sync token and the clerk's name) is sealed
// too (see sealedValue). The county seals the same buckets it uses (cases,
// registries) and the results it received; its other buckets are keyed by
// case, result and division ids and hold no personal data.
var sealedBuckets = [][]byte{
	bucketCases, bucketSummaries, bucketDrafts, bucketHistory, bucketOutbox,
	bucketFloating, bucketResident, bucketCountyResults,
}

// sealedValue reports whether values of bucket under k are sealed in an
// encrypted database.
func sealedValue(bucket, k []byte) bool {
	if string(bucket) == string(bucketMeta) {
		return string(k) == string(keySettings)
	}
	for _, b := range sealedBuckets {
		if string(b) == string(bucket) {
			return true
		}
	}
	return false
}

// sealer seals and opens the values of one unlocked database.
type sealer struct {
	aead     cipher.AEAD
	indexKey []byte
	// migrating is set while the in-place encryption runs (encrypt.go):
	// a value not yet sealed is then read as plain.
	migrating bool
	// macs pools HMAC-SHA256 states under indexKey.
	macs sync.Pool
}

// newSealer derives the value key and the index key from the data key.
func newSealer(dataKey []byte) (*sealer, error) {
	valueKey, err := hkdf.Key(sha256.New, dataKey, nil, "hecha values v1", 32)
	if err != nil {
		return nil, err
	}
	indexKey, err := hkdf.Key(sha256.New, dataKey, nil, "hecha index keys v1", 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(valueKey)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	s := &sealer{aead: aead, indexKey: indexKey}
	s.macs.New = func() any { return hmac.New(sha256.New, s.indexKey) }
	return s, nil
}

// sealers maps each open bbolt file to its sealer, so that helpers that
// hold only a transaction find it (sealerOf). Open adds an entry when it
// unlocks the file; Close removes it.
var sealers sync.Map // *bbolt.DB → *sealer

// sealerOf returns the sealer of the database tx belongs to, nil when the
// database is not encrypted.
func sealerOf(tx *bbolt.Tx) *sealer {
	v, ok := sealers.Load(tx.DB())
	if !ok {
		return nil
	}
	return v.(*sealer)
}

// additional returns the GCM additional data of a value: bucket, 0x00, key.
func additional(bucket, k []byte) []byte {
	ad := make([]byte, 0, len(bucket)+1+len(k))
	ad = append(ad, bucket...)
	ad = append(ad, sep)
	return append(ad, k...)
}

// seal returns the sealed form of plain, stored under k in bucket.
func (s *sealer) seal(bucket, k, plain []byte) []byte {
	out := make([]byte, 1+12, sealOverhead+len(plain))
	out[0] = sealV1
	if _, err := rand.Read(out[1:13]); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	return s.aead.Seal(out, out[1:13], plain, additional(bucket, k))
}

// errSealed reports a sealed value that does not open: damaged, moved from
// another key, or written under another data key.
var errSealed = errors.New("sealed value does not open")

// open returns the plain value of a sealed value stored under k in bucket.
// The result is a new slice, not the transaction's memory.
func (s *sealer) open(bucket, k, v []byte) ([]byte, error) {
	if len(v) < sealOverhead || v[0] != sealV1 {
		return nil, fmt.Errorf("%w: not sealed", errSealed)
	}
	plain, err := s.aead.Open(nil, v[1:13], v[13:], additional(bucket, k))
	if err != nil {
		return nil, errSealed
	}
	return plain, nil
}

// mac returns HMAC-SHA256 of parts joined by sep, under the index key.
func (s *sealer) mac(parts ...[]byte) []byte {
	m := s.macs.Get().(hash.Hash)
	m.Reset()
	for i, p := range parts {
		if i > 0 {
			m.Write([]byte{sep})
		}
		m.Write(p)
	}
	sum := m.Sum(nil)
	s.macs.Put(m)
	return sum
}

// getValue returns the plain value under k in bucket, nil when there is
// none. A plain value may be the transaction's memory: copy or decode it
// before the transaction ends.
func getValue(tx *bbolt.Tx, bucket, k []byte) ([]byte, error) {
	v := tx.Bucket(bucket).Get(k)
	if v == nil {
		return nil, nil
	}
	return openValue(tx, bucket, k, v)
}

// openValue returns the plain form of v, read under k in bucket (by a
// cursor, or ForEach).
func openValue(tx *bbolt.Tx, bucket, k, v []byte) ([]byte, error) {
	s := sealerOf(tx)
	if s == nil || !sealedValue(bucket, k) {
		return v, nil
	}
	if s.migrating && (len(v) == 0 || v[0] != sealV1) {
		return v, nil
	}
	plain, err := s.open(bucket, k, v)
	if err != nil {
		return nil, errDamaged(tx.DB().Path(), fmt.Errorf("%s/%q: %w", bucket, k, err))
	}
	return plain, nil
}

// putValue stores plain under k in bucket, sealed when the database is
// encrypted and the bucket's values are sealed.
func putValue(tx *bbolt.Tx, bucket, k, plain []byte) error {
	b := tx.Bucket(bucket)
	if s := sealerOf(tx); s != nil && sealedValue(bucket, k) {
		return b.Put(k, s.seal(bucket, k, plain))
	}
	return b.Put(k, plain)
}

// getJSONValue reads the JSON value under k in bucket into v, opening it
// when sealed; it reports false when the key is absent.
func getJSONValue(tx *bbolt.Tx, bucket, k []byte, v any) (bool, error) {
	data, err := getValue(tx, bucket, k)
	if err != nil || data == nil {
		return false, err
	}
	return true, decodeJSON(tx, k, data, v)
}

// decodeJSONValue decodes v, read by a cursor under k in bucket, into out,
// opening it when sealed.
func decodeJSONValue(tx *bbolt.Tx, bucket, k, v []byte, out any) error {
	data, err := openValue(tx, bucket, k, v)
	if err != nil {
		return err
	}
	return decodeJSON(tx, k, data, out)
}

// putJSONValue stores v as JSON under k in bucket, sealed when the
// database is encrypted.
func putJSONValue(tx *bbolt.Tx, bucket, k []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %q: %w", k, err)
	}
	return putValue(tx, bucket, k, data)
}
