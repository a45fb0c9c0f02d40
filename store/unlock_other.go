//go:build !unix

package store

import "os"

// releaseLock does nothing here: on Windows closing the handle releases
// bbolt's LockFileEx lock.
func releaseLock(*os.File) {}
