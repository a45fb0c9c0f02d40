package peakmem

import (
	"testing"
)

var sink [][]byte

// TestMeasureSeesAllocation holds 64 MB for a moment: the peak measured
// is at least that, and holding nothing measures far less.
func TestMeasureSeesAllocation(t *testing.T) {
	big := Measure(func() {
		for range 64 {
			sink = append(sink, make([]byte, 1<<20))
		}
		sink = nil
	})
	if big < 64<<20 {
		t.Errorf("holding 64 MB measured %.1f MB", MB(big))
	}
	small := Measure(func() { _ = make([]byte, 10) })
	if small > 8<<20 {
		t.Errorf("holding nothing measured %.1f MB", MB(small))
	}
}

func TestCases(t *testing.T) {
	t.Setenv(EnvCases, "")
	if got := Cases(1, 2); len(got) != 2 || got[1] != 2 {
		t.Errorf("unset: %v", got)
	}
	t.Setenv(EnvCases, "10000, 300000")
	if got := Cases(1); len(got) != 2 || got[0] != 10000 || got[1] != 300000 {
		t.Errorf("set: %v", got)
	}
	t.Setenv(EnvCases, "10k")
	if got := Cases(5); len(got) != 1 || got[0] != 5 {
		t.Errorf("invalid: %v", got)
	}
}
