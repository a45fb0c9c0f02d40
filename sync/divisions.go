package sync

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	stdsync "sync"

	"hecha"
	"hecha/codefile"
)

// The division table travels with sync: the county stores it (hecha-county
// import regions) and serves it at GET /api/v1/divisions with its version
// as an ETag; each round the township asks with If-None-Match naming the
// version it last took, and the county answers 304 Not Modified until the
// table changes. A township therefore never needs a division file of its
// own, and it checks the same codes as the county.

// DivisionStore is what a round needs to keep the township's division
// table the county's; store.TownshipDB implements it. A round over a Store that
// does not implement it leaves the table alone.
type DivisionStore interface {
	// DivisionsSource returns the county's version of the table the
	// township last took, "" when none.
	DivisionsSource(ctx context.Context) (string, error)
	// ApplyCountyDivisions stores the county's table and historic list as
	// the township's and records version as their source.
	ApplyCountyDivisions(ctx context.Context, t *hecha.DivisionTable, historic []byte, version string) error
}

// divisionsCache holds the answer of GET /api/v1/divisions for one
// version, encoded and gzipped once: every township asks for the same.
type divisionsCache struct {
	mu       stdsync.Mutex
	version  string
	body, gz []byte
}

// handleDivisions answers GET /api/v1/divisions: 304 when If-None-Match
// names the current version, else the table with its ETag.
func (s *Server) handleDivisions(x *exchange) {
	ctx := x.r.Context()
	v, err := s.county.DivisionsVersion(ctx)
	if err != nil {
		s.failErr(x, err)
		return
	}
	if v == "" {
		s.fail(x, http.StatusNotFound, hecha.Errorf(hecha.ENOTFOUND, "", "sync.err.no_divisions"))
		return
	}
	h := x.w.Header()
	// The answer depends on the token; a cache may keep it only privately
	// and must ask again before using it.
	h.Set("Cache-Control", "private, no-cache")
	if etagMatches(x.r.Header.Get("If-None-Match"), v) {
		h.Set("ETag", quoteETag(v))
		x.w.WriteHeader(http.StatusNotModified)
		return
	}
	body, gz, v, err := s.divisionsBody(ctx, v)
	if err != nil {
		s.failErr(x, err)
		return
	}
	h.Set("ETag", quoteETag(v))
	s.writeBody(x, http.StatusOK, body, gz)
}

// divisionsBody returns the encoded answer for version v, and its gzip
// form, from the cache or made now. When the table changed since v was
// read, the answer is the newer one, with its own version.
func (s *Server) divisionsBody(ctx context.Context, v string) (body, gz []byte, version string, err error) {
	c := &s.divisions
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version == v && c.body != nil {
		return c.body, c.gz, v, nil
	}
	table, historic, version, err := s.county.DivisionsCSV(ctx)
	if err != nil {
		return nil, nil, "", err
	}
	if version == "" {
		return nil, nil, "", hecha.Errorf(hecha.ENOTFOUND, "", "sync.err.no_divisions")
	}
	var buf bytes.Buffer
	err = json.NewEncoder(&buf).Encode(DivisionsResponse{Version: version, Table: string(table), Historic: string(historic)})
	if err != nil {
		return nil, nil, "", err
	}
	var zbuf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&zbuf, gzip.BestCompression)
	if err != nil {
		return nil, nil, "", err
	}
	_, _ = zw.Write(buf.Bytes())
	if err := zw.Close(); err != nil {
		return nil, nil, "", err
	}
	c.version, c.body, c.gz = version, buf.Bytes(), zbuf.Bytes()
	return c.body, c.gz, version, nil
}

// quoteETag returns the ETag header value of version v.
func quoteETag(v string) string { return `"` + v + `"` }

// etagMatches reports whether an If-None-Match header names version v:
// "*", or one of its entity tags (weak or strong) is v.
func etagMatches(header, v string) bool {
	for _, tag := range strings.Split(header, ",") {
		tag = strings.TrimSpace(tag)
		if tag == "*" {
			return true
		}
		tag = strings.TrimPrefix(tag, "W/")
		if len(tag) >= 2 && tag[0] == '"' && tag[len(tag)-1] == '"' && tag[1:len(tag)-1] == v {
			return true
		}
	}
	return false
}

// Divisions fetches the county's division table unless the county's
// version is still have (the version last taken; "" fetches it anyway).
// When it is, the answer has NotModified set and only Version filled.
//
// Errors: ENOTFOUND when the county has no table (or serves none: an
// older county server); as every request otherwise.
func (c *Client) Divisions(ctx context.Context, have string) (*DivisionsResponse, error) {
	var hdr http.Header
	if have != "" {
		hdr = http.Header{"If-None-Match": {quoteETag(have)}}
	}
	var out DivisionsResponse
	ans, err := c.call(ctx, c.tries, http.MethodGet, PathDivisions, nil, hdr, nil, &out)
	if err != nil {
		return nil, err
	}
	if ans.status == http.StatusNotModified {
		return &DivisionsResponse{Version: have, NotModified: true}, nil
	}
	if tag := strings.Trim(strings.TrimPrefix(ans.header.Get("ETag"), "W/"), `"`); out.Version == "" {
		out.Version = tag
	}
	if out.Version == "" || out.Table == "" {
		return nil, hecha.Errorf(hecha.EUNAVAILABLE, "", "sync.err.answer", "no division table in the answer")
	}
	return &out, nil
}

// PullDivisions takes the county's division table when its version is
// not the one the township last took, as a round does, and returns it
// (nil when it was unchanged, or the county has none to give). It needs a
// Store that is a DivisionStore (nil, nil otherwise). "hecha setup" uses
// it to bring the table at once.
//
// Errors: EINVALID (sync.err.divisions) when the county's table does not
// load; nothing is stored then. Otherwise as every request.
func (s *Syncer) PullDivisions(ctx context.Context) (*hecha.DivisionTable, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pullDivisions(ctx)
}

// pullDivisions is PullDivisions without the round's lock.
func (s *Syncer) pullDivisions(ctx context.Context) (*hecha.DivisionTable, error) {
	ds, ok := s.Store.(DivisionStore)
	if !ok {
		return nil, nil
	}
	s.progress(PhaseDivisions, 0, 1)
	have, err := ds.DivisionsSource(ctx)
	if err != nil {
		return nil, err
	}
	d, err := s.Client.Divisions(ctx, have)
	switch {
	case hecha.ErrorCode(err) == hecha.ENOTFOUND:
		// The county has no table to give: keep the township's.
		s.progress(PhaseDivisions, 1, 1)
		return nil, nil
	case err != nil:
		return nil, err
	}
	var t *hecha.DivisionTable
	if !d.NotModified && d.Version != have {
		t = hecha.NewDivisionTable()
		err := codefile.LoadDivisions(t, strings.NewReader(d.Table))
		if err == nil && d.Historic != "" {
			err = codefile.LoadHistoric(t, strings.NewReader(d.Historic))
		}
		if err == nil {
			err = ds.ApplyCountyDivisions(ctx, t, []byte(d.Historic), d.Version)
		}
		if hecha.ErrorCode(err) == hecha.EINVALID {
			return nil, hecha.Errorf(hecha.EINVALID, "", "sync.err.divisions", hecha.ErrorMessage(err, hecha.English))
		}
		if err != nil {
			return nil, err
		}
	}
	s.progress(PhaseDivisions, 1, 1)
	return t, nil
}

// divisionsFailed reports whether err is the county's division table
// failing to load, which a round reports only at its end.
func divisionsFailed(err error) bool {
	if err == nil {
		return false
	}
	e := asDomainError(err)
	return e.Code == hecha.EINVALID && e.MsgID == "sync.err.divisions"
}
