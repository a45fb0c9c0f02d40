package sync

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"time"

	"hecha"
)

// Timeouts are the county server's connection timeouts.
type Timeouts struct {
	ReadHeader time.Duration // to read a request's headers (slow clients)
	Read       time.Duration // to read a whole request
	BodyIdle   time.Duration // the longest wait for more of a request's body (stalled clients)
	Write      time.Duration // to write the answer, from the end of the headers
	Idle       time.Duration // between requests on a kept-alive connection
	Shutdown   time.Duration // for requests in flight when the server stops
}

// DefaultTimeouts are the timeouts used unless WithTimeouts says otherwise.
var DefaultTimeouts = Timeouts{
	ReadHeader: 10 * time.Second,
	Read:       2 * time.Minute,
	BodyIdle:   10 * time.Second,
	Write:      2 * time.Minute,
	Idle:       2 * time.Minute,
	Shutdown:   15 * time.Second,
}

// Default rate limits: per token, and per remote address for requests
// whose token fails authentication.
const (
	DefaultRate          = 20
	DefaultBurst         = 40
	defaultAuthFailRate  = 2
	defaultAuthFailBurst = 10
	maxHeaderBytes       = 64 << 10
)

// LogEntry describes one request, for the log hook.
type LogEntry struct {
	Time     time.Time     // when the request arrived
	Remote   string        // the client's address
	Method   string        // GET, POST
	Path     string        // the URL path
	Township hecha.Code    // the token's township, once authenticated
	Status   int           // the HTTP status answered
	BytesIn  int64         // request body bytes read, as sent
	BytesOut int64         // answer body bytes written, as sent
	Duration time.Duration // from arrival to the end of the answer
	Err      error         // the error answered, if any (with its detail)
}

// Server is the county's sync API. Create it with NewServer; it is safe
// for concurrent use.
type Server struct {
	county   hecha.CountyStore
	maxBody  int64
	limit    *limiter
	authFail *limiter
	log      func(LogEntry)
	timeouts Timeouts
	now      func() time.Time
	rate     float64
	burst    int
	// maxPushes is WithMaxPushes' n.
	maxPushes int
	// divisions caches the answer of GET /api/v1/divisions.
	divisions divisionsCache
	// audit, when set, records the requests for personal data (audit.go).
	audit hecha.AuditLog
	// pushes admits pushed batches (see WithMaxPushes); nil admits all.
	pushes chan struct{}
	// maxApplies is WithMaxApplies' n.
	maxApplies int
	// applies lets admitted batches apply their results (see
	// WithMaxApplies); nil lets all.
	applies chan struct{}
}

// Option configures NewServer.
type Option func(*Server)

// WithMaxBody sets the largest request body read, as sent and after
// decompression (DefaultMaxBody by default).
func WithMaxBody(n int64) Option { return func(s *Server) { s.maxBody = n } }

// DefaultMaxPushes is how many pushed batches a server handles at once
// unless WithMaxPushes says otherwise. Under 200 townships pushing at
// once (BenchmarkProvinceSync, two servers on one PostgreSQL database, all
// on two cores), 4 took as many results a second as 6 or 12 and kept a
// pull page's p50 near 50 ms, against 80 ms at 6 and 200 ms to 1.6 s at
// 12: more batches at once only queue for the same CPU, in the database
// and in the server, ahead of the pulls.
const DefaultMaxPushes = 4

// WithMaxPushes sets how many pushed batches (POST /api/v1/results) the
// server handles at once, from the token check to the answer; the others
// wait their turn, in the order they came, before their token is checked.
// Many townships pushing at once then hold no more than that of the
// database's connections, token checks included, and a pull finds one. 0
// or less admits every batch at once.
func WithMaxPushes(n int) Option { return func(s *Server) { s.maxPushes = n } }

// DefaultMaxApplies is how many of the pushed batches a server handles
// apply their results to the county's database at once unless
// WithMaxApplies says otherwise: one.
//
// Under 200 townships pushing at once (BenchmarkProvinceSync, two servers
// on one PostgreSQL database, all on two cores), 1 brought a pull page's
// p99 from 118-249 ms to 56-129 ms (under 100 in four runs of five) at
// about 5% fewer results a second; on a slower day, from 170-263 ms to
// 99-170 ms at about 14% fewer. Each batch applied beside another adds a
// database process busy writing, and a pull's query and audit commit
// share the CPU with every one of them. A bbolt database writes one
// transaction at a time whatever the limit.
// It became the default once the registry statements that batches of
// confirmations (R4) run stopped reading the whole registry when it had
// grown since they were planned (README, "Performance", PostgreSQL, (18)
// and (19)); with 1, nearly all of a server's pushes go through one
// connection, whose plans had been made while the registry was empty.
const DefaultMaxApplies = 1

// WithMaxApplies sets how many of the pushed batches the server handles
// (WithMaxPushes) apply their results to the county's database at once,
// in one transaction each; the others, their token checked and their
// body read, wait their turn in the order they came. A batch that waits
// for a lock (a second server applying the same township's batch, an
// operator's assignment) holds its turn meanwhile. 0 or less lets every
// handled batch apply at once.
func WithMaxApplies(n int) Option { return func(s *Server) { s.maxApplies = n } }

// WithRateLimit sets the per-token limit: rate requests a second with
// bursts of burst. A rate of 0 turns the limit off.
func WithRateLimit(rate float64, burst int) Option {
	return func(s *Server) { s.rate, s.burst = rate, burst }
}

// WithLog sets a hook called once for every request when its answer is
// written.
func WithLog(fn func(LogEntry)) Option { return func(s *Server) { s.log = fn } }

// WithTimeouts sets the connection timeouts (DefaultTimeouts by default);
// zero fields keep their defaults.
func WithTimeouts(t Timeouts) Option {
	return func(s *Server) {
		if t.ReadHeader > 0 {
			s.timeouts.ReadHeader = t.ReadHeader
		}
		if t.Read > 0 {
			s.timeouts.Read = t.Read
		}
		if t.BodyIdle > 0 {
			s.timeouts.BodyIdle = t.BodyIdle
		}
		if t.Write > 0 {
			s.timeouts.Write = t.Write
		}
		if t.Idle > 0 {
			s.timeouts.Idle = t.Idle
		}
		if t.Shutdown > 0 {
			s.timeouts.Shutdown = t.Shutdown
		}
	}
}

// WithClock sets the clock of the rate limiter and the log. It is
// required: the command passes time.Now, tests a fixed clock.
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// NewServer returns the county's sync API over county. Every request is
// answered with the township of its token only: the handlers pass that
// township to county and never read another township's data. NewServer
// panics without WithClock: the package never reads the real clock itself.
func NewServer(county hecha.CountyStore, opts ...Option) *Server {
	s := &Server{
		county:   county,
		maxBody:  DefaultMaxBody,
		timeouts: DefaultTimeouts,
		rate:     DefaultRate,
		burst:    DefaultBurst,

		maxPushes:  DefaultMaxPushes,
		maxApplies: DefaultMaxApplies,
	}
	for _, o := range opts {
		o(s)
	}
	if s.now == nil {
		panic("sync: NewServer needs WithClock")
	}
	if s.maxBody <= 0 {
		s.maxBody = DefaultMaxBody
	}
	if s.maxPushes > 0 {
		s.pushes = make(chan struct{}, s.maxPushes)
	}
	if s.maxApplies > 0 {
		s.applies = make(chan struct{}, s.maxApplies)
	}
	s.limit = newLimiter(s.rate, s.burst, s.now)
	s.authFail = newLimiter(defaultAuthFailRate, defaultAuthFailBurst, s.now)
	return s
}

// HTTPServer returns an http.Server for the API with the server's timeouts
// and header limit, listening on addr.
func (s *Server) HTTPServer(addr string) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           s.Handler(),
		ReadHeaderTimeout: s.timeouts.ReadHeader,
		ReadTimeout:       s.timeouts.Read,
		WriteTimeout:      s.timeouts.Write,
		IdleTimeout:       s.timeouts.Idle,
		MaxHeaderBytes:    maxHeaderBytes,
		TLSConfig:         &tls.Config{MinVersion: tls.VersionTLS12},
	}
}

// ListenAndServe listens on addr and serves the API until ctx is done,
// then shuts down gracefully: it stops accepting connections and waits (up
// to the Shutdown timeout) for requests in flight. With tlsCert and tlsKey
// (PEM files) it serves HTTPS. It returns nil after a graceful shutdown.
func (s *Server) ListenAndServe(ctx context.Context, addr, tlsCert, tlsKey string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return hecha.Errorf(hecha.EUNAVAILABLE, "", "sync.err.unreachable", err.Error())
	}
	return s.Serve(ctx, ln, tlsCert, tlsKey)
}

// Serve is ListenAndServe on a listener the caller opened; it closes ln.
func (s *Server) Serve(ctx context.Context, ln net.Listener, tlsCert, tlsKey string) error {
	hs := s.HTTPServer(ln.Addr().String())
	done := make(chan error, 1)
	stop := context.AfterFunc(ctx, func() {
		sctx, cancel := context.WithTimeout(context.Background(), s.timeouts.Shutdown)
		defer cancel()
		err := hs.Shutdown(sctx)
		if err != nil {
			// Requests still running after the grace period are cut.
			_ = hs.Close()
		}
		done <- err
	})
	var err error
	if tlsCert != "" || tlsKey != "" {
		err = hs.ServeTLS(ln, tlsCert, tlsKey)
	} else {
		err = hs.Serve(ln)
	}
	if !errors.Is(err, http.ErrServerClosed) {
		if stop() {
			_ = hs.Close()
		}
		return err
	}
	if stop() {
		// Closed by someone else than ctx: nothing to wait for.
		return nil
	}
	if serr := <-done; serr != nil && !errors.Is(serr, context.DeadlineExceeded) {
		return serr
	}
	return nil
}
