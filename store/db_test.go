package store_test

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"hecha"
	"hecha/store"
)

func TestOpen_CreatesFile0600(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.db")
	db := MustOpenDBAt(t, path)
	if db.Path() != path {
		t.Errorf("Path() = %q, want %q", db.Path(), path)
	}
	mustOwnerOnly(t, path)
	MustCloseDB(t, db)
	// Reopening the same file works and keeps the role.
	MustOpenDBAt(t, path)
}

// mustOwnerOnly fails unless the file at path has mode 0600. Windows has
// no permission bits (Go reports 0666 for any writable file; the user's
// profile folder's ACL is what keeps the file private), so there it checks
// only that the file exists.
func mustOwnerOnly(tb testing.TB, path string) {
	tb.Helper()
	info, err := os.Stat(path)
	if err != nil {
		tb.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 && runtime.GOOS != "windows" {
		tb.Errorf("%s has mode %o, want 600", path, perm)
	}
}

func TestOpen_Locked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "locked.db")
	MustOpenDBAt(t, path)
	_, err := store.OpenTownship(path, store.WithTimeout(50*time.Millisecond), store.WithNow(Clock))
	MustCode(t, err, hecha.ELOCKED)
	for _, lang := range []hecha.Lang{hecha.Chinese, hecha.English} {
		if msg := hecha.ErrorMessage(err, lang); !strings.Contains(msg, path) {
			t.Errorf("message %q does not name the file", msg)
		}
	}
	if !strings.Contains(hecha.ErrorMessage(err, hecha.Chinese), "另一个 hecha 正在使用") {
		t.Errorf("Chinese message = %q", hecha.ErrorMessage(err, hecha.Chinese))
	}
	if !strings.Contains(hecha.ErrorMessage(err, hecha.English), "another hecha is using") {
		t.Errorf("English message = %q", hecha.ErrorMessage(err, hecha.English))
	}
}

// mustMessageNames fails unless err's message names path in both languages.
func mustMessageNames(tb testing.TB, err error, path string) {
	tb.Helper()
	for _, lang := range []hecha.Lang{hecha.Chinese, hecha.English} {
		if msg := hecha.ErrorMessage(err, lang); !strings.Contains(msg, path) {
			tb.Errorf("%s message %q does not name the file", lang, msg)
		}
	}
}

// fullDB writes a township database with some cases and results at path.
func fullDB(tb testing.TB, path string) {
	tb.Helper()
	db := MustOpenDBAt(tb, path, store.WithRules(Rules(tb)))
	MustApplyCases(tb, db, Cases(0, 300)...)
	for i := 0; i < 50; i++ {
		MustSaveResult(tb, db, NotFound(Case(i).ID))
	}
	MustCloseDB(tb, db)
}

// damagedDir returns a directory for files bbolt may panic on while
// opening. On Windows the view of the file that bbolt mapped before
// panicking stays until the process ends, and a mapped file cannot be
// deleted, so t.TempDir's cleanup would fail; there the directory is
// removed as far as possible.
func damagedDir(tb testing.TB) string {
	tb.Helper()
	if runtime.GOOS != "windows" {
		return tb.TempDir()
	}
	dir, err := os.MkdirTemp("", "hecha-damaged-*")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = os.RemoveAll(dir) })
	return dir
}

func TestOpen_TruncatedFile(t *testing.T) {
	dir := damagedDir(t)
	src := filepath.Join(dir, "full.db")
	fullDB(t, src)
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	// bbolt grows files ahead of use; cut into the pages in use.
	b, err := bbolt.Open(src, 0o600, &bbolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	var used int
	_ = b.View(func(tx *bbolt.Tx) error { used = int(tx.Size()); return nil })
	b.Close()
	for _, n := range []int{0, 100, 4096, 4096*2 + 10, used / 2, used - 4096} {
		path := filepath.Join(dir, fmt.Sprintf("cut%d.db", n))
		if err := os.WriteFile(path, data[:n], 0o600); err != nil {
			t.Fatal(err)
		}
		db, err := store.OpenTownship(path, store.WithTimeout(100*time.Millisecond), store.WithNow(Clock))
		if n == 0 {
			// An empty file is a new database.
			if err != nil {
				t.Errorf("empty file: %v", err)
			} else {
				MustCloseDB(t, db)
			}
			continue
		}
		if err == nil {
			MustCloseDB(t, db)
			t.Errorf("truncated to %d bytes: opened", n)
			continue
		}
		MustCode(t, err, hecha.EUNAVAILABLE)
		mustMessageNames(t, err, path)
	}
}

func TestOpen_RandomBytes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "random.db")
	rnd := rand.New(rand.NewPCG(1, 2))
	data := make([]byte, 64<<10)
	for i := range data {
		data[i] = byte(rnd.Uint32())
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := store.OpenTownship(path, store.WithNow(Clock))
	MustCode(t, err, hecha.EUNAVAILABLE)
	mustMessageNames(t, err, path)
}

func TestOpen_DamagedPagesNeverPanic(t *testing.T) {
	dir := damagedDir(t)
	src := filepath.Join(dir, "full.db")
	fullDB(t, src)
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	rnd := rand.New(rand.NewPCG(3, 4))
	for trial := 0; trial < 20; trial++ {
		bad := append([]byte(nil), data...)
		// Overwrite one page after the two meta pages with garbage.
		page := 2 + rnd.IntN(len(bad)/4096-2)
		for i := page * 4096; i < (page+1)*4096; i++ {
			bad[i] = byte(rnd.Uint32())
		}
		path := filepath.Join(dir, fmt.Sprintf("bad%d.db", trial))
		if err := os.WriteFile(path, bad, 0o600); err != nil {
			t.Fatal(err)
		}
		db, err := store.OpenTownship(path, store.WithNoSync(), store.WithNow(Clock))
		if err != nil {
			MustCode(t, err, hecha.EUNAVAILABLE)
			continue
		}
		// Reading may fail, but must not panic or crash.
		ctx := context.Background()
		_, _ = db.Summaries(ctx)
		_, _ = db.Counts(ctx)
		_, _ = db.Outbox(ctx)
		_, _ = db.History(ctx, Case(1).ID)
		_ = db.Close()
	}
}

func TestOpen_NotHecha(t *testing.T) {
	path := filepath.Join(t.TempDir(), "other.db")
	b, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = b.Update(func(tx *bbolt.Tx) error {
		_, err := tx.CreateBucket([]byte("something"))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	b.Close()
	_, err = store.OpenTownship(path, store.WithNow(Clock))
	MustCode(t, err, hecha.EUNAVAILABLE)
	mustMessageNames(t, err, path)
	if !strings.Contains(hecha.ErrorMessage(err, hecha.English), "not a hecha database") {
		t.Errorf("message = %q", hecha.ErrorMessage(err, hecha.English))
	}
}

// setMeta writes a raw key in the meta bucket of a closed database.
func setMeta(tb testing.TB, path, k string, v []byte) {
	tb.Helper()
	b, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer b.Close()
	err = b.Update(func(tx *bbolt.Tx) error { return tx.Bucket([]byte("meta")).Put([]byte(k), v) })
	if err != nil {
		tb.Fatal(err)
	}
}

func TestOpen_NewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "newer.db")
	MustCloseDB(t, MustOpenDBAt(t, path))
	v := make([]byte, 8)
	binary.BigEndian.PutUint64(v, store.SchemaVersion+1)
	setMeta(t, path, "schema_version", v)
	_, err := store.OpenTownship(path, store.WithNow(Clock))
	MustCode(t, err, hecha.EUNAVAILABLE)
	mustMessageNames(t, err, path)
	if !strings.Contains(hecha.ErrorMessage(err, hecha.English), "newer hecha") {
		t.Errorf("message = %q", hecha.ErrorMessage(err, hecha.English))
	}
}

func TestOpen_OtherRole(t *testing.T) {
	path := filepath.Join(t.TempDir(), "township.db")
	MustCloseDB(t, MustOpenDBAt(t, path))
	_, err := store.OpenCounty(path, store.WithNow(Clock))
	MustCode(t, err, hecha.EUNAVAILABLE)
	mustMessageNames(t, err, path)
	db := MustOpenCountyDBAt(t, filepath.Join(t.TempDir(), "county.db"))
	if db.Role() != store.RoleCounty || db.Role().String() != "county" {
		t.Errorf("role = %v", db.Role())
	}
	// And a county file is not a township's.
	MustCloseDB(t, db)
	_, err = store.OpenTownship(db.Path(), store.WithNow(Clock))
	MustCode(t, err, hecha.EUNAVAILABLE)
	mustMessageNames(t, err, db.Path())
}

// TestRoleMethods: the county's methods are not the township's and the
// township's are not the county's, so the compiler rejects a call on a
// database of the other role. Only the shared core (DB) serves both.
func TestRoleMethods(t *testing.T) {
	shared := reflect.TypeFor[*store.DB]()
	county, township := reflect.TypeFor[*store.CountyDB](), reflect.TypeFor[*store.TownshipDB]()
	for _, c := range []struct {
		name  string
		iface reflect.Type
		other reflect.Type
	}{
		{"hecha.CountyStore", reflect.TypeFor[hecha.CountyStore](), township},
		{"hecha.TownshipService", reflect.TypeFor[hecha.TownshipService](), county},
		{"hecha.SyncStore", reflect.TypeFor[hecha.SyncStore](), county},
	} {
		own := 0
		for i := range c.iface.NumMethod() {
			name := c.iface.Method(i).Name
			if _, ok := shared.MethodByName(name); ok {
				continue
			}
			own++
			if _, ok := c.other.MethodByName(name); ok {
				t.Errorf("%s.%s is a method of %v too", c.name, name, c.other)
			}
		}
		if own < 5 {
			t.Errorf("%s: only %d methods are not the shared core's", c.name, own)
		}
	}
}

func TestOpen_MissingDirectory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "no", "such", "dir", "x.db")
	_, err := store.OpenTownship(path, store.WithNow(Clock))
	MustCode(t, err, hecha.EUNAVAILABLE)
	mustMessageNames(t, err, path)
}

func TestOpen_RulesKeepCallersClock(t *testing.T) {
	r := Rules(t)
	r.Now = nil
	db := MustOpenDB(t, store.WithRules(r))
	if r.Now != nil {
		t.Error("Open changed the caller's Rules")
	}
	if got := db.Rules().Today(); got != hecha.DateOf(Now) {
		t.Errorf("rules today = %v, want the DB clock's %v", got, hecha.DateOf(Now))
	}
}

// TestOpen_NoClockPanics: the store never falls back to the real clock;
// opening without one is a programming error, caught at once.
func TestOpen_NoClockPanics(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	defer func() {
		if recover() == nil {
			t.Error("Open without WithNow did not panic")
		}
		if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("Open without a clock touched the file: %v", err)
		}
	}()
	_, _ = store.OpenTownship(path, store.WithNoSync())
}

func TestMessages_BothLanguages(t *testing.T) {
	n := 0
	for _, id := range hecha.CatalogueKeys() {
		if !strings.HasPrefix(id, "store.") {
			continue
		}
		n++
		m, _ := hecha.CatalogueEntry(id)
		if strings.TrimSpace(m.Zh) == "" || strings.TrimSpace(m.En) == "" {
			t.Errorf("%s lacks a language: %+v", id, m)
		}
		if strings.Count(m.Zh, "%") != strings.Count(m.En, "%") {
			t.Errorf("%s: the languages take different arguments: %+v", id, m)
		}
	}
	if n == 0 {
		t.Fatal("no store messages registered")
	}
}

// FuzzOpen opens arbitrary bytes as a database file: Open and the reads
// after it may fail, never panic. The seeds are a real database with a
// few pages changed.
func FuzzOpen(f *testing.F) {
	dir := f.TempDir()
	src := filepath.Join(dir, "seed.db")
	db := MustOpenDBAt(f, src, store.WithRules(Rules(f)))
	MustApplyCases(f, db, Cases(0, 20)...)
	MustSaveResult(f, db, NotFound(Case(0).ID))
	MustCloseDB(f, db)
	data, err := os.ReadFile(src)
	if err != nil {
		f.Fatal(err)
	}
	// The pages in use only: bbolt grows files ahead.
	b, err := bbolt.Open(src, 0o600, &bbolt.Options{ReadOnly: true})
	if err != nil {
		f.Fatal(err)
	}
	var used int
	_ = b.View(func(tx *bbolt.Tx) error { used = int(tx.Size()); return nil })
	b.Close()
	data = data[:used]
	f.Add(data)
	for _, at := range []int{0, 4096, 2 * 4096, used - 4096} {
		bad := append([]byte(nil), data...)
		bad[at+20] ^= 0xff
		f.Add(bad)
	}
	// An encrypted database, opened below with its passphrase.
	enc := filepath.Join(dir, "encrypted.db")
	db = MustOpenDBAt(f, enc, store.WithRules(Rules(f)))
	k, _ := MustNewKeys(f)
	if err := db.Encrypt(context.Background(), k); err != nil {
		f.Fatal(err)
	}
	MustApplyCases(f, db, Cases(0, 5)...)
	MustCloseDB(f, db)
	if data, err = os.ReadFile(enc); err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Fuzz(func(t *testing.T, data []byte) {
		// Fuzz workers are separate processes: each needs its own file.
		file, err := os.CreateTemp(dir, "fuzz-*.db")
		if err != nil {
			t.Fatal(err)
		}
		path := file.Name()
		defer os.Remove(path)
		_, err = file.Write(data)
		if cerr := file.Close(); err != nil || cerr != nil {
			t.Fatal(err, cerr)
		}
		db, err := store.OpenTownship(path, store.WithNoSync(), store.WithTimeout(time.Second), store.WithNow(Clock),
			store.WithPassphrase(Passphrase))
		if err != nil {
			// EUNAUTHORIZED: a keyring whose wrapped key was changed.
			if code := hecha.ErrorCode(err); code != hecha.EUNAVAILABLE && code != hecha.EUNAUTHORIZED {
				t.Fatalf("code %q: %v", code, err)
			}
			return
		}
		ctx := context.Background()
		_, _ = db.Summaries(ctx)
		_, _ = db.Outbox(ctx)
		_, _ = db.History(ctx, Case(0).ID)
		_ = db.Close()
	})
}

func TestOpen_BadFreelistLeavesFileUnlocked(t *testing.T) {
	dir := damagedDir(t)
	path := filepath.Join(dir, "freelist.db")
	fullDB(t, path)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Each meta page names its freelist page at offset 48 (after the page
	// header, magic, version, page size, flags and root bucket); give those
	// pages an unknown page type, on which bbolt panics.
	for meta := 0; meta < 2; meta++ {
		pg := binary.LittleEndian.Uint64(data[meta*4096+48:])
		if int(pg+1)*4096 > len(data) {
			t.Fatalf("meta %d names freelist page %d", meta, pg)
		}
		binary.LittleEndian.PutUint16(data[pg*4096+8:], 0x3e8)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		_, err := store.OpenTownship(path, store.WithTimeout(100*time.Millisecond), store.WithNow(Clock))
		// The second try must say the same, not that the file is locked.
		MustCode(t, err, hecha.EUNAVAILABLE)
		mustMessageNames(t, err, path)
	}
}
