package hecha

// CanonicalCodes rewrites every division code of res in the form the
// table t gives it (DivisionTable.Canonical): a city without counties as
// its county-level code, 441900 for 东莞 rather than the city 4419 that
// ParseCode makes of it. The form calls it after reading what the clerk
// typed, as the file parsers do for their codes, so that the codes a
// result stores agree with those of the case and the registries. A nil
// table changes nothing.
func (res *Result) CanonicalCodes(t *DivisionTable) {
	if res == nil || t == nil {
		return
	}
	if n := res.NotFound; n != nil {
		n.Destination = t.Canonical(n.Destination)
	}
	if p := res.Verified; p != nil {
		p.CurrentDivision = t.Canonical(p.CurrentDivision)
		p.HouseholdDivision = t.Canonical(p.HouseholdDivision)
	}
	if g := res.Reregistration; g != nil {
		g.InflowDivision = t.Canonical(g.InflowDivision)
	}
	if o := res.Correction; o != nil {
		o.Destination = t.Canonical(o.Destination)
	}
	if o := res.Registration; o != nil {
		o.Destination = t.Canonical(o.Destination)
	}
}
