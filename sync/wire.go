// Package sync is hecha's wire protocol between a township terminal and the
// county server: the JSON types of every endpoint, the county's HTTP
// handlers, the township's client and its sync round. Import it as hsync,
// since it shadows the standard library's name.
package sync

import (
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"

	"hecha"
)

// ProtocolVersion is the version of the wire protocol. Both sides send it in
// the ProtocolHeader; the server refuses a request that names another
// version, and the client refuses an answer that does.
const ProtocolVersion = "1"

// ProtocolHeader is the HTTP header that carries ProtocolVersion.
const ProtocolHeader = "Hecha-Protocol"

// The endpoints.
const (
	PathHealth    = "/healthz"
	PathWhoAmI    = "/api/v1/whoami"
	PathCases     = "/api/v1/cases"
	PathRegistry  = "/api/v1/registry"
	PathResults   = "/api/v1/results"
	PathCheck     = "/api/v1/results/check"
	PathDivisions = "/api/v1/divisions"
)

// Limits of the protocol, shared by both sides.
const (
	// DefaultPageLimit is the page size of a pull when the client names none.
	DefaultPageLimit = 500
	// MaxPageLimit caps the page size a client may ask for.
	MaxPageLimit = 2000
	// MaxBatch is the most results one push may carry.
	MaxBatch = 2000
	// MaxCheckIDs is the most result ids one check may carry.
	MaxCheckIDs = 5000
	// DefaultMaxBody is the largest request body the server reads, both as
	// sent and after decompression.
	DefaultMaxBody = 8 << 20
	// maxResponseBody bounds what the client reads of one answer, after
	// decompression.
	maxResponseBody = 256 << 20
	// maxErrorBody bounds what the client reads of an error answer.
	maxErrorBody = 64 << 10
)

// HealthResponse answers GET /healthz.
type HealthResponse struct {
	Status   string `json:"status"` // "ok"
	Protocol string `json:"protocol"`
}

// WhoAmIResponse answers GET /api/v1/whoami: the township the token
// belongs to.
type WhoAmIResponse struct {
	Township hecha.Code `json:"township"`
}

// CasesResponse answers GET /api/v1/cases?since=CURSOR&limit=N: a page of
// the township's cases changed after the cursor, the cursor to ask from
// next, and whether there may be more.
type CasesResponse struct {
	Cases []hecha.Case `json:"cases"`
	Next  uint64       `json:"next"`
	More  bool         `json:"more"`
}

// RegistryResponse answers GET /api/v1/registry?since=CURSOR&limit=N: a
// page of the township's registry extract.
type RegistryResponse struct {
	Floating []hecha.FloatingRecord `json:"floating"`
	Resident []hecha.ResidentRecord `json:"resident"`
	Next     uint64                 `json:"next"`
	More     bool                   `json:"more"`
}

// ResultsRequest is the body of POST /api/v1/results. BatchID is for the
// logs only: the same results sent again under another batch id have the
// same effect as sending them once.
type ResultsRequest struct {
	BatchID string         `json:"batch_id,omitempty"`
	Results []hecha.Result `json:"results"`
}

// ResultsResponse answers POST /api/v1/results: one outcome per result, in
// the order sent.
type ResultsResponse struct {
	BatchID  string          `json:"batch_id,omitempty"`
	Outcomes []hecha.Outcome `json:"outcomes"`
}

// CheckRequest is the body of POST /api/v1/results/check.
type CheckRequest struct {
	IDs []string `json:"ids"`
}

// CheckResponse answers POST /api/v1/results/check: which of the ids the
// county does not hold for the token's township.
type CheckResponse struct {
	Missing []string `json:"missing"`
}

// DivisionsResponse answers GET /api/v1/divisions: the county's division
// table as two CSV texts and its version, which the answer's ETag header
// carries too. A request whose If-None-Match names the current version is
// answered 304 Not Modified without a body; a county without a table
// answers ENOTFOUND. The answer is gzipped for a client that accepts it
// (the CSV shrinks about sixfold).
type DivisionsResponse struct {
	// Version is the table's version (an opaque string).
	Version string `json:"version"`
	// Table is the CSV codefile.WriteDivisions writes
	// (code,name,parent_code,level).
	Table string `json:"table"`
	// Historic is the historic GB/T 2260 county list's CSV as
	// codefile.LoadHistoric reads it; "" when the county has
	// none.
	Historic string `json:"historic,omitempty"`
	// NotModified is set by Client.Divisions when the county answered that
	// its version is still the one asked with; the other fields but
	// Version are then empty. It never crosses the wire.
	NotModified bool `json:"-"`
}

// ErrorResponse is the body of every error answer.
type ErrorResponse struct {
	Error *hecha.Error `json:"error"`
}

// codeStatus is the one table mapping error codes to HTTP statuses, used by
// both sides. The first row for a code gives its status; every row maps its
// status back to its code.
var codeStatus = []struct {
	code   string
	status int
}{
	{hecha.EINVALID, http.StatusBadRequest},
	{hecha.EINVALID, http.StatusUnprocessableEntity},
	{hecha.EINVALID, http.StatusRequestEntityTooLarge},
	{hecha.EINVALID, http.StatusMethodNotAllowed},
	{hecha.EINVALID, http.StatusUnsupportedMediaType},
	{hecha.EUNAUTHORIZED, http.StatusUnauthorized},
	{hecha.EUNAUTHORIZED, http.StatusForbidden},
	{hecha.ENOTFOUND, http.StatusNotFound},
	{hecha.ECONFLICT, http.StatusConflict},
	{hecha.ETOOMANY, http.StatusTooManyRequests},
	{hecha.EUNAVAILABLE, http.StatusServiceUnavailable},
	{hecha.EUNAVAILABLE, http.StatusBadGateway},
	{hecha.EUNAVAILABLE, http.StatusGatewayTimeout},
	{hecha.ELOCKED, http.StatusServiceUnavailable},
	{hecha.EINTERNAL, http.StatusInternalServerError},
}

// StatusOf returns the HTTP status for an error code; 500 for a code the
// table does not know.
func StatusOf(code string) int {
	for _, r := range codeStatus {
		if r.code == code {
			return r.status
		}
	}
	return http.StatusInternalServerError
}

// CodeOf returns the error code for an HTTP status: the table's code, else
// EINVALID for another 4xx, EUNAVAILABLE for another 5xx and EINTERNAL for
// anything else.
func CodeOf(status int) string {
	for _, r := range codeStatus {
		if r.status == status {
			return r.code
		}
	}
	switch {
	case status >= 400 && status < 500:
		return hecha.EINVALID
	case status >= 500:
		return hecha.EUNAVAILABLE
	}
	return hecha.EINTERNAL
}

// knownCode reports whether code is one of the table's codes.
func knownCode(code string) bool {
	for _, r := range codeStatus {
		if r.code == code {
			return true
		}
	}
	return false
}

// decodeError reads an error answer of the given status into a domain
// error. The body's error survives the hop when it is well formed and names
// a known code; otherwise the status decides the code.
func decodeError(status int, body io.Reader) *hecha.Error {
	var er ErrorResponse
	dec := json.NewDecoder(io.LimitReader(body, maxErrorBody))
	dec.UseNumber()
	if err := dec.Decode(&er); err == nil && er.Error != nil && knownCode(er.Error.Code) {
		e := er.Error
		e.Args = normalizeArgs(e.Args)
		return e
	}
	return &hecha.Error{Code: CodeOf(status), Detail: http.StatusText(status)}
}

// normalizeArgs turns the json.Numbers a decoder with UseNumber left in an
// error's Args back into int64 (when integral) or float64, so the
// catalogue's %d verbs print them as before the hop.
func normalizeArgs(args []any) []any {
	for i, a := range args {
		n, ok := a.(json.Number)
		if !ok {
			continue
		}
		if v, err := n.Int64(); err == nil {
			args[i] = v
		} else if f, err := n.Float64(); err == nil && !math.IsInf(f, 0) {
			args[i] = f
		} else {
			args[i] = n.String()
		}
	}
	return args
}

// normalizeOutcomes does normalizeArgs for every error of every outcome.
func normalizeOutcomes(outs []hecha.Outcome) {
	for _, o := range outs {
		for _, e := range o.Errors {
			if e != nil {
				e.Args = normalizeArgs(e.Args)
			}
		}
	}
}

// asDomainError returns err as a single *hecha.Error: the first of an
// Errors list, the *Error itself, or EINTERNAL wrapping any other error.
func asDomainError(err error) *hecha.Error {
	var list hecha.Errors
	if errors.As(err, &list) && len(list) > 0 && list[0] != nil {
		return list[0]
	}
	var e *hecha.Error
	if errors.As(err, &e) {
		return e
	}
	return &hecha.Error{Code: hecha.EINTERNAL, Detail: err.Error()}
}
