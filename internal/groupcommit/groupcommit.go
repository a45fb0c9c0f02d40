// Package groupcommit lets concurrent writers share a commit: while one
// commit is being written and synced, the items of every caller that
// arrives meanwhile wait, and go together into the next one. A lone
// caller pays one commit; a hundred callers at once pay a few, not a
// hundred. The county's audit trail uses it on both backends: every
// request appends an entry, and on PostgreSQL each commit holds the log's
// head row locked.
package groupcommit

import (
	"errors"
	"sync"
)

// Queue is a group commit of items of type T. The zero value is ready to
// use; a Queue must not be copied after first use.
type Queue[T any] struct {
	mu      sync.Mutex
	queue   []*waiter[T] // waiting for the next commit
	writing bool         // a caller is committing
}

// waiter is one Do waiting for its commit. done receives the commit's
// error, or errLead when the caller is to commit next.
type waiter[T any] struct {
	item T
	done chan error
}

// errLead hands the next commit to a waiting caller.
var errLead = errors.New("lead the next commit")

// Do queues item and returns the error of the commit that held it. One of
// the callers waiting calls its commit with every item queued at the
// time, in the order they came; so every caller of one Queue must pass a
// commit that does the same thing.
func (q *Queue[T]) Do(item T, commit func(batch []T) error) error {
	me := &waiter[T]{item: item, done: make(chan error, 1)}
	q.mu.Lock()
	q.queue = append(q.queue, me)
	if q.writing {
		q.mu.Unlock()
		if err := <-me.done; err != errLead {
			return err
		}
		q.mu.Lock()
	}
	// This caller commits everything queued, itself included.
	q.writing = true
	waiting := q.queue
	q.queue = nil
	q.mu.Unlock()

	batch := make([]T, len(waiting))
	for i, w := range waiting {
		batch[i] = w.item
	}
	err := commit(batch)
	for _, w := range waiting {
		if w != me {
			w.done <- err
		}
	}
	// Hand the next commit to the first one waiting, if any.
	q.mu.Lock()
	if len(q.queue) > 0 {
		q.queue[0].done <- errLead
	} else {
		q.writing = false
	}
	q.mu.Unlock()
	return err
}
