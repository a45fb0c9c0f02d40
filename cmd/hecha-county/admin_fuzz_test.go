package main

import (
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzCommandLine: any command line is taken apart without panicking, and
// one that parses reads back the same when written out.
func FuzzCommandLine(f *testing.F) {
	f.Add("import\x00cases\x00a.csv\x00--lang\x00zh")
	f.Add("report\x00progress\x00-o\x00p.xlsx\x00--unit=410102")
	f.Add("token\x00revoke\x00--\x00-x\x00--y")
	f.Add("assign\x00--auto=true\x00--to\x00\x00C1")
	f.Fuzz(func(t *testing.T, s string) {
		args := strings.Split(s, "\x00")
		cl, ok := parseCommandLine(args)
		if !ok {
			return
		}
		again, ok := parseCommandLine(cl.args(nil, ""))
		if !ok {
			t.Fatalf("%q parsed, but not as written back: %q", args, cl.args(nil, ""))
		}
		if strings.Join(again.words, " ") != strings.Join(cl.words, " ") || len(again.pos) != len(cl.pos) || len(again.flags) != len(cl.flags) {
			t.Fatalf("%q reads back as %+v, was %+v", args, again, cl)
		}
		for i := range cl.pos {
			if again.pos[i] != cl.pos[i] {
				t.Fatalf("%q: argument %d reads back as %q", args, i, again.pos[i])
			}
		}
		_ = cl.inputs()
		_ = cl.output()
	})
}

// FuzzAdminFile: any admin file is read without panicking, and one that
// is taken points at this machine.
func FuzzAdminFile(f *testing.F) {
	f.Add([]byte(`{"url":"http://127.0.0.1:4000","secret":"ab","pid":1}`))
	f.Add([]byte(`{"url":"http://[::1]:4000","secret":"ab"}`))
	f.Add([]byte(`{"url":"http://example.com:80","secret":"ab"}`))
	f.Add([]byte(`{"url":"http://user@127.0.0.1:1","secret":"x"}`))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		db := filepath.Join(dir, "county.db")
		if err := os.WriteFile(adminPath(db), data, 0o600); err != nil {
			t.Fatal(err)
		}
		a, ok := readAdminFile(db)
		if !ok {
			return
		}
		u, err := url.Parse(a.URL)
		if err != nil || u.String() != "http://"+u.Host {
			t.Fatalf("took %+v", a)
		}
		host, _, err := net.SplitHostPort(u.Host)
		if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() || a.Secret == "" {
			t.Fatalf("took %+v", a)
		}
	})
}
