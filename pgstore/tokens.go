package pgstore

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"hecha"
)

// CreateToken makes a new token for township (within the store's county, if it has one)
// and returns it; only the SHA-256 of its secret is kept.
//
// Errors: EINVALID about "township" for a code not at township level or
// outside the county; ENOTFOUND for a
// code the table does not know.
func (s *Store) CreateToken(ctx context.Context, township hecha.Code) (string, hecha.Token, error) {
	if township.Level() != hecha.LevelTownship {
		return "", hecha.Token{}, hecha.Invalid("township", "county.token_level", string(township))
	}
	if _, ok := s.rules.Divisions.Lookup(township); !ok {
		return "", hecha.Token{}, hecha.Errorf(hecha.ENOTFOUND, "township", "county.unit_unknown", string(township))
	}
	county := s.county
	if county == "" {
		county = township.At(hecha.LevelCounty)
	}
	if !township.Within(county) {
		return "", hecha.Token{}, hecha.Invalid("township", "county.outside", string(township), string(county))
	}
	secret, err := hecha.NewTokenSecret()
	if err != nil {
		return "", hecha.Token{}, err
	}
	hash := sha256.Sum256(secret)
	tok := hecha.Token{Township: township, CreatedAt: s.now().UTC().Round(time.Microsecond)}
	for {
		if tok.ID, err = hecha.NewTokenID(); err != nil {
			return "", hecha.Token{}, err
		}
		err = s.tx(ctx, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, `INSERT INTO hecha_tokens (id, county, township, hash, created_at)
				VALUES ($1, $2, $3, $4, $5)`, tok.ID, string(county), string(township), hash[:], tok.CreatedAt)
			return err
		})
		// A fresh id; the loop only guards the 2^-40 chance of a clash.
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code == "23505" {
			continue
		}
		if err != nil {
			return "", hecha.Token{}, err
		}
		return hecha.FormatToken(tok.ID, secret), tok, nil
	}
}

// scopeArg is the store's county as a query argument ("" = every
// county).
func (s *Store) scopeArg() string { return string(s.county) }

// RevokeToken revokes the token id of the store's county.
//
// Errors: ENOTFOUND for an unknown id.
func (s *Store) RevokeToken(ctx context.Context, id string) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE hecha_tokens SET revoked_at = coalesce(revoked_at, $3)
			WHERE id = $1 AND ($2 = '' OR county = $2)`, id, s.scopeArg(), s.now().UTC())
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return hecha.Errorf(hecha.ENOTFOUND, "", "county.token_not_found", id)
		}
		return nil
	})
}

// Tokens returns the tokens of the store's county (of every county when
// it has none), revoked ones included, oldest first.
func (s *Store) Tokens(ctx context.Context) ([]hecha.Token, error) {
	var out []hecha.Token
	err := s.view(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT id, township, created_at, revoked_at IS NOT NULL FROM hecha_tokens
			WHERE $1 = '' OR county = $1 ORDER BY created_at, id`, s.scopeArg())
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (hecha.Token, error) {
			var t hecha.Token
			var town string
			err := r.Scan(&t.ID, &town, &t.CreatedAt, &t.Revoked)
			t.Township, t.CreatedAt = hecha.Code(town), t.CreatedAt.UTC()
			return t, err
		})
		return err
	})
	return out, err
}

// tokenSQL reads the township, the secret's hash and whether it is
// revoked of the token id $1 of the scope $2.
const tokenSQL = `SELECT township, hash, revoked_at IS NOT NULL FROM hecha_tokens
	WHERE id = $1 AND ($2 = '' OR county = $2)`

// token reads a token of the store's scope; found is false when unknown.
func (s *Store) token(ctx context.Context, id string) (town hecha.Code, hash []byte, revoked, found bool, err error) {
	var t string
	err = s.pool.QueryRow(ctx, tokenSQL, id, s.scopeArg()).Scan(&t, &hash, &revoked)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil, false, false, nil
	}
	return hecha.Code(t), hash, revoked, err == nil, s.dbErr(err)
}

// Authenticate returns the township of a valid token of the store's
// scope, comparing the secret's hash in constant time.
//
// Errors: EUNAUTHORIZED for a malformed, unknown or revoked token.
func (s *Store) Authenticate(ctx context.Context, token string) (hecha.Code, error) {
	id, secret, ok := hecha.ParseToken(token)
	if !ok {
		return "", hecha.Errorf(hecha.EUNAUTHORIZED, "", "county.token_invalid")
	}
	town, want, revoked, found, err := s.token(ctx, id)
	if err != nil {
		return "", err
	}
	hash := sha256.Sum256(secret)
	// Compare even for an unknown id, so timing does not tell ids apart.
	if !found || len(want) != len(hash) {
		want = make([]byte, len(hash))
	}
	if match := subtle.ConstantTimeCompare(hash[:], want) == 1; !found || !match {
		return "", hecha.Errorf(hecha.EUNAUTHORIZED, "", "county.token_invalid")
	}
	if revoked {
		return "", hecha.Errorf(hecha.EUNAUTHORIZED, "", "county.token_revoked", id)
	}
	return town, nil
}

// TokenHash returns the township of the token id and the SHA-256 of its
// secret, for checking a township's offline file.
//
// Errors: EUNAUTHORIZED for an unknown or revoked token.
func (s *Store) TokenHash(ctx context.Context, id string) (hecha.Code, []byte, error) {
	town, hash, revoked, found, err := s.token(ctx, id)
	switch {
	case err != nil:
		return "", nil, err
	case !found || len(hash) != sha256.Size:
		return "", nil, hecha.Errorf(hecha.EUNAUTHORIZED, "", "county.token_not_found", id)
	case revoked:
		return "", nil, hecha.Errorf(hecha.EUNAUTHORIZED, "", "county.token_revoked", id)
	}
	return town, hash, nil
}
