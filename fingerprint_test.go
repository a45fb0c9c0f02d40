package hecha

import (
	"errors"
	"strings"
	"testing"
)

const testFingerprint = "3f2a9c01b7e45d6f08a1c2e3d4f5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d"

func TestParseFingerprint(t *testing.T) {
	grouped := FormatFingerprint(testFingerprint)
	if len(grouped) != 79 || !strings.HasPrefix(grouped, "3F2A 9C01 ") {
		t.Fatalf("FormatFingerprint = %q", grouped)
	}
	colons := strings.ToUpper(testFingerprint[:2])
	for i := 2; i < len(testFingerprint); i += 2 {
		colons += ":" + strings.ToUpper(testFingerprint[i:i+2])
	}
	for _, in := range []string{
		testFingerprint,
		grouped,
		"  " + grouped + "\n",
		strings.ReplaceAll(grouped, " ", "　"), // ideographic spaces, as a Chinese input method types them
		strings.ReplaceAll(grouped, " ", "-"),
		colons,
		"sha256 Fingerprint=" + colons, // openssl x509 -fingerprint -sha256
	} {
		got, err := ParseFingerprint("fingerprint", in)
		if err != nil || got != testFingerprint {
			t.Errorf("ParseFingerprint(%q) = %q, %v", in, got, err)
		}
	}
	for _, tc := range []struct{ in, msg string }{
		{"", "fingerprint.length"},
		{testFingerprint[:63], "fingerprint.length"},
		{testFingerprint + "0", "fingerprint.long"},
		{"3F2A 9C0O", "fingerprint.char"}, // the letter O for a zero
		{testFingerprint[:60] + "g123", "fingerprint.char"},
		{"\xff" + testFingerprint, "fingerprint.char"},
	} {
		_, err := ParseFingerprint("fingerprint", tc.in)
		var e *Error
		if !errors.As(err, &e) || e.Code != EINVALID || e.Field != "fingerprint" || e.MsgID != tc.msg {
			t.Errorf("ParseFingerprint(%q) = %v, want EINVALID %s on fingerprint", tc.in, err, tc.msg)
		}
	}
	if got := FormatFingerprint("abc"); got != "abc" {
		t.Errorf("FormatFingerprint of a short value = %q", got)
	}
}

// FuzzParseFingerprint: any input gives 64 lower-case hex digits or an
// EINVALID error, never a panic; what it accepts formats and parses back
// to itself.
func FuzzParseFingerprint(f *testing.F) {
	f.Add(testFingerprint)
	f.Add(FormatFingerprint(testFingerprint))
	f.Add("sha256 Fingerprint=AB:CD")
	f.Add("３F2A")
	f.Fuzz(func(t *testing.T, s string) {
		fp, err := ParseFingerprint("fingerprint", s)
		if err != nil {
			if ErrorCode(err) != EINVALID || ErrorField(err) != "fingerprint" {
				t.Fatalf("ParseFingerprint(%q) = %v", s, err)
			}
			return
		}
		if len(fp) != FingerprintDigits || strings.Trim(fp, "0123456789abcdef") != "" {
			t.Fatalf("ParseFingerprint(%q) = %q", s, fp)
		}
		again, err := ParseFingerprint("fingerprint", FormatFingerprint(fp))
		if err != nil || again != fp {
			t.Fatalf("round trip of %q: %q, %v", fp, again, err)
		}
	})
}
