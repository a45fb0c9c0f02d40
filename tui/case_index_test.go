package tui

import (
	"context"
	"reflect"
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

// The index built as the store walks the summaries (store.TownshipDB has
// EachSummary) is the one built from all the summaries read first.
func TestLoadIndexWalksTheStore(t *testing.T) {
	db := mustStore(t, testRules(t))
	var _ summaryWalker = db
	sums, err := db.Summaries(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := newCaseIndex(sums)
	got, err := loadIndex(&env{ctx: context.Background(), cfg: Config{Store: db}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.rows) != len(testCases()) || len(got.villages) == 0 {
		t.Fatalf("index of %d cases, %d villages; want %d cases and some villages", len(got.rows), len(got.villages), len(testCases()))
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("walked index\n%+v\nwant\n%+v", got, want)
	}
}
