package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"go.etcd.io/bbolt"

	"hecha"
)

// The county's reads of received results and batches.

// Batches returns the logged batches, newest first.
func (db *DB) Batches(ctx context.Context) ([]Batch, error) {
	var out []Batch
	err := db.view(ctx, func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketCountyBatches).ForEach(func(k, v []byte) error {
			var b Batch
			if err := json.Unmarshal(v, &b); err != nil {
				return fmt.Errorf("decode batch %s: %w", k, err)
			}
			out = append(out, b)
			return nil
		})
	})
	slices.SortFunc(out, func(a, b Batch) int {
		if c := b.LastAt.Compare(a.LastAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, err
}

// HasResults returns the ids among ids that the county does not hold as
// results of township, in the order given; a township uses it to find the
// results to send again after the county was restored from an older copy.
func (db *DB) HasResults(ctx context.Context, township hecha.Code, ids []string) ([]string, error) {
	var missing []string
	err := db.view(ctx, func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketCountyResults)
		for _, id := range ids {
			var r struct {
				Township hecha.Code `json:"township"`
			}
			found, err := getJSON(b, []byte(id), &r)
			if err != nil {
				return err
			}
			if !found || r.Township != township {
				missing = append(missing, id)
			}
		}
		return nil
	})
	return missing, err
}

// ResultsOf returns every result the county accepted for a case, oldest
// first; the last is in force unless the case was reassigned since.
//
// Errors: ENOTFOUND for an unknown case.
func (db *DB) ResultsOf(ctx context.Context, caseID string) ([]hecha.Result, error) {
	var out []hecha.Result
	err := db.view(ctx, func(tx *bbolt.Tx) error {
		_, st, err := mustLoadCase(tx, caseID)
		if err != nil {
			return err
		}
		for _, id := range st.Results {
			var r hecha.Result
			if _, err := getJSON(tx.Bucket(bucketCountyResults), []byte(id), &r); err != nil {
				return err
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}

// allResultsPage is how many cases AllResults reads per transaction.
const allResultsPage = 500

// AllResults calls fn with the result in force of every case that has one,
// and the case, in case id order; corrected results and those of a
// township the case was taken from are not included (ResultsOf has them).
// fn runs outside any transaction, so it may use db; an error from fn stops
// the walk and is returned.
func (db *DB) AllResults(ctx context.Context, fn func(hecha.Result, *hecha.Case) error) error {
	type pair struct {
		r hecha.Result
		c *hecha.Case
	}
	var after []byte
	for {
		var page []pair
		err := db.view(ctx, func(tx *bbolt.Tx) error {
			cur := tx.Bucket(bucketCountyState).Cursor()
			k, v := cur.First()
			if after != nil {
				k, v = cur.Seek(after)
				if bytes.Equal(k, after) {
					k, v = cur.Next()
				}
			}
			for n := 0; k != nil && n < allResultsPage; k, v = cur.Next() {
				after = copyBytes(k)
				n++
				var st caseState
				if err := decodeState(v, &st); err != nil {
					return errDecode(tx, bucketCountyState, string(k), err)
				}
				if st.InForce == "" {
					continue
				}
				c, err := getCase(tx, string(k))
				if err != nil {
					return err
				}
				var r hecha.Result
				if _, err := getJSON(tx.Bucket(bucketCountyResults), []byte(st.InForce), &r); err != nil {
					return err
				}
				page = append(page, pair{r, c})
			}
			if k == nil {
				after = nil
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, p := range page {
			if err := fn(p.r, p.c); err != nil {
				return err
			}
		}
		if after == nil {
			return nil
		}
	}
}
