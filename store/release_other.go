//go:build !linux

package store

// releaseMapped does nothing where the kernel is not told (see the Linux
// version).
func (db *DB) releaseMapped() {}
