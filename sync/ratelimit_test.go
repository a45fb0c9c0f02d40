package sync

import (
	"fmt"
	"strconv"
	stdsync "sync"
	"testing"
	"time"

	"hecha"
)

func TestServer_RateLimit(t *testing.T) {
	now := time.Date(2024, 6, 1, 8, 0, 0, 0, time.UTC)
	var mu stdsync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	_, ts := startFake(t, WithRateLimit(0.5, 3), WithClock(clock))

	for i := 0; i < 3; i++ {
		if a := rawDo(t, "GET", ts.URL+PathWhoAmI, "tokA", nil); a.status != 200 {
			t.Fatalf("request %d: %d", i, a.status)
		}
	}
	a := rawDo(t, "GET", ts.URL+PathWhoAmI, "tokA", nil)
	wantError(t, a, 429, hecha.ETOOMANY, "", "")
	if ra, _ := strconv.Atoi(a.header.Get("Retry-After")); ra != 2 {
		t.Errorf("Retry-After = %q, want 2", a.header.Get("Retry-After"))
	}
	// Another token is not held up.
	if a := rawDo(t, "GET", ts.URL+PathWhoAmI, "tokB", nil); a.status != 200 {
		t.Fatalf("other token: %d", a.status)
	}
	advance(2 * time.Second)
	if a := rawDo(t, "GET", ts.URL+PathWhoAmI, "tokA", nil); a.status != 200 {
		t.Fatalf("after the wait: %d", a.status)
	}
}

func TestServer_FailedAuthLimited(t *testing.T) {
	now := time.Date(2024, 6, 1, 8, 0, 0, 0, time.UTC)
	var mu stdsync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	f, ts := startFake(t, WithClock(clock))
	limited := false
	for i := 0; i < 3*defaultAuthFailBurst && !limited; i++ {
		a := rawDo(t, "GET", ts.URL+PathCases, fmt.Sprintf("guess%d", i), nil)
		switch a.status {
		case 401:
		case 429:
			limited = true
		default:
			t.Fatalf("status %d", a.status)
		}
	}
	if !limited {
		t.Fatal("guessing tokens is never rate limited")
	}
	if n := f.count("Authenticate"); n > defaultAuthFailBurst+1 {
		t.Errorf("Authenticate called %d times: guesses reach the database while held off", n)
	}
	// While held off, even a valid token from that address waits...
	if a := rawDo(t, "GET", ts.URL+PathWhoAmI, "tokA", nil); a.status != 429 {
		t.Fatalf("valid token while held off: %d", a.status)
	}
	// ...but not for long.
	mu.Lock()
	now = now.Add(time.Second)
	mu.Unlock()
	if a := rawDo(t, "GET", ts.URL+PathWhoAmI, "tokA", nil); a.status != 200 {
		t.Fatalf("valid token after the wait: %d", a.status)
	}
}

func TestLimiter_ForgetsIdleBuckets(t *testing.T) {
	now := time.Unix(0, 0)
	l := newLimiter(10, 5, func() time.Time { return now })
	for i := 0; i < 100; i++ {
		l.allow(fmt.Sprintf("k%d", i))
	}
	if l.size() != 100 {
		t.Fatalf("size = %d", l.size())
	}
	now = now.Add(2 * sweepEvery)
	l.allow("k0")
	if l.size() != 1 {
		t.Fatalf("size after sweep = %d, want 1", l.size())
	}
	if newLimiter(0, 5, time.Now) != nil {
		t.Fatal("rate 0 must mean no limiter")
	}
	var none *limiter
	if ok, _ := none.allow("x"); !ok {
		t.Fatal("nil limiter must allow")
	}
}
