//go:build !windows

package store

import "os"

// renameFile renames oldpath to newpath, replacing newpath. Call syncDir
// on the directory afterwards to make the rename durable.
func renameFile(oldpath, newpath string) error {
	return os.Rename(oldpath, newpath)
}

// syncDir fsyncs a directory, so a rename in it is durable.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
