package hecha_test

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mozillazg/go-pinyin"

	"hecha"
	"hecha/codefile"
)

// BenchmarkLoadDivisionDir loads the real data (58k divisions) and reports
// how many times longer that takes than only reading the same CSV files
// with encoding/csv, the floor of any loader.
func BenchmarkLoadDivisionDir(b *testing.B) {
	realDivisions(b) // skips when the data is absent
	floor := measure(func() {
		for _, name := range codefile.DivisionFiles {
			f, err := os.Open(filepath.Join(regionsDir, name))
			if err != nil {
				continue
			}
			csv.NewReader(f).ReadAll()
			f.Close()
		}
	})
	for b.Loop() {
		if _, err := loadDivisionDir(regionsDir); err != nil {
			b.Fatal(err)
		}
	}
	per := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(float64(per)/float64(floor), "x_csv_read")
	b.ReportMetric(float64(per)/float64(time.Millisecond), "ms/load")
}

// naiveSearch is the obvious alternative to Search: convert every name to
// pinyin with go-pinyin for each query.
func naiveSearch(all []hecha.Division, query string) []hecha.Division {
	args := pinyin.NewArgs()
	var out []hecha.Division
	for _, d := range all {
		ps := pinyin.LazyPinyin(d.Name, args)
		var initials strings.Builder
		for _, p := range ps {
			initials.WriteByte(p[0])
		}
		if strings.HasPrefix(string(d.Code), query) || hecha.MatchesName(d.Name, strings.Join(ps, ""), initials.String(), query) {
			out = append(out, d)
		}
	}
	return out
}

var searchQueries = []string{"lsz", "linshan", "林山", "410102", "zhengzhou", "jiedao"}

// BenchmarkSearch searches the real table and reports how many times
// faster it is than naiveSearch, measured in the same run.
func BenchmarkSearch(b *testing.B) {
	tb := realDivisions(b)
	all := tb.All()
	i := 0
	naive := measure(func() {
		naiveSearch(all, searchQueries[i%len(searchQueries)])
		i++
	})
	i = 0
	for b.Loop() {
		tb.Search(searchQueries[i%len(searchQueries)], "", 20)
		i++
	}
	per := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(float64(naive)/float64(per), "x_faster_than_naive")
}
