package store

import (
	"os"

	"golang.org/x/sys/windows"
)

// renameFile renames oldpath to newpath, replacing newpath, and returns
// only once the rename is on disk (MOVEFILE_WRITE_THROUGH): Windows has no
// way to fsync a directory.
func renameFile(oldpath, newpath string) error {
	from, err := windows.UTF16PtrFromString(oldpath)
	if err != nil {
		return &os.LinkError{Op: "rename", Old: oldpath, New: newpath, Err: err}
	}
	to, err := windows.UTF16PtrFromString(newpath)
	if err != nil {
		return &os.LinkError{Op: "rename", Old: oldpath, New: newpath, Err: err}
	}
	if err := windows.MoveFileEx(from, to, windows.MOVEFILE_REPLACE_EXISTING|windows.MOVEFILE_WRITE_THROUGH); err != nil {
		return &os.LinkError{Op: "rename", Old: oldpath, New: newpath, Err: err}
	}
	return nil
}

// syncDir does nothing on Windows: FlushFileBuffers refuses a directory
// handle ("Access is denied"), and renameFile has already waited for the
// rename to reach the disk.
func syncDir(string) error { return nil }
