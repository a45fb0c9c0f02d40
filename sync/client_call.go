package sync

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"hecha"
)

// A call from the client to the county: its attempts with backoff, one
// attempt's request and answer, and what a failed attempt means to the
// clerk. The endpoints that make calls are in client.go.

// do sends one request, trying up to tries times, and decodes a 2xx
// answer into out.
func (c *Client) do(ctx context.Context, tries int, method, path string, q url.Values, in, out any) error {
	_, err := c.call(ctx, tries, method, path, q, nil, in, out)
	return err
}

// call is do with extra request headers; it returns the answer's status
// and headers. A 304 Not Modified answer is a success with nothing
// decoded.
func (c *Client) call(ctx context.Context, tries int, method, path string, q url.Values, hdr http.Header, in, out any) (answer, error) {
	var body []byte
	gzipped := false
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return answer{}, fmt.Errorf("encode %s: %w", path, err)
		}
		body = b
		if len(b) > gzipMin {
			body, gzipped = gzipBytes(b), true
		}
	}
	u := *c.base
	u.Path += path
	u.RawQuery = q.Encode()
	r := request{method: method, url: u.String(), path: path, key: newBatchID(), header: hdr, body: body, gzipped: gzipped}
	var err error
	var ans answer
	for try := 0; try < tries; try++ {
		var wait time.Duration
		var retry bool
		ans, retry, wait, err = c.once(ctx, r, out)
		if err == nil || !retry || try == tries-1 {
			break
		}
		if wait == 0 {
			wait = c.backoffFor(try)
		}
		if err := sleep(ctx, wait); err != nil {
			return answer{}, err
		}
	}
	return ans, err
}

// backoffFor returns a random wait before try+1: up to base·2^try, at most
// backoffMax ("full jitter").
func (c *Client) backoffFor(try int) time.Duration {
	d := c.backoff << min(try, 20)
	if d <= 0 || d > c.backoffMax {
		d = c.backoffMax
	}
	if d <= 0 {
		return 0
	}
	return time.Duration(mrand.Int64N(int64(d)) + 1)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// userAgent names the client in the server's logs.
const userAgent = "hecha-sync/" + ProtocolVersion

// request is one request of the protocol, as every try sends it.
type request struct {
	method, url, path string
	// key is the Idempotency-Key, the same for every try.
	key     string
	header  http.Header // extra headers, may be nil
	body    []byte
	gzipped bool
}

// answer is the status and headers of an answer.
type answer struct {
	status int
	header http.Header
}

// once sends one request. It returns the answer's status and headers,
// whether the request may be tried again, how long to wait first (0: the
// usual backoff) and the error.
func (c *Client) once(ctx context.Context, r request, out any) (ans answer, retry bool, wait time.Duration, err error) {
	var rd io.Reader
	if r.body != nil {
		rd = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, r.url, rd)
	if err != nil {
		return ans, false, 0, hecha.Invalid("server_url", "sync.err.url", c.base.String())
	}
	h := req.Header
	for k, vs := range r.header {
		h[k] = vs
	}
	h.Set("User-Agent", userAgent)
	h.Set(ProtocolHeader, ProtocolVersion)
	h.Set("Accept", "application/json")
	h.Set("Accept-Encoding", "gzip")
	if r.path != PathHealth {
		h.Set("Authorization", "Bearer "+c.token)
	}
	if r.body != nil {
		h.Set("Content-Type", "application/json")
		// Every request of the protocol is idempotent; saying so lets the
		// transport resend a request whose kept-alive connection died.
		h.Set("Idempotency-Key", r.key)
		if r.gzipped {
			h.Set("Content-Encoding", "gzip")
		}
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		if perr := pinFailure(err); perr != nil {
			// Not the pinned certificate: no use trying again.
			return ans, false, 0, perr
		}
		if ctx.Err() != nil {
			return ans, false, 0, ctx.Err()
		}
		return ans, true, 0, unreachable(err)
	}
	ans = answer{status: resp.StatusCode, header: resp.Header}
	defer func() {
		// Drain a little so the connection can be reused.
		_, _ = io.CopyN(io.Discard, resp.Body, 4<<10)
		resp.Body.Close()
	}()
	if v := resp.Header.Get(ProtocolHeader); v != "" && v != ProtocolVersion {
		return ans, false, 0, hecha.Errorf(hecha.EINVALID, "", "sync.err.protocol", ProtocolVersion, v)
	}
	if resp.StatusCode == http.StatusNotModified {
		// Only an If-None-Match asks for it; there is no body to read.
		if resp.Header.Get(ProtocolHeader) == "" {
			return ans, false, 0, hecha.Errorf(hecha.EUNAVAILABLE, "", "sync.err.answer", "no "+ProtocolHeader+" header")
		}
		return ans, false, 0, nil
	}
	// The transport's own read error, apart from what the JSON decoder
	// makes of it: a body cut short is a broken connection, a body that
	// arrived whole but does not parse is a bad answer.
	wire := &readErrRecorder{r: resp.Body}
	rbody, err := answerBody(resp, wire)
	if err != nil {
		return ans, true, 0, answerError(wire.cause(err))
	}
	defer rbody.Close()
	switch s := resp.StatusCode; {
	case s >= 200 && s < 300:
		if resp.Header.Get(ProtocolHeader) == "" {
			// Something else answered: a proxy, a login page.
			return ans, false, 0, hecha.Errorf(hecha.EUNAVAILABLE, "", "sync.err.answer", "no "+ProtocolHeader+" header")
		}
		dec := json.NewDecoder(rbody)
		if err := dec.Decode(out); err != nil {
			if ctx.Err() != nil {
				return ans, false, 0, ctx.Err()
			}
			// Most likely the connection was cut mid-answer.
			return ans, true, 0, answerError(wire.cause(err))
		}
		return ans, false, 0, nil
	case s == http.StatusTooManyRequests:
		e := decodeError(s, rbody)
		wait := retryAfter(resp.Header.Get("Retry-After"), answerDate(resp))
		if wait > c.maxWait {
			return ans, false, 0, e
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			return ans, false, 0, e
		}
		return ans, true, max(wait, time.Millisecond), e
	case s == http.StatusBadGateway || s == http.StatusServiceUnavailable || s == http.StatusGatewayTimeout:
		e := decodeError(s, rbody)
		wait := retryAfter(resp.Header.Get("Retry-After"), answerDate(resp))
		return ans, wait <= c.maxWait, min(wait, c.maxWait), e
	default:
		return ans, false, 0, decodeError(s, rbody)
	}
}

// answerBody returns the answer's body, gunzipped when the server gzipped
// it, and bounded in size after decompression.
func answerBody(resp *http.Response, body io.Reader) (io.ReadCloser, error) {
	switch strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding"))) {
	case "", "identity":
		return io.NopCloser(&limitReader{r: body, left: maxResponseBody}), nil
	case "gzip":
		zr, err := gzip.NewReader(body)
		if err != nil {
			return nil, err
		}
		return readCloser{&limitReader{r: zr, left: maxResponseBody}, zr}, nil
	default:
		return nil, errUnknownEncoding
	}
}

var errUnknownEncoding = hecha.Errorf(hecha.EUNAVAILABLE, "", "sync.err.answer", "unknown content encoding")

// answerDate is the time the answer was made, by its Date header; zero when
// absent or unreadable.
func answerDate(resp *http.Response) time.Time {
	t, err := http.ParseTime(resp.Header.Get("Date"))
	if err != nil {
		return time.Time{}
	}
	return t
}

// retryAfter returns the wait a Retry-After header asks for: seconds or an
// HTTP date; 0 when absent or unreadable. A date is measured from now, the
// answer's own Date header, not from the township computer's clock, which
// may well be wrong; without a Date (a zero now) a date cannot be measured
// and the wait is 0, as for an unreadable header.
func retryAfter(h string, now time.Time) time.Duration {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0
	}
	if n, err := strconv.Atoi(h); err == nil {
		if n < 0 {
			return 0
		}
		return time.Duration(min(n, 24*3600)) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil && !now.IsZero() && t.After(now) {
		return min(t.Sub(now), 24*time.Hour)
	}
	return 0
}

// unreachable turns a transport error into EUNAVAILABLE: the county
// cannot be reached, or the connection broke once it was (sync.err.broken).
func unreachable(err error) *hecha.Error {
	msg := err.Error()
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		msg = "timeout: " + msg
	} else if broken(err) {
		return hecha.Errorf(hecha.EUNAVAILABLE, "", "sync.err.broken", msg)
	}
	return hecha.Errorf(hecha.EUNAVAILABLE, "", "sync.err.unreachable", msg)
}

// answerError turns an error reading an answer into EUNAVAILABLE.
func answerError(err error) *hecha.Error {
	if e, ok := err.(*hecha.Error); ok {
		return e
	}
	if broken(err) {
		return hecha.Errorf(hecha.EUNAVAILABLE, "", "sync.err.broken", err.Error())
	}
	return hecha.Errorf(hecha.EUNAVAILABLE, "", "sync.err.answer", err.Error())
}

// readErrRecorder keeps the first error other than io.EOF that reading
// the answer's body from the connection gave.
type readErrRecorder struct {
	r   io.Reader
	err error
}

func (w *readErrRecorder) Read(p []byte) (int, error) {
	n, err := w.r.Read(p)
	if err != nil && err != io.EOF && w.err == nil {
		w.err = err
	}
	return n, err
}

// cause returns the connection's error when reading it failed, and err,
// what was made of the bytes read, otherwise.
func (w *readErrRecorder) cause(err error) error {
	if w.err != nil {
		return w.err
	}
	if e, ok := err.(*hecha.Error); ok {
		return e
	}
	// The body arrived whole: whatever is wrong is in it.
	return hecha.Errorf(hecha.EUNAVAILABLE, "", "sync.err.answer", err.Error())
}

// broken reports whether err is a connection that ended or was reset
// after it was made, as opposed to one that could not be made.
func broken(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return false
	}
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.As(err, &op) && (op.Op == "read" || op.Op == "write")
}

// countingConn counts the bytes of a client connection.
type countingConn struct {
	net.Conn
	c *Client
}

func (cc *countingConn) Read(p []byte) (int, error) {
	n, err := cc.Conn.Read(p)
	cc.c.recvd.Add(int64(n))
	return n, err
}

func (cc *countingConn) Write(p []byte) (int, error) {
	n, err := cc.Conn.Write(p)
	cc.c.sent.Add(int64(n))
	return n, err
}
