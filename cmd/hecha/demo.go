package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sync/atomic"
	"time"

	"hecha"
	"hecha/cmd/internal/gen"
	"hecha/store"
	hsync "hecha/sync"
	"hecha/tui"
)

func init() { runDemo = runDemoInterface }

// The demonstration's size: a small county, always the same.
const (
	demoTownships = 3
	demoCases     = 2000
	demoSeed      = 2012
	demoClerk     = "演示信息员"
	// DemoPassphrase encrypts the demonstration's township database; the
	// demonstration never asks for it at start, only its idle lock does.
	DemoPassphrase = "hecha-demo"
)

var _ = hecha.Register(map[string]hecha.Msg{
	"tui.demo.preparing": {Zh: "正在准备演示数据（%v）…", En: "Preparing the demonstration (%v)…"},
	"tui.demo.ready":     {Zh: "演示县级服务器：%v，乡级单位：%v（%d 个个案）", En: "Demo county server: %v, township: %v (%d cases)"},
	"tui.demo.no_cases":  {Zh: "演示数据中没有分到乡级的个案", En: "the demonstration data assigned no case to a township"},
	"tui.demo.passphrase": {Zh: "演示数据库已加密，口令：%s（闲置 %v 后锁屏，用它解锁）",
		En: "The demo database is encrypted; passphrase: %s (the screen locks after %v idle; it unlocks it)"},
})

// runDemoInterface makes a demonstration county in a temporary folder,
// serves it on 127.0.0.1, sets a township up against it, syncs once and
// runs the interface; F9 cuts and restores the connection. Everything is
// removed on exit.
func runDemoInterface(ctx context.Context, m *Main) error {
	dir, err := os.MkdirTemp("", "hecha-demo-")
	if err != nil {
		return &hecha.Error{Code: hecha.EUNAVAILABLE, Detail: err.Error()}
	}
	defer os.RemoveAll(dir)
	fmt.Fprintln(m.Stderr, hecha.T(m.Lang, "tui.demo.preparing", dir))
	// The same data all day: the generator's dates count from today.
	d, err := newDemo(ctx, dir, m.Clock(), m.Clock)
	if err != nil {
		return err
	}
	defer d.Close()
	fmt.Fprintln(m.Stderr, hecha.T(m.Lang, "tui.demo.ready", d.url, d.rules.Divisions.FullName(d.township), d.cases))
	fmt.Fprintln(m.Stderr, hecha.T(m.Lang, "tui.demo.passphrase", DemoPassphrase, m.LockAfter))
	// The exports read the township's database through m, as for the real
	// one; the demonstration closes it itself.
	settings, err := d.local.Settings(ctx)
	if err != nil {
		return err
	}
	m.DB, m.Rules, m.Settings = d.local, d.rules, settings
	defer func() { m.DB = nil }()
	ts := newTUISyncer(d.syncer)
	cfg := tui.Config{
		Store:            d.local,
		Registry:         d.local,
		Rules:            d.rules,
		Lang:             m.Lang,
		ASCII:            m.ASCII,
		Syncer:           ts,
		Probe:            ts.Probe,
		SyncEvery:        10 * time.Second,
		Now:              m.Clock,
		ToggleConnection: d.toggle,
		Unlock:           d.local.VerifyPassphrase,
		LockAfter:        lockAfter(m.LockAfter),
	}
	exports(m, &cfg)
	return runProgram(ctx, m, cfg)
}

// demo is a county server and one township terminal, in one process.
type demo struct {
	rules    *hecha.Rules
	county   *store.CountyDB
	local    *store.TownshipDB // the township's database
	township hecha.Code
	cases    int // cases assigned to the township
	srv      *http.Server
	url      string
	online   atomic.Bool
	syncer   *hsync.Syncer
}

// newDemo builds the demonstration in dir: the county generated at the
// date of day, imported and distributed, its server listening, the
// township set up and synced; now is the clock of both databases.
func newDemo(ctx context.Context, dir string, day time.Time, now func() time.Time) (d *demo, err error) {
	y, mo, dd := day.Date()
	ds, err := gen.Generate(gen.Config{Townships: demoTownships, Cases: demoCases, Seed: demoSeed,
		Now: time.Date(y, mo, dd, 12, 0, 0, 0, time.UTC)})
	if err != nil {
		return nil, err
	}
	d = &demo{rules: &hecha.Rules{Divisions: ds.Divisions, Now: now}}
	defer func() {
		if err != nil {
			d.Close()
		}
	}()
	if d.county, err = store.OpenCounty(filepath.Join(dir, "county.db"),
		store.WithRules(d.rules), store.WithNow(now), store.WithNoSync()); err != nil {
		return nil, err
	}
	if err := d.fillCounty(ctx, ds); err != nil {
		return nil, err
	}
	token, _, err := d.county.CreateToken(ctx, d.township)
	if err != nil {
		return nil, err
	}
	if err := d.serve(); err != nil {
		return nil, err
	}

	// The township terminal, set up as "hecha setup" would.
	if d.local, err = store.OpenTownship(filepath.Join(dir, "hecha.db"),
		store.WithRules(d.rules), store.WithNow(now)); err != nil {
		return nil, err
	}
	keys, _, err := store.NewKeys(DemoPassphrase, store.DefaultKDF)
	if err != nil {
		return nil, err
	}
	if err := d.local.Encrypt(ctx, keys); err != nil {
		return nil, err
	}
	if err := d.local.SaveSettings(ctx, hecha.Settings{ServerURL: d.url, Township: d.township, Token: token, Clerk: demoClerk, InsecureHTTP: true}); err != nil {
		return nil, err
	}
	// Plain HTTP: the demonstration's server is on this machine's loopback.
	client, err := hsync.NewClient(d.url, token, hsync.WithInsecureHTTP(), hsync.WithTimeout(15*time.Second), hsync.WithRetry(2, 200*time.Millisecond, time.Second))
	if err != nil {
		return nil, err
	}
	d.syncer = &hsync.Syncer{Store: d.local, Client: client, Now: now}
	if _, err := d.syncer.Round(ctx); err != nil {
		return nil, err
	}
	return d, nil
}

// fillCounty imports the generated registries and cases (leaving out the
// few generated as defective on purpose), distributes the cases and picks
// the township with the most cases.
func (d *demo) fillCounty(ctx context.Context, ds *gen.Dataset) error {
	if err := d.county.SetCounty(ctx, gen.DefaultCounty); err != nil {
		return err
	}
	if err := d.county.PutResident(ctx, ds.Resident); err != nil {
		return err
	}
	if err := d.county.PutFloating(ctx, ds.Floating); err != nil {
		return err
	}
	cases := slices.DeleteFunc(slices.Clone(ds.Cases), func(c hecha.Case) bool { return ds.Defective[c.ID] != "" })
	if _, err := d.county.ImportCases(ctx, cases); err != nil {
		return err
	}
	if _, err := d.county.AutoAssign(ctx, demoClerk); err != nil {
		return err
	}
	if err := d.county.RefreshRegistry(ctx); err != nil {
		return err
	}
	assigned, err := d.county.Cases(ctx, hecha.CaseFilter{})
	if err != nil {
		return err
	}
	per := map[hecha.Code]int{}
	for _, c := range assigned {
		if t := c.Unit.At(hecha.LevelTownship); t != "" {
			per[t]++
		}
	}
	for t, n := range per {
		if n > d.cases || n == d.cases && t < d.township {
			d.township, d.cases = t, n
		}
	}
	if d.township == "" {
		return hecha.Errorf(hecha.EINTERNAL, "", "tui.demo.no_cases")
	}
	return nil
}

// serve starts the county's sync API on a free port of 127.0.0.1, behind
// a switch: while the demonstration is "offline" every connection is cut
// before an answer, as on a dead line.
func (d *demo) serve() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return &hecha.Error{Code: hecha.EUNAVAILABLE, Detail: err.Error()}
	}
	d.online.Store(true)
	api := hsync.NewServer(d.county, hsync.WithClock(d.rules.Now)).Handler()
	d.srv = &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if d.online.Load() {
				api.ServeHTTP(w, r)
				return
			}
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					conn.Close()
					return
				}
			}
			w.WriteHeader(http.StatusServiceUnavailable)
		}),
		ReadHeaderTimeout: 10 * time.Second,
	}
	d.url = "http://" + ln.Addr().String()
	go func() {
		if err := d.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintln(os.Stderr, "hecha demo: server:", err)
		}
	}()
	return nil
}

// toggle cuts the connection or restores it, and says whether it is now
// connected.
func (d *demo) toggle() bool {
	on := !d.online.Load()
	d.online.Store(on)
	if !on && d.syncer != nil {
		d.syncer.Client.CloseIdle()
	}
	return on
}

// Close stops the server and closes both databases.
func (d *demo) Close() {
	if d.srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		d.srv.Shutdown(ctx)
		cancel()
	}
	if d.syncer != nil {
		d.syncer.Client.CloseIdle()
	}
	if d.local != nil {
		d.local.Close()
	}
	if d.county != nil {
		d.county.Close()
	}
}
