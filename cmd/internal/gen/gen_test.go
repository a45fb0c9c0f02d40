package gen

import (
	"bytes"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"hecha"
	"hecha/internal/testenv"
	"hecha/sheet"
)

// testNow is the fixed moment of the generated data sets.
var testNow = time.Date(2024, 6, 30, 15, 0, 0, 0, time.UTC)

func testRules(t *hecha.DivisionTable) *hecha.Rules {
	return &hecha.Rules{Divisions: t, Now: func() time.Time { return testNow }}
}

func mustGenerate(tb testing.TB, cfg Config) *Dataset {
	tb.Helper()
	if cfg.Now.IsZero() {
		cfg.Now = testNow
	}
	ds, err := Generate(cfg)
	if err != nil {
		tb.Fatalf("Generate(%+v): %v", cfg, err)
	}
	return ds
}

// readShared reads code → name from the shared CSV files, codes
// normalised as ParseCode does.
func readShared(t *testing.T) map[hecha.Code]string {
	t.Helper()
	names := map[hecha.Code]string{}
	dir := testenv.SharedData(t, "regions")
	for _, f := range []string{"china_counties.csv", "henan_counties.csv", "henan_townships.csv", "henan_villages.csv"} {
		data, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\uFEFF")))).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, row := range rows[1:] {
			c, err := hecha.ParseCode("code", row[0])
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			names[c] = row[1]
		}
	}
	return names
}

func TestBuiltinMatchesSharedData(t *testing.T) {
	shared := readShared(t)
	for _, d := range builtinDivisions {
		if got, ok := shared[hecha.Code(d.code)]; !ok || got != d.name {
			t.Errorf("built-in %s %s: shared data has %q (present %v)", d.code, d.name, got, ok)
		}
	}
	if n := len(builtinDestinations()); n < 35 {
		t.Errorf("%d destination counties, want about 40", n)
	}
}

func TestBuiltinTable(t *testing.T) {
	tb := Builtin()
	if tb.Len() != len(builtinDivisions) {
		t.Errorf("table holds %d divisions, the literal %d", tb.Len(), len(builtinDivisions))
	}
	for _, c := range []hecha.Code{"410122", "410223", "411721", "410105"} {
		if towns := tb.Children(c); len(towns) < 10 {
			t.Errorf("%s has %d townships", c, len(towns))
		}
	}
}

// TestGenerateValid checks that every record passes validation except the
// defective cases, which each fail it; with the built-in table and the
// full one (which needs ../shared/data).
func TestGenerateValid(t *testing.T) {
	cfgs := map[string]Config{
		"builtin":       {Cases: 3000, Seed: 1, DefectRate: 0.05},
		"west county":   {County: "411721", Townships: 5, Cases: 500, Seed: 2},
		"urban":         {County: "410105", Cases: 300, Seed: 3},
		"tiny no fault": {Cases: 7, Seed: 4, DefectRate: -1},
		"earliest now":  {Cases: 300, Seed: 10, Now: time.Date(MinYear, 1, 1, 0, 0, 0, 0, time.UTC)},
		"latest now":    {Cases: 300, Seed: 11, Now: time.Date(MaxYear, 12, 31, 23, 0, 0, 0, time.UTC)},
	}
	for name, cfg := range cfgs {
		t.Run(name, func(t *testing.T) { checkGenerated(t, cfg) })
	}
	t.Run("full table", func(t *testing.T) {
		full, err := sheet.LoadDivisionDir(testenv.SharedData(t, "regions"))
		if err != nil {
			t.Fatalf("LoadDivisionDir: %v", err)
		}
		for name, cfg := range map[string]Config{
			"county":           {County: "410523", Cases: 1000, Seed: 5, Divisions: full},
			"development zone": {County: "410173", Cases: 200, Seed: 6, Divisions: full},
		} {
			t.Run(name, func(t *testing.T) { checkGenerated(t, cfg) })
		}
	})
}

// checkGenerated generates the data of cfg and checks it as
// TestGenerateValid says.
func checkGenerated(t *testing.T, cfg Config) {
	ds := mustGenerate(t, cfg)
	r := testRules(ds.Divisions)
	if !cfg.Now.IsZero() {
		r.Now = func() time.Time { return cfg.Now }
	}
	for i := range ds.Cases {
		c := &ds.Cases[i]
		err := c.Validate(r)
		defect, bad := ds.Defective[c.ID]
		switch {
		case bad && err == nil:
			t.Errorf("case %s with defect %s passes validation", c.ID, defect)
		case !bad && err != nil:
			t.Errorf("case %s: %v", c.ID, err)
		}
	}
	for i := range ds.Resident {
		if err := ds.Resident[i].Validate(r); err != nil {
			t.Errorf("resident %s: %v", ds.Resident[i].ID, err)
		}
	}
	for i := range ds.Floating {
		if err := ds.Floating[i].Validate(r); err != nil {
			t.Errorf("floating %s: %v", ds.Floating[i].ID, err)
		}
	}
	rate := cfg.DefectRate
	if rate == 0 {
		rate = DefaultDefectRate
	}
	if want := int(math.Round(math.Max(rate, 0) * float64(cfg.Cases))); len(ds.Defective) != want {
		t.Errorf("%d defective cases, want %d", len(ds.Defective), want)
	}
	if cfg.Townships > 0 {
		towns := map[hecha.Code]bool{}
		for i := range ds.Resident {
			towns[ds.Resident[i].HouseholdDivision.At(hecha.LevelTownship)] = true
		}
		if len(towns) > cfg.Townships {
			t.Errorf("people live in %d townships, want at most %d", len(towns), cfg.Townships)
		}
	}
}

// TestGenerateMix feeds the cases through hecha.Compare and checks that
// the results and kinds come out in the designed proportions.
func TestGenerateMix(t *testing.T) {
	ds := mustGenerate(t, Config{Cases: 4000, Seed: 7})
	reg := hecha.NewMemRegistry()
	for _, f := range ds.Floating {
		reg.AddFloating(f)
	}
	for _, r := range ds.Resident {
		reg.AddResident(r)
	}
	forms := map[hecha.Form]int{}
	kinds := map[hecha.Kind]int{}
	several, cross := 0, 0
	for i := range ds.Cases {
		c := &ds.Cases[i]
		kinds[c.Kind]++
		if _, bad := ds.Defective[c.ID]; bad || c.Kind != hecha.KindCrossProvince {
			continue
		}
		cross++
		cm, err := hecha.Compare(c, reg, reg, hecha.PrecisionDay)
		if err != nil {
			t.Fatal(err)
		}
		forms[cm.Form]++
		loose, err := hecha.Compare(c, reg, reg, hecha.PrecisionYear)
		if err != nil {
			t.Fatal(err)
		}
		if len(loose.Candidates) > 1 {
			several++
		}
	}
	for _, s := range FormMix {
		got := 100 * float64(forms[s.Form]) / float64(cross)
		if math.Abs(got-float64(s.Percent)) > 2.5 {
			t.Errorf("%s: %.1f%% of cross-province cases, designed %d%%", s.Form, got, s.Percent)
		}
	}
	for _, k := range KindMix {
		got := 100 * float64(kinds[k.Kind]) / float64(len(ds.Cases))
		if math.Abs(got-float64(k.Percent)) > 1 {
			t.Errorf("kind %s: %.1f%% of cases, designed %d%%", k.Kind, got, k.Percent)
		}
	}
	if several < cross/100 {
		t.Errorf("only %d of %d cases find several candidates at year precision", several, cross)
	}
	t.Logf("forms %v, kinds %v, several candidates at year precision: %d", forms, kinds, several)
}

// TestGenerateRealism checks the people: common names collide, a few
// minority names, households for about 40%, ages of movers.
func TestGenerateRealism(t *testing.T) {
	ds := mustGenerate(t, Config{Cases: 5000, Seed: 8})
	names := map[string]int{}
	withMembers, dotted := 0, 0
	for i := range ds.Cases {
		p := &ds.Cases[i].Person
		names[p.Name]++
		if len(p.Members) > 0 {
			withMembers++
		}
		if strings.Contains(p.Name, "·") {
			dotted++
		}
		if age := testNow.Year() - p.BirthDate.Year; age < 16 || age > 66 {
			t.Errorf("case %s: a mover aged %d", ds.Cases[i].ID, age)
		}
		if _, bad := ds.Defective[ds.Cases[i].ID]; !bad && p.OutflowDate.Before(addDays(p.BirthDate, 16*365+4)) {
			t.Errorf("case %s left before turning 16", ds.Cases[i].ID)
		}
	}
	top := 0
	for _, n := range []string{"张伟", "王芳", "李娜", "王伟", "李伟", "张敏"} {
		top += names[n]
	}
	if top < 10 {
		t.Errorf("common names appear %d times in 5000 cases", top)
	}
	if share := float64(withMembers) / float64(len(ds.Cases)); share < 0.34 || share > 0.46 {
		t.Errorf("%.0f%% of cases list household members, designed 40%%", 100*share)
	}
	if dotted == 0 {
		t.Error("no minority name in 5000 cases")
	}
}

func TestGenerateConfigErrors(t *testing.T) {
	tests := []struct {
		name  string
		cfg   Config
		field string
		msgID string
	}{
		{"no cases", Config{Now: testNow}, "cases", "gen.cases"},
		{"negative cases", Config{Cases: -1, Now: testNow}, "cases", "gen.cases"},
		{"no now", Config{Cases: 1}, "now", "gen.now"},
		{"now too early", Config{Cases: 1, Now: time.Date(MinYear-1, 12, 31, 0, 0, 0, 0, time.UTC)}, "now", "gen.now_range"},
		{"now too late", Config{Cases: 1, Now: time.Date(MaxYear+1, 1, 1, 0, 0, 0, 0, time.UTC)}, "now", "gen.now_range"},
		{"unknown county", Config{Cases: 1, County: "410999", Now: testNow}, "county", "gen.county"},
		{"not a county", Config{Cases: 1, County: "4101", Now: testNow}, "county", "gen.county"},
		{"county without townships", Config{Cases: 1, County: "440305", Now: testNow}, "county", "gen.county"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Generate(tt.cfg)
			if hecha.ErrorCode(err) != hecha.EINVALID || hecha.ErrorField(err) != tt.field {
				t.Fatalf("err = %v, want EINVALID about %s", err, tt.field)
			}
			if e := hecha.AsErrors(err)[0]; e.MsgID != tt.msgID {
				t.Errorf("msg = %s, want %s", e.MsgID, tt.msgID)
			}
		})
	}
	only := hecha.NewDivisionTable()
	for _, d := range []hecha.Division{{Code: "41", Name: "河南省"}, {Code: "410122", Name: "中牟县"}, {Code: "410122100", Name: "韩寺镇"}} {
		if err := only.Add(d); err != nil {
			t.Fatal(err)
		}
	}
	_, err := Generate(Config{Cases: 1, Divisions: only, Now: testNow})
	if e := hecha.AsErrors(err); len(e) == 0 || e[0].MsgID != "gen.destinations" {
		t.Errorf("table without other provinces: %v", err)
	}
}

func TestQuotas(t *testing.T) {
	for _, n := range []int{0, 1, 7, 100, 1001} {
		q := quotas(n, []int{35, 10, 20, 8, 15, 12})
		sum := 0
		for _, x := range q {
			sum += x
		}
		if sum != n {
			t.Errorf("quotas(%d) = %v sum to %d", n, q, sum)
		}
	}
	if q := quotas(100, []int{85, 10, 5}); !reflect.DeepEqual(q, []int{85, 10, 5}) {
		t.Errorf("quotas(100) = %v", q)
	}
}

// BenchmarkGenerate measures generating 100,000 cases and reports it as
// a ratio to validating the same cases, the cheapest thing done to each
// case after it is made.
func BenchmarkGenerate(b *testing.B) {
	const n = 100_000
	var ds *Dataset
	var genTime time.Duration
	for b.Loop() {
		start := time.Now()
		ds = mustGenerate(b, Config{Cases: n, Seed: 1})
		genTime += time.Since(start)
	}
	r := testRules(ds.Divisions)
	start := time.Now()
	for i := range ds.Cases {
		ds.Cases[i].Validate(r)
	}
	validate := time.Since(start)
	perRun := genTime / time.Duration(b.N)
	b.ReportMetric(float64(n)/perRun.Seconds(), "cases/s")
	b.ReportMetric(perRun.Seconds()/validate.Seconds(), "x_validate")
}
