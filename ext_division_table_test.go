package hecha_test

import (
	"bytes"
	"errors"
	"fmt"
	"hecha"
	"hecha/codefile"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// smallTable loads testdata/regions_small.csv.
func smallTable(t testing.TB) *hecha.DivisionTable {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "regions_small.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tb := hecha.NewDivisionTable()
	if err := codefile.LoadDivisions(tb, f); err != nil {
		t.Fatal(err)
	}
	return tb
}

func divCodes(ds []hecha.Division) []hecha.Code {
	out := make([]hecha.Code, len(ds))
	for i, d := range ds {
		out[i] = d.Code
	}
	return out
}

func TestDivisionTableSmall(t *testing.T) {
	tb := smallTable(t)
	if tb.Len() != 19 {
		t.Errorf("Len = %d, want 19 (东莞 listed twice: the city and its own county-level row)", tb.Len())
	}
	if got := divCodes(tb.Children("4419")); !slices.Equal(got, []hecha.Code{"441900"}) {
		t.Errorf("Children(4419) = %v, want its own county-level entry", got)
	}
	if d, ok := tb.Lookup("410102001"); !ok || d.Name != "林山寨街道" {
		t.Errorf("Lookup(410102001) = %v, %v", d, ok)
	}
	if _, ok := tb.Lookup("410100"); ok {
		t.Error("Lookup of a padded code found something; codes are normalised")
	}
	if got := divCodes(tb.Children("")); !slices.Equal(got, []hecha.Code{"11", "41", "44"}) {
		t.Errorf("Children(\"\") = %v", got)
	}
	if got := divCodes(tb.Children("41")); !slices.Equal(got, []hecha.Code{"4101", "4190"}) {
		t.Errorf("Children(41) = %v", got)
	}
	if got := divCodes(tb.Children("4101")); !slices.Equal(got, []hecha.Code{"410102", "410103", "410171"}) {
		t.Errorf("Children(4101) = %v", got)
	}
	if got := tb.Children("410103"); len(got) != 0 {
		t.Errorf("Children(410103) = %v", got)
	}
	if got := divCodes(tb.Path("410102001002")); !slices.Equal(got, []hecha.Code{"41", "4101", "410102", "410102001", "410102001002"}) {
		t.Errorf("Path = %v", got)
	}
	for c, want := range map[hecha.Code]string{
		"410102001":    "河南省/郑州市/中原区/林山寨街道",
		"410102001002": "河南省/郑州市/中原区/林山寨街道/林山村民委员会",
		"410102009":    "河南省/郑州市/中原区/410102009",
		"419001":       "河南省/省直辖县级行政区划/济源市",
		"4419":         "广东省/东莞市",
		"441900":       "广东省/东莞市",
		"520102":       "520102",
		"":             "",
	} {
		if got := tb.FullName(c); got != want {
			t.Errorf("FullName(%s) = %q, want %q", c, got, want)
		}
	}
	all := divCodes(tb.All())
	if len(all) != tb.Len() || !slices.IsSorted(all) {
		t.Errorf("All not sorted or incomplete: %v", all)
	}
}

func TestDivisionTableAdd(t *testing.T) {
	tb := hecha.NewDivisionTable()
	// Out of order: the village first, then its ancestors; it must end under its township.
	for _, d := range []hecha.Division{{Code: "410102001001", Name: " 百花社区 "}, {Code: "41", Name: "河南省"}, {Code: "410102001", Name: "林山寨街道"}, {Code: "410102", Name: "中原区"}, {Code: "410100", Name: "郑州市"}} {
		if err := tb.Add(d); err != nil {
			t.Fatalf("Add(%v): %v", d, err)
		}
	}
	if d, _ := tb.Lookup("410102001001"); d.Name != "百花社区" {
		t.Errorf("name not trimmed: %q", d.Name)
	}
	if got := divCodes(tb.Children("41")); !slices.Equal(got, []hecha.Code{"4101"}) {
		t.Errorf("Children(41) = %v", got)
	}
	if got := divCodes(tb.Children("410102001")); !slices.Equal(got, []hecha.Code{"410102001001"}) {
		t.Errorf("Children(410102001) = %v", got)
	}
	if got := divCodes(tb.Children("")); !slices.Equal(got, []hecha.Code{"41"}) {
		t.Errorf("Children(\"\") = %v", got)
	}
	if err := tb.Add(hecha.Division{Code: "410102", Name: "中原新区"}); err != nil {
		t.Fatal(err)
	}
	if tb.FullName("410102") != "河南省/郑州市/中原新区" || tb.Len() != 5 {
		t.Errorf("rename: %s, Len %d", tb.FullName("410102"), tb.Len())
	}
	if got := tb.Search("zhongyuanxin", "", 0); len(got) != 1 {
		t.Errorf("search after rename: %v", got)
	}
	for _, tt := range []struct {
		d     hecha.Division
		field string
	}{{hecha.Division{Code: "4101x", Name: "x"}, "code"}, {hecha.Division{Code: "", Name: "x"}, "code"}, {hecha.Division{Code: "410103", Name: "  "}, "name"}, {hecha.Division{Code: "410103", Name: "二七\x1b[2J"}, "name"}} {
		err := tb.Add(tt.d)
		if hecha.ErrorCode(err) != hecha.EINVALID || hecha.ErrorField(err) != tt.field {
			t.Errorf("Add(%q): %v, want invalid %s", tt.d, err, tt.field)
		}
	}
	var zero hecha.DivisionTable
	if err := zero.Add(hecha.Division{Code: "41", Name: "河南省"}); err != nil || zero.Len() != 1 {
		t.Errorf("zero table: %v", err)
	}
}

func TestDivisionLoadFormats(t *testing.T) {
	tb := hecha.NewDivisionTable()
	files := []string{
		"代码,名称,上级代码,级别\n410000,河南省,,省\n410100,郑州市,410000,市\n410102,中原区,410100,县\n",
		"code,name,county_code\n410102001,林山寨街道,410102\n",
		"\ufeffcode,name,township_code\r\n410102001001,百花社区居民委员会,410102001\r\n\r\n",
		"name,code\n二七区,410103\n", // columns in any order, parent and level optional
	}
	for i, f := range files {
		if err := codefile.LoadDivisions(tb, strings.NewReader(f)); err != nil {
			t.Fatalf("file %d: %v", i, err)
		}
	}
	if tb.Len() != 6 || tb.FullName("410102001001") != "河南省/郑州市/中原区/林山寨街道/百花社区居民委员会" {
		t.Errorf("Len %d, FullName %s", tb.Len(), tb.FullName("410102001001"))
	}
}

func TestDivisionLoadErrors(t *testing.T) {
	in := "code,name,parent_code,level\n" +
		"410000,河南省,,province\n" + // 2 good
		"41010x,坏,410000,city\n" + // 3 bad code
		"410100,,410000,city\n" + // 4 empty name
		"410100,郑州市,420000,city\n" + // 5 parent not above
		"410102,中原区,410100,city\n" + // 6 level does not fit
		"410103,二七区,410100\n" + // 7 columns
		"410104,管城回族区,410100,county\n" + // 8 good
		"410105,金水区,410100,town\"ship\n" + // 9 bare quote
		"410106,上街区,410100,state\n" + // 10 unknown level
		"410108,惠济区,410100,county\n" // 11 good
	tb := hecha.NewDivisionTable()
	err := codefile.LoadDivisions(tb, strings.NewReader(in))
	var errs hecha.Errors
	if !errors.As(err, &errs) {
		t.Fatalf("Load: %v, want Errors", err)
	}
	want := []struct {
		line  int
		field string
		msgID string
	}{
		{3, "code", "division.row.code"},
		{4, "name", "division.row.name"},
		{5, "parent_code", "division.row.parent"},
		{6, "level", "division.row.level"},
		{7, "code", "division.row.columns"},
		{9, "code", "division.row.csv"},
		{10, "level", "division.row.level"},
	}
	if len(errs) != len(want) {
		t.Fatalf("%d errors, want %d: %v", len(errs), len(want), errs)
	}
	for i, w := range want {
		e := errs[i]
		if e.Code != hecha.EINVALID || e.Field != w.field || e.MsgID != w.msgID || e.Args[0] != w.line {
			t.Errorf("error %d = %+v, want line %d %s %s", i, e, w.line, w.field, w.msgID)
		}
		if msg := e.Message(hecha.Chinese); !strings.Contains(msg, "第 "+itoa(w.line)+" 行") {
			t.Errorf("message %q does not name the line", msg)
		}
	}
	if got := divCodes(tb.All()); !slices.Equal(got, []hecha.Code{"41", "410104", "410108"}) {
		t.Errorf("good rows loaded: %v", got)
	}
	for _, bad := range []string{"", "foo,bar\n1,2\n", "code,code,name\n", "code,name,valid_from_year,valid_to_year\n410000,河南省,,\n", "name\n河南省\n"} {
		tb := hecha.NewDivisionTable()
		err := codefile.LoadDivisions(tb, strings.NewReader(bad))
		if e := hecha.AsErrors(err); len(e) != 1 || e[0].MsgID != "division.header" || tb.Len() != 0 {
			t.Errorf("Load(%q) = %v, Len %d; want division.header", bad, err, tb.Len())
		}
	}
}

func TestDivisionSearchSmall(t *testing.T) {
	tb := smallTable(t)
	tests := []struct {
		query  string
		within hecha.Code
		limit  int
		want   []hecha.Code
	}{
		{"410102", "", 0, []hecha.Code{"410102", "410102001", "410102002", "410102001001", "410102001002"}},
		{"410100", "", 0, []hecha.Code{"4101"}},                   // padded: the city exactly
		{"4101", "", 3, []hecha.Code{"4101", "410102", "410103"}}, // exact first, then by level
		{"林山", "", 0, []hecha.Code{"410102001", "410102001002"}},
		{"林山", "410102001", 0, []hecha.Code{"410102001", "410102001002"}},
		{"lsz", "", 0, []hecha.Code{"410102001"}},
		{"LinShan", "", 0, []hecha.Code{"410102001", "410102001002"}},
		{"lin shan", "", 0, []hecha.Code{"410102001", "410102001002"}},
		{"shanzhai", "", 0, []hecha.Code{"410102001"}},
		{"郑州", "", 0, []hecha.Code{"4101", "410171"}}, // name prefix, then substring by level
		{"zz", "", 0, []hecha.Code{"4101", "410171"}}, // 郑州经济技术开发区: zzjjjskfq
		{"中原", "44", 0, nil},
		{"44", "41", 0, nil},
		{"jiyuan", "41", 0, []hecha.Code{"419001"}},
		{"nobody", "", 0, nil},
		{"", "4101", 0, []hecha.Code{"410102", "410103", "410171"}},
		{"", "", 2, []hecha.Code{"11", "41"}},
	}
	for _, tt := range tests {
		got := divCodes(tb.Search(tt.query, tt.within, tt.limit))
		if !slices.Equal(got, tt.want) {
			t.Errorf("Search(%q, %q, %d) = %v, want %v", tt.query, tt.within, tt.limit, got, tt.want)
		}
	}
	// Ranking: a name prefix beats a pinyin prefix beats a substring.
	rt := hecha.NewDivisionTable()
	for _, d := range []hecha.Division{{Code: "41", Name: "河南省"}, {Code: "410101", Name: "山城区"}, {Code: "410102", Name: "中山区"}, {Code: "410103", Name: "山阳区"}, {Code: "410104", Name: "杉林区"}} {
		rt.Add(d)
	}
	if got := divCodes(rt.Search("山", "", 0)); !slices.Equal(got, []hecha.Code{"410101", "410103", "410102"}) {
		t.Errorf("Search(山) = %v", got)
	}
	if got := divCodes(rt.Search("shan", "", 0)); !slices.Equal(got, []hecha.Code{"410101", "410103", "410104", "410102"}) {
		t.Errorf("Search(shan) = %v", got)
	}
}

func TestDivisionCheck(t *testing.T) {
	tb := smallTable(t)
	tests := []struct {
		c     hecha.Code
		min   hecha.Level
		msgID string
	}{
		{"410102001", hecha.LevelTownship, ""},
		{"410102001001", hecha.LevelTownship, ""},
		{"410102", hecha.LevelCounty, ""},
		{"41", hecha.LevelProvince, ""},
		{"", hecha.LevelCounty, "division.required"},
		{"41010", hecha.LevelCounty, "division.format"},
		{"410102", hecha.LevelTownship, "division.level.township"},
		{"4101", hecha.LevelCounty, "division.level.county"},
		{"410199", hecha.LevelCounty, "division.unknown"},
		{"520102", hecha.LevelCounty, "division.unknown"},
		// Townships are loaded under 中原区: an unknown one is an error.
		{"410102099", hecha.LevelCounty, "division.unknown"},
		{"410102001099", hecha.LevelTownship, "division.unknown"},
		// None under 二七区 or 南山区: only the county is checked.
		{"410103001", hecha.LevelCounty, ""},
		{"440305001", hecha.LevelTownship, ""},
		{"440305001001", hecha.LevelVillage, ""},
		{"440399001", hecha.LevelTownship, "division.unknown"},
		// 东莞 has no counties; its townships hang under the city.
		{"441900003", hecha.LevelTownship, ""},
	}
	for _, tt := range tests {
		err := tb.Check("destination", tt.c, tt.min)
		if tt.msgID == "" {
			if err != nil {
				t.Errorf("Check(%s, %v): %v", tt.c, tt.min, err)
			}
			continue
		}
		e := hecha.AsErrors(err)
		if len(e) != 1 || e[0].Code != hecha.EINVALID || e[0].Field != "destination" || e[0].MsgID != tt.msgID {
			t.Errorf("Check(%s, %v) = %v, want %s", tt.c, tt.min, err, tt.msgID)
		}
	}
	if msg := hecha.ErrorMessage(tb.Check("destination", "410102", hecha.LevelTownship), hecha.Chinese); !strings.Contains(msg, "至少要到乡级") {
		t.Errorf("level message %q", msg)
	}
	// What Check accepts without the table knowing it is "unchecked": a
	// township or village under a county whose subdivisions are not loaded
	// (another province's, a bride's new home).
	for c, want := range map[hecha.Code]bool{"440305001": true, "440305001001": true, "441900003": true,
		"410102001": false, "440305": false, "440399001": false, "410102099": false, "": false} {
		if got := tb.Unchecked(c); got != want {
			t.Errorf("Unchecked(%q) = %v, want %v", c, got, want)
		}
	}
	var none *hecha.DivisionTable
	if none.Unchecked("440305001") {
		t.Error("nil table: Unchecked")
	}
	if err := none.Check("d", "410102099", hecha.LevelTownship); err != nil {
		t.Errorf("nil table: %v", err)
	}
	if err := none.Check("d", "4101", hecha.LevelTownship); err == nil {
		t.Error("nil table accepted a city for township level")
	}
}

func TestCheckIDArea(t *testing.T) {
	tb := smallTable(t)
	// Without a historic table: any code whose province is known.
	for _, a := range []hecha.Code{"410102", "410199", "4101", "110105", "419001"} {
		if err := tb.CheckIDArea("citizen_id", a); err != nil {
			t.Errorf("CheckIDArea(%s): %v", a, err)
		}
	}
	for _, a := range []hecha.Code{"520102", "", "410102001"} {
		err := tb.CheckIDArea("citizen_id", a)
		if e := hecha.AsErrors(err); len(e) != 1 || e[0].MsgID != "id.area" || e[0].Field != "citizen_id" {
			t.Errorf("CheckIDArea(%s) = %v, want id.area", a, err)
		}
	}
	hist := "code,name,valid_from_year,valid_to_year\n410000,河南省,,\n410100,郑州市,,\n410102,中原区,1983,\n410107,新密区,1983,1987\n"
	if err := codefile.LoadHistoric(tb, strings.NewReader(hist)); err != nil {
		t.Fatal(err)
	}
	for _, a := range []hecha.Code{"410102", "410107", "410103", "4101", "110105", "440399"} {
		if err := tb.CheckIDArea("citizen_id", a); err != nil {
			t.Errorf("with history: CheckIDArea(%s): %v", a, err)
		}
	}
	for a, want := range map[hecha.Code]string{"410102": "河南省/郑州市/中原区", "410107": "新密区", "410199": ""} {
		if got, ok := tb.AreaName(a); got != want || ok != (want != "") {
			t.Errorf("AreaName(%s) = %q, %v; want %q", a, got, ok, want)
		}
	}
	// 410199 is made up, 410171 is an NBS development zone, 520102's province is unknown.
	for _, a := range []hecha.Code{"410199", "410171", "520102"} {
		if err := tb.CheckIDArea("citizen_id", a); hecha.ErrorCode(err) != hecha.EINVALID {
			t.Errorf("with history: CheckIDArea(%s) = %v, want invalid", a, err)
		}
	}
}

func TestLoadHistoricErrors(t *testing.T) {
	tb := hecha.NewDivisionTable()
	err := codefile.LoadHistoric(tb, strings.NewReader("code,name,valid_from_year,valid_to_year\n410102,中原区,83,\n410102001,街道,,\n,x,,\n410103,二七区,1983,\n"))
	e := hecha.AsErrors(err)
	if len(e) != 3 || e[0].MsgID != "division.row.year" || e[0].Field != "valid_from_year" || e[1].MsgID != "division.row.county_level" || e[2].MsgID != "division.row.code" {
		t.Fatalf("errors %v", err)
	}
	if err := tb.CheckIDArea("id", "410103"); err != nil {
		t.Errorf("historic 410103: %v", err)
	}
	if err := codefile.LoadHistoric(tb, strings.NewReader("code,name,parent_code,level\n")); hecha.AsErrors(err)[0].MsgID != "division.header" {
		t.Errorf("wrong header: %v", err)
	}
}

func TestWriteDivisionsRoundTrip(t *testing.T) {
	tb := smallTable(t)
	var buf bytes.Buffer
	if err := codefile.WriteDivisions(&buf, tb); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), "code,name,parent_code,level\n110000,北京市,,province\n") ||
		!strings.Contains(buf.String(), "\n410102001,林山寨街道,410102,township\n") ||
		!strings.Contains(buf.String(), "\n410102001001,百花社区居民委员会,410102001,village\n") ||
		!strings.Contains(buf.String(), "\n419001,济源市,419000,county\n") {
		t.Errorf("unexpected CSV:\n%s", buf.String())
	}
	assertSameTable(t, tb, buf.Bytes())
}

// assertSameTable loads b into a new table and compares it with tb, and
// checks that writing it again gives b.
func assertSameTable(t *testing.T, tb *hecha.DivisionTable, b []byte) {
	t.Helper()
	back := hecha.NewDivisionTable()
	if err := codefile.LoadDivisions(back, bytes.NewReader(b)); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(tb.All(), back.All()) {
		t.Fatal("All differs after the round trip")
	}
	for _, d := range append(tb.All(), hecha.Division{}) {
		if !slices.Equal(tb.Children(d.Code), back.Children(d.Code)) {
			t.Fatalf("Children(%s) differ", d.Code)
		}
	}
	var again bytes.Buffer
	codefile.WriteDivisions(&again, back)
	if !bytes.Equal(again.Bytes(), b) {
		t.Error("writing the loaded table again gives other bytes")
	}
}

// TestDivisionTableConcurrent reads while another goroutine loads; run
// with -race.
func TestDivisionTableConcurrent(t *testing.T) {
	tb := smallTable(t)
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				tb.Search("lsz", "", 5)
				tb.Lookup("410102")
				tb.Children("41")
				tb.FullName("410102001001")
				tb.Check("d", "410102001", hecha.LevelTownship)
				tb.CheckIDArea("d", "410102")
			}
		}()
	}
	for i := 0; i < 50; i++ {
		tb.Add(hecha.Division{Code: hecha.Code(fmt.Sprintf("410103%03d", i+1)), Name: fmt.Sprintf("街道%d", i)})
		if i%10 == 0 {
			codefile.LoadDivisions(tb, strings.NewReader("code,name,county_code\n410105001,某街道,410105\n"))
		}
	}
	wg.Wait()
	if got := len(tb.Children("410103")); got != 50 {
		t.Errorf("Children(410103) = %d, want 50", got)
	}
}

// TestDivisionSearchHeteronyms: a place name with a character of several
// readings is found by any of them (中牟县: zhongmou and zhongmu).
func TestDivisionSearchHeteronyms(t *testing.T) {
	tb := hecha.NewDivisionTable()
	for _, d := range []hecha.Division{{Code: "41", Name: "河南省"}, {Code: "4101", Name: "郑州市"}, {Code: "410122", Name: "中牟县"}, {Code: "410122001", Name: "青年路街道"}} {
		if err := tb.Add(d); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []string{"zhongmou", "zhongmu", "zhong mu", "zmx", "mux"} {
		if got := divCodes(tb.Search(q, "", 0)); !slices.Equal(got, []hecha.Code{"410122"}) {
			t.Errorf("Search(%q) = %v, want [410122]", q, got)
		}
	}
}
