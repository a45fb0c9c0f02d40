package pgstore

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"hecha"
	"hecha/internal/testenv"
)

// TestRegistry_ProbesStayProbesAsTheRegistryGrows: the registry reads and
// writes that applying a batch of results makes (the records read ahead,
// the records written) look up each key through its index even when their
// statements were first run, and planned, while the registry was nearly
// empty and it has grown since with no ANALYZE in between (autovacuum off,
// or not come yet). Before, the kept plan walked the index by name, sex
// and birth over every record of the county, and a batch of confirmations
// took up to a second once the registry held some tens of thousands of
// records (README, note 18); planned afresh, the one filter over both
// keys, or a join for the write, read the county's records whole.
//
// What a transaction read is counted with pg_stat_get_xact_tuples_returned
// over the table and its indexes, on the pool's one connection.
func TestRegistry_ProbesStayProbesAsTheRegistryGrows(t *testing.T) {
	dsn := testenv.Postgres(t)
	ctx := context.Background()
	if _, err := Migrate(ctx, dsn, WithNow(func() time.Time { return time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC) })); err != nil {
		t.Fatal(err)
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	cfg.MaxConns = 1 // every statement prepared, and its plan cached, on one connection
	// PostgreSQL may keep, after a prepared statement's fifth run, one
	// plan made without the run's values; here it does from the first.
	cfg.ConnConfig.RuntimeParams["plan_cache_mode"] = "force_generic_plan"
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)

	const county = hecha.Code("410102")
	rec := func(id, cid, name string) hecha.ResidentRecord {
		return hecha.ResidentRecord{ID: id, Name: name, Sex: hecha.SexFemale, CitizenID: cid,
			BirthDate: hecha.Date{Year: 1990, Month: 3, Day: 7}, HouseholdDivision: "410102001001"}
	}
	// inTx runs fn in a transaction that commits, and returns how many
	// rows and index entries of hecha_resident it read.
	inTx := func(fn func(tx pgx.Tx) error) int64 {
		t.Helper()
		// The counts are the connection's since it last reported them,
		// which it does only between transactions: what fn read is the
		// difference.
		count := func(tx pgx.Tx) (n int64, err error) {
			err = tx.QueryRow(ctx, `SELECT sum(pg_stat_get_xact_tuples_returned(oid))::int8 FROM pg_class
				WHERE oid = 'hecha_resident'::regclass
					OR oid IN (SELECT indexrelid FROM pg_index WHERE indrelid = 'hecha_resident'::regclass)`).Scan(&n)
			return n, err
		}
		var before, after int64
		err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) (err error) {
			if before, err = count(tx); err != nil {
				return err
			}
			if err := fn(tx); err != nil {
				return err
			}
			after, err = count(tx)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return after - before
	}
	// apply reads ahead the records with ids and cids, as a batch of
	// results does, puts puts and writes them; it returns what the read
	// found, by id.
	apply := func(tx pgx.Tx, ids, cids []string, puts ...hecha.ResidentRecord) ([]string, error) {
		br := newBatchRecords(ctx, tx, county, &changeLog{county: county})
		b := &pgx.Batch{}
		br.queue(b, recordKeys{ids: ids, cids: cids})
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return nil, err
		}
		var found []string
		for id := range br.rs.recs {
			found = append(found, id)
		}
		slices.Sort(found)
		for i := range puts {
			if err := br.PutResidentRecord(&puts[i]); err != nil {
				return nil, err
			}
		}
		return found, br.flush()
	}

	// While the registry is nearly empty.
	for i := range 4 {
		inTx(func(tx pgx.Tx) error {
			_, err := apply(tx, []string{fmt.Sprintf("R%d", i), "R0"}, []string{"110101199003070020"},
				rec(fmt.Sprintf("R%d", i), fmt.Sprintf("11010119900307%03d0", i), "陈静"))
			return err
		})
	}
	const grown = 30000
	if _, err := pool.Exec(ctx, `INSERT INTO hecha_resident (county, id, citizen_id, name, sex, birth, township, data)
		SELECT $1, 'F' || g, 'C' || g, '陈静', '2', '19900307', '410102001', '{}' FROM generate_series(1, $2::int) g`,
		string(county), grown); err != nil {
		t.Fatal(err)
	}

	// A batch as large as a push's: 500 ids and 500 citizen IDs read
	// ahead (two of each stored), 500 records written (one stored).
	ids := []string{"R1", "R2", "R9"}
	cids := []string{"110101199003070020", "110101199003070030"}
	puts := []hecha.ResidentRecord{rec("R1", "110101199003070010", "陈静静"), rec("R9", "110101199003070090", "陈静")}
	for i := 0; len(ids) < 500; i++ {
		ids, cids = append(ids, fmt.Sprintf("N%d", i)), append(cids, fmt.Sprintf("41010219900307%04d", i))
		puts = append(puts, rec(fmt.Sprintf("P%d", i), fmt.Sprintf("41010219850101%04d", i), "李娜"))
	}
	cids = cids[:500]
	var found []string
	read := inTx(func(tx pgx.Tx) error {
		var err error
		found, err = apply(tx, ids, cids, puts...)
		return err
	})
	if want := []string{"R1", "R2", "R3"}; !slices.Equal(found, want) {
		t.Errorf("read ahead found %v, want %v (R1, R2 by id, R2 and R3 by citizen ID, no other stored)", found, want)
	}
	if keys := len(ids) + len(cids) + len(puts); read > int64(3*keys) {
		t.Errorf("a batch's registry read and write of %d keys among %d records read %d rows and index entries, want at most 3 per key", keys, grown, read)
	}

	var names []string
	rows, err := pool.Query(ctx, `SELECT name FROM hecha_resident WHERE county = $1 AND id = ANY($2) ORDER BY id`,
		string(county), []string{"P0", "R1", "R9"})
	if err == nil {
		names, err = pgx.CollectRows(rows, pgx.RowTo[string])
	}
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"李娜", "陈静静", "陈静"}; !slices.Equal(names, want) {
		t.Errorf("names of P0, R1, R9 after the batch: %v, want %v", names, want)
	}
}
