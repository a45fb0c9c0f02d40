package main

import (
	"os"
	"path/filepath"
	"testing"
)

// On a 32-bit terminal (windows/386, the old machines some townships
// still have) a process has 2 GB of address space, and bbolt maps the
// whole database file into it, in one piece. Binaries for 386 cannot run
// on the machines the tests run on, so this file reasons on paper: it
// measures what a case costs in the file on the real generator and
// division table, and replays bbolt's rule for the size it maps on 386.

// Bbolt's mapping on 386 (go.etcd.io/bbolt v1.5.0, db.go mmapSize and
// internal/common/bolt_386.go): powers of two from 32 KB to 1 GB, then
// steps of 1 GB up to maxMapSize32. On Windows the file itself is grown
// to the mapped size.
const (
	maxMapSize32 = 0x7FFFFFFF // 2 GB: the whole address space of the process
	mmapStep     = 1 << 30
)

// mmapSize32 returns the size bbolt maps for a file of size bytes on 386,
// and false when it cannot map it at all.
func mmapSize32(size int64) (int64, bool) {
	for i := uint(15); i <= 30; i++ {
		if size <= 1<<i {
			return 1 << i, true
		}
	}
	if size > maxMapSize32 {
		return 0, false
	}
	sz := (size + mmapStep - 1) / mmapStep * mmapStep
	return min(sz, maxMapSize32), true
}

// viewBudget32 is the largest mapping a 32-bit terminal can be counted on
// to get: 1 GB in one piece. The next step, 2 GB, is the whole address
// space and never fits beside the program and its DLLs.
const viewBudget32 = 1 << 30

// largestTownship32 returns the most cases a township database whose file
// is fixed + perCase×N bytes can hold on a 32-bit terminal.
func largestTownship32(fixed, perCase float64) int {
	lo, hi := 0, 100_000_000
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if m, ok := mmapSize32(int64(fixed + perCase*float64(mid))); ok && m <= viewBudget32 {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

func TestMmapSize32(t *testing.T) {
	for _, c := range []struct {
		size, want int64
		ok         bool
	}{
		{1, 32 << 10, true}, {378 << 20, 512 << 20, true}, {513 << 20, 1 << 30, true},
		{1<<30 + 1, maxMapSize32, true}, {maxMapSize32 + 1, 0, false},
	} {
		if got, ok := mmapSize32(c.size); got != c.want || ok != c.ok {
			t.Errorf("mmapSize32(%d) = %d, %v; want %d, %v", c.size, got, ok, c.want, c.ok)
		}
	}
	if n := largestTownship32(0, 4096); n != 1<<30/4096 {
		t.Errorf("largestTownship32 at 4 KB a case = %d", n)
	}
}

// TestTownship32BitAddressSpace builds township databases of 2,000 and
// 6,000 generated cases as a sync leaves them (makeTownshipDB: the real
// division table, each case's candidates, the registry extract), takes
// the growth per case between them, and states the largest township a
// 32-bit terminal holds (the README quotes the figure measured at 100,000
// cases). It fails when that falls below 150,000 cases: a database that
// grows per case must not take that margin away unnoticed.
func TestTownship32BitAddressSpace(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two township databases")
	}
	sizes := [2]int{2_000, 6_000}
	var files [2]int64
	for i, n := range sizes {
		path := filepath.Join(t.TempDir(), "hecha.db")
		makeTownshipDB(t, path, n)
		info, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		files[i] = info.Size()
	}
	perCase := float64(files[1]-files[0]) / float64(sizes[1]-sizes[0])
	fixed := float64(files[0]) - perCase*float64(sizes[0])
	largest := largestTownship32(max(fixed, 0), perCase)
	t.Logf("file: %.0f bytes a case beyond %.1f MB; a 32-bit terminal maps at most 1 GB in one piece: %d cases", perCase, fixed/(1<<20), largest)
	if largest < 150_000 {
		t.Errorf("a 32-bit terminal holds only %d cases (%.0f bytes a case)", largest, perCase)
	}
}
