package sync_test

import (
	"fmt"
	"io"
	"net"
	"net/url"
	"sync"
	"testing"

	"hecha/internal/countytest"
	hsync "hecha/sync"
)

// balancer is a TCP front that sends each connection to the next of its
// upstreams in turn, as a load balancer in front of several serve
// processes does.
type balancer struct {
	ln        net.Listener
	upstreams []string
	mu        sync.Mutex
	n         int
	conns     []net.Conn
	wg        sync.WaitGroup
}

func newBalancer(tb testing.TB, upstreams ...string) *balancer {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	b := &balancer{ln: ln, upstreams: upstreams}
	b.wg.Add(1)
	go b.accept()
	tb.Cleanup(b.Close)
	return b
}

func (b *balancer) accept() {
	defer b.wg.Done()
	for {
		c, err := b.ln.Accept()
		if err != nil {
			return
		}
		// The next upstream in turn; one that cannot be reached is passed
		// over, as a balancer's health check takes a dead process out.
		var u net.Conn
		for range len(b.upstreams) {
			b.mu.Lock()
			up := b.upstreams[b.n%len(b.upstreams)]
			b.n++
			b.mu.Unlock()
			if u, err = net.Dial("tcp", up); err == nil {
				break
			}
		}
		if u == nil {
			c.Close()
			continue
		}
		b.mu.Lock()
		b.conns = append(b.conns, c, u)
		b.mu.Unlock()
		b.wg.Add(2)
		go func() { defer b.wg.Done(); _, _ = io.Copy(u, c); closeWrite(u) }()
		go func() { defer b.wg.Done(); _, _ = io.Copy(c, u); closeWrite(c) }()
	}
}

func closeWrite(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.CloseWrite()
	}
}

// Close stops accepting and closes every connection.
func (b *balancer) Close() {
	b.ln.Close()
	b.mu.Lock()
	for _, c := range b.conns {
		c.Close()
	}
	b.mu.Unlock()
	b.wg.Wait()
}

// TestFaults_TwoServers: a township syncs through the fault proxy (cuts at
// random bytes, delays, requests delivered twice) and a balancer that
// sends each connection to the other of two servers, each with its own
// store handle on one PostgreSQL database, as two serve processes behind
// a load balancer. The county must hold every result saved exactly once
// and the township's outbox all of them as accepted.
func TestFaults_TwoServers(t *testing.T) {
	countytest.Only(t, "postgres", "two servers share one database on PostgreSQL only; a bbolt file has one")
	schedules := 24
	if testing.Short() {
		schedules = 6
	}
	var total hsync.Report
	for seed := range schedules {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			loc := countytest.New(t)
			first := openCountyAt(t, loc, false)
			tokens := seedCounty(t, first, 8, townA)
			second := openCountyAt(t, loc, false)
			ts1, ts2 := serveCounty(t, first), serveCounty(t, second)
			defer ts1.Close()
			defer ts2.Close()
			u1, _ := url.Parse(ts1.URL)
			u2, _ := url.Parse(ts2.URL)
			lb := newBalancer(t, u1.Host, u2.Host)
			faulty := 1 + seed%12
			proxy := newFaultProxy(t, lb.ln.Addr().String(), randomPlan(uint64(seed), faulty))

			town := openTownship(t, tempPath(t, "town.db"), townA)
			defer town.Close()
			s := &hsync.Syncer{
				Store: town, Client: newClientTries(t, proxy.URL(), tokens[townA], 1+2*(seed%2)),
				BatchSize: 1 + seed%4, PageSize: 3, Now: fxClock,
			}
			rep := syncUntilDone(t, s, 30)
			saved := saveResults(t, town, 3+seed%6)
			s.Client.CloseIdle()
			proxy.SetPlan(randomPlan(uint64(seed)|1<<40, faulty))
			addReport(&rep, syncUntilDone(t, s, 30))
			s.Client.CloseIdle()
			proxy.Close()
			lb.Close()
			ts1.Close()
			ts2.Close()
			assertSynced(t, second, town, townA, saved)
			addReport(&total, rep)
		})
	}
	t.Logf("outcomes: %+v", total)
	if total.Accepted == 0 {
		t.Error("no result was accepted")
	}
}
