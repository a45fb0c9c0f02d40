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
	// Now returns the current time. The caller must set it (the commands
	// pass time.Now, tests a fixed clock): the domain never reads the
	// clock itself, and validating a date with Now unset panics.
	Now func() time.Time
}

// Today returns the current date by r.Now. It panics when r or r.Now is
// nil: that is a programming error, not bad input, and falling back to the
// real clock would hide it.
func (r *Rules) Today() Date {
	if r == nil || r.Now == nil {
		panic("hecha: Rules.Now is not set; the caller must give validation its clock")
	}
	return DateOf(r.Now())
}
