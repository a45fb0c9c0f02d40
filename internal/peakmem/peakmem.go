// Package peakmem measures, for benchmarks, how much heap a piece of work
// holds at its peak, and reads the case counts a benchmark runs at.
//
// The peak is sampled, not traced: a goroutine reads the live heap every
// millisecond (runtime/metrics, which does not stop the world) while the
// work runs, after a collection that leaves only what was live before.
// Garbage not yet collected counts, as it does in the process's memory,
// so run the work with the collector's default settings.
package peakmem

import (
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"time"
)

// heapMetric is the heap memory taken by objects, live or not yet swept.
const heapMetric = "/memory/classes/heap/objects:bytes"

// Measure runs f and returns the most heap it held above what was in use
// before it began, in bytes.
func Measure(f func()) uint64 {
	runtime.GC()
	base := heapBytes()
	var (
		peak uint64
		wg   sync.WaitGroup
		done = make(chan struct{})
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			peak = max(peak, heapBytes())
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	f()
	close(done)
	wg.Wait()
	peak = max(peak, heapBytes())
	if peak < base {
		return 0
	}
	return peak - base
}

// heapBytes reads heapMetric.
func heapBytes() uint64 {
	s := []metrics.Sample{{Name: heapMetric}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}

// MB converts bytes to megabytes (2^20 bytes) for b.ReportMetric.
func MB(n uint64) float64 { return float64(n) / (1 << 20) }

// EnvCases is the environment variable that sets the case counts of the
// footprint benchmarks: a comma-separated list such as
// "10000,100000,300000". The README's growth figures are measured so.
const EnvCases = "HECHA_BENCH_CASES"

// Cases returns the case counts a footprint benchmark runs at: those of
// EnvCases when it is set and valid, else small.
func Cases(small ...int) []int {
	v := os.Getenv(EnvCases)
	if v == "" {
		return small
	}
	var out []int
	for _, f := range strings.Split(v, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			return small
		}
		out = append(out, n)
	}
	return out
}
