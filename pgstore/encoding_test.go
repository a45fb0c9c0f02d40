package pgstore_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/jackc/pgx/v5"

	"hecha"
)

// TestCasesStoredAsJSON: a database migrated from schema version 3 holds
// its cases as JSON, which version 4 no longer writes. Such rows are read
// as before, sent to a pulling township as the same JSON as a binary
// row's, and written in binary when a result changes them; then they read
// the same.
func TestCasesStoredAsJSON(t *testing.T) {
	const n = 6
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
	defer conn.Close(ctx)
	// firstBytes returns the first byte of each case's stored data.
	firstBytes := func() map[string]byte {
		rows, err := conn.Query(ctx, `SELECT id, data FROM hecha_cases`)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]byte{}
		for rows.Next() {
			var id string
			var data []byte
			if err := rows.Scan(&id, &data); err != nil {
				t.Fatal(err)
			}
			m[id] = data[0]
		}
		return m
	}
	for id, b := range firstBytes() {
		if b == '{' {
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

	out, err := s.ApplyResults(ctx, townA, notFoundBatch(t, s, n))
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range out {
		if o.Status != hecha.ResultAccepted {
			t.Fatalf("result %s: %s %v", o.ResultID, o.Status, o.Errors)
		}
	}
	for id, b := range firstBytes() {
		if b == '{' {
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
	dsn, c := setupCounty(t, 2)
	ctx := context.Background()
	s := MustOpen(t, dsn, testCounty, c)
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	bad, good := scenarioCase(0).ID, scenarioCase(1).ID
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
