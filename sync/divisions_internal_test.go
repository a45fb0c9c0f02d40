package sync

import (
	"strings"
	"testing"
)

func TestETagMatches(t *testing.T) {
	for _, c := range []struct {
		header, v string
		want      bool
	}{
		{`"abc"`, "abc", true},
		{`W/"abc"`, "abc", true},
		{` "x" , "abc" `, "abc", true},
		{"*", "abc", true},
		{"", "abc", false},
		{`abc`, "abc", false},
		{`"abcd"`, "abc", false},
		{`"ab`, "ab", false},
		{`""`, "", true},
	} {
		if got := etagMatches(c.header, c.v); got != c.want {
			t.Errorf("etagMatches(%q, %q) = %v, want %v", c.header, c.v, got, c.want)
		}
	}
}

// FuzzETagMatches: any If-None-Match header is read without panicking,
// and a header naming the version among others always matches it.
func FuzzETagMatches(f *testing.F) {
	f.Add(`"a", W/"b"`, "b")
	f.Add("*", "x")
	f.Add(`W/`, "")
	f.Fuzz(func(t *testing.T, header, v string) {
		etagMatches(header, v)
		if strings.ContainsAny(v, `",`) {
			return
		}
		if !etagMatches(header+", "+quoteETag(v), v) {
			t.Fatalf("%q with %q appended does not match", header, quoteETag(v))
		}
	})
}
