package pgstore

import (
	"net/url"
	"strings"
	"testing"

	"hecha"
)

func TestSplitCounty(t *testing.T) {
	for _, tc := range []struct {
		in, dsn string
		county  hecha.Code
	}{
		{"postgres://u@h/db?county=410102", "postgres://u@h/db", "410102"},
		{"postgres://u@h/db?sslmode=disable&county=410102", "postgres://u@h/db?sslmode=disable", "410102"},
		{"postgres://u@h/db?sslmode=disable", "postgres://u@h/db?sslmode=disable", ""},
		{"host=h dbname=db", "host=h dbname=db", ""},
	} {
		dsn, c := splitCounty(tc.in)
		if dsn != tc.dsn || c != tc.county {
			t.Errorf("splitCounty(%q) = %q, %q; want %q, %q", tc.in, dsn, c, tc.dsn, tc.county)
		}
	}
	if got := redact("postgres://u:secret@h/db?password=secret"); strings.Contains(got, "secret") {
		t.Errorf("redact left the password: %s", got)
	}
}

// FuzzSplitCounty: whatever --db holds, splitCounty does not panic and
// leaves no county parameter in the URL it passes on.
func FuzzSplitCounty(f *testing.F) {
	f.Add("postgres://u@h/db?county=410102")
	f.Add("postgres://u:p@h:5432/db?county=41&county=42&sslmode=disable")
	f.Add("postgresql://%zz")
	f.Fuzz(func(t *testing.T, in string) {
		dsn, _ := splitCounty(in)
		if u, err := url.Parse(in); err == nil && u.Query().Has(CountyParam) {
			if v, err := url.Parse(dsn); err != nil || v.Query().Has(CountyParam) {
				t.Errorf("splitCounty(%q) = %q: the county parameter is left (%v)", in, dsn, err)
			}
		}
		_ = redact(in)
	})
}
