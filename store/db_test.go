package store_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hecha"
	"hecha/store"
)

func TestOpen_CreatesFile0600(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.db")
	db := MustOpenDBAt(t, path)
	if db.Path() != path {
		t.Errorf("Path() = %q, want %q", db.Path(), path)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("mode = %o, want 600", perm)
	}
	MustCloseDB(t, db)
	// Reopening the same file works and keeps the role.
	MustOpenDBAt(t, path)
}

func TestOpen_Locked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "locked.db")
	MustOpenDBAt(t, path)
	_, err := store.Open(path, store.WithTimeout(50*time.Millisecond))
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
