package sync

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	stdsync "sync"
	"time"

	"hecha"
)

// How the server reads a request's body: size limits as sent and after
// gzip, and a guard against a client that stalls mid-body.

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
