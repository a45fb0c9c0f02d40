package sync_test

import (
	"net/http"
	"os"
	"slices"
	"strconv"
	stdsync "sync"
	"testing"
	"time"

	"hecha"
	"hecha/internal/countytest"
	"hecha/pgstore"
)

// BenchmarkServeColdStart: a rush of townships pulling from a county
// server on PostgreSQL just started (after a restart, an upgrade, a
// process killed), as serve starts it, its connections made and warmed
// before it listens (pgstore.ServerReadyConns), beside a server that
// makes its connections as requests need them (none ready), in the same
// run. Each server, a process of its own, gets coldStartRush pulls at
// once (a 500-case page each, every one from another township), then the
// same again a second later, when everything it needs is made. It
// reports the mean and the slowest pull of each rush, the first rush's
// mean of each server over the second's (how many times as long the first
// townships wait), and the first rush of the server as serve starts it
// against the other's.
func BenchmarkServeColdStart(b *testing.B) {
	if os.Getenv(provinceChildEnv) != "" {
		b.Skip("in a child of the benchmark")
	}
	i := slices.IndexFunc(countytest.Backends, func(be countytest.Backend) bool { return be.Name == "postgres" })
	if i < 0 {
		b.Skip("no PostgreSQL backend")
	}
	be := countytest.Backends[i]
	rules, towns := provinceRules(b)
	loc := be.New(b)
	seeder, err := be.Open(loc, countytest.Options{Rules: rules, Now: fxClock})
	if err != nil {
		b.Fatal(err)
	}
	// Every township with a full page of cases of its own.
	tokens := seedProvince(b, seeder, towns[:coldStartRush], pullPage, towns[0])
	if err := seeder.Close(); err != nil {
		b.Fatal(err)
	}
	type rushes struct{ first, later, firstMax, laterMax time.Duration }
	var ready, none rushes
	for range b.N {
		for _, n := range []int{pgstore.ServerReadyConns, 0} {
			c := startProvinceChild(b, "serve", provinceChildBackend+"="+be.Name, provinceChildLoc+"="+loc,
				provinceChildReady+"="+strconv.Itoa(n))
			first, firstMax := coldStartPulls(b, c.addr, towns[:coldStartRush], tokens)
			time.Sleep(time.Second)
			later, laterMax := coldStartPulls(b, c.addr, towns[:coldStartRush], tokens)
			c.stop(b)
			r := &none
			if n > 0 {
				r = &ready
			}
			r.first += first
			r.later += later
			r.firstMax = max(r.firstMax, firstMax)
			r.laterMax = max(r.laterMax, laterMax)
		}
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(b.N) }
	b.ReportMetric(ms(ready.first), "ready-first-ms")
	b.ReportMetric(ms(ready.later), "ready-later-ms")
	b.ReportMetric(float64(ready.firstMax.Microseconds())/1000, "ready-first-max-ms")
	b.ReportMetric(ms(none.first), "none-first-ms")
	b.ReportMetric(ms(none.later), "none-later-ms")
	b.ReportMetric(float64(none.firstMax.Microseconds())/1000, "none-first-max-ms")
	b.ReportMetric(float64(ready.first)/float64(ready.later), "ready-first/later")
	b.ReportMetric(float64(none.first)/float64(none.later), "none-first/later")
	b.ReportMetric(float64(ready.first)/float64(none.first), "ready/none-first")
}

// coldStartRush is how many townships pull at once in
// BenchmarkServeColdStart: as many as a server's pool has connections.
const coldStartRush = 16

// coldStartPulls pulls a page for each township at once from the server
// at addr, each on a connection of its own, and returns the pulls' mean
// and longest time.
func coldStartPulls(b *testing.B, addr string, towns []hecha.Code, tokens map[hecha.Code]string) (mean, longest time.Duration) {
	var wg stdsync.WaitGroup
	lat := make([]time.Duration, len(towns))
	for i, tw := range towns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			hc := &http.Client{Timeout: time.Minute, Transport: &http.Transport{}}
			defer hc.CloseIdleConnections()
			start := time.Now()
			if err := pullFirstPage(hc, addr, tokens[tw]); err != nil {
				b.Error(err)
			}
			lat[i] = time.Since(start)
		}()
	}
	wg.Wait()
	var sum time.Duration
	for _, d := range lat {
		sum += d
		longest = max(longest, d)
	}
	return sum / time.Duration(len(lat)), longest
}
