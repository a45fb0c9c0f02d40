package sync_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	stdsync "sync"
	"testing"

	"hecha"
	"hecha/codefile"
	hsync "hecha/sync"
)

// divHistoric is a historic county list for the division tests.
const divHistoric = "code,name,valid_from_year,valid_to_year\n410102,中原区,,\n410199,旧县,1983,1990\n"

// countingSource is a county database that counts how often the server
// reads the whole table.
type countingSource struct {
	hecha.CountyStore
	mu    stdsync.Mutex
	reads int
}

func (c *countingSource) DivisionsCSV(ctx context.Context) ([]byte, []byte, string, error) {
	c.mu.Lock()
	c.reads++
	c.mu.Unlock()
	return c.CountyStore.DivisionsCSV(ctx)
}

// divisionsCounty is a seeded county database with its division table
// and historic list stored, and the tokens of townships A and B.
func divisionsCounty(t *testing.T) (hecha.CountyStore, map[hecha.Code]string) {
	t.Helper()
	county := openCounty(t, false)
	t.Cleanup(func() { county.Close() })
	tokens := seedCounty(t, county, 3, townA, townB)
	ctx := context.Background()
	if err := county.SaveDivisions(ctx, county.Rules().Divisions); err != nil {
		t.Fatal(err)
	}
	if err := county.SaveHistoricDivisions(ctx, []byte(divHistoric)); err != nil {
		t.Fatal(err)
	}
	return county, tokens
}

// getDivisions sends GET /api/v1/divisions with the given headers.
func getDivisions(t *testing.T, url string, hdr map[string]string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url+hsync.PathDivisions, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func TestDivisionsHandler(t *testing.T) {
	county, tokens := divisionsCounty(t)
	src := &countingSource{CountyStore: county}
	ts := serveCounty(t, src)
	defer ts.Close()
	version, err := county.DivisionsVersion(context.Background())
	if err != nil || version == "" {
		t.Fatalf("county version %q, %v", version, err)
	}
	auth := "Bearer " + tokens[townA]

	// 401 without a token or with a wrong one.
	for _, h := range []map[string]string{nil, {"Authorization": "Bearer hc_nonsense"}} {
		if resp := getDivisions(t, ts.URL, h); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("headers %v: status %d, want 401", h, resp.StatusCode)
		}
	}

	// 200: the gzipped table, its historic list and version, the ETag.
	resp := getDivisions(t, ts.URL, map[string]string{"Authorization": auth, "Accept-Encoding": "gzip"})
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("status %d, encoding %q", resp.StatusCode, resp.Header.Get("Content-Encoding"))
	}
	if got := resp.Header.Get("ETag"); got != `"`+version+`"` {
		t.Errorf("ETag %s, want %q", got, version)
	}
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var d hsync.DivisionsResponse
	if err := json.NewDecoder(zr).Decode(&d); err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := codefile.WriteDivisions(&want, county.Rules().Divisions); err != nil {
		t.Fatal(err)
	}
	if d.Version != version || d.Table != want.String() || d.Historic != divHistoric {
		t.Errorf("answer = %+v", d)
	}

	// 304 for the current version, in any of the forms a header takes;
	// 200 for another.
	for _, inm := range []string{`"` + version + `"`, `W/"` + version + `"`, `"old", "` + version + `"`, "*"} {
		resp := getDivisions(t, ts.URL, map[string]string{"Authorization": auth, "If-None-Match": inm})
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusNotModified || len(body) != 0 || resp.Header.Get("ETag") != `"`+version+`"` {
			t.Errorf("If-None-Match %s: status %d, %d bytes, ETag %s", inm, resp.StatusCode, len(body), resp.Header.Get("ETag"))
		}
	}
	resp = getDivisions(t, ts.URL, map[string]string{"Authorization": auth, "If-None-Match": `"old"`})
	if resp.StatusCode != http.StatusOK {
		t.Errorf("an old version: status %d", resp.StatusCode)
	}
	// Every township got the same answer, read from the database once.
	if src.reads != 1 {
		t.Errorf("the table was read %d times for two answers", src.reads)
	}

	// A new table is read and served at once.
	if err := county.SaveHistoricDivisions(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	resp = getDivisions(t, ts.URL, map[string]string{"Authorization": auth, "If-None-Match": `"` + version + `"`})
	if resp.StatusCode != http.StatusOK || resp.Header.Get("ETag") == `"`+version+`"` {
		t.Errorf("after a change: status %d, ETag %s", resp.StatusCode, resp.Header.Get("ETag"))
	}
}

func TestDivisionsHandler_NoTable(t *testing.T) {
	county := openCounty(t, false)
	defer county.Close()
	tokens := seedCounty(t, county, 1, townA)
	ts := serveCounty(t, county)
	defer ts.Close()
	_, err := newClient(t, ts.URL, tokens[townA]).Divisions(context.Background(), "")
	if hecha.ErrorCode(err) != hecha.ENOTFOUND {
		t.Errorf("no table: %v, want ENOTFOUND", err)
	}
}

func TestClientDivisions(t *testing.T) {
	county, tokens := divisionsCounty(t)
	ts := serveCounty(t, county)
	defer ts.Close()
	ctx := context.Background()
	c := newClient(t, ts.URL, tokens[townB])

	d, err := c.Divisions(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if d.NotModified || d.Version == "" || !strings.HasPrefix(d.Table, "code,name,parent_code,level\n") || d.Historic != divHistoric {
		t.Fatalf("first fetch = %+v", d)
	}
	again, err := c.Divisions(ctx, d.Version)
	if err != nil || !again.NotModified || again.Version != d.Version || again.Table != "" {
		t.Fatalf("fetch with the current version = %+v, %v", again, err)
	}
	other, err := c.Divisions(ctx, "stale")
	if err != nil || other.NotModified || other.Version != d.Version {
		t.Fatalf("fetch with a stale version = %+v, %v", other, err)
	}
	if _, err := newClient(t, ts.URL, "hc_nonsense").Divisions(ctx, ""); hecha.ErrorCode(err) != hecha.EUNAUTHORIZED {
		t.Fatalf("a wrong token: %v", err)
	}
}

// TestRound_Divisions: the first round takes the county's table before it
// pulls the cases (a case in a village the township did not know comes
// through), the next rounds do not fetch it again, and a changed table is
// fetched once more.
func TestRound_Divisions(t *testing.T) {
	ctx := context.Background()
	county, tokens := divisionsCounty(t)
	newVillage := hecha.Division{Code: "410102001003", Name: "新建社区居委会"}
	if err := county.Rules().Divisions.Add(newVillage); err != nil {
		t.Fatal(err)
	}
	if err := county.SaveDivisions(ctx, county.Rules().Divisions); err != nil {
		t.Fatal(err)
	}
	c := fxCase(townA, 50)
	c.Person.HouseholdDivision = newVillage.Code
	if _, err := county.ImportCases(ctx, []hecha.Case{c}); err != nil {
		t.Fatal(err)
	}
	if err := county.Assign(ctx, []string{c.ID}, townA, "test"); err != nil {
		t.Fatal(err)
	}

	var mu stdsync.Mutex
	fetched := 0 // answers of 200 to GET /api/v1/divisions
	api := hsync.NewServer(county, hsync.WithClock(fxClock), hsync.WithRateLimit(0, 0)).Handler()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == hsync.PathDivisions {
			w = &statusHook{ResponseWriter: w, hook: func(status int) {
				if status == http.StatusOK {
					mu.Lock()
					fetched++
					mu.Unlock()
				}
			}}
		}
		api.ServeHTTP(w, r)
	}))
	defer ts.Close()
	count := func() int {
		mu.Lock()
		defer mu.Unlock()
		return fetched
	}
	town := openTownship(t, tempPath(t, "town.db"), townA)
	defer town.Close()
	live := town.Rules().Divisions
	if _, ok := live.Lookup(newVillage.Code); ok {
		t.Fatal("the township knows the new village already")
	}
	s := &hsync.Syncer{Store: town, Client: newClient(t, ts.URL, tokens[townA]), Now: fxClock}

	rep, err := s.Round(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Divisions == nil || rep.Divisions.Len() != county.Rules().Divisions.Len() || count() != 1 {
		t.Fatalf("first round: divisions %v, fetched %d", rep.Divisions, count())
	}
	if len(rep.Skipped) != 0 || rep.PulledCases != 4 {
		t.Fatalf("first round pulled %d cases, skipped %+v", rep.PulledCases, rep.Skipped)
	}
	if _, ok := live.Lookup(newVillage.Code); !ok {
		t.Error("the open database's table lacks the new village")
	}
	stored, err := town.Divisions(ctx)
	if err != nil || stored.Len() != county.Rules().Divisions.Len() || stored.CheckIDArea("id", "410199") != nil {
		t.Fatalf("stored table: %v, %v", stored, err)
	}
	countyVersion, _ := county.DivisionsVersion(ctx)
	if src, _ := town.DivisionsSource(ctx); src != countyVersion {
		t.Errorf("township source %q, county version %q", src, countyVersion)
	}

	// Unchanged: not fetched again.
	for i := 0; i < 2; i++ {
		rep, err = s.Round(ctx)
		if err != nil || rep.Divisions != nil {
			t.Fatalf("idle round: divisions %v, %v", rep.Divisions, err)
		}
	}
	if count() != 1 {
		t.Fatalf("the unchanged table was fetched %d times", count())
	}

	// Changed on the county: fetched once more.
	if err := county.Rules().Divisions.Add(hecha.Division{Code: "410102011", Name: "新设街道"}); err != nil {
		t.Fatal(err)
	}
	if err := county.SaveDivisions(ctx, county.Rules().Divisions); err != nil {
		t.Fatal(err)
	}
	rep, err = s.Round(ctx)
	if err != nil || rep.Divisions == nil || count() != 2 {
		t.Fatalf("round after a change: divisions %v, fetched %d, %v", rep.Divisions, fetched, err)
	}
	if _, ok := live.Lookup("410102011"); !ok {
		t.Error("the open database's table lacks the new township")
	}

	// PullDivisions alone, as setup uses it: nothing new now.
	if got, err := s.PullDivisions(ctx); err != nil || got != nil || count() != 2 {
		t.Errorf("PullDivisions of an unchanged table = %v, %v (fetched %d)", got, err, count())
	}
}

// TestRound_DivisionsUnreadable: a table the township cannot load is not
// stored; the round still pulls the cases and ends with its error.
func TestRound_DivisionsUnreadable(t *testing.T) {
	ctx := context.Background()
	county, tokens := divisionsCounty(t)
	api := hsync.NewServer(county, hsync.WithClock(fxClock), hsync.WithRateLimit(0, 0)).Handler()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != hsync.PathDivisions {
			api.ServeHTTP(w, r)
			return
		}
		w.Header().Set(hsync.ProtocolHeader, hsync.ProtocolVersion)
		w.Header().Set("ETag", `"bad"`)
		json.NewEncoder(w).Encode(hsync.DivisionsResponse{Version: "bad", Table: "code,name,parent_code,level\n41XX,坏,,province\n"})
	}))
	defer ts.Close()
	town := openTownship(t, tempPath(t, "town.db"), townA)
	defer town.Close()
	s := &hsync.Syncer{Store: town, Client: newClient(t, ts.URL, tokens[townA]), Now: fxClock}
	rep, err := s.Round(ctx)
	var e *hecha.Error
	if hecha.ErrorCode(err) != hecha.EINVALID || !asError(err, &e) || e.MsgID != "sync.err.divisions" {
		t.Fatalf("round: %v", err)
	}
	if rep.PulledCases != 3 || rep.Divisions != nil {
		t.Errorf("round = %+v", rep)
	}
	if src, _ := town.DivisionsSource(ctx); src != "" {
		t.Errorf("the unreadable table was recorded as taken: %q", src)
	}
	if v, _ := town.DivisionsVersion(ctx); v != "" {
		t.Error("the unreadable table was stored")
	}
}

// statusHook calls hook with the status before the answer is sent.
type statusHook struct {
	http.ResponseWriter
	hook func(int)
}

func (s *statusHook) WriteHeader(status int) {
	s.hook(status)
	s.ResponseWriter.WriteHeader(status)
}

// asError is errors.As for the domain error.
func asError(err error, e **hecha.Error) bool {
	for _, x := range hecha.AsErrors(err) {
		*e = x
		return true
	}
	return false
}
