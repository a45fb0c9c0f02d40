package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"hecha/cmd/internal/cli"
	"hecha/internal/countytest"
	"hecha/store"
)

// runPass runs hecha-county with the passphrase file passFile ("" for
// none) and cheap Argon2id parameters.
func runPass(t *testing.T, db, passFile string, args ...string) result {
	t.Helper()
	var out, errb syncBuffer
	m := newTestMain(db, &out, &errb)
	env := map[string]string{cli.CountyDBEnv: db, "LANG": "en_US.UTF-8", "USER": "tester", cli.CountyPassphraseEnv: passFile}
	m.Getenv = func(k string) string { return env[k] }
	m.KDF = &store.KDFParams{Time: 1, MemoryKiB: 64, Threads: 1}
	code := cli.Execute(context.Background(), m, args)
	return result{out.String(), errb.String(), code}
}

// TestPassphrase_CountyEncrypted: passwd encrypts a county database in
// place and shows the recovery key; afterwards the commands need the
// passphrase file, and the file holds no name or ID number.
func TestPassphrase_CountyEncrypted(t *testing.T) {
	countytest.Only(t, "bbolt", "the encryption is of the bbolt file")
	f := newFixture(t)
	db := loadedCounty(t, f)
	personal := []string{"张三", "李四", "王五", f.idZhang, f.idLi, f.idWang, "上海市黄浦区南京东路1号"}
	raw, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range personal {
		if !bytes.Contains(raw, []byte(s)) {
			t.Fatalf("the plain county database lacks %q: the check below proves nothing", s)
		}
	}
	want := run(t, db, "cases", "list")
	wantCode(t, want, 0)

	pass := f.write(t, "pass", "县里的口令 county\n")
	r := runPass(t, db, "", "passwd", "--new-passphrase-file", pass)
	wantCode(t, r, 0)
	if !regexp.MustCompile(`\d{5}( \d{5}){7}`).MatchString(r.stdout) {
		t.Fatalf("passwd shows no recovery key:\n%s", r.stdout)
	}
	if raw, err = os.ReadFile(db); err != nil {
		t.Fatal(err)
	}
	for _, s := range personal {
		if bytes.Contains(raw, []byte(s)) {
			t.Errorf("the encrypted county database holds %q", s)
		}
	}

	r = runPass(t, db, "", "cases", "list")
	if r.code == 0 || !strings.Contains(r.stderr, cli.CountyPassphraseEnv) {
		t.Fatalf("cases without the passphrase: %d\n%s", r.code, r.stderr)
	}
	r = runPass(t, db, f.write(t, "wrong", "not the passphrase"), "cases", "list")
	if r.code == 0 || !strings.Contains(r.stderr, "wrong passphrase") {
		t.Fatalf("cases with a wrong passphrase: %d\n%s", r.code, r.stderr)
	}
	r = runPass(t, db, pass, "cases", "list")
	wantCode(t, r, 0)
	if r.stdout != want.stdout {
		t.Fatalf("cases from the encrypted database:\n%s\nwant\n%s", r.stdout, want.stdout)
	}
	// More imports go on encrypted.
	wantCode(t, runPass(t, db, pass, "assign", "--auto"), 0)
	if raw, _ = os.ReadFile(filepath.Clean(db)); bytes.Contains(raw, []byte("张三")) {
		t.Error("a name in the file after assigning")
	}
}
