package sync

import (
	"net/http"
	"path"
	"strings"

	"hecha"
)

// Handler returns the HTTP handler of the API.
func (s *Server) Handler() http.Handler {
	return s.logged(s.recovered(s.versioned(s.routes())))
}

// routes returns the router of the API's endpoints. Every miss is answered
// in the protocol's error shape: an unknown path 404, a known path with
// another method 405 with Allow (GET admits HEAD, as ServeMux has it).
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	handle := func(method, p string, auth bool, fn func(*Server, *exchange)) {
		var h http.Handler = s.endpoint(fn)
		if auditedPaths[p] {
			h = s.audited(h)
		}
		if auth {
			h = s.authenticated(h)
		}
		if p == PathResults {
			h = s.admitted(h)
		}
		mux.Handle(method+" "+p, h)
		// The same path without a method: what the method pattern leaves.
		mux.Handle(p, s.methodNotAllowed(method))
	}
	handle(http.MethodGet, PathHealth, false, (*Server).handleHealth)
	handle(http.MethodGet, PathWhoAmI, true, (*Server).handleWhoAmI)
	handle(http.MethodGet, PathCases, true, (*Server).handleCases)
	handle(http.MethodGet, PathRegistry, true, (*Server).handleRegistry)
	handle(http.MethodPost, PathResults, true, (*Server).handleResults)
	handle(http.MethodPost, PathCheck, true, (*Server).handleCheck)
	handle(http.MethodGet, PathDivisions, true, (*Server).handleDivisions)
	notFound := s.endpoint((*Server).notFound)
	mux.Handle("/", notFound)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// ServeMux redirects a path not written cleanly ("//", "/../", a
		// trailing slash) to its clean form; none is one of the API's, and
		// a client that sends one has a bug: it is answered as unknown.
		if p := r.URL.EscapedPath(); !strings.HasPrefix(p, "/") || (p != "/" && path.Clean(p) != p) {
			notFound.ServeHTTP(w, r)
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// admitted lets a pushed batch in when one of the server's push slots is
// free (WithMaxPushes), before its token is checked; it waits for one as
// long as the client does.
func (s *Server) admitted(next http.Handler) http.Handler {
	if s.pushes == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case s.pushes <- struct{}{}:
		case <-r.Context().Done():
			s.failErr(exchangeOf(r), r.Context().Err())
			return
		}
		defer func() { <-s.pushes }()
		next.ServeHTTP(w, r)
	})
}

// endpoint makes a handler of an endpoint's function.
func (s *Server) endpoint(fn func(*Server, *exchange)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fn(s, exchangeOf(r))
	})
}

// notFound answers a path that is none of the API's.
func (s *Server) notFound(x *exchange) {
	s.fail(x, http.StatusNotFound, hecha.Errorf(hecha.ENOTFOUND, "", "sync.err.route", x.r.URL.Path))
}

// methodNotAllowed answers a known path asked with a method it does not
// take.
func (s *Server) methodNotAllowed(method string) http.Handler {
	return s.endpoint(func(s *Server, x *exchange) {
		x.w.Header().Set("Allow", method)
		s.fail(x, http.StatusMethodNotAllowed, hecha.Errorf(hecha.EINVALID, "", "sync.err.method", x.r.Method))
	})
}
