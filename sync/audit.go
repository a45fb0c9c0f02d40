package sync

import (
	"net/http"
	"slices"
	"strings"

	"hecha"
)

// The audit trail of the API (hecha.AuditLog, DESIGN §9): with WithAudit,
// every authenticated request to an endpoint that reads or changes
// personal data (GET /api/v1/cases, GET /api/v1/registry, POST
// /api/v1/results) is appended to the county's audit log: when it arrived
// (the server's clock), the token's township, public id and device, the
// clerks named by the results sent, the client's address, the query, the
// cases read or sent (or the number of registry records), and how it
// ended.
//
// The entry is appended before the answer is written (writeBody calls
// record): a request whose entry cannot be appended gets no personal data
// but a 503, so nothing leaves the county unrecorded. Results already
// applied by then stay applied; the client sends the batch again, which
// has the effect of sending it once. Requests that fail authentication
// are not recorded here (the log hook sees them): they read nothing, and
// recording them would let anyone fill the log.

// WithAudit records the requests that read or change personal data in
// log. Without it nothing is recorded.
func WithAudit(log hecha.AuditLog) Option { return func(s *Server) { s.audit = log } }

// auditedPaths are the endpoints whose requests are recorded.
var auditedPaths = map[string]bool{PathCases: true, PathRegistry: true, PathResults: true}

// auditNote is what the handler learns for the request's audit entry.
type auditNote struct {
	cases  []string
	count  int
	clerks []string
	done   bool // recorded
}

// noteCases adds case ids read or sent to the request's audit entry
// (an id a client sent may be anything: an empty one is counted but not
// listed, a long one is clipped).
func (x *exchange) noteCases(ids ...string) {
	if x.audit == nil {
		return
	}
	for _, id := range ids {
		if id != "" {
			x.audit.cases = append(x.audit.cases, hecha.ClipAudit(id, hecha.MaxAuditText))
		}
	}
	x.audit.count += len(ids)
}

// noteCount adds n records (registry records) to the request's audit
// entry.
func (x *exchange) noteCount(n int) {
	if x.audit != nil {
		x.audit.count += n
	}
}

// noteClerk adds a clerk named by a result sent, once.
func (x *exchange) noteClerk(name string) {
	if x.audit != nil && name != "" && !slices.Contains(x.audit.clerks, name) {
		x.audit.clerks = append(x.audit.clerks, name)
	}
}

// audited records the request in the audit log (see record). It goes
// inside authenticated, so the exchange knows the token's township.
func (s *Server) audited(next http.Handler) http.Handler {
	if s.audit == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		x := exchangeOf(r)
		x.audit = &auditNote{}
		next.ServeHTTP(w, r)
		if !x.audit.done {
			// Every answer goes through writeBody, which records; this is
			// for a handler that aborted without one.
			if err := s.record(x, x.w.status); err != nil && x.err == nil {
				x.err = err
			}
		}
	})
}

// record appends the request's audit entry, once, as answered with
// status.
func (s *Server) record(x *exchange, status int) error {
	n := x.audit
	n.done = true
	outcome := hecha.AuditOK
	if status >= 400 {
		outcome = hecha.ErrorCode(x.err)
		if x.err == nil {
			outcome = CodeOf(status)
		}
	}
	token, _ := bearer(x.r.Header.Get("Authorization"))
	cases := n.cases
	if len(cases) > hecha.MaxAuditCases {
		cases = cases[:hecha.MaxAuditCases]
	}
	e := hecha.AuditEntry{
		Time:     x.start,
		Township: x.township,
		TokenID:  hecha.ClipAudit(tokenID(token), hecha.MaxAuditText),
		Device:   x.device,
		Clerk:    hecha.ClipAudit(strings.Join(n.clerks, ", "), hecha.MaxAuditText),
		Remote:   hecha.ClipAudit(x.r.RemoteAddr, hecha.MaxAuditText),
		Action:   x.r.Method + " " + hecha.ClipAudit(x.r.URL.Path, hecha.MaxAuditText-len(x.r.Method)-1),
		Detail:   hecha.ClipAudit(x.r.URL.RawQuery, hecha.MaxAuditDetail),
		Cases:    cases,
		Count:    n.count,
		Outcome:  outcome,
	}
	return s.audit.Append(x.r.Context(), e)
}

// recordBeforeAnswer records the request, when it is audited and not
// recorded yet, before its answer is written. It returns false when the
// entry could not be appended and the answer, which would carry data,
// was replaced by a 503.
func (s *Server) recordBeforeAnswer(x *exchange, status int) bool {
	if x.audit == nil || x.audit.done {
		return true
	}
	err := s.record(x, status)
	if err == nil || status >= 400 {
		if err != nil && x.err == nil {
			x.err = err
		}
		return true
	}
	x.err = err
	s.writeError(x, http.StatusServiceUnavailable, hecha.Errorf(hecha.EUNAVAILABLE, "", "sync.err.audit"))
	return false
}

// tokenID returns the public id of a token, hc_<id>_<secret> (store's
// format), or "" for anything else.
func tokenID(token string) string {
	rest, ok := strings.CutPrefix(token, "hc_")
	if !ok {
		return ""
	}
	id, _, ok := strings.Cut(rest, "_")
	if !ok {
		return ""
	}
	return id
}

var _ = hecha.Register(map[string]hecha.Msg{
	"sync.err.audit": {
		Zh: "县级服务器无法记录审计日志，暂不提供数据，请稍后再试并联系县级管理员",
		En: "the county server cannot write its audit log, so it gives out no data now; try again later and tell the county administrator",
	},
})
