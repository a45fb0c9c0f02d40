package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"hecha"
	"hecha/cmd/internal/cli"
	"hecha/internal/countytest"
	hsync "hecha/sync"
)

// postgresBackend returns the PostgreSQL backend, whichever backend the
// county suites run against: a province's database is PostgreSQL's.
func postgresBackend(t *testing.T) countytest.Backend {
	t.Helper()
	for _, b := range countytest.Backends {
		if b.Name == "postgres" {
			return b
		}
	}
	t.Fatal("no postgres backend registered")
	return countytest.Backend{}
}

// provinceCounties are the two counties TestProvince loads into one
// database: 中牟县 of 郑州市 and 尉氏县 of 开封市.
var provinceCounties = []string{"410122", "410223"}

// provinceDB loads the two counties (gen's data) into one new PostgreSQL
// database, each through --county, distributes their cases and returns
// the database.
func provinceDB(t *testing.T) string {
	t.Helper()
	dsn := postgresBackend(t).New(t)
	for i, county := range provinceCounties {
		data := t.TempDir()
		wantCode(t, run(t, dsn, "gen", "--county", county, "--out", data, "--cases", "40", "--seed", strconv.Itoa(i+3), "--defects", "0", "--now", "2024-05-31"), 0)
		for _, kind := range []string{"regions", "floating", "resident", "cases"} {
			wantCode(t, run(t, dsn, "import", kind, filepath.Join(data, kind+".csv"), "--county", county), 0)
		}
		wantCode(t, run(t, dsn, "assign", "--auto", "--county", county), 0)
	}
	return dsn
}

// cells returns the numbers of a report row (line's fields after the name).
func cells(t *testing.T, out, name string) []int {
	t.Helper()
	f := strings.Fields(line(out, name))
	if len(f) < 3 {
		t.Fatalf("no %s row in\n%s", name, out)
	}
	a, _ := strconv.Atoi(f[1])
	b, _ := strconv.Atoi(f[2])
	return []int{a, b}
}

// TestProvinceReports: in one database of two counties, report progress
// --unit 41 rolls up province → city → county → township, and --county
// keeps to one county.
func TestProvinceReports(t *testing.T) {
	dsn := provinceDB(t)
	r := run(t, dsn, "report", "progress", "--unit", "41")
	wantCode(t, r, 0)
	province, zm, ws := cells(t, r.stdout, "河南省"), cells(t, r.stdout, "中牟县"), cells(t, r.stdout, "尉氏县")
	if zm[0] == 0 || ws[0] == 0 || province[0] != zm[0]+ws[0] || province[1] != zm[1]+ws[1] {
		t.Errorf("province %v is not 中牟县 %v + 尉氏县 %v:\n%s", province, zm, ws, r.stdout)
	}
	if city := cells(t, r.stdout, "郑州市"); city[0] != zm[0] {
		t.Errorf("郑州市 %v, 中牟县 %v", city, zm)
	}
	if i, j := strings.Index(r.stdout, "郑州市"), strings.Index(r.stdout, "中牟县"); i < 0 || j < i {
		t.Errorf("中牟县 is not under 郑州市:\n%s", r.stdout)
	}

	r = run(t, dsn, "report", "progress", "--county", "410223")
	wantCode(t, r, 0)
	if strings.Contains(r.stdout, "中牟县") || !slices.Equal(cells(t, r.stdout, "尉氏县"), ws) {
		t.Errorf("--county 410223:\n%s", r.stdout)
	}
	// A county the database does not serve has no cases.
	r = run(t, dsn, "cases", "list", "--county", "410224")
	if strings.Contains(r.stdout, "410223") || strings.Contains(r.stdout, "410122") {
		t.Errorf("--county 410224 lists cases of other counties:\n%s", r.stdout)
	}
}

// TestProvinceRollupOnOneCounty: on a database of one county (bbolt or
// PostgreSQL), a unit above it rolls up to that county.
func TestProvinceRollupOnOneCounty(t *testing.T) {
	db := reportCounty(t)
	r := run(t, db, "report", "progress", "--unit", "41")
	wantCode(t, r, 0)
	for _, row := range []string{"河南省", "郑州市", "中原区"} {
		if got := line(r.stdout, row); got != row+" 3 1 2 33.3% 1 0 0 0 0 0" {
			t.Errorf("%s row %q\n%s", row, got, r.stdout)
		}
	}
	if got := line(r.stdout, "undistributed"); got != "undistributed 1 0 1 0.0% 0 0 0 0 0 0" {
		t.Errorf("undistributed row %q", got)
	}
}

// TestCountyFlagOnBolt: a bbolt file holds one county, and --county must
// name it.
func TestCountyFlagOnBolt(t *testing.T) {
	countytest.Only(t, "bbolt", "a file serves one county")
	db := reportCounty(t)
	wantCode(t, run(t, db, "report", "progress", "--county", "410102"), 0)
	r := run(t, db, "report", "progress", "--county", "410103")
	wantCode(t, r, cli.ExitUsage)
	if !strings.Contains(r.stderr, "serves 410102, not 410103") {
		t.Errorf("stderr: %s", r.stderr)
	}
	r = run(t, db, "report", "progress", "--county", "4101")
	wantCode(t, r, cli.ExitUsage)
}

// startProvinceServe runs "serve" on db with args in the background until the
// test ends and returns its base URL.
// The servers speak plain HTTP: this is about scoping, not TLS.
func startProvinceServe(t *testing.T, db string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errb syncBuffer
	m := newTestMain(db, &out, &errb)
	done := make(chan int, 1)
	go func() {
		done <- cli.Execute(ctx, m, append([]string{"serve", "--addr", "127.0.0.1:0", "--insecure-http"}, args...))
	}()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("serve %v exited %d:\n%s", args, code, errb.String())
		}
	})
	// The line names what is served: the county, or every county of the
	// database (it once showed empty parentheses then).
	re := regexp.MustCompile(`serving on (http://\S+) \(([^)]*)\)`)
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if s := re.FindStringSubmatch(errb.String()); s != nil {
			if strings.TrimSpace(s[2]) == "" {
				t.Errorf("serve %v names nothing it serves: %q", args, s[0])
			}
			return s[1]
		}
	}
	t.Fatalf("serve %v did not start:\n%s", args, errb.String())
	return ""
}

// call sends one API request with token and decodes the answer into out;
// it returns the HTTP status.
func call(t *testing.T, method, url, token string, body, out any) int {
	t.Helper()
	var rd bytes.Buffer
	if body != nil {
		if err := json.NewEncoder(&rd).Encode(body); err != nil {
			t.Fatal(err)
		}
	}
	req, err := http.NewRequest(method, url, &rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Timeout: 20 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusOK && out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			t.Fatal(err)
		}
	}
	return resp.StatusCode
}

// TestProvinceServers: two serve processes on one province database, one
// scoped to 中牟县 and one serving every county. A township's token
// reaches its own township's cases only, on either; a result sent for
// another township's case is not applied; a cursor handed out by one
// process means the same on the other.
func TestProvinceServers(t *testing.T) {
	dsn := provinceDB(t)
	towns := map[string]hecha.Code{}
	tokens := map[string]string{}
	for _, county := range provinceCounties {
		s, err := postgresBackend(t).Open(dsn, countytest.Options{Now: testClock, StoredDivisions: true})
		if err != nil {
			t.Fatal(err)
		}
		cases, err := s.Cases(context.Background(), hecha.CaseFilter{})
		s.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			if c.Unit.Within(hecha.Code(county)) {
				towns[county] = c.Unit.At(hecha.LevelTownship)
				break
			}
		}
		r := run(t, dsn, "token", "create", "--township", string(towns[county]), "--county", county)
		wantCode(t, r, 0)
		tokens[county] = strings.TrimSpace(r.stdout)
	}
	if testing.Verbose() {
		t.Logf("townships %v", towns)
	}
	scoped := startProvinceServe(t, dsn, "--county", "410122", "--quiet")
	all := startProvinceServe(t, dsn, "--quiet")

	pull := func(base, county string, since uint64) (hsync.CasesResponse, int) {
		var page hsync.CasesResponse
		code := call(t, http.MethodGet, fmt.Sprintf("%s%s?since=%d&limit=1000", base, hsync.PathCases, since), tokens[county], nil, &page)
		return page, code
	}
	// Each token pulls its own township's cases, the same on both servers.
	zm, code := pull(scoped, "410122", 0)
	if code != http.StatusOK || len(zm.Cases) == 0 {
		t.Fatalf("pull of %s from the scoped server: %d, %d cases", towns["410122"], code, len(zm.Cases))
	}
	zm2, _ := pull(all, "410122", 0)
	if len(zm2.Cases) != len(zm.Cases) || zm2.Next != zm.Next {
		t.Errorf("the two servers answer %d cases up to %d and %d up to %d", len(zm.Cases), zm.Next, len(zm2.Cases), zm2.Next)
	}
	ws, code := pull(all, "410223", 0)
	if code != http.StatusOK || len(ws.Cases) == 0 {
		t.Fatalf("pull of %s: %d, %d cases", towns["410223"], code, len(ws.Cases))
	}
	for county, page := range map[string]hsync.CasesResponse{"410122": zm, "410223": ws} {
		for _, c := range page.Cases {
			if !c.Unit.Within(towns[county]) {
				t.Errorf("%s's pull holds case %s of %s", towns[county], c.ID, c.Unit)
			}
		}
	}
	// The server scoped to 中牟县 does not know 尉氏县's token.
	if _, code := pull(scoped, "410223", 0); code != http.StatusUnauthorized {
		t.Errorf("尉氏县's token on 中牟县's server: %d, want 401", code)
	}

	// A result for 尉氏县's case sent with 中牟县's token is not applied.
	victim := ws.Cases[0]
	res := hecha.Result{ID: hecha.NewResultID(testNow), CaseID: victim.ID, Form: hecha.FormR1, CaseRev: victim.Rev,
		Township: towns["410122"], Clerk: "王芳", SavedAt: testNow, NotFound: &hecha.NotFound{Reason: hecha.NotFoundDied}}
	for _, base := range []string{scoped, all} {
		var ans hsync.ResultsResponse
		if code := call(t, http.MethodPost, base+hsync.PathResults, tokens["410122"], hsync.ResultsRequest{Results: []hecha.Result{res}}, &ans); code != http.StatusOK {
			t.Fatalf("push: %d", code)
		}
		if len(ans.Outcomes) != 1 || ans.Outcomes[0].Status == hecha.ResultAccepted || ans.Outcomes[0].Status == hecha.ResultDuplicate {
			t.Errorf("a result for another township's case: %+v", ans.Outcomes)
		}
	}
	if page, _ := pull(all, "410223", ws.Next); len(page.Cases) != 0 {
		t.Errorf("尉氏县's township sees changes after a foreign result: %v", page.Cases)
	}

	// A cursor from one server is good on the other: nothing new, then a
	// change made through a third process shows on both.
	for _, base := range []string{scoped, all} {
		if page, _ := pull(base, "410122", zm.Next); len(page.Cases) != 0 || page.Next != zm.Next {
			t.Errorf("%s from %d: %d cases, next %d", base, zm.Next, len(page.Cases), page.Next)
		}
	}
	other := ""
	for _, c := range zm.Cases {
		if c.Unit.Level() == hecha.LevelVillage {
			other = c.ID
			break
		}
	}
	if other == "" {
		t.Logf("no case of %s is in a village: the cursor after a change is not tried", towns["410122"])
		return
	}
	wantCode(t, run(t, dsn, "assign", "--county", "410122", "--to", string(towns["410122"]), other), 0)
	for _, base := range []string{scoped, all} {
		page, _ := pull(base, "410122", zm.Next)
		if len(page.Cases) != 1 || page.Cases[0].ID != other || page.Next <= zm.Next {
			t.Errorf("%s after moving %s: %d cases, next %d (was %d)", base, other, len(page.Cases), page.Next, zm.Next)
		}
	}
}
