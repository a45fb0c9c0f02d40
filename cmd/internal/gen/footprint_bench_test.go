package gen

import (
	"fmt"
	"testing"

	"hecha/internal/peakmem"
)

// BenchmarkGenFootprint measures the heap "gen" holds at its peak while
// it writes a county's files row by row (StreamDir), against its anchor
// in the same run: making the whole data set, then writing it (Generate
// and WriteDir, what "gen" did before). The goal is ≤ 100 MB whatever
// the size. Sizes: 10,000 and 30,000 cases, or peakmem.EnvCases:
//
//	HECHA_BENCH_CASES=100000,300000,1000000 go test -run '^$' -bench GenFootprint -benchtime 1x ./cmd/internal/gen/
func BenchmarkGenFootprint(b *testing.B) {
	for _, n := range peakmem.Cases(10_000, 30_000) {
		b.Run(fmt.Sprintf("cases=%d", n), func(b *testing.B) {
			cfg := Config{Cases: n, Seed: 1, Now: testNow}
			var stream, whole uint64
			for b.Loop() {
				dir := b.TempDir()
				stream = max(stream, peakmem.Measure(func() {
					if _, err := StreamDir(cfg, dir); err != nil {
						b.Fatal(err)
					}
				}))
				if n > 300_000 {
					continue // the anchor needs gigabytes
				}
				whole = max(whole, peakmem.Measure(func() {
					if err := mustGenerate(b, cfg).WriteDir(dir); err != nil {
						b.Fatal(err)
					}
				}))
			}
			b.ReportMetric(peakmem.MB(stream), "stream-MB")
			b.ReportMetric(float64(stream)/float64(n), "stream-B/case")
			if whole > 0 {
				b.ReportMetric(peakmem.MB(whole), "whole-MB")
				b.ReportMetric(float64(whole)/float64(stream), "x_whole")
			}
		})
	}
}
