package pgstore

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"

	"hecha"
)

// caseCounty returns the county that holds the case id, for a lookup by
// id alone: the counties are walked on the primary key (the next county
// after each, one index probe), and each is asked for the id, so that the
// lookup costs a few probes per county, not a scan of the province's
// cases.
//
// Errors: ENOTFOUND; EINVALID (pgstore.case_ambiguous, field "county")
// naming the counties when several hold the id.
func caseCounty(ctx context.Context, tx pgx.Tx, id string) (hecha.Code, error) {
	rows, err := tx.Query(ctx, `WITH RECURSIVE k(county) AS (
			SELECT min(county) FROM hecha_cases
			UNION ALL
			SELECT (SELECT min(c.county) FROM hecha_cases c WHERE c.county > k.county) FROM k WHERE k.county IS NOT NULL)
		SELECT k.county FROM k WHERE k.county IS NOT NULL
			AND EXISTS (SELECT 1 FROM hecha_cases c WHERE c.county = k.county AND c.id = $1)
		ORDER BY k.county`, id)
	if err != nil {
		return "", err
	}
	counties, err := pgx.CollectRows(rows, pgx.RowTo[string])
	switch {
	case err != nil:
		return "", err
	case len(counties) == 0:
		return "", hecha.Errorf(hecha.ENOTFOUND, "", "store.case_not_found", id)
	case len(counties) > 1:
		return "", hecha.Invalid("county", "pgstore.case_ambiguous", id, strings.Join(counties, ", "))
	}
	return hecha.Code(counties[0]), nil
}
