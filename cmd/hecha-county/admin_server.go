package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/textproto"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"hecha/cmd/internal/cli"
)

// adminServer is serve's admin endpoint (see admin.go): it runs county
// commands on the serving Main's database.
type adminServer struct {
	m      *Main // the serving program: its DB, Rules and clock
	secret []byte
	file   string
	http   *http.Server
	// sem lets one command run at a time, as the file lock did.
	sem chan struct{}
	// running counts handlers, so that stop returns only when none uses
	// the database any more.
	running sync.WaitGroup
	// log, when set, is given one line per command run.
	log func(line string)
	// stopped makes stop run once.
	stopped sync.Once
}

// startAdmin listens on a random port of 127.0.0.1 with a new secret and
// writes the admin file beside the database; log, when not nil, is given
// one line per command run.
func (m *Main) startAdmin(log func(line string)) (*adminServer, error) {
	var key [32]byte
	if _, err := rand.Read(key[:]); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	a := &adminServer{
		m:      m,
		secret: []byte(hex.EncodeToString(key[:])),
		file:   adminPath(m.dbFile),
		sem:    make(chan struct{}, 1),
		log:    log,
	}
	a.http = &http.Server{
		Handler:           a,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       time.Minute,
		MaxHeaderBytes:    16 << 10,
	}
	content, err := json.Marshal(adminFile{URL: "http://" + ln.Addr().String(), Secret: string(a.secret), PID: os.Getpid()})
	if err == nil {
		err = cli.WriteFileAtomic(a.file, func(w io.Writer) error { _, err := w.Write(content); return err })
	}
	if err != nil {
		ln.Close()
		return nil, err
	}
	go a.http.Serve(ln) //nolint:errcheck // ends with ErrServerClosed at stop
	return a, nil
}

// stop removes the admin file, then waits for the commands running to
// finish (cancelling them after a grace period), so that the database can
// be closed. Calling it again does nothing.
func (a *adminServer) stop() {
	a.stopped.Do(func() {
		_ = os.Remove(a.file)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := a.http.Shutdown(ctx); err != nil {
			_ = a.http.Close()
		}
		a.running.Wait()
	})
}

// ServeHTTP answers POST /admin/v1/run.
func (a *adminServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.running.Add(1)
	defer a.running.Done()
	if r.URL.Path != adminPathRun {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	got, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if subtle.ConstantTimeCompare([]byte(got), a.secret) != 1 {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, adminMaxBody)
	dir, err := os.MkdirTemp("", "hecha-county-admin-")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer os.RemoveAll(dir)
	job, status, err := a.readRequest(r, dir)
	if err != nil {
		http.Error(w, err.Error(), status)
		return
	}

	// One command at a time; a client that gives up stops waiting.
	select {
	case a.sem <- struct{}{}:
	case <-r.Context().Done():
		return
	}
	start := time.Now()
	res, stdout, stderr := a.runLocked(r.Context(), job)
	a.answer(w, job, res, stdout, stderr)
	if a.log != nil {
		a.log(fmt.Sprintf("%s admin %s exit=%d %s", start.Local().Format(time.RFC3339),
			cli.Sanitize(strings.Join(job.req.Args, " ")), res.Code, time.Since(start).Round(time.Millisecond)))
	}
}

// adminJob is a command ready to run in its folder.
type adminJob struct {
	req     adminRequest
	cl      commandLine
	args    []string // the command line with the folder's paths
	inputs  []string // the inputs' paths in the folder
	output  string   // the -o file's path in the folder, "" for none
	replace []string // folder path, name the operator gave, … for the output
}

// readRequest reads the request into dir: the command line, checked, and
// each input file.
func (a *adminServer) readRequest(r *http.Request, dir string) (*adminJob, int, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, http.StatusBadRequest, err
	}
	part, err := mr.NextPart()
	if err != nil {
		return nil, http.StatusBadRequest, err
	}
	job := &adminJob{}
	if err := json.NewDecoder(io.LimitReader(part, adminMaxRequest)).Decode(&job.req); err != nil {
		return nil, http.StatusBadRequest, err
	}
	if len(job.req.Args) > adminMaxArgs {
		return nil, http.StatusBadRequest, errors.New("too many arguments")
	}
	cl, ok := parseCommandLine(job.req.Args)
	if !ok || !cl.adminAllowed() {
		return nil, http.StatusForbidden, fmt.Errorf("not a command the server runs: %q", strings.Join(job.req.Args, " "))
	}
	names := cl.inputs()
	if len(job.req.Inputs) != len(names) {
		return nil, http.StatusBadRequest, errors.New("the inputs do not match the command line")
	}
	job.cl = cl
	for i, name := range names {
		sub := filepath.Join(dir, fmt.Sprintf("in%d", i))
		if err := os.Mkdir(sub, 0o700); err != nil {
			return nil, http.StatusInternalServerError, err
		}
		p := filepath.Join(sub, safeBase(name))
		job.inputs = append(job.inputs, p)
		job.replace = append(job.replace, p, cli.Sanitize(name))
		if !job.req.Inputs[i] {
			continue
		}
		part, err := mr.NextPart()
		if err != nil {
			return nil, http.StatusBadRequest, err
		}
		if err := writeFile(p, part); err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return nil, http.StatusRequestEntityTooLarge, err
			}
			return nil, http.StatusBadRequest, err
		}
	}
	if out := cl.output(); out != "" {
		sub := filepath.Join(dir, "out")
		if err := os.Mkdir(sub, 0o700); err != nil {
			return nil, http.StatusInternalServerError, err
		}
		job.output = filepath.Join(sub, safeBase(out))
		job.replace = append(job.replace, job.output, cli.Sanitize(out))
	}
	job.args = cl.args(job.inputs, job.output)
	return job, 0, nil
}

// writeFile copies r into a new file at path (mode 0600).
func writeFile(path string, r io.Reader) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// runLocked runs the job and then lets the next command run, also when
// the command panics.
func (a *adminServer) runLocked(ctx context.Context, job *adminJob) (adminResult, []byte, []byte) {
	defer func() { <-a.sem }()
	return a.run(ctx, job)
}

// run runs the job with a fresh Main on the server's database and returns
// its result and output, the folder's paths replaced by the operator's
// names.
func (a *adminServer) run(ctx context.Context, job *adminJob) (adminResult, []byte, []byte) {
	var stdout, stderr bytes.Buffer
	sub := &Main{
		Base: cli.Base{
			Prog:   progName,
			Stdin:  strings.NewReader(""),
			Stdout: &stdout,
			Stderr: &stderr,
			Getenv: func(k string) string { return job.req.Env[k] },
			Now:    a.m.Now,
		},
		Width: max(job.req.Width, 40),
		DB:    a.m.DB,
		Rules: a.m.Rules,
	}
	err := sub.ParseFlags(job.args)
	sub.auditArgs = job.req.Args
	if errors.Is(err, flag.ErrHelp) {
		err = nil
	} else if err == nil {
		err = sub.Run(ctx)
	}
	cli.PrintError(&stderr, progName, sub.Lang, err)
	sub.DB = nil // the server's own: it stays open
	res := adminResult{Code: cli.ExitCode(err)}

	// The files the command wrote.
	if job.output != "" {
		if fi, err := os.Stat(job.output); err == nil && fi.Mode().IsRegular() {
			res.Outputs = append(res.Outputs, adminOutput{Input: -1})
		}
	}
	for i, in := range job.inputs {
		entries, err := os.ReadDir(filepath.Dir(in))
		if err != nil {
			continue
		}
		for _, e := range entries {
			if e.Name() != filepath.Base(in) && e.Type().IsRegular() {
				res.Outputs = append(res.Outputs, adminOutput{Input: i, Name: e.Name()})
			}
		}
	}
	return res, replacePaths(stdout.Bytes(), job.replace), replacePaths(stderr.Bytes(), job.replace)
}

// replacePaths replaces each folder path in b (pairs of path, name in
// pairs) by the name, the longest paths first.
func replacePaths(b []byte, pairs []string) []byte {
	type pair struct{ from, to []byte }
	var ps []pair
	for i := 0; i+1 < len(pairs); i += 2 {
		ps = append(ps, pair{[]byte(pairs[i]), []byte(pairs[i+1])})
	}
	sort.Slice(ps, func(i, j int) bool { return len(ps[i].from) > len(ps[j].from) })
	for _, p := range ps {
		b = bytes.ReplaceAll(b, p.from, p.to)
	}
	return b
}

// answer writes the result, the output and the files as multipart/mixed.
func (a *adminServer) answer(w http.ResponseWriter, job *adminJob, res adminResult, stdout, stderr []byte) {
	mw := multipart.NewWriter(w)
	w.Header().Set("Content-Type", "multipart/mixed; boundary="+mw.Boundary())
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	pw, err := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {"application/json"}})
	if err != nil {
		return
	}
	if err := json.NewEncoder(pw).Encode(res); err != nil {
		return
	}
	for _, b := range [][]byte{stdout, stderr} {
		pw, err := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {"application/octet-stream"}})
		if err != nil {
			return
		}
		if _, err := pw.Write(b); err != nil {
			return
		}
	}
	for _, o := range res.Outputs {
		path := job.output
		if o.Input >= 0 {
			path = filepath.Join(filepath.Dir(job.inputs[o.Input]), o.Name)
		}
		pw, err := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {"application/octet-stream"}})
		if err != nil {
			return
		}
		f, err := os.Open(path)
		if err != nil {
			return // the client sees a cut answer
		}
		_, err = io.Copy(pw, f)
		f.Close()
		if err != nil {
			return
		}
	}
	_ = mw.Close()
}
