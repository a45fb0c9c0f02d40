package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"

	"go.etcd.io/bbolt"

	"hecha"
)

// compactTxSize bounds the size of each transaction bbolt.Compact commits,
// so compacting a large file does not hold it all in memory.
const compactTxSize = 64 << 20

// Compact writes a compacted copy of the hecha database at src to dst,
// which must not exist yet: bbolt never shrinks a file, so after big
// deletions (a re-import, old registry extracts) the copy is smaller. src
// is opened read-only; dst is synced to disk before Compact returns.
//
// Errors: ELOCKED when another process holds src; EUNAVAILABLE when src is
// damaged or not a hecha database, or dst exists.
func Compact(src, dst string) error {
	s, _, err := openBolt(src, &bbolt.Options{ReadOnly: true, Timeout: DefaultTimeout})
	if err != nil {
		return err
	}
	defer s.Close()
	return compactInto(s, src, dst)
}

// CompactFile compacts the hecha database at path in place: it takes the
// file's lock, writes a compacted copy to a temporary file in the same
// directory, syncs it, renames it over path and makes the rename durable
// (fsyncing the directory; on Windows, a write-through rename), so a crash
// at any moment leaves either the old file or the new one. It
// returns the file's size before and after.
//
// Run it while no hecha has the file open. Errors: ELOCKED when another
// process holds the file (nothing is done); as Compact otherwise.
func CompactFile(path string) (before, after int64, err error) {
	s, _, err := openBolt(path, &bbolt.Options{Timeout: DefaultTimeout})
	if err != nil {
		if hecha.ErrorCode(err) == hecha.ELOCKED {
			return 0, 0, hecha.Errorf(hecha.ELOCKED, "", "store.compact_locked", path)
		}
		return 0, 0, err
	}
	defer s.Close()

	info, err := os.Stat(path)
	if err != nil {
		return 0, 0, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".compact-*")
	if err != nil {
		return 0, 0, fmt.Errorf("compact %s: %w", path, err)
	}
	tmpPath := tmp.Name()
	_ = tmp.Close()
	_ = os.Remove(tmpPath) // bbolt creates it afresh with mode 0600
	defer os.Remove(tmpPath)

	if err := compactInto(s, path, tmpPath); err != nil {
		return 0, 0, err
	}
	// Rename while still holding the lock, so no other process opens the
	// old file meanwhile; where an open file cannot be replaced (Windows),
	// release it first.
	if err := renameFile(tmpPath, path); err != nil {
		_ = s.Close()
		if err := renameFile(tmpPath, path); err != nil {
			return 0, 0, fmt.Errorf("compact %s: %w", path, err)
		}
	}
	if err := syncDir(filepath.Dir(path)); err != nil {
		return 0, 0, fmt.Errorf("compact %s: %w", path, err)
	}
	newInfo, err := os.Stat(path)
	if err != nil {
		return 0, 0, err
	}
	return info.Size(), newInfo.Size(), nil
}

// compactInto checks that s (opened from srcPath) is a hecha database and
// copies it into a new file at dst.
func compactInto(s *bbolt.DB, srcPath, dst string) (err error) {
	if _, err := os.Lstat(dst); err == nil {
		return hecha.Errorf(hecha.EUNAVAILABLE, "", "store.open", dst, "the file already exists")
	} else if !errors.Is(err, os.ErrNotExist) {
		return hecha.Errorf(hecha.EUNAVAILABLE, "", "store.open", dst, err.Error())
	}
	if err := checkHecha(s, srcPath); err != nil {
		return err
	}
	d, err := bbolt.Open(dst, 0o600, &bbolt.Options{NoSync: true, Timeout: DefaultTimeout})
	if err != nil {
		return hecha.Errorf(hecha.EUNAVAILABLE, "", "store.open", dst, err.Error())
	}
	defer func() {
		if cerr := d.Close(); err == nil && cerr != nil {
			err = cerr
		}
		if err != nil {
			_ = os.Remove(dst)
		}
	}()
	if err := compactSafely(d, s, srcPath); err != nil {
		return err
	}
	// The copy was written without fsync; sync it once now.
	return d.Sync()
}

// compactSafely runs bbolt.Compact, turning a panic on a damaged source
// into an error.
func compactSafely(d, s *bbolt.DB, srcPath string) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if p := recover(); p != nil {
			err = errDamaged(srcPath, fmt.Errorf("%v", p))
		}
	}()
	if err := bbolt.Compact(d, s, compactTxSize); err != nil {
		return fmt.Errorf("compact %s: %w", srcPath, err)
	}
	return nil
}

// checkHecha returns EUNAVAILABLE unless s has hecha's meta bucket.
func checkHecha(s *bbolt.DB, path string) error {
	return s.View(func(tx *bbolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta == nil || !bytes.Equal(meta.Get(keyApp), appName) {
			return hecha.Errorf(hecha.EUNAVAILABLE, "", "store.not_hecha", path)
		}
		return nil
	})
}
