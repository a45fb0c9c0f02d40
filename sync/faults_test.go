package sync_test

import (
	"fmt"
	"net/url"
	"testing"

	hsync "hecha/sync"
)

// TestFaults_SeededSchedules syncs through a proxy that cuts connections
// at random bytes of requests and answers, delays them, or delivers
// requests twice, by a seeded schedule. After each schedule the county
// must hold exactly the results saved, each once, and the township's
// outbox must hold them all as accepted.
func TestFaults_SeededSchedules(t *testing.T) {
	schedules := 200
	if testing.Short() {
		schedules = 40
	}
	applied := map[faultKind]int{}
	var total hsync.Report
	for seed := 0; seed < schedules; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			rep, kinds := runFaultSchedule(t, uint64(seed))
			addReport(&total, rep)
			for k, n := range kinds {
				applied[k] += n
			}
		})
	}
	t.Logf("faults applied: %v; outcomes: %+v", applied, total)
	// The schedules must have exercised every fault, and some answers
	// must have been lost after the county applied the batch.
	for k := faultPass; k <= faultDuplicate; k++ {
		if applied[k] == 0 {
			t.Errorf("no connection got fault %v", k)
		}
	}
	if !testing.Short() && total.Duplicate == 0 {
		t.Error("no result was ever sent twice: the schedules do not cut answers after the county applied them")
	}
	if !testing.Short() && total.Unanswered == 0 {
		t.Error("no push ever failed a round: the schedules do not exercise putting a batch back")
	}
}

func runFaultSchedule(t *testing.T, seed uint64) (hsync.Report, map[faultKind]int) {
	county := openCounty(t, false)
	defer county.Close()
	tokens := seedCounty(t, county, 8, townA)
	ts := serveCounty(t, county)
	defer ts.Close()
	u, _ := url.Parse(ts.URL)
	faulty := 1 + int(seed%12)
	// Odd seeds let the client retry a failed request; even ones make
	// every failure end the round.
	proxy := newFaultProxy(t, u.Host, randomPlan(seed, faulty))
	defer func() {
		if t.Failed() {
			t.Logf("seed %d: %d faulty connections; applied %v", seed, faulty, proxy.applied)
		}
	}()

	town := openTownship(t, tempPath(t, "town.db"), townA)
	defer town.Close()
	s := &hsync.Syncer{
		Store: town, Client: newClientTries(t, proxy.URL(), tokens[townA], 1+2*int(seed%2)),
		BatchSize: 1 + int(seed%4), PageSize: 3, Now: fxClock,
	}
	rep := syncUntilDone(t, s, 30)
	saved := saveResults(t, town, 3+int(seed%6))
	// A fresh schedule for the push, with idle connections dropped so the
	// push dials into it.
	s.Client.CloseIdle()
	proxy.SetPlan(randomPlan(seed|1<<40, faulty))
	addReport(&rep, syncUntilDone(t, s, 30))
	s.Client.CloseIdle()
	proxy.Close()
	ts.Close() // waits for the requests the proxy duplicated
	assertSynced(t, county, town, townA, saved)
	return rep, proxy.applied
}
