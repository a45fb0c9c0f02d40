package hecha

import (
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestCleanText(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"  郑州市中原区  ", "郑州市中原区"},
		{"\u3000郑州市\u3000", "郑州市"},
		{"\t建设路 12 号\r\n", "建设路 12 号"},
		{"\u200b\ufeff地址\u200b", "地址"},
		{"", ""},
		{"   ", ""},
		{"中原区\u3000建设路", "中原区\u3000建设路"},
	}
	for _, tt := range tests {
		got, err := CleanText("current_address", tt.in, MaxAddressLen)
		if err != nil || got != tt.want {
			t.Errorf("CleanText(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestCleanTextErrors(t *testing.T) {
	tests := []struct {
		in    string
		max   int
		msgID string
	}{
		{"a\x00b", 0, "text.control"},
		{"建设路\n12号", 0, "text.control"},
		{"a\tb", 0, "text.control"},
		{"\x1b[31mred", 0, "text.control"},
		{"del\x7f", 0, "text.control"},
		{"c1\u0085x", 0, "text.control"},
		{"csi\u009b2J", 0, "text.control"},
		{"abc\u202edcba", 0, "text.control"},
		{"abc\u2066x\u2069", 0, "text.control"},
		{"lrm\u200e", 0, "text.control"},
		{"rlm\u200fx", 0, "text.control"},
		{"alm\u061cx", 0, "text.control"},
		{"line\u2028sep", 0, "text.control"},
		{"bad\xffutf8", 0, "text.control"},
		{"\xe4\xb8", 0, "text.control"},
		{strings.Repeat("字", MaxAddressLen+1), MaxAddressLen, "text.too_long"},
		{"abcd", 3, "text.too_long"},
	}
	for _, tt := range tests {
		got, err := CleanText("verified.current_address", tt.in, tt.max)
		e := AsErrors(err)
		if len(e) != 1 || e[0].Code != EINVALID || e[0].Field != "verified.current_address" || e[0].MsgID != tt.msgID {
			t.Errorf("CleanText(%q) = %q, %v; want %s", tt.in, got, err, tt.msgID)
		}
	}
	if _, err := CleanText("remark", strings.Repeat("字", MaxRemarkLen), MaxRemarkLen); err != nil {
		t.Errorf("exactly the maximum: %v", err)
	}
	_, err := CleanText("remark", strings.Repeat("x", 201), MaxRemarkLen)
	if e := AsErrors(err)[0]; len(e.Args) != 1 || e.Args[0] != MaxRemarkLen {
		t.Errorf("too_long args %v", e.Args)
	}
}

func TestCleanName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"张三", "张三"},
		{" 张三 ", "张三"},
		{"阿依古丽·买买提", "阿依古丽·买买提"},
		{"阿依古丽•买买提", "阿依古丽·买买提"},
		{"阿依古丽・买买提", "阿依古丽·买买提"},
		{"阿依古丽．买买提", "阿依古丽·买买提"},
		{"阿依古丽‧买买提", "阿依古丽·买买提"},
		{"阿依古丽･买买提", "阿依古丽·买买提"},
		{"阿依古丽.买买提", "阿依古丽·买买提"},
		{"阿依古丽 · 买买提", "阿依古丽·买买提"},
		{"Li Na", "Li Na"},
		{"Li   Na", "Li Na"},
		{"买买提·艾力·吐尔逊", "买买提·艾力·吐尔逊"},
		{"扎西\u3000次仁", "扎西 次仁"},
	}
	for _, tt := range tests {
		got, err := CleanName("name", tt.in)
		if err != nil || got != tt.want {
			t.Errorf("CleanName(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestCleanNameErrors(t *testing.T) {
	tests := []struct{ in, msgID string }{
		{"", "text.required"},
		{"\u3000 ", "text.required"},
		{"张三1", "text.name_chars"},
		{"张三１", "text.name_chars"},
		{"张三（曾用名李四）", "text.name_chars"},
		{"张,三", "text.name_chars"},
		{"张三?", "text.name_chars"},
		{"·张三", "text.name_chars"},
		{"张三·", "text.name_chars"},
		{"阿依古丽··买买提", "text.name_chars"},
		{"Li.Na", "text.name_chars"},
		{"张三😀", "text.name_chars"},
		{"张\x1b三", "text.control"},
		{strings.Repeat("张", MaxNameLen+1), "text.too_long"},
	}
	for _, tt := range tests {
		got, err := CleanName("members[0].name", tt.in)
		e := AsErrors(err)
		if len(e) != 1 || e[0].Code != EINVALID || e[0].Field != "members[0].name" || e[0].MsgID != tt.msgID {
			t.Errorf("CleanName(%q) = %q, %v; want %s", tt.in, got, err, tt.msgID)
		}
	}
}

func TestSanitizeForDisplay(t *testing.T) {
	tests := []struct{ in, want string }{
		{"张三", "张三"},
		{"\x1b[2J清屏", "\ufffd[2J清屏"},
		{"a\tb\nc\r\nd", "a b c  d"},
		{"abc\u202edcba", "abcdcba"},
		{"csi\u009b31m", "csi\ufffd31m"},
		{"bad\xff\xfe", "bad\ufffd\ufffd"},
		{"del\x7f", "del\ufffd"},
		{"bell\a", "bell\ufffd"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := SanitizeForDisplay(tt.in); got != tt.want {
			t.Errorf("SanitizeForDisplay(%q) = %q, want %q", tt.in, got, tt.want)
		}
		assertDisplaySafe(t, SanitizeForDisplay(tt.in))
	}
}

// assertDisplaySafe fails when s holds anything a terminal would act on.
func assertDisplaySafe(t testing.TB, s string) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Fatalf("%q is not valid UTF-8", s)
	}
	for _, r := range s {
		if IsTextControl(r) || isBidiControl(r) || r == 0x2028 || r == 0x2029 {
			t.Fatalf("%q holds %U", s, r)
		}
	}
}

// TestParseErrorMessages produces an error of every kind the parsers
// return (those of the code-list files: codefile's tests) and checks each has a catalogue entry in both languages that its
// arguments fill exactly.
func TestParseErrorMessages(t *testing.T) {
	tb := NewDivisionTable()
	tb.Add(Division{Code: "41", Name: "河南省"})
	errs := []error{
		func() error { _, err := ParseDate("d", "2023"); return err }(),
		func() error { _, err := ParseDate("d", "2023-02-30"); return err }(),
		func() error { _, err := ParseCode("d", "4x"); return err }(),
		tb.Check("d", "", LevelCounty), tb.Check("d", "4101", LevelCounty), tb.Check("d", "41", LevelCounty),
		tb.Check("d", "41", LevelVillage), tb.Check("d", "41", LevelTownship), tb.Check("d", "41", LevelCity),
		tb.CheckIDArea("d", "520102"),
		tb.Add(Division{Code: "4101", Name: ""}),
		tb.Add(Division{Code: "410102", Name: "中原区", Level: LevelCity}),
		func() error { _, err := ParseCitizenID("id", "000000000000000000"); return err }(),
		func() error { _, err := ParseCitizenID("id", "1"); return err }(),
		func() error { _, err := ParseCitizenID("id", "11010519491231002Y"); return err }(),
		func() error { _, err := ParseCitizenID("id", idWithCheck("41010219990230001")); return err }(),
		func() error { _, err := ParseCitizenID("id", "110105194912310021"); return err }(),
		func() error { _, err := ParseCitizenID("id", idWithCheck("00123419900307001")); return err }(),
		(&Basic{Name: "孙浩", Sex: SexMale, BirthDate: Date{2099, 1, 1}, CitizenID: idWithCheck("41010220990101001")}).Validate(&Rules{Divisions: tb, Now: func() time.Time { return fxNow }}),
		func() error { _, err := ParseSex("x"); return err }(),
		func() error { _, err := CleanText("d", "\x1b", 0); return err }(),
		func() error { _, err := CleanText("d", "abc", 2); return err }(),
		func() error { _, err := CleanName("d", ""); return err }(),
		func() error { _, err := CleanName("d", "张3"); return err }(),
	}
	ids := map[string]bool{}
	for i, err := range errs {
		list := AsErrors(err)
		if len(list) == 0 {
			t.Errorf("case %d gave no error", i)
		}
		for _, e := range list {
			if e.Code != EINVALID {
				t.Errorf("case %d: %+v is not invalid", i, e)
			}
			ids[e.MsgID] = true
			if _, ok := CatalogueEntry(e.MsgID); !ok {
				t.Errorf("case %d: %s is not in the catalogue", i, e.MsgID)
			}
			for _, lang := range []Lang{Chinese, English} {
				if msg := e.Message(lang); strings.Contains(msg, "%!") || msg == "" {
					t.Errorf("case %d: %s in %s = %q", i, e.MsgID, lang, msg)
				}
			}
		}
	}
	// Every message id of the parsers' prefixes is produced above, but for
	// those of the code-list files, which codefile registers and its
	// TestLoadErrorMessages checks (the external tests link it in).
	fileMsgs := []string{"division.row.", "division.header", "division.dir.", "code.header", "code.row", "code.dup", "code.empty"}
	for _, id := range CatalogueKeys() {
		for _, p := range []string{"date.", "division.", "id.", "code.", "text."} {
			fromFile := slices.ContainsFunc(fileMsgs, func(f string) bool { return strings.HasPrefix(id, f) })
			if strings.HasPrefix(id, p) && !ids[id] && !fromFile {
				t.Errorf("message %s is never produced", id)
			}
		}
	}
}
