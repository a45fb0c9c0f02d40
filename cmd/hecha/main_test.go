package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"hecha"
	"hecha/cmd/internal/cli"
	"hecha/codefile"
	"hecha/internal/countytest"
	hsync "hecha/sync"
)

// testNow is the tests' fixed clock.
var testNow = time.Date(2024, 6, 1, 9, 30, 0, 0, time.UTC)

// testClock always reads testNow.
func testClock() time.Time { return testNow }

// syncBuffer is a bytes.Buffer safe for concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type result struct {
	stdout, stderr string
	code           int
}

// run runs hecha with args on the township database db, in English, with
// a client that tries each request once.
func run(t *testing.T, db string, args ...string) result {
	t.Helper()
	var out, errb syncBuffer
	m := newTestMain(db, &out, &errb)
	code := cli.Execute(context.Background(), m, args)
	return result{out.String(), errb.String(), code}
}

func newTestMain(db string, out, errb *syncBuffer) *Main {
	m := NewMain()
	m.Stdout, m.Stderr, m.Stdin = out, errb, strings.NewReader("")
	env := map[string]string{cli.TownshipDBEnv: db, "LANG": "en_US.UTF-8"}
	m.Getenv = func(k string) string { return env[k] }
	m.Now = func() time.Time { return testNow }
	m.ClientOptions = []hsync.ClientOption{hsync.WithRetry(1, time.Millisecond, time.Millisecond), hsync.WithTimeout(5 * time.Second)}
	return m
}

func wantCode(t *testing.T, r result, code int) {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, code, r.stdout, r.stderr)
	}
}

const regionsCSV = `code,name,parent_code,level
410000,河南省,,province
410100,郑州市,410000,city
410102,中原区,410100,county
410102001,林山寨街道,410102,township
410102002,建设路街道,410102,township
310000,上海市,,province
310100,市辖区,310000,city
310101,黄浦区,310100,county
`

// county is an in-process county server with two cases assigned to
// 林山寨街道 and a token for it.
type county struct {
	db     hecha.CountyStore
	srv    *httptest.Server // HTTPS
	fp     string           // the fingerprint of srv's certificate
	cert   []byte           // srv's certificate, PEM
	token  string
	tokID  string
	rules  *hecha.Rules
	region string // the regions file
}

func newCounty(t *testing.T) *county {
	t.Helper()
	dir := t.TempDir()
	table := hecha.NewDivisionTable()
	if err := codefile.LoadDivisions(table, strings.NewReader(regionsCSV)); err != nil {
		t.Fatal(err)
	}
	c := &county{rules: &hecha.Rules{Divisions: table, Now: func() time.Time { return testNow }}}
	c.region = filepath.Join(dir, "regions.csv")
	if err := cli.WriteFileAtomic(c.region, func(w io.Writer) error { return codefile.WriteDivisions(w, table) }); err != nil {
		t.Fatal(err)
	}
	// The county runs on the backend the county suites run on
	// (HECHA_COUNTY_BACKEND): the township must sync alike with both.
	be := countytest.Selected(t)
	db, err := be.Open(be.New(t), countytest.Options{Rules: c.rules, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	c.db = db
	ctx := context.Background()
	if err := db.SetCounty(ctx, "410102"); err != nil {
		t.Fatal(err)
	}
	cases := []hecha.Case{testCase("C001", "张三", "1985-03-12", 1), testCase("C002", "李明", "1990-07-01", 2)}
	if _, err := db.ImportCases(ctx, cases); err != nil {
		t.Fatal(err)
	}
	if err := db.Assign(ctx, []string{"C001", "C002"}, "410102001", "test"); err != nil {
		t.Fatal(err)
	}
	secret, tok, err := db.CreateToken(ctx, "410102001")
	if err != nil {
		t.Fatal(err)
	}
	c.token, c.tokID = secret, tok.ID
	// The county server speaks TLS with a certificate of its own making,
	// as hecha-county serve does; setup pins its fingerprint c.fp.
	certPEM, keyPEM, err := hsync.NewCertificate([]string{"127.0.0.1"}, testNow)
	if err != nil {
		t.Fatal(err)
	}
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	c.cert = certPEM
	if c.fp, err = hsync.PEMFingerprint(certPEM); err != nil {
		t.Fatal(err)
	}
	c.srv = httptest.NewUnstartedServer(c.handler())
	c.srv.TLS = &tls.Config{Certificates: []tls.Certificate{pair}}
	c.srv.StartTLS()
	t.Cleanup(c.srv.Close)
	return c
}

// handler is the county's sync API.
func (c *county) handler() http.Handler {
	return hsync.NewServer(c.db, hsync.WithClock(testClock), hsync.WithRateLimit(0, 0)).Handler()
}

// testCase is a valid cross-province case of a man living in 黄浦区.
func testCase(id, name, birth string, seq int) hecha.Case {
	first := fmt.Sprintf("410102%s%03d", strings.ReplaceAll(birth, "-", ""), seq*2+1)
	d, _ := hecha.ParseDate("", birth)
	return hecha.Case{
		ID: id, Kind: hecha.KindCrossProvince,
		Person: hecha.Person{
			Name: name, Sex: hecha.SexMale, BirthDate: d,
			CitizenID:         first + string(hecha.IDCheckDigit(first)),
			HouseholdDivision: "410102001", HouseholdAddress: "林山寨街道1号",
			CurrentDivision: "310101", CurrentAddress: "上海市黄浦区南京东路1号",
		},
	}
}
