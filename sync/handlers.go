package sync

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

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
	cases, next, err := s.county.CasesSince(x.r.Context(), x.township, since, limit)
	if err != nil {
		s.failErr(x, err)
		return
	}
	if cases == nil {
		cases = []hecha.Case{}
	}
	s.writeJSON(x, http.StatusOK, CasesResponse{Cases: cases, Next: next, More: len(cases) >= limit && next != since})
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

// handleResults answers POST /api/v1/results: it checks each result's id
// and township, applies the rest in one transaction and answers one
// outcome per result, in the order sent. A result id sent twice in the
// batch is applied once; the second copy gets the first's outcome when it
// is the same result, and a conflict when it is not.
func (s *Server) handleResults(x *exchange) {
	var req ResultsRequest
	if !s.readJSON(x, &req) {
		return
	}
	if len(req.Results) > MaxBatch {
		s.fail(x, http.StatusRequestEntityTooLarge, hecha.Errorf(hecha.EINVALID, "results", "sync.err.batch_size", MaxBatch, len(req.Results)))
		return
	}
	outs := make([]hecha.Outcome, len(req.Results))
	first := map[string]int{} // result id → index of its first copy
	var apply []hecha.Result
	var applyAt []int
	for i, res := range req.Results {
		outs[i].ResultID = res.ID
		switch {
		case !hecha.ValidResultID(res.ID):
			outs[i].Status = hecha.ResultRejected
			outs[i].Errors = hecha.Errors{hecha.Invalid("id", "sync.err.result_id", res.ID)}
		case res.Township != "" && res.Township != x.township:
			outs[i].Status = hecha.ResultConflict
			outs[i].Errors = hecha.Errors{hecha.Errorf(hecha.ECONFLICT, "township", "sync.err.other_township", res.Township, x.township)}
		default:
			if _, dup := first[res.ID]; dup {
				continue // answered below, from the first copy's outcome
			}
			first[res.ID] = i
			apply = append(apply, res)
			applyAt = append(applyAt, i)
		}
	}
	if len(apply) > 0 {
		got, err := s.county.ApplyResults(x.r.Context(), x.township, apply)
		if err != nil {
			s.failErr(x, err)
			return
		}
		if len(got) != len(apply) {
			s.failErr(x, fmt.Errorf("apply results: %d outcomes for %d results", len(got), len(apply)))
			return
		}
		for k, o := range got {
			if o.ResultID == "" {
				o.ResultID = apply[k].ID
			}
			outs[applyAt[k]] = o
		}
	}
	// Later copies of an id that was applied.
	for i, res := range req.Results {
		j, ok := first[res.ID]
		if !ok || j == i || outs[i].Status != "" {
			continue
		}
		if sameResult(res, req.Results[j]) {
			outs[i] = outs[j]
			if outs[i].Status == hecha.ResultAccepted {
				outs[i].Status = hecha.ResultDuplicate
			}
		} else {
			outs[i].Status = hecha.ResultConflict
			outs[i].Errors = hecha.Errors{hecha.Errorf(hecha.ECONFLICT, "id", "sync.err.duplicate_in_batch", res.ID)}
		}
	}
	s.writeJSON(x, http.StatusOK, ResultsResponse{BatchID: req.BatchID, Outcomes: outs})
}

// sameResult reports whether a and b encode to the same JSON.
func sameResult(a, b hecha.Result) bool {
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(ja, jb)
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
