package store

import (
	"bytes"
	"context"

	"go.etcd.io/bbolt"

	"hecha"
)

// eachCasePage is how many cases EachCase reads per transaction.
const eachCasePage = 500

// EachCase calls fn with every case whose summary keep accepts, in case id
// order, without holding them all: it reads the summaries and the cases
// they select a page per transaction, runs fn outside any transaction (so
// fn may use db), and gives the pages of the file it read back to the
// kernel between pages, so neither the heap nor the mapped file grows with
// the number of cases. An error from fn stops the walk and is returned.
// What the walk sees of cases changed meanwhile is as of each page.
//
// Errors: the database's errors (a damaged summary or case is EINTERNAL).
func (db *TownshipDB) EachCase(ctx context.Context, keep func(*hecha.CaseSummary) bool, fn func(*hecha.Case) error) error {
	var after []byte
	for {
		var page []*hecha.Case
		done := false
		err := db.view(ctx, func(tx *bbolt.Tx) error {
			cur := tx.Bucket(bucketSummaries).Cursor()
			k, v := cur.First()
			if after != nil {
				if k, v = cur.Seek(after); bytes.Equal(k, after) {
					k, v = cur.Next()
				}
			}
			for n := 0; k != nil && n < eachCasePage; k, v = cur.Next() {
				n++
				after = append(after[:0], k...)
				v, err := openValue(tx, bucketSummaries, k, v)
				if err != nil {
					return err
				}
				var s hecha.CaseSummary
				if err := decodeSummary(v, &s); err != nil {
					return errDamaged(db.path, err)
				}
				if !keep(&s) {
					continue
				}
				c, err := getCase(tx, string(k))
				if err != nil {
					return err
				}
				page = append(page, c)
			}
			done = k == nil
			return nil
		})
		if err != nil {
			return err
		}
		db.releaseMapped()
		for _, c := range page {
			if err := fn(c); err != nil {
				return err
			}
		}
		if done {
			return nil
		}
	}
}
