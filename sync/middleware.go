package sync

// The wrappers every request goes through, outermost first: logged (the
// log hook and the exchange), recovered (a panic answered 500), versioned
// (the protocol header), then the router (routes.go), and on the endpoints
// that need a token, authenticated (auth.go: the token, and the rate limits
// of ratelimit.go). The answers are written by answer.go, the request
// bodies read by body.go.

import (
	"context"
	"fmt"
	"net/http"
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
	audit    *auditNote // set by audited (audit.go)
}

// exchangeKey is the request context's key of the exchange.
type exchangeKey struct{}

// exchangeOf returns the exchange of a request that went through logged.
func exchangeOf(r *http.Request) *exchange {
	return r.Context().Value(exchangeKey{}).(*exchange)
}

// logged starts the exchange of a request, which the wrappers inside and
// the handlers share through the request's context, and calls the log
// hook once the answer is written. A handler that aborts (panics with
// http.ErrAbortHandler) is not logged.
func (s *Server) logged(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// r.Body stays as the server made it: the server looks at its
		// type to tell whether a handler left part of it unread.
		x := &exchange{w: &countingWriter{ResponseWriter: w}, start: s.now()}
		x.r = r.WithContext(context.WithValue(r.Context(), exchangeKey{}, x))
		next.ServeHTTP(x.w, x.r)
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
	})
}

// recovered answers a panic with a 500 (when nothing is written yet) and
// keeps it as the exchange's error, for the log.
func (s *Server) recovered(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			p := recover()
			if p == nil {
				return
			}
			if p == http.ErrAbortHandler {
				panic(p)
			}
			x := exchangeOf(r)
			x.err = fmt.Errorf("panic: %v", p)
			if !x.w.wrote {
				s.writeError(x, http.StatusInternalServerError, hecha.Errorf(hecha.EINTERNAL, "", "sync.err.internal"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// versioned names the protocol version on every answer and refuses a
// request that names another one.
func (s *Server) versioned(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set(ProtocolHeader, ProtocolVersion)
		if v := r.Header.Get(ProtocolHeader); v != "" && v != ProtocolVersion {
			s.fail(exchangeOf(r), http.StatusBadRequest, hecha.Errorf(hecha.EINVALID, "", "sync.err.protocol", ProtocolVersion, v))
			return
		}
		next.ServeHTTP(w, r)
	})
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
