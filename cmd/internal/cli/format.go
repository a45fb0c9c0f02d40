package cli

import "fmt"

// FileSize writes a size in bytes as KiB (below 1 MiB, rounded up) or MiB
// with one decimal.
func FileSize(n int64) string {
	if n < 1<<20 {
		return fmt.Sprintf("%d KiB", (n+1023)/1024)
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}
