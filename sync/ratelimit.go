package sync

import (
	"net/http"
	"strconv"
	stdsync "sync"
	"time"

	"golang.org/x/time/rate"

	"hecha"
)

// limiter is a set of token buckets (golang.org/x/time/rate), one per key:
// a token, or a remote address for failed authentications. A bucket holds
// up to burst tokens and refills at rate tokens a second; a request takes
// one. Buckets that are full again are forgotten, so the map holds only
// keys seen lately. Time comes from now, the server's clock.
type limiter struct {
	mu        stdsync.Mutex
	rate      rate.Limit
	burst     int
	now       func() time.Time
	buckets   map[string]*rate.Limiter
	lastSweep time.Time
}

// sweepEvery is how often the limiter forgets idle buckets.
const sweepEvery = time.Minute

// newLimiter returns a limiter, or nil (no limit) when r or burst is not
// positive.
func newLimiter(r float64, burst int, now func() time.Time) *limiter {
	if r <= 0 || burst <= 0 {
		return nil
	}
	return &limiter{rate: rate.Limit(r), burst: burst, now: now, buckets: map[string]*rate.Limiter{}}
}

// allow takes a token from key's bucket. When the bucket is empty it
// returns false and how long until a token is there; nothing is taken.
func (l *limiter) allow(key string) (bool, time.Duration) {
	if l == nil {
		return true, 0
	}
	now := l.now()
	b := l.bucket(key, now)
	r := b.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// bucket returns key's bucket, made full when new, and forgets the full
// buckets once a sweepEvery.
func (l *limiter) bucket(key string, now time.Time) *rate.Limiter {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) >= sweepEvery {
		// A full bucket is the same as a new one.
		for k, b := range l.buckets {
			if b.TokensAt(now) >= float64(l.burst) {
				delete(l.buckets, k)
			}
		}
		l.lastSweep = now
	}
	b, ok := l.buckets[key]
	if !ok {
		b = rate.NewLimiter(l.rate, l.burst)
		l.buckets[key] = b
	}
	return b
}

// size returns the number of buckets held; for tests.
func (l *limiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}

// throttle takes a token from key's bucket of l; when there is none it
// answers 429 with Retry-After and returns false.
func (s *Server) throttle(x *exchange, l *limiter, key string) bool {
	ok, wait := l.allow(key)
	if ok {
		return true
	}
	s.tooMany(x, wait)
	return false
}

// tooMany answers 429 with a Retry-After of wait, in whole seconds.
func (s *Server) tooMany(x *exchange, wait time.Duration) {
	secs := int((wait + time.Second - 1) / time.Second)
	if secs < 1 {
		secs = 1
	}
	x.w.Header().Set("Retry-After", strconv.Itoa(secs))
	s.fail(x, http.StatusTooManyRequests, hecha.Errorf(hecha.ETOOMANY, "", ""))
}
