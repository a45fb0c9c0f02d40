package tui

import (
	"strings"
	"testing"
)

// writeLower lower-cases the ASCII letters only, wherever they stand
// among Chinese text, and leaves every other byte as it is.
func TestWriteLower(t *testing.T) {
	for in, want := range map[string]string{
		"":                       "",
		"王芳":                     "王芳",
		"wang fang":              "wang fang",
		"Wang 王 FANG":            "wang 王 fang",
		"41010219900307123X":     "41010219900307123x",
		"阿依古丽·买买提 AYGL\xff\xfeZ": "阿依古丽·买买提 aygl\xff\xfez",
	} {
		var b strings.Builder
		writeLower(&b, in)
		if b.String() != want {
			t.Errorf("writeLower(%q) = %q, want %q", in, b.String(), want)
		}
	}
}
