package hecha

// TODO(helper): every declaration in this file is a placeholder so that the
// packages compile while the domain is being written; each one moves to its
// real file and this file is deleted.

// DivisionTable is the loaded table of division codes (see division_table.go).
type DivisionTable struct{}

// Lookup returns the division with code c.
func (t *DivisionTable) Lookup(c Code) (Division, bool) { panic("TODO") }

// CitizenID is the parsed form of a citizen ID number (see citizenid.go).
type CitizenID struct {
	Number string // the 18-digit number (converted from 15 digits when Legacy is set)
	Legacy string // the 15-digit number as given, or ""
	Area   Code   // first 6 digits
	Birth  Date
	Sex    Sex
}

// ParseCitizenID checks s as a citizen ID number (see citizenid.go).
func ParseCitizenID(field, s string) (CitizenID, error) { panic("TODO") }
