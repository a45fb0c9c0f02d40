package store

import (
	"bytes"
	"context"

	"go.etcd.io/bbolt"

	"hecha"
)

// caseResultsPage is how many cases CaseResults reads per transaction.
const caseResultsPage = 500

// CaseResults calls fn with every case f selects (its unit, undistributed,
// status and kind filters; Offset and Limit are ignored) and the case's
// result in force, nil when it has none, in case id order. It is what the
// county's reports read: every case, verified or not, without holding them
// all in memory. Cases are read a page per transaction and fn runs outside
// any transaction, so it may use db; an error from fn stops the walk and
// is returned.
func (db *CountyDB) CaseResults(ctx context.Context, f hecha.CaseFilter, fn func(c *hecha.Case, inForce *hecha.Result) error) error {
	type pair struct {
		c *hecha.Case
		r *hecha.Result
	}
	var after []byte
	for {
		var page []pair
		err := db.view(ctx, func(tx *bbolt.Tx) error {
			cur := tx.Bucket(bucketCountyState).Cursor()
			k, _ := cur.First()
			if after != nil {
				if k, _ = cur.Seek(after); bytes.Equal(k, after) {
					k, _ = cur.Next()
				}
			}
			for n := 0; k != nil && n < caseResultsPage; k, _ = cur.Next() {
				after = copyBytes(k)
				n++
				c, st, found, err := loadCase(tx, string(k))
				if err != nil {
					return err
				}
				if !found || !matches(c, st, f) {
					continue
				}
				p := pair{c: c}
				if st.InForce != "" {
					p.r = new(hecha.Result)
					if _, err := getJSONValue(tx, bucketCountyResults, []byte(st.InForce), p.r); err != nil {
						return err
					}
				}
				page = append(page, p)
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
			if err := fn(p.c, p.r); err != nil {
				return err
			}
		}
		if after == nil {
			return nil
		}
	}
}
