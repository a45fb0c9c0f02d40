package pgstore_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"hecha"
	"hecha/internal/testenv"
	"hecha/pgstore"
)

// Now is the fixed clock of the tests: 2024-03-15 10:00 in Beijing.
var Now = time.Date(2024, 3, 15, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

// The fixture: 中原区 (410102) with two townships and a village each, a
// neighbouring county and a county in another province.
const (
	testCounty  = hecha.Code("410102")
	townA       = hecha.Code("410102001")
	townB       = hecha.Code("410102002")
	villageA    = hecha.Code("410102001002")
	villageB    = hecha.Code("410102002001")
	otherCounty = hecha.Code("410103")
	otherTown   = hecha.Code("410103001")
	farCounty   = hecha.Code("440305")
)

// testDivisions returns the fixture's division table.
func testDivisions(tb testing.TB) *hecha.DivisionTable {
	tb.Helper()
	t := hecha.NewDivisionTable()
	for _, d := range []hecha.Division{
		{Code: "41", Name: "河南省"}, {Code: "4101", Name: "郑州市"},
		{Code: testCounty, Name: "中原区"}, {Code: otherCounty, Name: "二七区"},
		{Code: townA, Name: "林山寨街道"}, {Code: townB, Name: "建设路街道"}, {Code: otherTown, Name: "淮河路街道"},
		{Code: villageA, Name: "碧沙岗社区居委会"}, {Code: villageB, Name: "桐柏路社区居委会"},
		{Code: "44", Name: "广东省"}, {Code: "4403", Name: "深圳市"}, {Code: farCounty, Name: "南山区"},
	} {
		if err := t.Add(d); err != nil {
			tb.Fatal(err)
		}
	}
	return t
}

// clock is a settable test clock.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// MustMigrated returns the DSN of a fresh database of the test's own,
// migrated.
func MustMigrated(tb testing.TB) string {
	tb.Helper()
	dsn := testenv.Postgres(tb)
	if _, err := pgstore.Migrate(context.Background(), dsn, pgstore.WithNow(func() time.Time { return Now })); err != nil {
		tb.Fatalf("migrate: %v", err)
	}
	return dsn
}

// MustOpen opens a store on dsn scoped to county ("" for none) with the
// fixture's rules and clock c, closed when the test ends.
func MustOpen(tb testing.TB, dsn string, county hecha.Code, c *clock) *pgstore.Store {
	tb.Helper()
	s, err := pgstore.Open(context.Background(), dsn, pgstore.WithNow(c.now),
		pgstore.WithRules(&hecha.Rules{Divisions: testDivisions(tb)}), pgstore.WithCounty(county))
	if err != nil {
		tb.Fatalf("open: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

func TestOpen_Unmigrated(t *testing.T) {
	dsn := testenv.Postgres(t)
	ctx := context.Background()
	_, err := pgstore.Open(ctx, dsn, pgstore.WithNow(func() time.Time { return Now }))
	if hecha.ErrorCode(err) != hecha.EUNAVAILABLE {
		t.Fatalf("open unmigrated: %v, want EUNAVAILABLE", err)
	}
	msg := hecha.ErrorMessage(err, hecha.Chinese)
	if !strings.Contains(msg, "hecha-county migrate") || !strings.Contains(msg, "尚未建立") {
		t.Errorf("message %q does not say to migrate", msg)
	}
	if en := hecha.ErrorMessage(err, hecha.English); !strings.Contains(en, "run hecha-county migrate") {
		t.Errorf("English message %q does not say to migrate", en)
	}

	// A server's store, whose connections cannot run their warming
	// statements yet, says the same.
	_, err = pgstore.Open(ctx, dsn, pgstore.WithNow(func() time.Time { return Now }), pgstore.WithReadyConns(2))
	if msg := hecha.ErrorMessage(err, hecha.Chinese); hecha.ErrorCode(err) != hecha.EUNAVAILABLE || !strings.Contains(msg, "hecha-county migrate") {
		t.Errorf("open unmigrated for a server: %v, want EUNAVAILABLE saying to migrate", err)
	}

	applied, err := pgstore.Migrate(ctx, dsn, pgstore.WithNow(func() time.Time { return Now }))
	if err != nil || len(applied) == 0 || applied[len(applied)-1] != pgstore.SchemaVersion {
		t.Fatalf("migrate: %v, %v", applied, err)
	}
	again, err := pgstore.Migrate(ctx, dsn, pgstore.WithNow(func() time.Time { return Now }))
	if err != nil || len(again) != 0 {
		t.Fatalf("migrate again: applied %v, %v; want nothing", again, err)
	}
	s, err := pgstore.Open(ctx, dsn, pgstore.WithNow(func() time.Time { return Now }))
	if err != nil {
		t.Fatalf("open migrated: %v", err)
	}
	s.Close()
}

func TestOpen_Unreachable(t *testing.T) {
	_, err := pgstore.Open(context.Background(), "postgres://nobody:secret@127.0.0.1:1/none?sslmode=disable&connect_timeout=2",
		pgstore.WithNow(func() time.Time { return Now }))
	if hecha.ErrorCode(err) != hecha.EUNAVAILABLE {
		t.Fatalf("err = %v, want EUNAVAILABLE", err)
	}
	if msg := hecha.ErrorMessage(err, hecha.English); strings.Contains(msg, "secret") {
		t.Errorf("message %q shows the password", msg)
	}
}

// TestOpen_ReadyConns: a store opened for a server has its connections
// made when Open returns, so its first requests do not each wait for one;
// pool_min_conns in the URL says otherwise; a command's store makes none
// ahead. (The pool may make one more meanwhile, in the background.)
func TestOpen_ReadyConns(t *testing.T) {
	dsn := MustMigrated(t)
	ctx := context.Background()
	for _, tc := range []struct {
		dsn         string
		ready       int
		least, most int32
	}{
		{dsn, pgstore.ServerReadyConns, pgstore.ServerReadyConns, pgstore.ServerReadyConns + 1},
		{dsn, 0, 1, 1}, // the connection Open checks the database with
		{withParam(dsn, "pool_min_conns=3"), pgstore.ServerReadyConns, 3, 4},
	} {
		s, err := pgstore.Open(ctx, tc.dsn, pgstore.WithNow(func() time.Time { return Now }), pgstore.WithReadyConns(tc.ready))
		if err != nil {
			t.Fatal(err)
		}
		if got := pgstore.PoolConns(s); got < tc.least || got > tc.most {
			t.Errorf("%s, WithReadyConns(%d): %d connections after Open, want %d to %d", tc.dsn, tc.ready, got, tc.least, tc.most)
		}
		s.Close()
	}
}

// TestOpen_ReadyConnsWarmed: every connection a server's store holds
// when Open returns has run the statements of a township's requests for
// data (warm.go), which run on the current schema and write nothing; a
// command's store warms none.
func TestOpen_ReadyConnsWarmed(t *testing.T) {
	dsn := MustMigrated(t)
	ctx := context.Background()
	want := pgstore.WarmSQL()
	// prepared counts the statements of want that conn has prepared.
	prepared := func(conn *pgx.Conn) int {
		var n int
		if err := conn.QueryRow(ctx, `SELECT count(DISTINCT statement) FROM pg_prepared_statements
			WHERE statement = ANY($1)`, want).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	const ready = 3
	s, err := pgstore.Open(ctx, withParam(dsn, "pool_max_conns=3"), pgstore.WithNow(func() time.Time { return Now }), pgstore.WithReadyConns(ready))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	i := 0
	pgstore.EachConn(t, s, ready, func(conn *pgx.Conn) {
		i++
		if got := prepared(conn); got != len(want) {
			t.Errorf("server's connection %d has prepared %d of the %d statements", i, got, len(want))
		}
		if err := pgstore.WarmConn(ctx, conn); err != nil {
			t.Errorf("the warming statements: %v", err)
		}
	})
	cmd, err := pgstore.Open(ctx, dsn, pgstore.WithNow(func() time.Time { return Now }))
	if err != nil {
		t.Fatal(err)
	}
	defer cmd.Close()
	pgstore.EachConn(t, cmd, 1, func(conn *pgx.Conn) {
		if got := prepared(conn); got != 0 {
			t.Errorf("a command's connection has prepared %d warming statements", got)
		}
		var heads, entries int
		if err := conn.QueryRow(ctx, `SELECT (SELECT count(*) FROM hecha_audit_heads), (SELECT count(*) FROM hecha_audit)`).Scan(&heads, &entries); err != nil {
			t.Fatal(err)
		}
		if heads != 0 || entries != 0 {
			t.Errorf("warming wrote %d audit heads and %d entries", heads, entries)
		}
	})
}

// withParam adds a query parameter to a database URL.
func withParam(dsn, param string) string {
	if strings.Contains(dsn, "?") {
		return dsn + "&" + param
	}
	return dsn + "?" + param
}
