package pgstore_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/jackc/pgx/v5"

	"hecha"
	"hecha/pgstore"
)

// TestCasesStoredAsJSON: a database migrated from schema version 3 holds
// its cases as JSON, which version 4 no longer writes. Such rows are read
// as before, sent to a pulling township as the same JSON as a binary
// row's, and written in binary when a result changes them; then they read
// the same.
func TestCasesStoredAsJSON(t *testing.T) {
	const n = 6
	s, conn, ids := assignedTownship(t, n)
	ctx := context.Background()
	// firstBytes returns the first byte of each case's stored data, in hex.
	firstBytes := func() map[string]string {
		return caseColumn(t, conn, `encode(substr(data, 1, 1), 'hex')`)
	}
	for id, b := range firstBytes() {
		if b == "7b" { // '{'
			t.Fatalf("case %s written as JSON", id)
		}
	}
	// The even cases back to JSON, as version 3 wrote them.
	want := map[string][]byte{}
	for i, id := range ids {
		cs, err := s.Case(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		js, err := json.Marshal(cs)
		if err != nil {
			t.Fatal(err)
		}
		want[id] = js
		if i%2 == 0 {
			if _, err := conn.Exec(ctx, `UPDATE hecha_cases SET data = $1 WHERE id = $2`, js, id); err != nil {
				t.Fatal(err)
			}
		}
	}
	check := func(when string) {
		t.Helper()
		got, datas, _, err := s.CasesSinceJSON(ctx, townA, hecha.OwnChanges{}, 0, 100)
		if err != nil || len(got) != n {
			t.Fatalf("%s: pulled %d cases, %v", when, len(got), err)
		}
		for i, id := range got {
			cs, err := s.Case(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			js, _ := json.Marshal(cs)
			if !bytes.Equal(datas[i], js) || !bytes.Equal(js, want[id]) {
				t.Errorf("%s: case %s pulled as\n%s\nread as\n%s\nwant\n%s", when, id, datas[i], js, want[id])
			}
		}
	}
	check("JSON rows")

	applyAccepted(t, s, notFoundBatch(t, s, n))
	for id, b := range firstBytes() {
		if b == "7b" {
			t.Errorf("case %s still JSON after its result", id)
		}
	}
	for _, id := range ids {
		cs, err := s.Case(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if rs, err := s.ResultsOf(ctx, id); err != nil || len(rs) != 1 {
			t.Errorf("case %s has results %v, %v; want its one", id, rs, err)
		}
		js, _ := json.Marshal(cs)
		want[id] = js
	}
	check("rewritten")
}

// TestCaseDamaged: a case row that decodes neither as the binary layout
// nor as JSON is reported as damaged (EINTERNAL), not as a database out of
// reach, and the other cases still read.
func TestCaseDamaged(t *testing.T) {
	s, conn, ids := assignedTownship(t, 2)
	ctx := context.Background()
	bad, good := ids[0], ids[1]
	for _, data := range [][]byte{{9, 9}, []byte(`{"id":`)} {
		if _, err := conn.Exec(ctx, `UPDATE hecha_cases SET data = $1 WHERE id = $2`, data, bad); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Case(ctx, bad); hecha.ErrorCode(err) != hecha.EINTERNAL {
			t.Errorf("case stored as %q: %v (%s), want %s", data, err, hecha.ErrorCode(err), hecha.EINTERNAL)
		}
		if _, err := s.Case(ctx, good); err != nil {
			t.Errorf("the other case: %v", err)
		}
	}
}

// assignedTownship imports n scenario cases into a fresh county database,
// assigns them all to townA, and returns the store, a connection to the
// database of its own (closed with the test) and the cases' ids.
func assignedTownship(t *testing.T, n int) (*pgstore.Store, *pgx.Conn, []string) {
	t.Helper()
	dsn, c := setupCounty(t, n)
	ctx := context.Background()
	s := MustOpen(t, dsn, testCounty, c)
	var ids []string
	for i := range n {
		ids = append(ids, scenarioCase(i).ID)
	}
	if err := s.Assign(ctx, ids, townA, "王主任"); err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return s, conn, ids
}

// caseColumn returns expr, an SQL expression over a row of hecha_cases, as
// text for every case, by id.
func caseColumn(t *testing.T, conn *pgx.Conn, expr string) map[string]string {
	t.Helper()
	rows, err := conn.Query(context.Background(), `SELECT id, (`+expr+`)::text FROM hecha_cases`)
	if err != nil {
		t.Fatal(err)
	}
	m, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) ([2]string, error) {
		var kv [2]string
		return kv, r.Scan(&kv[0], &kv[1])
	})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, kv := range m {
		out[kv[0]] = kv[1]
	}
	return out
}
