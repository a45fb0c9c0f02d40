package sync_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"

	"hecha"
	"hecha/internal/countytest"
	hsync "hecha/sync"
)

// TestPull_StoredJSONIsTheSameAnswer: a store that keeps its cases as
// JSON (PostgreSQL) answers a pull page with the stored bytes; the
// answer is, byte for byte, the one the server makes by encoding the
// cases, on a first page, a last page, an empty page after the end and a
// cursor from an older copy, on every backend.
func TestPull_StoredJSONIsTheSameAnswer(t *testing.T) {
	for _, be := range countytest.Backends {
		t.Run(be.Name, func(t *testing.T) {
			db, err := be.Open(be.New(t), countytest.Options{Rules: fxRules(t), Now: fxClock})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			if _, ok := db.(hsync.JSONCasesReader); ok != (be.Name == "postgres") {
				t.Fatalf("%s store is a JSONCasesReader: %v", be.Name, ok)
			}
			tw := hecha.Code("410102001")
			tokens := seedCounty(t, db, 5, tw, "410102002")
			// A result applied changes a case after the import, so a
			// page holds cases written by two different writers.
			c := newClient(t, serveCounty(t, db).URL, tokens[tw])
			pushAll(t, c, newResultChain(t, db, tw).next(2), 2)
			ts := serveCounty(t, db)
			for _, q := range []struct {
				since uint64
				limit int
			}{{0, 2}, {0, 100}, {2, 2}, {7, 100}, {1000, 100}} {
				cases, next, err := db.CasesSinceFor(context.Background(), tw, hecha.OwnChanges{}, q.since, q.limit)
				if err != nil {
					t.Fatal(err)
				}
				if cases == nil {
					cases = []hecha.Case{}
				}
				var want bytes.Buffer
				if err := json.NewEncoder(&want).Encode(hsync.CasesResponse{Cases: cases, Next: next, More: len(cases) >= q.limit && next != q.since}); err != nil {
					t.Fatal(err)
				}
				req, _ := http.NewRequest("GET", fmt.Sprintf("%s%s?since=%d&limit=%d", ts.URL, hsync.PathCases, q.since, q.limit), nil)
				req.Header.Set("Authorization", "Bearer "+tokens[tw])
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				got, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK || !bytes.Equal(got, want.Bytes()) {
					t.Errorf("since=%d limit=%d: %s\n got %s\nwant %s", q.since, q.limit, resp.Status, got, want.Bytes())
				}
			}
		})
	}
}
