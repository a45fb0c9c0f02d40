package sync

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"hecha"
)

// Client talks to the county server for one township token. It has its own
// http.Client with a request timeout and a transport with dial, TLS and
// answer timeouts. Requests that fail on the way (network errors, 502,
// 503, 504, 429) are retried with jittered exponential backoff, a bounded
// number of times; every request of the protocol may be sent twice with
// the effect of once. A Client is safe for concurrent use.
type Client struct {
	base        *url.URL
	token       string
	hc          *http.Client
	tries       int
	backoff     time.Duration
	backoffMax  time.Duration
	maxWait     time.Duration
	sent, recvd atomic.Int64
}

// ClientOption configures NewClient.
type ClientOption func(*clientConfig)

type clientConfig struct {
	timeout    time.Duration
	tls        *tls.Config
	tries      int
	backoff    time.Duration
	backoffMax time.Duration
	maxWait    time.Duration
	// pin is the pinned certificate fingerprint; observe, when set, is
	// handed the server's fingerprint and the handshake ends (tls.go).
	pin          string
	observe      func(string)
	insecureHTTP bool
}

// WithTimeout sets the time limit of one request, from dialling to the
// end of the answer (2 minutes by default).
func WithTimeout(d time.Duration) ClientOption { return func(c *clientConfig) { c.timeout = d } }

// WithTLSConfig sets the TLS configuration, e.g. RootCAs holding the
// county's own certificate authority.
func WithTLSConfig(cfg *tls.Config) ClientOption { return func(c *clientConfig) { c.tls = cfg } }

// WithRetry sets how many times a request is tried in all (at least 1)
// and the backoff between tries: a random wait up to base·2ⁿ, at most max.
func WithRetry(tries int, base, max time.Duration) ClientOption {
	return func(c *clientConfig) { c.tries, c.backoff, c.backoffMax = tries, base, max }
}

// WithMaxRetryAfter sets the longest Retry-After the client waits out
// before it retries; a longer one returns ETOOMANY (1 minute by default).
func WithMaxRetryAfter(d time.Duration) ClientOption {
	return func(c *clientConfig) { c.maxWait = d }
}

// NewClient returns a client for the county server at baseURL (https, or
// http with WithInsecureHTTP; optionally with a path prefix) using token.
// It returns EINVALID about "server_url" when baseURL is not such an
// address.
func NewClient(baseURL, token string, opts ...ClientOption) (*Client, error) {
	u, err := url.Parse(strings.TrimSpace(baseURL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, hecha.Invalid("server_url", "sync.err.url", baseURL)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	cfg := clientConfig{
		timeout: 2 * time.Minute, tries: 4,
		backoff: 500 * time.Millisecond, backoffMax: 10 * time.Second,
		maxWait: time.Minute,
	}
	for _, o := range opts {
		o(&cfg)
	}
	cfg.tries = max(cfg.tries, 1)
	if u.Scheme == "http" && !cfg.insecureHTTP {
		return nil, hecha.Invalid("server_url", "sync.err.plain_http", baseURL)
	}
	c := &Client{
		base: u, token: token, tries: cfg.tries,
		backoff: cfg.backoff, backoffMax: max(cfg.backoffMax, cfg.backoff),
		maxWait: cfg.maxWait,
	}
	tlsCfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if cfg.tls != nil {
		tlsCfg = cfg.tls.Clone()
		if tlsCfg.MinVersion == 0 {
			tlsCfg.MinVersion = tls.VersionTLS12
		}
	}
	switch {
	case cfg.observe != nil:
		observeTLS(tlsCfg, cfg.observe)
	case cfg.pin != "":
		pinTLS(tlsCfg, cfg.pin)
	}
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	tr := &http.Transport{
		Proxy: http.ProxyFromEnvironment,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			conn, err := dialer.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return &countingConn{Conn: conn, c: c}, nil
		},
		TLSClientConfig:       tlsCfg,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 90 * time.Second,
		ExpectContinueTimeout: time.Second,
		IdleConnTimeout:       90 * time.Second,
		MaxIdleConns:          4,
		MaxIdleConnsPerHost:   4,
		ForceAttemptHTTP2:     true,
		// The client asks for gzip itself, to count and bound what it reads.
		DisableCompression: true,
	}
	c.hc = &http.Client{
		Transport: tr,
		Timeout:   cfg.timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse // the token must not follow a redirect
		},
	}
	return c, nil
}

// Traffic returns the bytes this client has sent and received on its
// connections so far, headers and TLS included.
func (c *Client) Traffic() (sent, received int64) {
	return c.sent.Load(), c.recvd.Load()
}

// CloseIdle closes the client's idle connections.
func (c *Client) CloseIdle() { c.hc.CloseIdleConnections() }

// Health checks cheaply that the server answers; it is tried once. It
// needs no token.
func (c *Client) Health(ctx context.Context) error {
	var out HealthResponse
	return c.do(ctx, 1, http.MethodGet, PathHealth, nil, nil, &out)
}

// WhoAmI returns the township the client's token belongs to.
func (c *Client) WhoAmI(ctx context.Context) (hecha.Code, error) {
	var out WhoAmIResponse
	if err := c.do(ctx, c.tries, http.MethodGet, PathWhoAmI, nil, nil, &out); err != nil {
		return "", err
	}
	return out.Township, nil
}

// PullCases returns a page of up to limit of the township's cases changed
// after the cursor since (0 for all); limit 0 lets the server choose.
func (c *Client) PullCases(ctx context.Context, since uint64, limit int) (*CasesResponse, error) {
	return c.PullCasesExcept(ctx, since, limit, 0, 0)
}

// PullCasesExcept is PullCases asking the county to leave out the changes
// its own accepted results made, at change sequence numbers ownFrom to
// ownTo (the outcomes' ChangeSeq; 0, 0 for none): the client holds them
// already. A county that cannot tell them apart sends them anyway.
func (c *Client) PullCasesExcept(ctx context.Context, since uint64, limit int, ownFrom, ownTo uint64) (*CasesResponse, error) {
	var out CasesResponse
	q := pageQuery(since, limit)
	if ownTo > 0 {
		q.Set("own", strconv.FormatUint(ownFrom, 10)+"-"+strconv.FormatUint(ownTo, 10))
	}
	if err := c.do(ctx, c.tries, http.MethodGet, PathCases, q, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// PullRegistry returns a page of the township's registry extract changed
// after the cursor since.
func (c *Client) PullRegistry(ctx context.Context, since uint64, limit int) (*RegistryResponse, error) {
	var out RegistryResponse
	if err := c.do(ctx, c.tries, http.MethodGet, PathRegistry, pageQuery(since, limit), nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

func pageQuery(since uint64, limit int) url.Values {
	q := url.Values{"since": {strconv.FormatUint(since, 10)}}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	return q
}

// PushResults sends a batch of results and returns the county's outcome
// for each, in order. The body is gzipped when it is larger than 1 KiB.
func (c *Client) PushResults(ctx context.Context, results []hecha.Result) ([]hecha.Outcome, error) {
	if len(results) == 0 {
		return nil, nil
	}
	req := ResultsRequest{BatchID: newBatchID(), Results: results}
	var out ResultsResponse
	if err := c.do(ctx, c.tries, http.MethodPost, PathResults, nil, req, &out); err != nil {
		return nil, err
	}
	if len(out.Outcomes) != len(results) {
		return nil, hecha.Errorf(hecha.EINTERNAL, "", "sync.err.outcomes", len(results), len(out.Outcomes))
	}
	normalizeOutcomes(out.Outcomes)
	return out.Outcomes, nil
}

// Check returns those of ids that the county does not hold as results of
// the township. Long lists are sent in several requests.
func (c *Client) Check(ctx context.Context, ids []string) ([]string, error) {
	var missing []string
	for len(ids) > 0 {
		n := min(len(ids), MaxCheckIDs)
		var out CheckResponse
		if err := c.do(ctx, c.tries, http.MethodPost, PathCheck, nil, CheckRequest{IDs: ids[:n]}, &out); err != nil {
			return nil, err
		}
		missing = append(missing, out.Missing...)
		ids = ids[n:]
	}
	return missing, nil
}

func newBatchID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
