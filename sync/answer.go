package sync

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	stdsync "sync"

	"hecha"
)

// How the server writes its answers: JSON, gzipped when the client takes
// it, and every error in the protocol's shape (ErrorResponse). The client's
// side of an answer is in client_call.go.

// fail answers the request with status and the domain error e.
func (s *Server) fail(x *exchange, status int, e *hecha.Error) {
	if x.err == nil {
		x.err = e
	}
	s.writeError(x, status, e)
}

// failErr answers with an error from the county's database: its code
// decides the status. Internal errors are logged with their detail but
// answered without it; a locked or unreachable database is answered as
// unavailable, without its detail.
func (s *Server) failErr(x *exchange, err error) {
	x.err = err
	if x.r.Context().Err() != nil && errors.Is(err, x.r.Context().Err()) {
		// The client went away and the store stopped for it: nobody
		// reads the answer, and the log says 499, not a server error.
		s.writeError(x, StatusClientClosed, hecha.Errorf(hecha.EUNAVAILABLE, "", ""))
		return
	}
	e := asDomainError(err)
	switch e.Code {
	case hecha.EINTERNAL:
		e = hecha.Errorf(hecha.EINTERNAL, "", "sync.err.internal")
	case hecha.ELOCKED, hecha.EUNAVAILABLE:
		// A lost database connection is logged with its detail (which
		// names the database) and answered without it.
		e = hecha.Errorf(hecha.EUNAVAILABLE, "", "")
	}
	s.writeError(x, StatusOf(e.Code), e)
}

// StatusClientClosed is the status logged for a request whose client went
// away before the answer, so that it does not count as a server error
// (nginx's 499, "client closed request").
const StatusClientClosed = 499

// writeError answers with status and e in the protocol's error shape.
func (s *Server) writeError(x *exchange, status int, e *hecha.Error) {
	s.writeJSON(x, status, ErrorResponse{Error: e})
}

// gzipMin is the smallest body worth compressing.
const gzipMin = 1 << 10

// gzipWriters are gzip writers to reuse, by the server's answers and the
// client's requests. A new one allocates and clears about a megabyte of
// compression state, three times what compressing a pushed batch of 200
// results costs (BenchmarkGzipPushBody).
var gzipWriters = stdsync.Pool{New: func() any { return gzip.NewWriter(io.Discard) }}

// gzipBytes returns b gzip-compressed, at the default level.
func gzipBytes(b []byte) []byte {
	var zbuf bytes.Buffer
	zbuf.Grow(len(b)/4 + 64)
	zw := gzipWriters.Get().(*gzip.Writer)
	zw.Reset(&zbuf)
	_, _ = zw.Write(b)
	_ = zw.Close()
	zw.Reset(io.Discard) // holds no buffer while pooled
	gzipWriters.Put(zw)
	return zbuf.Bytes()
}

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
	if !s.recordBeforeAnswer(x, status) {
		return
	}
	h := x.w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Add("Vary", "Accept-Encoding")
	if acceptsGzip(x.r.Header.Get("Accept-Encoding")) {
		if gzipped == nil && len(body) >= gzipMin {
			gzipped = gzipBytes(body)
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
