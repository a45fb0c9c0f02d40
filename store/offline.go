package store

import (
	"context"
	"crypto/sha256"

	"go.etcd.io/bbolt"

	"hecha"
)

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
	id, secret, ok := parseToken(token)
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
func (db *DB) TokenHash(ctx context.Context, id string) (hecha.Code, []byte, error) {
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
