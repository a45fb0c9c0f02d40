package store

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.etcd.io/bbolt"

	"hecha"
)

// tokenRecord is what the county keeps of a token: never the secret, only
// its SHA-256.
type tokenRecord struct {
	ID        string     `json:"id"`
	Township  hecha.Code `json:"township"`
	Hash      []byte     `json:"hash"` // SHA-256 of the secret's bytes
	CreatedAt time.Time  `json:"created_at"`
	Revoked   bool       `json:"revoked,omitempty"`
	RevokedAt time.Time  `json:"revoked_at,omitzero"`
}

func (r tokenRecord) token() hecha.Token {
	return hecha.Token{ID: r.ID, Township: r.Township, CreatedAt: r.CreatedAt, Revoked: r.Revoked}
}

// CreateToken makes a new token for township and returns it with its
// description. The token is shown once: the county keeps only the SHA-256
// of its secret. township must be a township-level code of the division
// table, within the county when SetCounty has set one.
//
// Errors: EINVALID about "township" for a code that is malformed, not at
// township level or outside the county; ENOTFOUND for a code the table
// does not know.
func (db *CountyDB) CreateToken(ctx context.Context, township hecha.Code) (string, hecha.Token, error) {
	if err := db.checkTokenTownship(ctx, township); err != nil {
		return "", hecha.Token{}, err
	}
	secret, err := hecha.NewTokenSecret()
	if err != nil {
		return "", hecha.Token{}, err
	}
	hash := sha256.Sum256(secret)
	rec := tokenRecord{Township: township, Hash: hash[:], CreatedAt: db.now().UTC()}
	err = db.update(ctx, func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketCountyTokens)
		// A fresh random id; the loop only guards the 2^-40 chance of a clash.
		for {
			var err error
			if rec.ID, err = hecha.NewTokenID(); err != nil {
				return err
			}
			if b.Get([]byte(rec.ID)) == nil {
				break
			}
		}
		return putJSON(b, []byte(rec.ID), &rec)
	})
	if err != nil {
		return "", hecha.Token{}, err
	}
	return hecha.FormatToken(rec.ID, secret), rec.token(), nil
}

// checkTokenTownship checks that c can be given a token.
func (db *CountyDB) checkTokenTownship(ctx context.Context, c hecha.Code) error {
	if c.Level() != hecha.LevelTownship {
		return hecha.Invalid("township", "county.token_level", string(c))
	}
	if _, ok := db.rules.Divisions.Lookup(c); !ok {
		return hecha.Errorf(hecha.ENOTFOUND, "township", "county.unit_unknown", string(c))
	}
	county, err := db.County(ctx)
	if err != nil {
		return err
	}
	if county != "" && !c.Within(county) {
		return hecha.Invalid("township", "county.outside", string(c), string(county))
	}
	return nil
}

// RevokeToken revokes the token with the public id id; it can no longer
// authenticate. Revoking a revoked token changes nothing.
//
// Errors: ENOTFOUND for an unknown id.
func (db *CountyDB) RevokeToken(ctx context.Context, id string) error {
	return db.update(ctx, func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketCountyTokens)
		var rec tokenRecord
		ok, err := getJSON(b, []byte(id), &rec)
		if err != nil {
			return err
		}
		if !ok {
			return notFound("county.token_not_found", id)
		}
		if rec.Revoked {
			return nil
		}
		rec.Revoked, rec.RevokedAt = true, db.now().UTC()
		return putJSON(b, []byte(id), &rec)
	})
}

// Tokens returns every token, revoked ones included, oldest first.
func (db *CountyDB) Tokens(ctx context.Context) ([]hecha.Token, error) {
	var out []hecha.Token
	err := db.view(ctx, func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketCountyTokens).ForEach(func(k, v []byte) error {
			var rec tokenRecord
			if err := json.Unmarshal(v, &rec); err != nil {
				return fmt.Errorf("decode token %s: %w", k, err)
			}
			out = append(out, rec.token())
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	sortTokens(out)
	return out, nil
}

// sortTokens orders tokens by creation time, then id.
func sortTokens(ts []hecha.Token) {
	slices.SortFunc(ts, func(a, b hecha.Token) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}

// Authenticate returns the township of a valid token. The secret's hash is
// compared in constant time.
//
// Errors: EUNAUTHORIZED for a malformed, unknown or revoked token.
func (db *CountyDB) Authenticate(ctx context.Context, token string) (hecha.Code, error) {
	id, secret, ok := hecha.ParseToken(token)
	if !ok {
		return "", hecha.Errorf(hecha.EUNAUTHORIZED, "", "county.token_invalid")
	}
	var rec tokenRecord
	var found bool
	err := db.view(ctx, func(tx *bbolt.Tx) error {
		var err error
		found, err = getJSON(tx.Bucket(bucketCountyTokens), []byte(id), &rec)
		return err
	})
	if err != nil {
		return "", err
	}
	hash := sha256.Sum256(secret)
	// Compare even for an unknown id, so timing does not tell ids apart.
	want := rec.Hash
	if !found || len(want) != len(hash) {
		want = make([]byte, len(hash))
	}
	match := subtle.ConstantTimeCompare(hash[:], want) == 1
	if !found || !match {
		return "", hecha.Errorf(hecha.EUNAUTHORIZED, "", "county.token_invalid")
	}
	if rec.Revoked {
		return "", hecha.Errorf(hecha.EUNAUTHORIZED, "", "county.token_revoked", id)
	}
	return rec.Township, nil
}

// Offline files (batches, receipts and case files carried by USB stick,
// see package sync) are signed with a key both sides derive from what they
// hold of the township's token: the township has the token itself, the
// county only the SHA-256 of its secret. These two functions give each
// side that hash, so the token's format stays known to this package alone.

// TokenSecretHash splits a township token into its public id and the
// SHA-256 of its secret — exactly what the county keeps of it.
//
// Errors: EUNAUTHORIZED for a malformed token.
func TokenSecretHash(token string) (id string, hash []byte, err error) {
	id, secret, ok := hecha.ParseToken(token)
	if !ok {
		return "", nil, hecha.Errorf(hecha.EUNAUTHORIZED, "", "county.token_invalid")
	}
	sum := sha256.Sum256(secret)
	return id, sum[:], nil
}

// TokenHash returns the township of the token with the public id id and
// the SHA-256 of its secret, as CreateToken stored them, for checking the
// signature of a township's offline file.
//
// Errors: EUNAUTHORIZED for an unknown id (county.token_not_found) or a
// revoked token (county.token_revoked).
func (db *CountyDB) TokenHash(ctx context.Context, id string) (hecha.Code, []byte, error) {
	var rec tokenRecord
	var found bool
	err := db.view(ctx, func(tx *bbolt.Tx) error {
		var err error
		found, err = getJSON(tx.Bucket(bucketCountyTokens), []byte(id), &rec)
		return err
	})
	switch {
	case err != nil:
		return "", nil, err
	case !found || len(rec.Hash) != sha256.Size:
		return "", nil, hecha.Errorf(hecha.EUNAUTHORIZED, "", "county.token_not_found", id)
	case rec.Revoked:
		return "", nil, hecha.Errorf(hecha.EUNAUTHORIZED, "", "county.token_revoked", id)
	}
	return rec.Township, rec.Hash, nil
}
