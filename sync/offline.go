package sync

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"hecha"
)

// Offline files carry what the network would between a township with no
// connection and the county, on a USB stick: a batch of results (township
// to county), a receipt with the county's answer to each (county to
// township), and a case file with the township's cases, its registry
// extract and the division table (county to township).
//
// Every offline file reads byte for byte:
//
//	HECHA-OFFLINE 2\n                 the magic word and the format version
//	{"kind":"batch",...}\n            the header, one line of JSON (FileHeader)
//	<Size bytes>\n                    the payload: gzip-compressed JSON
//	HMAC-SHA256 <64 hex digits>\n     the signature
//
// The signature is HMAC-SHA256 over every byte before "HMAC-SHA256",
// exactly as written, keyed by a key derived from the township's token.
// Format version 2, which this program writes, derives it with HKDF
// (RFC 5869, crypto/hkdf):
//
//	K = HKDF-SHA256(secret = SHA-256(token secret), no salt,
//	                info = "hecha offline v2 " + kind, 32 bytes)
//
// Format version 1, written by older programs and still read, derived it
// as
//
//	K = HMAC-SHA256(key = SHA-256(token secret), "hecha offline v1 " + kind)
//
// The version line is among the signed bytes, so a file cannot be passed
// off as the other version.
//
// The township holds the token and the county keeps SHA-256 of its secret,
// so both can make K, and nobody without the token (or the county's
// database) can. The header names the token's public id, so the county
// knows which token to take, and the township; a file whose township is
// not its token's is refused. The kind in the derivation means a file
// signed as one kind never verifies as another. A reader refuses, naming
// the file and changing nothing: an empty file, one that is not an offline
// file, one of a newer format version, one truncated or with bytes after
// the signature, a header that does not parse, the wrong kind, another
// township's or another token's file, a revoked or unknown token, and a
// signature that does not match (any byte altered).

// FileKind is the kind of an offline file.
type FileKind string

// The kinds of offline file.
const (
	FileBatch   FileKind = "batch"   // results, township to county (BatchFile)
	FileReceipt FileKind = "receipt" // the county's outcomes, county to township (ReceiptFile)
	FileCases   FileKind = "cases"   // cases and registry extract, county to township (CasesFile)
)

// The format's constants.
const (
	// FileMagic opens every offline file, followed by a space, the format
	// version and a newline.
	FileMagic = "HECHA-OFFLINE"
	// FileVersion is the format version this program writes and the
	// newest it reads; it reads every version from 1.
	FileVersion = 2
	// MaxFileSize is the largest offline file read (and written).
	MaxFileSize = 256 << 20
	// MaxPayload bounds a payload after decompression.
	MaxPayload = 1 << 30

	maxHeaderLine = 4 << 10
	sigPrefix     = "HMAC-SHA256 "
	sigLineLen    = len(sigPrefix) + 2*sha256.Size + 1
	keyLabelV1    = "hecha offline v1 " // HMAC label of format version 1
	keyInfo       = "hecha offline v2 " // HKDF info of format version 2
)

// FileHeader is the header of an offline file. Township and TokenID name
// the token whose key signs the file; Size is the payload's length in
// bytes as stored (compressed).
type FileHeader struct {
	Kind      FileKind   `json:"kind"`
	ID        string     `json:"id"` // a ULID made when the file was written
	Township  hecha.Code `json:"township"`
	TokenID   string     `json:"token_id"`
	CreatedAt time.Time  `json:"created_at"`
	Size      int64      `json:"size"`
}

// Key signs and checks the offline files of one township token. Make it
// with NewKey; the zero Key signs and verifies nothing.
type Key struct {
	TokenID  string
	Township hecha.Code
	hash     []byte // SHA-256 of the token's secret
}

// NewKey returns the key of the token with public id tokenID, which
// belongs to township, from the SHA-256 of the token's secret
// (store.TokenSecretHash on the township, store.CountyDB.TokenHash on the
// county).
func NewKey(tokenID string, township hecha.Code, secretHash []byte) Key {
	return Key{TokenID: tokenID, Township: township, hash: bytes.Clone(secretHash)}
}

// valid reports whether k can sign.
func (k Key) valid() bool {
	return len(k.hash) == sha256.Size && k.TokenID != "" && k.Township.Level() == hecha.LevelTownship
}

// sign returns the signature of data as a file of kind and format
// version (1 or FileVersion).
func (k Key) sign(version int, kind FileKind, data []byte) []byte {
	m := hmac.New(sha256.New, k.derive(version, kind))
	m.Write(data)
	return m.Sum(nil)
}

// derive returns the key that signs files of kind in format version.
func (k Key) derive(version int, kind FileKind) []byte {
	if version == 1 {
		d := hmac.New(sha256.New, k.hash)
		d.Write([]byte(keyLabelV1 + string(kind)))
		return d.Sum(nil)
	}
	key, err := hkdf.Key(sha256.New, k.hash, nil, keyInfo+string(kind), sha256.Size)
	if err != nil {
		// Only a length beyond 255 hash sizes (or, in FIPS mode, a
		// secret shorter than 112 bits; k.hash is 256) fails.
		panic("offline file key: " + err.Error())
	}
	return key
}

// KeyFunc returns the key to check a file with, given its header as read
// (not yet verified). The township returns its own token's key; the
// county looks the header's token id up. Its errors are passed on.
type KeyFunc func(ctx context.Context, h FileHeader) (Key, error)

// EncodeFile writes payload as an offline file of h.Kind signed with k. It
// fills h's Township and TokenID from k, its ID (when empty) and CreatedAt
// (when zero) from now, and Size; it returns the header written. The file
// is written with one Write.
func EncodeFile(w io.Writer, k Key, h FileHeader, payload any, now time.Time) (FileHeader, error) {
	if !k.valid() {
		return h, errors.New("offline file: no signing key")
	}
	h.Township, h.TokenID = k.Township, k.TokenID
	if h.ID == "" {
		h.ID = hecha.NewResultID(now)
	}
	if h.CreatedAt.IsZero() {
		h.CreatedAt = now
	}
	h.CreatedAt = h.CreatedAt.UTC().Round(0)
	var body bytes.Buffer
	zw := gzip.NewWriter(&body)
	if err := json.NewEncoder(zw).Encode(payload); err != nil {
		return h, fmt.Errorf("encode offline file: %w", err)
	}
	if err := zw.Close(); err != nil {
		return h, fmt.Errorf("compress offline file: %w", err)
	}
	h.Size = int64(body.Len())
	head, err := json.Marshal(h)
	if err != nil {
		return h, fmt.Errorf("encode offline file header: %w", err)
	}
	var out bytes.Buffer
	fmt.Fprintf(&out, "%s %d\n", FileMagic, FileVersion)
	out.Write(head)
	out.WriteByte('\n')
	out.Write(body.Bytes())
	out.WriteByte('\n')
	sig := k.sign(FileVersion, h.Kind, out.Bytes())
	out.WriteString(sigPrefix + hex.EncodeToString(sig) + "\n")
	if out.Len() > MaxFileSize {
		return h, hecha.Errorf(hecha.EINVALID, "", "offline.err.write_too_large", MaxFileSize>>20)
	}
	_, err = w.Write(out.Bytes())
	return h, err
}

// ReadFile reads the offline file at path and decodes it as DecodeFile
// does, naming the file by path in its errors.
func ReadFile(ctx context.Context, path string, kind FileKind, keys KeyFunc, payload any) (FileHeader, []byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return FileHeader{}, nil, hecha.Errorf(hecha.EINVALID, "", "offline.err.open", path, err.Error())
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return FileHeader{}, nil, hecha.Errorf(hecha.EINVALID, "", "offline.err.open", path, err.Error())
	}
	h, err := DecodeFile(ctx, path, data, kind, keys, payload)
	return h, data, err
}

// DecodeFile checks data as an offline file of kind and decodes its
// payload into payload (a pointer). name names the file in the errors.
// It returns the header once the signature has been verified with the key
// that keys gives; no byte of the payload is trusted before that.
//
// Errors: EINVALID with an "offline.err.*" message naming the file for
// every way a file can be wrong (see the package's file format); the
// errors of keys as they are.
func DecodeFile(ctx context.Context, name string, data []byte, kind FileKind, keys KeyFunc, payload any) (FileHeader, error) {
	fail := func(msgID string, args ...any) (FileHeader, error) {
		return FileHeader{}, hecha.Errorf(hecha.EINVALID, "", msgID, append([]any{name}, args...)...)
	}
	if len(data) == 0 {
		return fail("offline.err.empty")
	}
	if len(data) > MaxFileSize {
		return fail("offline.err.too_large", MaxFileSize>>20)
	}

	// The magic line and the format version.
	magic, rest, ok := bytes.Cut(data, []byte{'\n'})
	word, ver, _ := bytes.Cut(magic, []byte{' '})
	switch {
	case !ok && len(magic) < 32 && bytes.HasPrefix([]byte(FileMagic+" "), magic):
		return fail("offline.err.truncated")
	case !bytes.Equal(word, []byte(FileMagic)):
		return fail("offline.err.not_offline")
	case !ok:
		return fail("offline.err.truncated")
	}
	v, err := strconv.Atoi(string(ver))
	switch {
	case err != nil || v < 1 || string(ver) != strconv.Itoa(v):
		return fail("offline.err.damaged")
	case v > FileVersion:
		return fail("offline.err.newer", v, FileVersion)
	}

	// The header.
	line, rest, ok := bytes.Cut(rest, []byte{'\n'})
	if !ok {
		if len(line) <= maxHeaderLine {
			return fail("offline.err.truncated")
		}
		return fail("offline.err.damaged")
	}
	var h FileHeader
	if len(line) > maxHeaderLine || decodeStrict(bytes.NewReader(line), &h) != nil || !h.valid() {
		return fail("offline.err.damaged")
	}
	if h.Kind != kind {
		return fail("offline.err.kind." + string(kind) + "." + string(h.Kind))
	}

	// The payload and the signature line.
	switch need := h.Size + 1 + int64(sigLineLen); {
	case int64(len(rest)) < need:
		return fail("offline.err.truncated")
	case int64(len(rest)) > need:
		return fail("offline.err.trailing")
	}
	body := rest[:h.Size]
	sigLine := rest[h.Size+1:]
	if rest[h.Size] != '\n' || !bytes.HasPrefix(sigLine, []byte(sigPrefix)) || sigLine[len(sigLine)-1] != '\n' {
		return fail("offline.err.damaged")
	}
	sig, err := hex.DecodeString(string(sigLine[len(sigPrefix) : len(sigLine)-1]))
	if err != nil {
		return fail("offline.err.damaged")
	}

	// The key, and the signature.
	k, err := keys(ctx, h)
	if err != nil {
		return FileHeader{}, err
	}
	switch {
	case k.Township != "" && k.Township != h.Township:
		return fail("offline.err.township", string(h.Township), string(k.Township))
	case !k.valid() || k.TokenID != h.TokenID:
		return fail("offline.err.token", h.TokenID, k.TokenID)
	}
	signed := data[:len(data)-len(sigLine)]
	if !hmac.Equal(sig, k.sign(v, kind, signed)) {
		return fail("offline.err.signature")
	}

	// The payload, now trusted as the signer's.
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		return fail("offline.err.damaged")
	}
	lr := &io.LimitedReader{R: zr, N: MaxPayload + 1}
	if err := decodeStrict(lr, payload); err != nil || lr.N <= 0 {
		return fail("offline.err.damaged")
	}
	return h, nil
}

// valid reports whether a header read from a file is well formed.
func (h *FileHeader) valid() bool {
	c, err := hecha.ParseCode("township", string(h.Township))
	known := h.Kind == FileBatch || h.Kind == FileReceipt || h.Kind == FileCases
	return known && hecha.ValidResultID(h.ID) && err == nil && c == h.Township &&
		c.Level() == hecha.LevelTownship && h.TokenID != "" && len(h.TokenID) <= 64 &&
		h.Size >= 0 && h.Size <= MaxFileSize
}

// decodeStrict decodes one JSON value from r into v, refusing unknown
// fields and anything after the value but white space. Numbers in
// untyped values (an error's Args) stay json.Numbers, for normalizeArgs.
func decodeStrict(r io.Reader, v any) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("data after the JSON value")
	}
	return nil
}
