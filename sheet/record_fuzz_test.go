package sheet

import (
	"hecha"

	"reflect"
	"strings"
	"testing"
)

// recFuzzSeeds are rows of cases.csv, cells separated by tabs.
func recFuzzSeeds() []string {
	var seeds []string
	for _, c := range []hecha.Case{fxCase(), fxInProvinceCase(), recFullMismatch()} {
		seeds = append(seeds, strings.Join(CaseRow(&c), "\t"))
	}
	return append(seeds,
		"", "\t\t\t", "KS1\t4\t张伟\tM", "KS1\t1\t张伟\t1\t\t440305\t\t410102\t4.1E+17",
		"x\t2\t\uFFFD\t\t\t\t\t\t\t\t\t\t\t\t\t\t|;|;||||||;；｜",
		"KS1\t1\t张\x00伟\t男\t440305\t\t410102\t\x00",
	)
}

// FuzzParseCaseRow checks that no row makes ParseCase panic, that every
// error is EINVALID about a field of the file, and that a case read
// without error is valid and survives a write and a second read.
func FuzzParseCaseRow(f *testing.F) {
	for _, s := range recFuzzSeeds() {
		f.Add(s)
	}
	r := fxRules(f)
	h, err := NewCaseHeader(CaseColumns)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		row := strings.Split(s, "\t")
		c, err := h.ParseCase(row, r)
		if err != nil {
			for _, e := range hecha.AsErrors(err) {
				if e.Code != hecha.EINVALID || e.Field == "" {
					t.Fatalf("error %+v is not EINVALID about a field", e)
				}
			}
			return
		}
		if err := c.Validate(r); err != nil {
			t.Fatalf("parsed case invalid: %v", err)
		}
		again, err := h.ParseCase(CaseRow(&c), r)
		if err != nil || !reflect.DeepEqual(again, c) {
			t.Fatalf("round trip: %v\n got %+v\nwant %+v", err, again, c)
		}
	})
}

// FuzzParseMembers checks the 家庭户信息 cell alone: no panic, errors about
// members, and members read without error written back the same.
func FuzzParseMembers(f *testing.F) {
	for _, s := range []string{
		"王芳|配偶|" + fxID("410102", hecha.NewDate(1991, 5, 20), hecha.SexFemale) + "|女|1991-05-20",
		"李四|子||男|2010-01-01;;王五|30", "｜｜｜｜；", "a|b|c|d|e|f", "张三", " ; ; ", "|||||", "\n\r;",
	} {
		f.Add(s)
	}
	h := &Header{file: casesFile, index: map[string]int{"person.members": 0}}
	f.Fuzz(func(t *testing.T, s string) {
		p := rowParser{h: h, row: []string{s}}
		ms := p.members("person.members")
		for _, e := range p.es {
			if e.Code != hecha.EINVALID || !strings.HasPrefix(e.Field, "person.members") {
				t.Fatalf("error %+v", e)
			}
		}
		if len(p.es) > 0 {
			return
		}
		p2 := rowParser{h: h, row: []string{FormatMembers(ms)}}
		again := p2.members("person.members")
		if len(p2.es) > 0 {
			t.Fatalf("re-reading %q: %v", FormatMembers(ms), p2.es)
		}
		// Members with no name and nothing else vanish when written.
		var kept []hecha.Member
		for _, m := range ms {
			if m != (hecha.Member{}) {
				kept = append(kept, m)
			}
		}
		if len(kept) == 0 && len(again) == 0 {
			return
		}
		if !reflect.DeepEqual(again, kept) {
			t.Fatalf("members %q: read %+v, written %q, read again %+v", s, ms, FormatMembers(ms), again)
		}
	})
}

// FuzzParseRegistryRows checks both registry parsers: no panic, errors
// EINVALID about a field, and a record read without error valid.
func FuzzParseRegistryRows(f *testing.F) {
	fl := fxFloating("LD1", "440305")
	rs := fxResident("CZ1", &hecha.Outflow{Date: hecha.NewDate(2015, 3, 1), Destination: "440305"})
	f.Add(strings.Join(FloatingRow(&fl), "\t"))
	f.Add(strings.Join(ResidentRow(&rs), "\t"))
	f.Add("LD1\t张伟\t男\t19900315\t\t410102001\t\t\t\t\t是")
	r := fxRules(f)
	hf, err := NewFloatingHeader(FloatingColumns)
	if err != nil {
		f.Fatal(err)
	}
	hr, err := NewResidentHeader(ResidentColumns)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		row := strings.Split(s, "\t")
		check := func(err error) {
			for _, e := range hecha.AsErrors(err) {
				if e.Code != hecha.EINVALID || e.Field == "" {
					t.Fatalf("error %+v is not EINVALID about a field", e)
				}
			}
		}
		if rec, err := hf.ParseFloating(row, r); err != nil {
			check(err)
		} else if err := rec.Validate(r); err != nil {
			t.Fatalf("parsed floating record invalid: %v", err)
		}
		if rec, err := hr.ParseResident(row, r); err != nil {
			check(err)
		} else if err := rec.Validate(r); err != nil {
			t.Fatalf("parsed resident record invalid: %v", err)
		}
	})
}

// FuzzCaseHeader checks that no header row makes NewCaseHeader panic.
func FuzzCaseHeader(f *testing.F) {
	f.Add(strings.Join(CaseColumns, "\t"))
	f.Add("个案编号\t个案编号")
	f.Add("(\t（a）\t*\t")
	f.Add("个案编号\t姓名\t出身日期\t原因X\t\x00")
	f.Fuzz(func(t *testing.T, s string) {
		h, err := NewCaseHeader(strings.Split(s, "\t"))
		if (h == nil) == (err == nil) || err != nil && hecha.ErrorCode(err) != hecha.EINVALID {
			t.Fatalf("NewCaseHeader = %v, %v", h, err)
		}
	})
}
