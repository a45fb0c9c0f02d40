package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/url"
	"sync"
	"time"

	"hecha"
	"hecha/cmd/internal/cli"
	hsync "hecha/sync"
)

// DefaultAddr is where "serve" listens without --addr.
const DefaultAddr = "127.0.0.1:8080"

// serveOptions are the flags of "serve".
type serveOptions struct {
	addr, cert, key string
	rate            float64
	maxPushes       int
	maxApplies      int
	quiet, insecure bool
}

// serveCommand is "serve --addr ADDR [--tls-cert F --tls-key F | --insecure-http] [--rate N] [--max-pushes N] [--max-applies N]".
func (m *Main) serveCommand() *cli.Command {
	return &cli.Command{
		Name: "serve", Summary: "county.cli.serve.summary", Help: "county.cli.serve.help",
		Flags: func(fs *flag.FlagSet, lang hecha.Lang) cli.RunFunc {
			var o serveOptions
			fs.StringVar(&o.addr, "addr", DefaultAddr, hecha.T(lang, "county.cli.flag.serve.addr"))
			fs.StringVar(&o.cert, "tls-cert", "", hecha.T(lang, "county.cli.flag.serve.cert"))
			fs.StringVar(&o.key, "tls-key", "", hecha.T(lang, "county.cli.flag.serve.key"))
			fs.Float64Var(&o.rate, "rate", hsync.DefaultRate, hecha.T(lang, "county.cli.flag.serve.rate"))
			fs.IntVar(&o.maxPushes, "max-pushes", hsync.DefaultMaxPushes, hecha.T(lang, "county.cli.flag.serve.max_pushes"))
			fs.IntVar(&o.maxApplies, "max-applies", hsync.DefaultMaxApplies, hecha.T(lang, "county.cli.flag.serve.max_applies"))
			fs.BoolVar(&o.quiet, "quiet", false, hecha.T(lang, "county.cli.flag.serve.quiet"))
			fs.BoolVar(&o.insecure, "insecure-http", false, hecha.T(lang, "county.cli.flag.serve.insecure"))
			return func(ctx context.Context, _ []string) error { return m.serve(ctx, o) }
		},
	}
}

// serve runs the sync API until ctx is done (SIGINT or SIGTERM), then
// shuts down gracefully and returns nil. It speaks HTTPS with the
// certificate given, or else the one kept beside the database (tls.go);
// plain HTTP only with --insecure-http.
func (m *Main) serve(ctx context.Context, o serveOptions) error {
	if (o.cert == "") != (o.key == "") {
		return cli.Exit(cli.ExitUsage, hecha.Errorf(hecha.EINVALID, "", "county.cli.serve.tls_pair"))
	}
	if o.insecure && o.cert != "" {
		return cli.Exit(cli.ExitUsage, hecha.Errorf(hecha.EINVALID, "", "county.cli.serve.insecure_tls"))
	}
	var cert countyCert
	if o.cert != "" {
		c, err := givenCertificate(o.cert, o.key)
		if err != nil {
			return err
		}
		cert = c
	}
	if o.rate < 0 {
		return cli.Exit(cli.ExitUsage, hecha.Invalid("rate", "county.cli.serve.rate"))
	}
	if o.maxPushes < 0 {
		return cli.Exit(cli.ExitUsage, hecha.Errorf(hecha.EINVALID, "", "county.cli.serve.max_pushes"))
	}
	if o.maxApplies < 0 {
		return cli.Exit(cli.ExitUsage, hecha.Errorf(hecha.EINVALID, "", "county.cli.serve.max_applies"))
	}
	m.serving = true
	db, err := m.openDB()
	if err != nil {
		return err
	}
	county, err := db.County(ctx)
	if err != nil {
		return err
	}
	pg := isPostgres(m.dbFile)
	// On PostgreSQL a copy of the county waits for the server to stop
	// (pgstore.Store.HoldServing); a bbolt file's lock does that itself.
	// If the lock is lost to a copy (its connection dropped and a copy
	// began before it was taken again), the server stops.
	if h, ok := db.(interface {
		HoldServing(context.Context) (func(), <-chan error, error)
	}); ok {
		release, lost, err := h.HoldServing(ctx)
		if err != nil {
			return err
		}
		defer release()
		var cancel context.CancelCauseFunc
		ctx, cancel = context.WithCancelCause(ctx)
		defer cancel(nil)
		go func() {
			select {
			case err := <-lost:
				cancel(err)
			case <-ctx.Done():
			}
		}()
	}
	switch {
	case county == "" && pg:
		fmt.Fprintln(m.Stderr, hecha.T(m.Lang, "county.cli.serve.province"))
	case county == "":
		fmt.Fprintln(m.Stderr, hecha.T(m.Lang, "county.cli.serve.no_county"))
	}
	opts := []hsync.Option{hsync.WithClock(m.Clock), hsync.WithRateLimit(o.rate, max(1, int(o.rate*2))),
		hsync.WithAudit(db.Audit()), hsync.WithMaxPushes(o.maxPushes),
		hsync.WithMaxApplies(o.maxApplies)}
	var logMu sync.Mutex
	if !o.quiet {
		opts = append(opts, hsync.WithLog(func(e hsync.LogEntry) {
			logMu.Lock()
			defer logMu.Unlock()
			m.logRequest(e)
		}))
	}
	srv := hsync.NewServer(db, opts...)
	if !o.insecure && o.cert == "" {
		loc := m.dbFile
		if loc == "" {
			loc, _ = m.dbPath() // PostgreSQL
		}
		if cert, err = m.countyCertificate(loc, o.addr); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return hecha.Errorf(hecha.EUNAVAILABLE, "addr", "county.cli.serve.listen", o.addr, err)
	}
	scheme := "https"
	if o.insecure {
		scheme = "http"
	}
	u := url.URL{Scheme: scheme, Host: ln.Addr().String()}
	switch {
	case county != "":
		fmt.Fprintln(m.Stderr, hecha.T(m.Lang, "county.cli.serve.listening", u.String(), county, cli.Sanitize(m.Rules.Divisions.FullName(county))))
	case pg:
		fmt.Fprintln(m.Stderr, hecha.T(m.Lang, "county.cli.serve.listening_all", u.String()))
	default:
		fmt.Fprintln(m.Stderr, hecha.T(m.Lang, "county.cli.serve.listening_none", u.String()))
	}
	if o.insecure {
		fmt.Fprintln(m.Stderr, hecha.T(m.Lang, "county.cli.serve.plain"))
		if host, _, err := net.SplitHostPort(ln.Addr().String()); err == nil {
			if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
				fmt.Fprintln(m.Stderr, hecha.T(m.Lang, "county.cli.serve.cleartext"))
			}
		}
	} else {
		fmt.Fprintln(m.Stderr, hecha.T(m.Lang, "county.cli.serve.fingerprint", hecha.FormatFingerprint(cert.fp)))
	}

	// On a bbolt file the county's own commands reach the open database
	// through a local endpoint of their own (admin.go), never through the
	// sync API's; PostgreSQL lets them open the database themselves.
	var admin *adminServer
	if pg {
		fmt.Fprintln(m.Stderr, hecha.T(m.Lang, "county.cli.serve.postgres"))
	} else {
		var adminLog func(string)
		if !o.quiet {
			adminLog = func(line string) {
				logMu.Lock()
				defer logMu.Unlock()
				fmt.Fprintln(m.Stderr, line)
			}
		}
		if admin, err = m.startAdmin(adminLog); err != nil {
			fmt.Fprintln(m.Stderr, hecha.T(m.Lang, "county.cli.admin.no_endpoint", err))
			admin = nil
		} else {
			defer admin.stop()
			fmt.Fprintln(m.Stderr, hecha.T(m.Lang, "county.cli.admin.listening", cli.Sanitize(admin.file)))
		}
	}
	err = srv.Serve(ctx, ln, cert.certFile, cert.keyFile)
	if admin != nil {
		// Commands still running finish before the database closes.
		admin.stop()
	}
	if err != nil {
		return err
	}
	if cause := context.Cause(ctx); hecha.ErrorCode(cause) == hecha.ELOCKED {
		return cause // the serving lock was lost to a copy
	}
	logMu.Lock()
	defer logMu.Unlock()
	fmt.Fprintln(m.Stderr, hecha.T(m.Lang, "county.cli.serve.stopped"))
	return nil
}

// logRequest writes one line per request to Stderr.
func (m *Main) logRequest(e hsync.LogEntry) {
	township := string(e.Township)
	if township == "" {
		township = "-"
	}
	line := fmt.Sprintf("%s %s %s %s %s %d in=%dB out=%dB %s",
		e.Time.Local().Format(time.RFC3339), e.Remote, e.Method, cli.Sanitize(e.Path), township,
		e.Status, e.BytesIn, e.BytesOut, e.Duration.Round(time.Millisecond))
	if e.Err != nil {
		line += " " + cli.Sanitize(hecha.ErrorMessage(e.Err, hecha.English))
	}
	fmt.Fprintln(m.Stderr, line)
}
