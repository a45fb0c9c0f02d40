package gen

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestGenerateSameBytes checks that the data is a pure function of the
// Config: two runs with the same seed and Now write byte-identical files,
// another Now other files.
func TestGenerateSameBytes(t *testing.T) {
	write := func(now time.Time) string {
		t.Helper()
		dir := t.TempDir()
		if err := mustGenerate(t, Config{Cases: 400, Seed: 9, Now: now}).WriteDir(dir); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	now := time.Date(2020, 2, 29, 8, 0, 0, 0, time.UTC)
	a, b := write(now), write(now)
	for _, f := range []string{RegionsFile, CasesFile, ResidentFile, FloatingFile} {
		x, err := os.ReadFile(filepath.Join(a, f))
		if err != nil {
			t.Fatal(err)
		}
		y, err := os.ReadFile(filepath.Join(b, f))
		if err != nil {
			t.Fatal(err)
		}
		if len(x) == 0 || !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs (%d and %d bytes)", f, len(x), len(y))
		}
	}
	// The time of day does not matter, the date does.
	same := write(time.Date(2020, 2, 29, 23, 59, 0, 0, time.UTC))
	other := write(time.Date(2020, 3, 1, 8, 0, 0, 0, time.UTC))
	x, _ := os.ReadFile(filepath.Join(a, CasesFile))
	if y, _ := os.ReadFile(filepath.Join(same, CasesFile)); !bytes.Equal(x, y) {
		t.Errorf("%s differs at another time of the same day", CasesFile)
	}
	if y, _ := os.ReadFile(filepath.Join(other, CasesFile)); bytes.Equal(x, y) {
		t.Errorf("%s is the same for another date", CasesFile)
	}
}
