package store

// SetEncryptBatch sets how many values a transaction of the in-place
// encryption seals, for the tests; the returned func restores it.
func SetEncryptBatch(n int) func() {
	old := encryptBatch
	encryptBatch = n
	return func() { encryptBatch = old }
}
