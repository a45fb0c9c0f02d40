package gen

import (
	"fmt"

	"hecha"
)

// defect gives the case, just made, a defect or none, and returns it:
// exactly round(DefectRate × Cases) cases get one, each case with an
// equal chance (selection sampling: the case is picked with the
// probability defects left / cases left). The defect is drawn among
// those that Case.Validate catches for the case's kind (a mismatch
// case's basic items are not checked against each other, so it gets no
// ID defect).
func (g *generator) defect(c *hecha.Case) string {
	casesLeft := g.cfg.Cases - g.counts.Cases
	if g.defectsLeft == 0 || g.drng.IntN(casesLeft) >= g.defectsLeft {
		return ""
	}
	g.defectsLeft--
	kinds := []string{DefectCheckDigit, DefectBirthMismatch, DefectUnknownDivision, DefectReturnBeforeOutflow, DefectFutureDate}
	if c.Kind == hecha.KindMismatch {
		kinds = kinds[2:]
	}
	return g.applyDefect(c, kinds[g.drng.IntN(len(kinds))])
}

// applyDefect gives c the defect and returns it: the one asked for, or
// another when it cannot be given.
func (g *generator) applyDefect(c *hecha.Case, defect string) string {
	p := &c.Person
	switch defect {
	case DefectCheckDigit:
		want := hecha.IDCheckDigit(p.CitizenID[:17])
		wrong := byte('0' + (int(want-'0')+1+g.drng.IntN(9))%10)
		if want == 'X' {
			wrong = byte('0' + g.drng.IntN(10))
		}
		p.CitizenID = p.CitizenID[:17] + string(wrong)
	case DefectBirthMismatch:
		shifted := addDays(p.BirthDate, 1+g.drng.IntN(27))
		if shifted.After(g.now) {
			shifted = addDays(p.BirthDate, -1-g.drng.IntN(27))
		}
		p.BirthDate = shifted
	case DefectUnknownDivision:
		if code, ok := g.unknownTownship(); ok {
			p.HouseholdDivision = code
			return defect
		}
		// No code is left unknown: a future date instead.
		return g.applyDefect(c, DefectFutureDate)
	case DefectReturnBeforeOutflow:
		p.ReturnDate = addDays(p.OutflowDate, -1-g.drng.IntN(300))
	case DefectFutureDate:
		p.OutflowDate = addDays(g.now, 1+g.drng.IntN(400))
		p.ReturnDate = hecha.Date{}
	}
	return defect
}

// unknownTownship returns a well-formed township code of the county that
// the table does not hold: one drawn from 900–999, or when the table
// holds it the next free one counting up (from 999 on to 000); false when
// the table holds all thousand.
func (g *generator) unknownTownship() (hecha.Code, bool) {
	n := 900 + g.drng.IntN(100)
	for range 1000 {
		c := hecha.Code(fmt.Sprintf("%s%03d", g.county, n))
		if _, ok := g.table.Lookup(c); !ok {
			return c, true
		}
		n = (n + 1) % 1000
	}
	return "", false
}

// addNoise adds registry records of people in no case: residents who
// never left, residents who left with a proper registration, and
// floating records (a fifth of them withdrawn).
func (g *generator) addNoise() {
	n := g.cfg.Cases
	for range n * noiseResidents / 100 {
		g.addResident(g.newPerson(1+g.rng.IntN(85)), nil)
	}
	for range n * noiseOutflows / 100 {
		per := g.newPerson(g.moverAge())
		dest := g.pickDestination()
		g.addResident(per, &hecha.Outflow{Date: g.outflowDate(per.birth), Destination: dest, Address: g.currentAddress(dest), Reason: hecha.Reason(reasonDraw.pick(g.rng))})
	}
	for range n * noiseFloating / 100 {
		per := g.newPerson(g.moverAge())
		g.addFloating(per, g.pickDestination(), g.outflowDate(per.birth), g.rng.IntN(5) == 0)
	}
}
