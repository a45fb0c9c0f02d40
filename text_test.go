package hecha

import (
	"strings"
	"testing"
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
		if isTextControl(r) || isBidiControl(r) || r == 0x2028 || r == 0x2029 {
			t.Fatalf("%q holds %U", s, r)
		}
	}
}
