package sync

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	stdsync "sync"
	"time"

	"hecha"
)

// exchange is one request on its way through the server.
type exchange struct {
	w        *countingWriter
	r        *http.Request
	start    time.Time
	township hecha.Code
	device   string // a fingerprint of the token, once authenticated
	bytesIn  *countingReader
	err      error
}

// route is one endpoint: its method, whether it needs a token, and its
// handler.
type route struct {
	method string
	auth   bool
	handle func(*Server, *exchange)
}

var routes = map[string]route{
	PathHealth:    {http.MethodGet, false, (*Server).handleHealth},
	PathWhoAmI:    {http.MethodGet, true, (*Server).handleWhoAmI},
	PathCases:     {http.MethodGet, true, (*Server).handleCases},
	PathRegistry:  {http.MethodGet, true, (*Server).handleRegistry},
	PathResults:   {http.MethodPost, true, (*Server).handleResults},
	PathCheck:     {http.MethodPost, true, (*Server).handleCheck},
	PathDivisions: {http.MethodGet, true, (*Server).handleDivisions},
}

// serveHTTP dispatches a request: logging, panic recovery, the protocol
// version, the route, authentication and the rate limit.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	// r.Body stays as the server made it: the server looks at its type to
	// tell whether a handler left part of it unread.
	x := &exchange{w: &countingWriter{ResponseWriter: w}, r: r, start: s.now()}
	defer s.finish(x)
	x.w.Header().Set(ProtocolHeader, ProtocolVersion)

	if v := r.Header.Get(ProtocolHeader); v != "" && v != ProtocolVersion {
		s.fail(x, http.StatusBadRequest, hecha.Errorf(hecha.EINVALID, "", "sync.err.protocol", ProtocolVersion, v))
		return
	}
	rt, ok := routes[r.URL.Path]
	if !ok {
		s.fail(x, http.StatusNotFound, hecha.Errorf(hecha.ENOTFOUND, "", "sync.err.route", r.URL.Path))
		return
	}
	if r.Method != rt.method && !(rt.method == http.MethodGet && r.Method == http.MethodHead) {
		x.w.Header().Set("Allow", rt.method)
		s.fail(x, http.StatusMethodNotAllowed, hecha.Errorf(hecha.EINVALID, "", "sync.err.method", r.Method))
		return
	}
	if rt.auth && !s.authenticate(x) {
		return
	}
	rt.handle(s, x)
}

// finish recovers a panic into a 500 and calls the log hook.
func (s *Server) finish(x *exchange) {
	if p := recover(); p != nil {
		if p == http.ErrAbortHandler {
			panic(p)
		}
		x.err = fmt.Errorf("panic: %v", p)
		if !x.w.wrote {
			s.writeError(x, http.StatusInternalServerError, hecha.Errorf(hecha.EINTERNAL, "", "sync.err.internal"))
		}
	}
	if s.log == nil {
		return
	}
	e := LogEntry{
		Time: x.start, Remote: x.r.RemoteAddr, Method: x.r.Method, Path: x.r.URL.Path,
		Township: x.township, Status: x.w.status, BytesOut: x.w.n,
		Duration: s.now().Sub(x.start), Err: x.err,
	}
	if e.Status == 0 {
		e.Status = http.StatusOK
	}
	if x.bytesIn != nil {
		e.BytesIn = x.bytesIn.n
	}
	s.log(e)
}

// authenticate resolves the bearer token to its township and applies the
// rate limits; it answers the request itself and returns false when the
// request may not go on. The token is checked first: a valid token is
// held only to its own rate, whatever other requests from its address do
// (townships behind one NAT or proxy share an address), and only failed
// authentications count against the address.
func (s *Server) authenticate(x *exchange) bool {
	token, ok := bearer(x.r.Header.Get("Authorization"))
	if !ok {
		if !s.throttle(x, s.authFail, "ip:"+remoteHost(x.r.RemoteAddr)) {
			return false
		}
		x.w.Header().Set("WWW-Authenticate", `Bearer realm="hecha"`)
		s.fail(x, http.StatusUnauthorized, hecha.Errorf(hecha.EUNAUTHORIZED, "", "sync.err.token_missing"))
		return false
	}
	township, err := s.county.Authenticate(x.r.Context(), token)
	if err != nil {
		if hecha.ErrorCode(err) == hecha.EUNAUTHORIZED {
			if !s.throttle(x, s.authFail, "ip:"+remoteHost(x.r.RemoteAddr)) {
				return false
			}
			x.w.Header().Set("WWW-Authenticate", `Bearer realm="hecha", error="invalid_token"`)
		}
		s.failErr(x, err)
		return false
	}
	x.township, x.device = township, deviceOf(token)
	return s.throttle(x, s.limit, "token:"+token)
}

// deviceOf returns a fingerprint of a token: what the county records as
// the sender of a result, without keeping the token.
func deviceOf(token string) string {
	sum := sha256.Sum256([]byte("hecha device " + token))
	return hex.EncodeToString(sum[:8])
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

// bearer returns the token of an "Authorization: Bearer TOKEN" header.
func bearer(h string) (string, bool) {
	const prefix = "bearer "
	if len(h) <= len(prefix) || !strings.EqualFold(h[:len(prefix)], prefix) {
		return "", false
	}
	tok := strings.TrimSpace(h[len(prefix):])
	return tok, tok != ""
}

func remoteHost(addr string) string {
	if h, _, err := net.SplitHostPort(addr); err == nil {
		return h
	}
	return addr
}

// fail answers the request with status and the domain error e.
func (s *Server) fail(x *exchange, status int, e *hecha.Error) {
	if x.err == nil {
		x.err = e
	}
	s.writeError(x, status, e)
}

// failErr answers with an error from the county's database: its code
// decides the status. Internal errors are logged with their detail but
// answered without it; a locked database is answered as unavailable.
func (s *Server) failErr(x *exchange, err error) {
	x.err = err
	e := asDomainError(err)
	switch e.Code {
	case hecha.EINTERNAL:
		e = hecha.Errorf(hecha.EINTERNAL, "", "sync.err.internal")
	case hecha.ELOCKED:
		e = hecha.Errorf(hecha.EUNAVAILABLE, "", "")
	}
	s.writeError(x, StatusOf(e.Code), e)
}

func (s *Server) writeError(x *exchange, status int, e *hecha.Error) {
	s.writeJSON(x, status, ErrorResponse{Error: e})
}

// gzipMin is the smallest body worth compressing.
const gzipMin = 1 << 10

var gzipWriters = stdsync.Pool{New: func() any { return gzip.NewWriter(io.Discard) }}

// writeJSON answers with v as JSON, gzipped when the client accepts it and
// the body is large enough to gain from it.
func (s *Server) writeJSON(x *exchange, status int, v any) {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		x.err = err
		status = http.StatusInternalServerError
		buf.Reset()
		_ = json.NewEncoder(&buf).Encode(ErrorResponse{Error: hecha.Errorf(hecha.EINTERNAL, "", "sync.err.internal")})
	}
	x.w.Header().Set("Cache-Control", "no-store")
	s.writeBody(x, status, buf.Bytes(), nil)
}

// writeBody answers with the JSON body, or with gzipped, its gzip form,
// when the client accepts gzip; a nil gzipped is made here when the body
// is large enough to gain from it. The caller sets Cache-Control.
func (s *Server) writeBody(x *exchange, status int, body, gzipped []byte) {
	h := x.w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Add("Vary", "Accept-Encoding")
	if acceptsGzip(x.r.Header.Get("Accept-Encoding")) {
		if gzipped == nil && len(body) >= gzipMin {
			var zbuf bytes.Buffer
			zw := gzipWriters.Get().(*gzip.Writer)
			zw.Reset(&zbuf)
			_, _ = zw.Write(body)
			_ = zw.Close()
			gzipWriters.Put(zw)
			gzipped = zbuf.Bytes()
		}
		if gzipped != nil {
			body = gzipped
			h.Set("Content-Encoding", "gzip")
		}
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	x.w.WriteHeader(status)
	if x.r.Method != http.MethodHead {
		_, _ = x.w.Write(body)
	}
}

// acceptsGzip reports whether an Accept-Encoding header admits gzip.
func acceptsGzip(h string) bool {
	for _, part := range strings.Split(h, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), "gzip") {
			continue
		}
		q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}

// errTooLarge is returned by the decompressed-size limit.
var errTooLarge = errors.New("body too large")

// readJSON decodes the request body into v, gunzipping it when the client
// says so. The body is limited to maxBody bytes as sent and again after
// decompression. It answers the request itself and returns false when the
// body cannot be read.
func (s *Server) readJSON(x *exchange, v any) bool {
	body := http.MaxBytesReader(x.w.ResponseWriter, x.r.Body, s.maxBody)
	defer body.Close()
	stall := newStallGuard(x.w.ResponseWriter, s.timeouts.BodyIdle)
	defer stall.stop()
	x.bytesIn = &countingReader{r: body, progress: stall.progress}
	var rd io.Reader = x.bytesIn
	switch enc := strings.ToLower(strings.TrimSpace(x.r.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
	case "gzip":
		zr, err := gzip.NewReader(rd)
		if err != nil {
			s.bodyError(x, err)
			return false
		}
		defer zr.Close()
		rd = &limitReader{r: zr, left: s.maxBody}
	default:
		s.fail(x, http.StatusUnsupportedMediaType, hecha.Errorf(hecha.EINVALID, "", "sync.err.encoding", enc))
		return false
	}
	// Every request body is a JSON object: null, an array or a bare value
	// would decode into an empty request.
	br := bufio.NewReader(rd)
	if c, err := peekNonSpace(br); err != nil {
		s.bodyError(x, err)
		return false
	} else if c != '{' {
		s.fail(x, http.StatusBadRequest, hecha.Errorf(hecha.EINVALID, "", "sync.err.body_object"))
		return false
	}
	dec := json.NewDecoder(br)
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			// The message names the field and the JSON type, not Go's types.
			x.err = err
			x.w.Header().Set("Connection", "close")
			s.writeError(x, http.StatusBadRequest, hecha.Errorf(hecha.EINVALID, te.Field, "sync.err.field_type", te.Field, te.Value))
			return false
		}
		s.bodyError(x, err)
		return false
	}
	// Anything but white space after the value is an error, and reading
	// to the end also checks the gzip stream's checksum.
	if _, err := dec.Token(); err != io.EOF {
		if err == nil {
			err = errors.New("data after the JSON value")
		}
		s.bodyError(x, err)
		return false
	}
	return true
}

// peekNonSpace returns the first byte of br that is not JSON white space,
// without consuming it; at the end of the body io.ErrUnexpectedEOF.
func peekNonSpace(br *bufio.Reader) (byte, error) {
	for {
		b, err := br.Peek(1)
		if err == io.EOF {
			return 0, io.ErrUnexpectedEOF
		}
		if err != nil {
			return 0, err
		}
		switch b[0] {
		case ' ', '\t', '\r', '\n':
			_, _ = br.ReadByte()
		default:
			return b[0], nil
		}
	}
}

// bodyError answers a request whose body could not be read: 413 when it
// was too large, 400 otherwise.
func (s *Server) bodyError(x *exchange, err error) {
	// The rest of the body is not worth reading: end the connection.
	x.w.Header().Set("Connection", "close")
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) || errors.Is(err, errTooLarge) {
		x.err = err
		s.writeError(x, http.StatusRequestEntityTooLarge, hecha.Errorf(hecha.EINVALID, "", "sync.err.too_large", s.maxBody))
		return
	}
	// A body cut short or stalled is the client's failure, not the
	// server's: the log says so.
	var ne net.Error
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF) && x.bytesIn != nil && x.r.ContentLength != 0 &&
		(x.r.ContentLength < 0 || x.bytesIn.n < x.r.ContentLength):
		x.err = hecha.Errorf(hecha.EINVALID, "", "sync.err.body_cut", x.bytesIn.n)
	case errors.As(err, &ne) && ne.Timeout():
		x.err = hecha.Errorf(hecha.EINVALID, "", "sync.err.body_stalled")
	default:
		x.err = hecha.Errorf(hecha.EINVALID, "", "sync.err.bad_json", err.Error())
	}
	s.writeError(x, http.StatusBadRequest, x.err.(*hecha.Error))
}

// stallGuard ends the reading of a request body that receives nothing for
// idle: its timer sets the connection's read deadline in the past, which
// fails the read in progress. Each read that brings bytes restarts the
// timer. It uses no wall clock: the timer counts the duration.
type stallGuard struct {
	mu    stdsync.Mutex
	rc    *http.ResponseController
	timer *time.Timer
	idle  time.Duration
	fired bool
	done  bool
}

func newStallGuard(w http.ResponseWriter, idle time.Duration) *stallGuard {
	g := &stallGuard{rc: http.NewResponseController(w), idle: idle}
	if idle > 0 {
		g.timer = time.AfterFunc(idle, g.fire)
	}
	return g
}

func (g *stallGuard) fire() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.done {
		return
	}
	g.fired = true
	_ = g.rc.SetReadDeadline(time.Unix(1, 0))
}

// progress restarts the timer after a read that brought bytes.
func (g *stallGuard) progress() {
	if g.timer == nil {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.done && !g.fired {
		g.timer.Reset(g.idle)
	}
}

// stop ends the guard once the body is read (or given up).
func (g *stallGuard) stop() {
	if g.timer == nil {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.done = true
	g.timer.Stop()
}

// limitReader reads at most left bytes and then fails with errTooLarge
// (unlike io.LimitReader, which would end quietly with a truncated body).
type limitReader struct {
	r    io.Reader
	left int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		// Allow the stream to end exactly at the limit.
		var one [1]byte
		if n, err := l.r.Read(one[:]); n == 0 && err != nil {
			return 0, err
		}
		return 0, errTooLarge
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}

// countingWriter records the status and the bytes of the answer.
type countingWriter struct {
	http.ResponseWriter
	status int
	n      int64
	wrote  bool
}

func (w *countingWriter) WriteHeader(status int) {
	if !w.wrote {
		w.status, w.wrote = status, true
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.wrote = true
	n, err := w.ResponseWriter.Write(p)
	w.n += int64(n)
	return n, err
}

// countingReader counts the bytes read of a request body and calls
// progress, when set, after each read that brought some.
type countingReader struct {
	r        io.Reader
	n        int64
	progress func()
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if n > 0 && c.progress != nil {
		c.progress()
	}
	return n, err
}

type readCloser struct {
	io.Reader
	io.Closer
}
