package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"hecha"
	"hecha/cmd/internal/cli"
	"hecha/internal/countytest"
)

// testNow is the fixed clock of the tests; the fixtures' dates lie before it.
var testNow = time.Date(2024, 6, 1, 9, 30, 0, 0, time.UTC)

// testClock always reads testNow.
func testClock() time.Time { return testNow }

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
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

// result is what one run of the program left behind.
type result struct {
	stdout, stderr string
	code           int
}

// run runs hecha-county with args against the database db, in English
// unless args say otherwise, and returns its output and exit status.
func run(t testing.TB, db string, args ...string) result {
	t.Helper()
	return runCtx(context.Background(), t, db, args...)
}

func runCtx(ctx context.Context, t testing.TB, db string, args ...string) result {
	t.Helper()
	var out, errb syncBuffer
	m := newTestMain(db, &out, &errb)
	code := cli.Execute(ctx, m, args)
	return result{out.String(), errb.String(), code}
}

// newTestMain returns a Main on db with a fixed clock, 80 columns and an
// English environment.
func newTestMain(db string, out, errb *syncBuffer) *Main {
	m := NewMain()
	m.Stdout, m.Stderr, m.Stdin = out, errb, strings.NewReader("")
	env := map[string]string{cli.CountyDBEnv: db, "LANG": "en_US.UTF-8", "USER": "tester"}
	m.Getenv = func(k string) string { return env[k] }
	m.Now = func() time.Time { return testNow }
	m.Width = 80
	m.Lang = hecha.English
	m.LangFlag = "en"
	return m
}

// wantCode fails the test when r's exit status is not code.
func wantCode(t testing.TB, r result, code int) {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, code, r.stdout, r.stderr)
	}
}

// citizenID makes a valid ID number for a birth date and sex (1 male, 2
// female) with the area code area and sequence seq.
func citizenID(area, birth string, seq int, sex string) string {
	n := seq*2 + 1 // odd: male
	if sex == "2" {
		n = seq * 2
	}
	first := fmt.Sprintf("%s%s%03d", area, strings.ReplaceAll(birth, "-", ""), n%1000)
	return first + string(hecha.IDCheckDigit(first))
}

// fixture is a small county: 中原区 with two townships and a village,
// and two other provinces for current addresses.
type fixture struct {
	dir                                string
	regions, cases, resident, floating string
	idZhang, idLi, idWang              string
}

const regionsCSV = `code,name,parent_code,level
410000,河南省,,province
410100,郑州市,410000,city
410102,中原区,410100,county
410102001,林山寨街道,410102,township
410102002,建设路街道,410102,township
410102001001,建设路社区,410102001,village
310000,上海市,,province
310100,市辖区,310000,city
310101,黄浦区,310100,county
440000,广东省,,province
440100,广州市,440000,city
440103,荔湾区,440100,county
`

// newFixture writes the fixture's files into a temporary folder.
func newFixture(t testing.TB) *fixture {
	t.Helper()
	f := &fixture{dir: t.TempDir()}
	f.idZhang = citizenID("410102", "1985-03-12", 1, "1")
	f.idLi = citizenID("410102", "1990-07-01", 2, "2")
	f.idWang = citizenID("410102", "1978-11-20", 3, "1")
	bad := f.idWang[:17] + map[bool]string{true: "0", false: "1"}[f.idWang[17] != '0']
	f.regions = f.write(t, "regions.csv", regionsCSV)
	f.cases = f.write(t, "cases.csv", strings.Join([]string{
		"个案编号,个案类型,姓名,性别,现居住地地址,现居住地行政区划,户籍所在地地址,户籍地行政区划,公民身份证号,出生日期,流出日期",
		"C001,跨省流出,张三,男,上海市黄浦区南京东路1号,310101,林山寨街道1号,410102001," + f.idZhang + ",1985-03-12,2015-04-01",
		"C002,1,李四,2,上海市黄浦区南京东路2号,310101000000,建设路街道2号,410102002000," + f.idLi + ",19900701,2016-05-01",
		"C003,跨省流出,王五,男,广州市荔湾区3号,440103,建设路社区3号,410102001001," + f.idWang + ",1978-11-20,2010-01-01",
		"C004,跨省流出,赵六,男,广州市荔湾区4号,440103,林山寨街道4号,410102001," + bad + ",1978-11-20,2010-01-01",
		"C001,跨省流出,张三,男,上海市黄浦区南京东路1号,310101,林山寨街道1号,410102001," + f.idZhang + ",1985-03-12,2015-04-01",
		"C005,跨省流出,钱七,女,广州市荔湾区5号,440103,中原区5号,410102," + citizenID("410102", "1992-02-02", 5, "2") + ",1992-02-02,2018-01-01",
	}, "\n")+"\n")
	f.floating = f.write(t, "floating.csv", strings.Join([]string{
		"人员编号,姓名,性别,出生日期,公民身份证号,户籍地行政区划,流入地行政区划,流入日期",
		"F001,张三,男,1985-03-12," + f.idZhang + ",410102001,310101,2015-04-10",
	}, "\n")+"\n")
	f.resident = f.write(t, "resident.csv", strings.Join([]string{
		"人员编号,姓名,性别,出生日期,公民身份证号,户籍地行政区划,流出日期,流出地行政区划",
		"R001,李四,女,1990-07-01," + f.idLi + ",410102002,2016-05-01,440103",
		"R002,王五,男,1978-11-20," + f.idWang + ",410102001001,,",
	}, "\n")+"\n")
	return f
}

func (f *fixture) write(t testing.TB, name, content string) string {
	t.Helper()
	p := filepath.Join(f.dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// loadedCounty imports the fixture into a new database and returns its path.
func loadedCounty(t testing.TB, f *fixture) string {
	t.Helper()
	db := countytest.New(t)
	wantCode(t, run(t, db, "import", "regions", f.regions), 0)
	wantCode(t, run(t, db, "import", "floating", f.floating), 0)
	wantCode(t, run(t, db, "import", "resident", f.resident), 0)
	wantCode(t, run(t, db, "import", "cases", f.cases), cli.ExitFailure)
	return db
}
