package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/textproto"
	"os"
	"path/filepath"
	"time"

	"hecha"
	"hecha/cmd/internal/cli"
	"hecha/store"
)

// adminLockWait is how long a command waits for the database lock when a
// server's admin file is there: the server holds the lock all day.
const adminLockWait = 100 * time.Millisecond

// adminMaxAnswer bounds what a command reads of the server's answer.
const adminMaxAnswer = 4 << 30

// openBolt opens the county's bbolt file at path. When it is locked and a
// server's admin file is beside it, the error is an *errAdmin, for Run to
// hand the command to that server; when it opens, an admin file beside it
// is stale (no server holds the file) and is removed.
func (m *Main) openBolt(path string) (*store.CountyDB, error) {
	opts := []store.Option{store.WithStoredDivisions(), store.WithNow(m.Clock)}
	admin, haveAdmin := readAdminFile(path)
	if haveAdmin && !m.serving {
		opts = append(opts, store.WithTimeout(adminLockWait))
	}
	db, err := cli.Unlock(m.secrets(), store.OpenCounty, path, opts...)
	switch {
	case err == nil:
		if _, statErr := os.Lstat(adminPath(path)); statErr == nil {
			_ = os.Remove(adminPath(path))
		}
		return db, nil
	case haveAdmin && !m.serving && hecha.ErrorCode(err) == hecha.ELOCKED:
		return nil, &errAdmin{admin: admin, locked: err}
	}
	return nil, err
}

// forward runs the command line on the server that holds the database,
// through its admin endpoint, prints what the command printed and returns
// its exit status. When the server cannot be reached (a stale admin file)
// it returns the lock error the command met.
func (m *Main) forward(ctx context.Context, e *errAdmin) error {
	cl, ok := parseCommandLine(m.rawArgs)
	if !ok || !cl.adminAllowed() {
		return e.locked
	}
	cl.set("lang", string(m.Lang))
	inputs := cl.inputs()
	req := adminRequest{Args: cl.args(nil, ""), Inputs: make([]bool, len(inputs)), Width: m.width(), Env: map[string]string{}}
	data := make([][]byte, len(inputs))
	for i, p := range inputs {
		if b, err := os.ReadFile(p); err == nil {
			req.Inputs[i], data[i] = true, b
		}
	}
	for _, k := range adminEnv {
		if v := m.Env(k); v != "" {
			req.Env[k] = v
		}
	}

	resp, err := postAdmin(ctx, e.admin, req, data)
	if err != nil {
		return err
	}
	if resp == nil {
		return e.locked // nothing answered: the file is stale
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusUnauthorized {
		return hecha.Errorf(hecha.ELOCKED, "", "county.cli.admin.refused", adminPath(m.dbFile), e.admin.URL)
	}
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<10))
		return hecha.Errorf(hecha.EUNAVAILABLE, "", "county.cli.admin.failed", e.admin.URL, fmt.Sprintf("%d %s", resp.StatusCode, bytes.TrimSpace(msg)))
	}
	return m.readAnswer(resp, cl, inputs, e)
}

// postAdmin sends the request with its inputs. It returns a nil response
// and no error when nothing answers at the address.
func postAdmin(ctx context.Context, a adminFile, req adminRequest, inputs [][]byte) (*http.Response, error) {
	body, w := io.Pipe()
	mw := multipart.NewWriter(w)
	go func() {
		w.CloseWithError(writeAdminRequest(mw, req, inputs))
	}()
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, a.URL+adminPathRun, body)
	if err != nil {
		body.Close()
		return nil, nil // not an address: as good as stale
	}
	hreq.Header.Set("Content-Type", mw.FormDataContentType())
	hreq.Header.Set("Authorization", "Bearer "+a.Secret)
	client := &http.Client{Transport: &http.Transport{
		Proxy:       nil, // the server is on this machine
		DialContext: (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
	}}
	defer client.CloseIdleConnections()
	resp, err := client.Do(hreq)
	if err != nil {
		body.Close()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var op *net.OpError
		if errors.As(err, &op) && op.Op == "dial" {
			return nil, nil
		}
		return nil, hecha.Errorf(hecha.EUNAVAILABLE, "", "county.cli.admin.failed", a.URL, err.Error())
	}
	return resp, nil
}

// writeAdminRequest writes the request's parts.
func writeAdminRequest(mw *multipart.Writer, req adminRequest, inputs [][]byte) error {
	pw, err := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {"application/json"}, "Content-Disposition": {`form-data; name="request"`}})
	if err != nil {
		return err
	}
	if err := json.NewEncoder(pw).Encode(req); err != nil {
		return err
	}
	for i, b := range inputs {
		if !req.Inputs[i] {
			continue
		}
		pw, err := mw.CreateFormFile("input", "input")
		if err != nil {
			return err
		}
		if _, err := pw.Write(b); err != nil {
			return err
		}
	}
	return mw.Close()
}

// readAnswer prints the command's output, writes its files and returns
// its exit status.
func (m *Main) readAnswer(resp *http.Response, cl commandLine, inputs []string, e *errAdmin) error {
	bad := func(why string) error {
		return hecha.Errorf(hecha.EUNAVAILABLE, "", "county.cli.admin.failed", e.admin.URL, why)
	}
	mt, params, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/mixed" || params["boundary"] == "" {
		return bad("not a multipart answer")
	}
	mr := multipart.NewReader(io.LimitReader(resp.Body, adminMaxAnswer), params["boundary"])
	part, err := mr.NextPart()
	if err != nil {
		return bad(err.Error())
	}
	var res adminResult
	if err := json.NewDecoder(io.LimitReader(part, adminMaxRequest)).Decode(&res); err != nil {
		return bad(err.Error())
	}
	for _, w := range []io.Writer{m.Stdout, m.Stderr} {
		part, err := mr.NextPart()
		if err != nil {
			return bad(err.Error())
		}
		if _, err := io.Copy(w, part); err != nil {
			return bad(err.Error())
		}
	}
	for _, o := range res.Outputs {
		part, err := mr.NextPart()
		if err != nil {
			return bad(err.Error())
		}
		path := cl.output()
		if o.Input >= 0 {
			if o.Input >= len(inputs) || safeBase(o.Name) != o.Name {
				return bad("an output outside the command's folders")
			}
			path = filepath.Join(filepath.Dir(inputs[o.Input]), o.Name)
		}
		if path == "" {
			return bad("an output the command does not name")
		}
		err = cli.WriteFileAtomic(path, func(w io.Writer) error { _, err := io.Copy(w, part); return err })
		if err != nil {
			return hecha.Errorf(hecha.EUNAVAILABLE, "", "county.cli.admin.write", path, err)
		}
	}
	if res.Code == cli.ExitOK {
		return nil
	}
	return cli.Exit(res.Code, nil)
}
