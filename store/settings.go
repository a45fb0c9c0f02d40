package store

import (
	"context"
	"net/url"
	"strings"

	"go.etcd.io/bbolt"

	"hecha"
)

// Settings returns the stored settings; the zero Settings when none were
// saved yet.
func (db *TownshipDB) Settings(ctx context.Context) (hecha.Settings, error) {
	var s hecha.Settings
	err := db.view(ctx, func(tx *bbolt.Tx) error {
		var err error
		s, err = getSettings(tx)
		return err
	})
	return s, err
}

// SaveSettings validates and stores s. Errors: EINVALID about "server_url"
// (not an http or https URL), "township" (not a township-level code),
// "tls_fingerprint" (not a SHA-256 fingerprint) or "clerk" (bad text).
func (db *TownshipDB) SaveSettings(ctx context.Context, s hecha.Settings) error {
	if err := validateSettings(&s); err != nil {
		return err
	}
	return db.update(ctx, func(tx *bbolt.Tx) error { return putSettings(tx, &s) })
}

// validateSettings checks and cleans s in place.
func validateSettings(s *hecha.Settings) error {
	var errs hecha.Errors
	s.ServerURL = strings.TrimSpace(s.ServerURL)
	if s.ServerURL != "" {
		u, err := url.Parse(s.ServerURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs.Add(hecha.Invalid("server_url", "store.bad_url", s.ServerURL))
		}
	}
	if s.Township != "" {
		c, err := hecha.ParseCode("township", string(s.Township))
		switch {
		case err != nil:
			errs.Add(err)
		case c.Level() != hecha.LevelTownship:
			errs.Add(hecha.Invalid("township", "store.not_township", string(s.Township)))
		default:
			s.Township = c
		}
	}
	if s.TLSFingerprint != "" {
		fp, err := hecha.ParseFingerprint("tls_fingerprint", s.TLSFingerprint)
		errs.Add(err)
		if err == nil {
			s.TLSFingerprint = fp
		}
	}
	clerk, err := hecha.CleanText("clerk", s.Clerk, 50)
	errs.Add(err)
	s.Clerk = clerk
	resident, err := hecha.CleanText("resident_clerk", s.ResidentClerk, 50)
	errs.Add(err)
	s.ResidentClerk = resident
	return errs.Err()
}

// getSettings reads the settings from the meta bucket.
func getSettings(tx *bbolt.Tx) (hecha.Settings, error) {
	var s hecha.Settings
	_, err := getJSONValue(tx, bucketMeta, keySettings, &s)
	return s, err
}

// putSettings writes the settings into the meta bucket.
func putSettings(tx *bbolt.Tx, s *hecha.Settings) error {
	return putJSONValue(tx, bucketMeta, keySettings, s)
}
