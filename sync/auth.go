package sync

import (
	"crypto/sha256"
	"encoding/hex"
	"net"
	"net/http"
	"strings"

	"hecha"
)

// authenticated lets a request through to next only with a valid token
// within its rate (see authenticate).
func (s *Server) authenticated(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.authenticate(exchangeOf(r)) {
			next.ServeHTTP(w, r)
		}
	})
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
