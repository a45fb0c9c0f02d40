package pgstore

import "testing"

// SetTestHookFlushed sets testHookFlushed for the test tb.
func SetTestHookFlushed(tb testing.TB, fn func()) {
	testHookFlushed = fn
	tb.Cleanup(func() { testHookFlushed = nil })
}
