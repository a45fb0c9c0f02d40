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
	"hecha/store"
)

// testKDF keeps the tests' Argon2id cheap.
var testKDF = store.KDFParams{Time: 1, MemoryKiB: 64, Threads: 1}

// secretRun is a run of hecha with a passphrase file, answers to the
// passphrase prompts (in order) and stdin.
type secretRun struct {
	passFile string
	answers  []string
	stdin    string
}

// runSecret runs hecha as run does, with s's passphrase file and answers;
// it fails the test when a prompt comes that has no answer left.
func runSecret(t *testing.T, db string, s secretRun, args ...string) result {
	t.Helper()
	var out, errb syncBuffer
	m := newTestMain(db, &out, &errb)
	env := map[string]string{cli.TownshipDBEnv: db, "LANG": "en_US.UTF-8", PassphraseFileEnv: s.passFile}
	m.Getenv = func(k string) string { return env[k] }
	m.Stdin = strings.NewReader(s.stdin)
	m.KDF = &testKDF
	answers := s.answers
	m.ReadSecret = func(prompt string) (string, error) {
		if len(answers) == 0 {
			t.Fatalf("unexpected prompt %q", prompt)
		}
		a := answers[0]
		answers = answers[1:]
		return a, nil
	}
	if s.answers == nil {
		m.ReadSecret = nil // no terminal
	}
	code := cli.Execute(context.Background(), m, args)
	if len(answers) > 0 {
		t.Fatalf("%d answers left unasked", len(answers))
	}
	return result{out.String(), errb.String(), code}
}

// secretFile writes text to a new file and returns its path.
func secretFile(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// recoveryKeyRE finds the recovery key in setup's or passwd's output.
var recoveryKeyRE = regexp.MustCompile(`\d{5}( \d{5}){7}`)

func TestPassphrase_SetupEncryptsAndCommandsAsk(t *testing.T) {
	c := newCounty(t)
	db := filepath.Join(t.TempDir(), "township.db")
	pass := secretFile(t, "县里的口令 county pass\n")

	r := runSecret(t, db, secretRun{passFile: pass}, "setup", "--server", c.srv.URL, "--fingerprint", c.fp, "--token", c.token, "--clerk", "王芳", "--regions", c.region)
	wantCode(t, r, 0)
	if !recoveryKeyRE.MatchString(r.stdout) || !strings.Contains(r.stdout, "is encrypted") {
		t.Fatalf("setup shows no recovery key:\n%s", r.stdout)
	}
	wantCode(t, runSecret(t, db, secretRun{passFile: pass}, "sync"), 0)
	raw, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{c.token, "王芳", "张三"} {
		if bytes.Contains(raw, []byte(s)) {
			t.Errorf("the database file holds %q", s)
		}
	}

	// No terminal and no file: told how to give the passphrase.
	r = runSecret(t, db, secretRun{}, "sync")
	if r.code == 0 || !strings.Contains(r.stderr, PassphraseFileEnv) {
		t.Fatalf("sync without a passphrase: %d\n%s", r.code, r.stderr)
	}
	// A wrong one in the file.
	r = runSecret(t, db, secretRun{passFile: secretFile(t, "not the passphrase")}, "sync")
	if r.code != cli.ExitLocked || !strings.Contains(r.stderr, "wrong passphrase") {
		t.Fatalf("sync with a wrong passphrase: %d\n%s", r.code, r.stderr)
	}
	// On the terminal: a wrong one, then the right one.
	r = runSecret(t, db, secretRun{answers: []string{"wrong one", "县里的口令 county pass"}}, "sync")
	wantCode(t, r, 0)
	if !strings.Contains(r.stderr, "wrong passphrase") {
		t.Errorf("the wrong passphrase is not reported:\n%s", r.stderr)
	}
	// Three wrong ones: it gives up.
	r = runSecret(t, db, secretRun{answers: []string{"a wrong one", "b wrong one", "c wrong one"}}, "sync")
	if r.code != cli.ExitLocked {
		t.Fatalf("three wrong passphrases were accepted")
	}
}

func TestPassphrase_PasswdAndRecover(t *testing.T) {
	c := newCounty(t)
	db := filepath.Join(t.TempDir(), "township.db")

	// Set up without a passphrase: plain, with a warning.
	r := runSecret(t, db, secretRun{}, "setup", "--server", c.srv.URL, "--fingerprint", c.fp, "--token", c.token, "--regions", c.region)
	wantCode(t, r, 0)
	if !strings.Contains(r.stderr, "not encrypted") {
		t.Errorf("no warning about the plain database:\n%s", r.stderr)
	}
	wantCode(t, runSecret(t, db, secretRun{}, "sync"), 0)
	if raw, _ := os.ReadFile(db); !bytes.Contains(raw, []byte("张三")) {
		t.Fatal("the plain database does not hold the case's name: the checks below would prove nothing")
	}

	// passwd on the terminal: the new passphrase twice (a mismatch first),
	// then the database is encrypted in place.
	r = runSecret(t, db, secretRun{answers: []string{"first passphrase", "first passphrasE", "first passphrase", "first passphrase"}}, "passwd")
	wantCode(t, r, 0)
	recovery := recoveryKeyRE.FindString(r.stdout)
	if recovery == "" || !strings.Contains(r.stderr, "differ") {
		t.Fatalf("passwd:\n%s\n%s", r.stdout, r.stderr)
	}
	if raw, _ := os.ReadFile(db); bytes.Contains(raw, []byte("张三")) || bytes.Contains(raw, []byte(c.token)) {
		t.Fatal("the file encrypted in place still holds personal data")
	}
	first := secretFile(t, "first passphrase")
	wantCode(t, runSecret(t, db, secretRun{passFile: first}, "sync"), 0)

	// passwd again: a new passphrase from a file.
	second := secretFile(t, "second passphrase\r\n")
	wantCode(t, runSecret(t, db, secretRun{passFile: first}, "passwd", "--new-passphrase-file", second), 0)
	if r := runSecret(t, db, secretRun{passFile: first}, "sync"); r.code == 0 {
		t.Fatal("the old passphrase still opens the database")
	}
	wantCode(t, runSecret(t, db, secretRun{passFile: second}, "sync"), 0)

	// recover: a digit wrong, then the key typed with its spaces.
	third := secretFile(t, "third passphrase")
	bad := []byte(recovery)
	bad[0] = '0' + (bad[0]-'0'+1)%10
	r = runSecret(t, db, secretRun{stdin: string(bad) + "\n"}, "recover", "--new-passphrase-file", third)
	wantCode(t, r, cli.ExitUsage)
	if !strings.Contains(r.stderr, "written down or typed wrong") {
		t.Errorf("a mistyped recovery key:\n%s", r.stderr)
	}
	r = runSecret(t, db, secretRun{stdin: recovery + "\n"}, "recover", "--new-passphrase-file", third)
	wantCode(t, r, 0)
	wantCode(t, runSecret(t, db, secretRun{passFile: third}, "sync"), 0)
	if r := runSecret(t, db, secretRun{passFile: second}, "sync"); r.code == 0 {
		t.Fatal("the passphrase before recovery still opens the database")
	}
}
