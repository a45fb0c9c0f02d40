package hecha

import (
	"slices"
	"testing"
)

func TestParseCode(t *testing.T) {
	tests := []struct {
		in   string
		want Code
	}{
		{"", ""},
		{"  ", ""},
		{"41", "41"},
		{"410000", "41"},
		{"4101", "4101"},
		{"410100", "4101"},
		{"410102", "410102"},
		{" 410102 ", "410102"},
		{"410102001", "410102001"},
		{"410102001000", "410102001"},
		{"410102001001", "410102001001"},
		{"410100000000", "4101"},
		{"410000000000", "41"},
		{"419001", "419001"},
		{"441900003", "441900003"},    // 东莞's townships hang under the city
		{"441900003000", "441900003"}, // padded
	}
	for _, tt := range tests {
		got, err := ParseCode("household_division", tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseCode(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestParseCodeErrors(t *testing.T) {
	for _, in := range []string{"4", "410", "41010", "4101020", "41010200", "4101020010", "41010200100", "4101020010010",
		"41a102", "410１02", "-41010", "4101.02", "00", "000000", "000000000000", "001234", "41 0102"} {
		got, err := ParseCode("verified.current_division", in)
		if err == nil {
			t.Errorf("ParseCode(%q) = %q, want error", in, got)
			continue
		}
		if ErrorCode(err) != EINVALID || ErrorField(err) != "verified.current_division" || AsErrors(err)[0].MsgID != "division.format" {
			t.Errorf("ParseCode(%q): %v (code %s field %s)", in, err, ErrorCode(err), ErrorField(err))
		}
	}
}

func TestCodeLevelsAndAncestors(t *testing.T) {
	tests := []struct {
		c      Code
		level  Level
		parent Code
		chain  []Code
	}{
		{"", LevelNone, "", nil},
		{"41", LevelProvince, "", []Code{"41"}},
		{"4101", LevelCity, "41", []Code{"41", "4101"}},
		{"410102", LevelCounty, "4101", []Code{"41", "4101", "410102"}},
		{"410102001", LevelTownship, "410102", []Code{"41", "4101", "410102", "410102001"}},
		{"410102001001", LevelVillage, "410102001", []Code{"41", "4101", "410102", "410102001", "410102001001"}},
		{"41010", LevelNone, "", nil},
	}
	for _, tt := range tests {
		if got := tt.c.Level(); got != tt.level {
			t.Errorf("%q.Level() = %v, want %v", tt.c, got, tt.level)
		}
		if got := tt.c.Parent(); got != tt.parent {
			t.Errorf("%q.Parent() = %q, want %q", tt.c, got, tt.parent)
		}
		if got := tt.c.Chain(); !slices.Equal(got, tt.chain) {
			t.Errorf("%q.Chain() = %q, want %q", tt.c, got, tt.chain)
		}
	}
	v := Code("410102001001")
	for l, want := range map[Level]Code{LevelNone: "", LevelProvince: "41", LevelCity: "4101", LevelCounty: "410102", LevelTownship: "410102001", LevelVillage: v} {
		if got := v.At(l); got != want {
			t.Errorf("At(%v) = %q, want %q", l, got, want)
		}
	}
	if got := Code("4101").At(LevelCounty); got != "" {
		t.Errorf("a city At(county) = %q, want empty", got)
	}
	if v.Province() != "41" || v.County() != "410102" || Code("4101").County() != "" {
		t.Error("Province/County wrong")
	}
}

func TestSameCountyAndWithin(t *testing.T) {
	tests := []struct {
		a, b Code
		same bool
	}{
		{"410102", "410102", true},
		{"410102001", "410102", true},
		{"410102001001", "410102002", true},
		{"410102", "410103", false},
		{"4101", "4101", false}, // not at county level
		{"4101", "410102", false},
		{"4419", "441900003", true}, // 东莞: a city without counties
		{"4419", "441900003001", true},
		{"4419", "4419", false},    // the code alone does not say the city has no counties
		{"441900", "441900", true}, // 东莞's own county-level code (DivisionTable.Canonical)
		{"441900", "441900003", true},
		{"441900", "4419", true},
		{"441900", "442000", false},
		{"4419", "442000001", false},
		{"", "", false},
		{"410102", "", false},
	}
	for _, tt := range tests {
		if got := tt.a.SameCounty(tt.b); got != tt.same {
			t.Errorf("%q.SameCounty(%q) = %v, want %v", tt.a, tt.b, got, tt.same)
		}
		if got := tt.b.SameCounty(tt.a); got != tt.same {
			t.Errorf("%q.SameCounty(%q) = %v, want %v (symmetry)", tt.b, tt.a, got, tt.same)
		}
	}
	if !Code("410102001").Within("4101") || !Code("4101").Within("4101") || Code("4101").Within("410102") || Code("4101").Within("") {
		t.Error("Within wrong")
	}
}

func TestPaddedRoundTrips(t *testing.T) {
	for _, c := range []Code{"41", "4101", "410102", "410102001", "410102001001"} {
		p := c.Padded()
		if len(p) != 6 && len(p) != 12 {
			t.Errorf("%q.Padded() = %q", c, p)
		}
		back, err := ParseCode("code", p)
		if err != nil || back != c {
			t.Errorf("ParseCode(%q) = %q, %v; want %q", p, back, err, c)
		}
	}
}

func TestParseLevel(t *testing.T) {
	for _, l := range []Level{LevelProvince, LevelCity, LevelCounty, LevelTownship, LevelVillage} {
		got, ok := ParseLevel(l.String())
		if !ok || got != l {
			t.Errorf("ParseLevel(%q) = %v, %v", l.String(), got, ok)
		}
	}
	for in, want := range map[string]Level{"省": LevelProvince, "地级": LevelCity, "县级": LevelCounty, "乡": LevelTownship, "村级": LevelVillage, " County ": LevelCounty, "4": LevelTownship} {
		if got, ok := ParseLevel(in); !ok || got != want {
			t.Errorf("ParseLevel(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "state", "6", "0"} {
		if _, ok := ParseLevel(in); ok {
			t.Errorf("ParseLevel(%q) ok", in)
		}
	}
}

// A bulk load leaves the pinyin keys to the first search: the search must
// still find entries by pinyin and initials, after PrepareSearch or
// without it, and a rename in a later load is found by its new name only.
func TestBulkLoadSearchKeys(t *testing.T) {
	codes := func(ds []Division) []Code {
		var out []Code
		for _, d := range ds {
			out = append(out, d.Code)
		}
		return out
	}
	for _, prepare := range []bool{false, true} {
		tab := NewDivisionTable()
		l := tab.Loader(3)
		l.Add("41", "河南省")
		l.Add("4101", "郑州市")
		l.Add("410122", "中牟县")
		l.Done()
		if prepare {
			tab.PrepareSearch()
		}
		if got := codes(tab.Search("zhengzhou", "", 0)); !slices.Equal(got, []Code{"4101"}) {
			t.Errorf("prepare=%v: zhengzhou finds %v, want [4101]", prepare, got)
		}
		if got := codes(tab.Search("zmx", "", 0)); !slices.Equal(got, []Code{"410122"}) {
			t.Errorf("prepare=%v: zmx finds %v, want [410122]", prepare, got)
		}
		l = tab.Loader(0)
		l.Add("410122", "开封县")
		l.Done()
		if got := codes(tab.Search("kaifeng", "", 0)); !slices.Equal(got, []Code{"410122"}) {
			t.Errorf("prepare=%v: after the rename kaifeng finds %v, want [410122]", prepare, got)
		}
		if got := codes(tab.Search("zhongmu", "", 0)); len(got) != 0 {
			t.Errorf("prepare=%v: after the rename zhongmu still finds %v", prepare, got)
		}
	}
}
