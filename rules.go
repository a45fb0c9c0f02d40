package hecha

import "time"

// Rules is what validation needs beyond the value itself: the division
// table (codes must exist in it), the list of reasons for moving, and
// today's date (dates may not lie in the future). The same Rules value is
// used by the form, every import, the store and the county server.
type Rules struct {
	Divisions *DivisionTable
	// Reasons is the configurable list of reasons for moving; nil means
	// DefaultReasons.
	Reasons *CodeTable
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
}

// Today returns the current date by r.Now.
func (r *Rules) Today() Date {
	if r == nil || r.Now == nil {
		return DateOf(time.Now())
	}
	return DateOf(r.Now())
}
