package hecha

import (
	"crypto/rand"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/oklog/ulid/v2"
)

// resultIDs hands out result ids. ULIDs sort by their millisecond time;
// the monotonic entropy makes ids made in the same millisecond sort in the
// order they were made, and last keeps the clock from going backwards, so
// every id this process makes sorts after the one before.
var resultIDs = struct {
	sync.Mutex
	entropy *ulid.MonotonicEntropy
	last    uint64 // the millisecond of the last id
}{entropy: ulid.Monotonic(rand.Reader, 0)}

// NewResultID returns a new result id made at t: a 26-character ULID that
// sorts by time and is unique. Ids made by one process always sort in the
// order they were made, even when t goes backwards (a clock adjustment).
// It is safe for concurrent use.
func NewResultID(t time.Time) string {
	resultIDs.Lock()
	defer resultIDs.Unlock()
	var ms uint64
	switch {
	case t.Before(time.UnixMilli(0)):
		ms = 0
	case ulid.Timestamp(t) > ulid.MaxTime():
		ms = ulid.MaxTime()
	default:
		ms = ulid.Timestamp(t)
	}
	if ms < resultIDs.last {
		ms = resultIDs.last
	}
	for {
		id, err := ulid.New(ms, resultIDs.entropy)
		if err == nil {
			resultIDs.last = ms
			return id.String()
		}
		if !errors.Is(err, ulid.ErrMonotonicOverflow) {
			// The entropy source is crypto/rand; it does not fail on the
			// platforms we run on, and an id without randomness would not
			// be unique.
			panic("hecha: result id: " + err.Error())
		}
		// 2^80 ids in one millisecond: move on to the next one.
		ms++
	}
}

// ValidResultID reports whether s is a result id as NewResultID writes it:
// 26 characters of Crockford base32, upper case.
func ValidResultID(s string) bool {
	if len(s) != ulid.EncodedSize || s != strings.ToUpper(s) {
		return false
	}
	id, err := ulid.ParseStrict(s)
	return err == nil && id.String() == s
}
