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
	_, ts := startFake(t, WithClock(clock))
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
	// A valid token from that address is not held off by the guesses.
	if a := rawDo(t, "GET", ts.URL+PathWhoAmI, "tokA", nil); a.status != 200 {
		t.Fatalf("valid token while the address is held off: %d", a.status)
	}
	if a := rawDo(t, "GET", ts.URL+PathCases, "guess-again", nil); a.status != 429 {
		t.Fatalf("another guess while held off: %d", a.status)
	}
	// After a while the address may fail again.
	mu.Lock()
	now = now.Add(time.Second)
	mu.Unlock()
	if a := rawDo(t, "GET", ts.URL+PathCases, "guess-later", nil); a.status != 401 {
		t.Fatalf("a guess after the wait: %d", a.status)
	}
}

// TestServer_BadTokensDoNotStarveGoodOnes is the trial: one
// address sends 15 bad tokens a second, and townships behind the same
// address (a NAT) keep syncing at their own pace, never answered 429.
func TestServer_BadTokensDoNotStarveGoodOnes(t *testing.T) {
	now := time.Date(2024, 6, 1, 8, 0, 0, 0, time.UTC)
	var mu stdsync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	_, ts := startFake(t, WithClock(clock))
	bad429, good429 := 0, 0
	for i := 0; i < 15*10; i++ { // 10 s at 15 bad tokens a second
		if a := rawDo(t, "GET", ts.URL+PathCases, fmt.Sprintf("bad%d", i), nil); a.status == 429 {
			bad429++
		}
		if i%5 == 0 { // 3 good requests a second, from two townships
			tok := []string{"tokA", "tokB"}[i/5%2]
			if a := rawDo(t, "GET", ts.URL+PathWhoAmI, tok, nil); a.status != 200 {
				good429++
				t.Errorf("request %d with a valid token: %d", i, a.status)
			}
		}
		mu.Lock()
		now = now.Add(time.Second / 15)
		mu.Unlock()
	}
	if bad429 == 0 {
		t.Error("the bad tokens were never throttled")
	}
	t.Logf("bad tokens answered 429: %d of 150; valid tokens: %d of 30", bad429, good429)
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
