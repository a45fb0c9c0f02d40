package hecha

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzParseCitizenID(f *testing.F) {
	for _, s := range []string{"11010519491231002X", "11010519491231002x", "440524188001010014", "410102900307001",
		"000000000000000000", "000000201501010000", "111111111111111111", "110105194912310021", "４４０５２４１８８００１０１００１４",
		"41010219990230001X", "", " 1101 0519 4912 3100 2X "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := ParseCitizenID("citizen_id", s)
		if err != nil {
			if ErrorCode(err) != EINVALID || ErrorField(err) != "citizen_id" || id != (CitizenID{}) {
				t.Fatalf("error %v (code %s) with %+v", err, ErrorCode(err), id)
			}
			return
		}
		if id == (CitizenID{}) {
			return // empty input
		}
		if IsPlaceholderID(s) {
			t.Fatalf("placeholder %q accepted", s)
		}
		if len(id.Number) != 18 || IDCheckDigit(id.Number[:17]) != id.Number[17] || !id.Birth.Valid() ||
			(id.Sex != SexMale && id.Sex != SexFemale) || id.Area.Level() == LevelNone || id.Number[6:14] != id.Birth.Compact() {
			t.Fatalf("ParseCitizenID(%q) = %+v is not a consistent ID", s, id)
		}
		again, err := ParseCitizenID("citizen_id", id.Number)
		want := id
		want.Legacy = ""
		if err != nil || again != want {
			t.Fatalf("re-parsing %s gave %+v, %v; want %+v", id.Number, again, err, want)
		}
		if id.Legacy != "" {
			if legacy, err := ParseCitizenID("citizen_id", id.Legacy); err != nil || legacy != id {
				t.Fatalf("re-parsing legacy %s gave %+v, %v", id.Legacy, legacy, err)
			}
		}
	})
}

func FuzzParseCode(f *testing.F) {
	for _, s := range []string{"41", "410000", "410100", "410102", "410102001", "410102001000", "410102001001", "00", "4101x", "", "441900003"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCode("code", s)
		if err != nil {
			if ErrorCode(err) != EINVALID || ErrorField(err) != "code" {
				t.Fatalf("error %v", err)
			}
			return
		}
		if c == "" {
			if strings.TrimSpace(s) != "" {
				t.Fatalf("ParseCode(%q) = empty", s)
			}
			return
		}
		if c.Level() == LevelNone || !allDigits(string(c)) {
			t.Fatalf("ParseCode(%q) = %q", s, c)
		}
		for _, form := range []string{string(c), c.Padded()} {
			if again, err := ParseCode("code", form); err != nil || again != c {
				t.Fatalf("ParseCode(%q) = %q, %v; want %q", form, again, err, c)
			}
		}
		chain := c.Chain()
		if len(chain) != int(c.Level()) || chain[len(chain)-1] != c || !c.Within(chain[0]) {
			t.Fatalf("%q.Chain() = %v", c, chain)
		}
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2023-01-05", "20230105", "2023/1/5", "2023年1月5日", "2023-02-30", "2000-02-29", "2023/1/5 0:00:00", "", "２０２３.１.５"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate("outflow_date", s)
		if err != nil {
			if ErrorCode(err) != EINVALID || ErrorField(err) != "outflow_date" {
				t.Fatalf("error %v", err)
			}
			return
		}
		if d.IsZero() {
			if strings.TrimSpace(s) != "" {
				t.Fatalf("ParseDate(%q) = zero", s)
			}
			return
		}
		if !d.Valid() {
			t.Fatalf("ParseDate(%q) = %v, not a valid date", s, d)
		}
		for _, form := range []string{d.String(), d.Compact()} {
			if again, err := ParseDate("outflow_date", form); err != nil || again != d {
				t.Fatalf("ParseDate(%q) = %v, %v; want %v", form, again, err, d)
			}
		}
	})
}

func FuzzCodeTableParse(f *testing.F) {
	for _, s := range []string{"1", "男", "Male", "21", "大学本科毕业", "农业户口", "3", "01", "妻子", "", " 20 ", "x"} {
		f.Add(s)
	}
	tables := []*CodeTable{SexCodes, MaritalCodes, EducationCodes, HukouCodes, RelationshipCodes, DefaultReasons()}
	f.Fuzz(func(t *testing.T, s string) {
		for _, table := range tables {
			code, err := table.Parse(s)
			if err != nil {
				if ErrorCode(err) != EINVALID || ErrorField(err) != table.Field {
					t.Fatalf("%s: error %v", table.Field, err)
				}
				continue
			}
			if code == "" {
				if strings.TrimSpace(s) != "" {
					t.Fatalf("%s.Parse(%q) = empty", table.Field, s)
				}
				continue
			}
			e, ok := table.Lookup(code)
			if !ok {
				t.Fatalf("%s.Parse(%q) = %q, not a code of the table", table.Field, s, code)
			}
			for _, name := range []string{e.Code, e.Zh, e.En, table.Name(Chinese, code), table.Name(English, code)} {
				if again, err := table.Parse(name); err != nil || again != code {
					t.Fatalf("%s.Parse(%q) = %q, %v; want %q", table.Field, name, again, err, code)
				}
			}
		}
	})
}

func FuzzCleanText(f *testing.F) {
	for _, s := range []string{"  郑州市  ", "a\x00b", "\u202eabc", "阿依古丽•买买提", "Li  Na", "\xff", "张三1", "\u3000张 · 三\u3000"} {
		f.Add(s, 10)
	}
	f.Fuzz(func(t *testing.T, s string, max int) {
		if out, err := CleanText("remark", s, max); err == nil {
			assertDisplaySafe(t, out)
			if strings.ContainsAny(out, "\t\n\r") || max > 0 && utf8.RuneCountInString(out) > max {
				t.Fatalf("CleanText(%q, %d) = %q", s, max, out)
			}
			if again, err := CleanText("remark", out, max); err != nil || again != out {
				t.Fatalf("CleanText is not idempotent on %q: %q, %v", out, again, err)
			}
		} else if ErrorField(err) != "remark" || ErrorCode(err) != EINVALID {
			t.Fatalf("error %v", err)
		}
		if name, err := CleanName("name", s); err == nil {
			assertDisplaySafe(t, name)
			if name == "" || strings.ContainsAny(name, "0123456789,.;:!?()") || utf8.RuneCountInString(name) > MaxNameLen {
				t.Fatalf("CleanName(%q) = %q", s, name)
			}
			if again, err := CleanName("name", name); err != nil || again != name {
				t.Fatalf("CleanName is not idempotent on %q: %q, %v", name, again, err)
			}
		}
	})
}

func FuzzSanitizeForDisplay(f *testing.F) {
	for _, s := range []string{"张三", "\x1b[2J", "\u009b31m", "a\tb\n", "\xff\xfe", "\u202e\u2066", "ok"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := SanitizeForDisplay(s)
		assertDisplaySafe(t, out)
		if strings.ContainsRune(out, 0x1b) {
			t.Fatalf("ESC survived in %q", out)
		}
		if again := SanitizeForDisplay(out); again != out {
			t.Fatalf("not idempotent: %q → %q", out, again)
		}
		if clean, err := CleanText("x", s, 0); err == nil && clean == s && out != s {
			t.Fatalf("clean text %q was changed to %q", s, out)
		}
	})
}
