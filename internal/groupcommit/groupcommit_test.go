package groupcommit

import (
	"errors"
	"runtime"
	"slices"
	"sync"
	"testing"
)

// Callers that arrive while a commit runs share the next one: 100 callers
// blocked behind a first commit take far fewer than 100 commits, every
// item is committed exactly once, and each caller gets its commit's error.
func TestDo_SharesCommits(t *testing.T) {
	var q Queue[int]
	var mu sync.Mutex
	var committed []int
	commits := 0
	gate := make(chan struct{})
	first := make(chan struct{})
	commit := func(batch []int) error {
		mu.Lock()
		commits++
		n := commits
		committed = append(committed, batch...)
		mu.Unlock()
		if n == 1 {
			close(first)
			<-gate // hold the first commit while the others queue
		}
		if slices.Contains(batch, 13) {
			return errors.New("unlucky")
		}
		return nil
	}
	var wg sync.WaitGroup
	errs := make([]error, 101)
	wg.Add(1)
	go func() { defer wg.Done(); errs[0] = q.Do(0, commit) }()
	<-first
	for i := 1; i <= 100; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = q.Do(i, commit) }()
	}
	// Let the 100 queue up behind the held commit.
	for {
		q.mu.Lock()
		n := len(q.queue)
		q.mu.Unlock()
		if n == 100 {
			break
		}
		runtime.Gosched()
	}
	close(gate)
	wg.Wait()

	if commits != 2 {
		t.Errorf("%d commits for 101 callers, 100 of them queued behind the first: want 2", commits)
	}
	slices.Sort(committed)
	for i, v := range committed {
		if v != i {
			t.Fatalf("committed %v: want each of 0..100 once", committed)
		}
	}
	if len(committed) != 101 {
		t.Fatalf("%d items committed, want 101", len(committed))
	}
	for i, err := range errs {
		if want := i != 0; (err != nil) != want {
			t.Errorf("caller %d: error %v, want an error: %v", i, err, want)
		}
	}
}

// A lone caller commits at once, alone.
func TestDo_Alone(t *testing.T) {
	var q Queue[string]
	for _, s := range []string{"a", "b"} {
		var got []string
		if err := q.Do(s, func(batch []string) error { got = batch; return nil }); err != nil || !slices.Equal(got, []string{s}) {
			t.Fatalf("Do(%q): committed %v, err %v", s, got, err)
		}
	}
}
