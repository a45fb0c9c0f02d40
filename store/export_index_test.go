package store

// SetIndexBuild sets how many records a run of the registry index build
// sorts and how many entries a transaction of its merge writes, for the
// tests; the returned func restores them.
func SetIndexBuild(run, commit int) func() {
	oldRun, oldCommit := indexRun, indexCommit
	indexRun, indexCommit = run, commit
	return func() { indexRun, indexCommit = oldRun, oldCommit }
}
