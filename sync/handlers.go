package sync

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"hecha"
)

// handleHealth answers GET /healthz without a token.
func (s *Server) handleHealth(x *exchange) {
	s.writeJSON(x, http.StatusOK, HealthResponse{Status: "ok", Protocol: ProtocolVersion})
}

// handleWhoAmI answers GET /api/v1/whoami with the token's township.
func (s *Server) handleWhoAmI(x *exchange) {
	s.writeJSON(x, http.StatusOK, WhoAmIResponse{Township: x.township})
}

// handleCases answers GET /api/v1/cases?since=CURSOR&limit=N.
func (s *Server) handleCases(x *exchange) {
	since, limit, ok := s.pageParams(x)
	if !ok {
		return
	}
	own, ok := s.ownParam(x)
	if !ok {
		return
	}
	if jr, ok := s.county.(JSONCasesReader); ok {
		s.answerCasesJSON(x, jr, own, since, limit)
		return
	}
	cases, next, err := s.county.CasesSinceFor(x.r.Context(), x.township, own, since, limit)
	if err != nil {
		s.failErr(x, err)
		return
	}
	for i := range cases {
		x.noteCases(cases[i].ID)
	}
	if cases == nil {
		cases = []hecha.Case{}
	}
	s.writeJSON(x, http.StatusOK, CasesResponse{Cases: cases, Next: next, More: len(cases) >= limit && next != since})
}

// JSONCasesReader is a county store that answers a pull page with each
// case's JSON (pgstore): CasesSinceJSON is CasesSinceFor answering with
// the ids and the JSON of the cases, which must be what json.Marshal
// makes of each. The store makes it as cheaply as it can (pgstore sends a
// row still stored as JSON as it is, and encodes the others on every
// processor) and the server splices it into the answer without the
// []hecha.Case and its encoding in one goroutine.
type JSONCasesReader interface {
	CasesSinceJSON(ctx context.Context, township hecha.Code, own hecha.OwnChanges, cursor uint64, limit int) (ids []string, cases [][]byte, next uint64, err error)
}

// answerCasesJSON answers a pull page from a JSONCasesReader with the
// bytes writeJSON would send for its CasesResponse.
func (s *Server) answerCasesJSON(x *exchange, jr JSONCasesReader, own hecha.OwnChanges, since uint64, limit int) {
	ids, cases, next, err := jr.CasesSinceJSON(x.r.Context(), x.township, own, since, limit)
	if err != nil {
		s.failErr(x, err)
		return
	}
	x.noteCases(ids...)
	// The frame, a uint64's 20 digits at most and the newline.
	size := len(`{"cases":[],"next":,"more":false}`) + 21
	for _, c := range cases {
		size += len(c) + 1
	}
	body := make([]byte, 0, size)
	body = append(body, `{"cases":[`...)
	for i, c := range cases {
		if i > 0 {
			body = append(body, ',')
		}
		body = append(body, c...)
	}
	body = append(body, `],"next":`...)
	body = strconv.AppendUint(body, next, 10)
	body = append(body, `,"more":`...)
	body = strconv.AppendBool(body, len(cases) >= limit && next != since)
	body = append(body, "}\n"...)
	x.w.Header().Set("Cache-Control", "no-store")
	s.writeBody(x, http.StatusOK, body, nil)
}

// ownParam reads the own parameter of a pull, "FROM-TO": the change
// sequence numbers of the client's own accepted results this round.
func (s *Server) ownParam(x *exchange) (hecha.OwnChanges, bool) {
	v := x.r.URL.Query().Get("own")
	if v == "" {
		return hecha.OwnChanges{}, true
	}
	a, b, found := strings.Cut(v, "-")
	from, err1 := strconv.ParseUint(a, 10, 64)
	to, err2 := strconv.ParseUint(b, 10, 64)
	if !found || err1 != nil || err2 != nil || from > to {
		s.fail(x, http.StatusBadRequest, hecha.Errorf(hecha.EINVALID, "own", "sync.err.bad_param", "own", v))
		return hecha.OwnChanges{}, false
	}
	return hecha.OwnChanges{Device: x.device, From: from, To: to}, true
}

// handleRegistry answers GET /api/v1/registry?since=CURSOR&limit=N.
func (s *Server) handleRegistry(x *exchange) {
	since, limit, ok := s.pageParams(x)
	if !ok {
		return
	}
	fl, rs, next, err := s.county.RegistrySince(x.r.Context(), x.township, since, limit)
	if err != nil {
		s.failErr(x, err)
		return
	}
	x.noteCount(len(fl) + len(rs))
	if fl == nil {
		fl = []hecha.FloatingRecord{}
	}
	if rs == nil {
		rs = []hecha.ResidentRecord{}
	}
	s.writeJSON(x, http.StatusOK, RegistryResponse{
		Floating: fl, Resident: rs, Next: next,
		More: len(fl)+len(rs) >= limit && next != since,
	})
}

// pageParams reads since (default 0) and limit (default DefaultPageLimit,
// capped at MaxPageLimit) of a pull.
func (s *Server) pageParams(x *exchange) (since uint64, limit int, ok bool) {
	q := x.r.URL.Query()
	limit = DefaultPageLimit
	if v := q.Get("since"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			s.fail(x, http.StatusBadRequest, hecha.Errorf(hecha.EINVALID, "since", "sync.err.bad_param", "since", v))
			return 0, 0, false
		}
		since = n
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			s.fail(x, http.StatusBadRequest, hecha.Errorf(hecha.EINVALID, "limit", "sync.err.bad_param", "limit", v))
			return 0, 0, false
		}
		if n > 0 {
			limit = min(n, MaxPageLimit)
		}
	}
	return since, limit, true
}

// handleResults answers POST /api/v1/results: the batch is applied in one
// transaction under the token's township, and the answer holds one outcome
// per result, in the order sent. The county decides each outcome (a
// malformed id, a result of another township's case, the same id with other
// content); sending the batch again has the effect of sending it once.
func (s *Server) handleResults(x *exchange) {
	var req ResultsRequest
	if !s.readJSON(x, &req) {
		return
	}
	if req.Results == nil {
		// Absent or null: no batch at all, which a client never sends.
		s.fail(x, http.StatusBadRequest, hecha.Errorf(hecha.EINVALID, "results", "sync.err.field_required", "results"))
		return
	}
	if len(req.Results) > MaxBatch {
		s.fail(x, http.StatusRequestEntityTooLarge, hecha.Errorf(hecha.EINVALID, "results", "sync.err.batch_size", MaxBatch, len(req.Results)))
		return
	}
	for i := range req.Results {
		x.noteCases(req.Results[i].CaseID)
		x.noteClerk(req.Results[i].Clerk)
	}
	outs := []hecha.Outcome{}
	if len(req.Results) > 0 {
		got, err := s.applyResults(x, req.Results)
		if err != nil {
			s.failErr(x, err)
			return
		}
		if len(got) != len(req.Results) {
			s.failErr(x, fmt.Errorf("apply results: %d outcomes for %d results", len(got), len(req.Results)))
			return
		}
		for i := range got {
			if got[i].ResultID == "" {
				got[i].ResultID = req.Results[i].ID
			}
		}
		outs = got
	}
	s.writeJSON(x, http.StatusOK, ResultsResponse{BatchID: req.BatchID, Outcomes: outs})
}

// applyResults applies the results of x's batch to the county when it is
// the batch's turn (WithMaxApplies); if the client goes first, it returns
// the context's error and applies nothing.
func (s *Server) applyResults(x *exchange, results []hecha.Result) ([]hecha.Outcome, error) {
	ctx := x.r.Context()
	if s.applies != nil {
		select {
		case s.applies <- struct{}{}:
			defer func() { <-s.applies }()
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return s.county.ApplyResultsFrom(ctx, x.township, x.device, results)
}

// handleCheck answers POST /api/v1/results/check with the ids the county
// does not hold as results of the token's township.
func (s *Server) handleCheck(x *exchange) {
	var req CheckRequest
	if !s.readJSON(x, &req) {
		return
	}
	if len(req.IDs) > MaxCheckIDs {
		s.fail(x, http.StatusRequestEntityTooLarge, hecha.Errorf(hecha.EINVALID, "ids", "sync.err.check_size", MaxCheckIDs, len(req.IDs)))
		return
	}
	for i, id := range req.IDs {
		if !hecha.ValidResultID(id) {
			s.fail(x, http.StatusBadRequest, hecha.Invalid(fmt.Sprintf("ids[%d]", i), "sync.err.result_id", id))
			return
		}
	}
	missing := []string{}
	if len(req.IDs) > 0 {
		m, err := s.county.HasResults(x.r.Context(), x.township, req.IDs)
		if err != nil {
			s.failErr(x, err)
			return
		}
		if m != nil {
			missing = m
		}
	}
	s.writeJSON(x, http.StatusOK, CheckResponse{Missing: missing})
}
