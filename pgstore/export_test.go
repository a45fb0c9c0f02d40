package pgstore

import "testing"

// SetTestHookFlushed sets testHookFlushed for the test tb.
func SetTestHookFlushed(tb testing.TB, fn func()) {
	testHookFlushed = fn
	tb.Cleanup(func() { testHookFlushed = nil })
}

// SetTestHookMigrating sets testHookMigrating for the rest of the process
// (the crash test's child only).
func SetTestHookMigrating(fn func(version int)) { testHookMigrating = fn }
