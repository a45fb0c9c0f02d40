package hecha

import (
	"testing"
	"time"
)

// measure returns the mean time of f over at least 3 runs and 200 ms.
func measure(f func()) time.Duration {
	start := time.Now()
	n := 0
	for n < 3 || time.Since(start) < 200*time.Millisecond {
		f()
		n++
	}
	return time.Since(start) / time.Duration(n)
}

func BenchmarkParseCitizenID(b *testing.B) {
	for b.Loop() {
		ParseCitizenID("citizen_id", "11010519491231002X")
	}
}

func BenchmarkPinyinKeys(b *testing.B) {
	for b.Loop() {
		PinyinKeys("郑州航空港经济综合实验区")
	}
}
