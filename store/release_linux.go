//go:build linux

package store

import "syscall"

// releaseMapped tells the kernel that the pages of the database file
// mapped so far need not stay resident: after a bulk read (every summary,
// the status index) they would otherwise count against the terminal's
// memory for as long as the program runs. The mapping is shared and
// read-only, and bbolt writes with pwrite, never through it, so dropping
// its pages loses nothing: a later read faults them in from the page
// cache or the file. Errors are ignored; this is advice.
func (db *DB) releaseMapped() {
	info := db.bolt.Info()
	if info == nil || info.Data == 0 {
		return
	}
	size := db.mappedSize()
	if size <= 0 {
		return
	}
	syscall.Syscall(syscall.SYS_MADVISE, info.Data, uintptr(size), syscall.MADV_DONTNEED)
}
