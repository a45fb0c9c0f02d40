package gen

import (
	"fmt"
	"strings"
	"time"

	"hecha"
)

// caseID returns the number of the i-th case: a prefix for the kind
// (KS 跨省, SN 省内, BY 不一致), the county, the year and a sequence.
func (g *generator) caseID(i int, k hecha.Kind) string {
	prefix := "KS"
	switch k {
	case hecha.KindInProvince:
		prefix = "SN"
	case hecha.KindMismatch:
		prefix = "BY"
	}
	return fmt.Sprintf("%s%s%d%06d", prefix, g.county, g.year, i+1)
}

// makeCase makes the i-th case to plan p and the registry records that
// give it its designed comparison result.
func (g *generator) makeCase(i int, p plan) {
	kind := KindMix[p.kind].Kind
	per := g.newPerson(g.moverAge())
	out := g.outflowDate(per.birth)
	c := hecha.Case{ID: g.caseID(i, kind), Kind: kind}
	c.Person = hecha.Person{
		Name: per.name, Sex: per.sex, BirthDate: per.birth, CitizenID: per.id,
		HouseholdDivision: g.caseHousehold(per.household), HouseholdAddress: per.address,
		Education: per.education, HukouType: per.hukou, Marital: per.marital,
		Reason:      hecha.Reason(reasonDraw.pick(g.rng)),
		OutflowDate: out,
	}
	// National data is incomplete: some items are missing.
	if g.rng.IntN(100) < 5 {
		c.Person.Education = ""
	}
	if g.rng.IntN(100) < 3 {
		c.Person.HouseholdAddress = ""
	}
	if back := addDays(out, 60); g.rng.IntN(100) < 6 && !back.After(g.now) {
		c.Person.ReturnDate = g.between(back, g.now)
	}
	if g.rng.IntN(100) < 40 {
		c.Person.Members = g.members(per)
	}
	switch kind {
	case hecha.KindInProvince:
		g.inProvince(&c, per)
	case hecha.KindMismatch:
		g.mismatch(&c, per)
	default:
		g.crossProvince(&c, per, FormMix[p.form].Form)
	}
	if g.rng.IntN(100) < namesakesPerCent {
		g.namesake(per)
	}
	defect := g.defect(&c)
	if defect != "" {
		g.counts.Defective++
	}
	g.counts.Cases++
	if g.err == nil {
		g.err = g.sink.Case(&c, defect)
	}
}

// caseHousehold returns the household division as a national case holds
// it: mostly as the registry has it, sometimes only to township or county.
func (g *generator) caseHousehold(c hecha.Code) hecha.Code {
	switch n := g.rng.IntN(100); {
	case n < 5:
		return c.County()
	case n < 15:
		return c.At(hecha.LevelTownship)
	}
	return c
}

// crossProvince fills a cross-province case and builds the registry
// records that make the comparison give form.
func (g *generator) crossProvince(c *hecha.Case, per person, form hecha.Form) {
	cur := g.pickDestination()
	c.Person.CurrentDivision = cur
	c.Person.CurrentAddress = g.currentAddress(cur)
	if form == hecha.FormR1 {
		return
	}
	if g.rng.IntN(100) < idVariantsPerCent && g.idFree(g.idArea, per.birth, per.sex) {
		// The national record carries another valid number; the
		// registries have the person's own, so the match is by name.
		c.Person.CitizenID, _ = g.newID(g.idArea, per.birth, per.sex)
	}
	out := c.Person.OutflowDate
	switch form {
	case hecha.FormR2, hecha.FormR3:
		inflow := cur
		if form == hecha.FormR3 {
			inflow = g.otherDestination(cur)
		}
		g.addFloating(per, inflow, g.between(out, addDays(out, 20)), false)
		var o *hecha.Outflow
		if g.rng.IntN(100) < 40 {
			o = &hecha.Outflow{Date: out, Destination: inflow, Reason: c.Person.Reason}
		}
		g.addResident(per, o)
	case hecha.FormR4, hecha.FormR5:
		dest := cur
		if form == hecha.FormR5 {
			dest = g.otherDestination(cur)
		}
		g.addResident(per, &hecha.Outflow{Date: out, Destination: dest, Address: g.currentAddress(dest), Reason: c.Person.Reason})
	case hecha.FormR6:
		g.addResident(per, nil)
	}
	if form != hecha.FormR2 && form != hecha.FormR3 && g.rng.IntN(100) < 5 {
		// An old floating registration, since withdrawn.
		g.addFloating(per, g.otherDestination(cur), g.between(out, g.now), true)
	}
}

// inProvince fills an in-province case: a township elsewhere in Henan
// registered the person's inflow; the home registry has no outflow.
func (g *generator) inProvince(c *hecha.Case, per person) {
	town := g.inflows[g.rng.IntN(len(g.inflows))]
	addr := g.currentAddress(town)
	date := g.between(c.Person.OutflowDate, addDays(c.Person.OutflowDate, 30))
	if date.After(g.now) {
		date = g.now
	}
	c.Person.CurrentDivision, c.Person.CurrentAddress = town, addr
	c.InflowDivision, c.InflowAddress, c.InflowDate = town, addr, date
	g.addFloating(per, town, date, false)
	g.addResident(per, nil)
}

// mismatch fills a mismatch case: the resident record holds the person;
// the outflow record differs from it in one or two of the basic items,
// each record consistent in itself. The case's items are the outflow
// record's.
func (g *generator) mismatch(c *hecha.Case, per person) {
	res := hecha.Basic{Name: per.name, Sex: per.sex, BirthDate: per.birth, CitizenID: per.id}
	out := res
	// A new ID number on a day whose numbers are all given out moves the
	// birth date too: one more item differs.
	switch n := g.rng.IntN(5); {
	case n == 0 && surnameOf(per.name) != "":
		out.Name = g.misspell(per)
	case n == 1:
		out.CitizenID, out.BirthDate = g.newID(g.idArea, g.shiftBirth(per.birth), out.Sex)
	case n == 2:
		out.Sex = hecha.SexMale
		if per.sex == hecha.SexMale {
			out.Sex = hecha.SexFemale
		}
		out.CitizenID, out.BirthDate = g.newID(g.idArea, out.BirthDate, out.Sex)
	case n == 3 && surnameOf(per.name) != "":
		out.Name = g.misspell(per)
		out.CitizenID, out.BirthDate = g.newID(g.idArea, out.BirthDate, out.Sex)
	default:
		out.CitizenID, out.BirthDate = g.newID(g.idArea, out.BirthDate, out.Sex)
	}
	c.Resident, c.Outflow = &res, &out
	c.Person.Name, c.Person.Sex, c.Person.BirthDate, c.Person.CitizenID = out.Name, out.Sex, out.BirthDate, out.CitizenID
	if c.Person.OutflowDate.Before(out.BirthDate) {
		c.Person.OutflowDate = g.outflowDate(out.BirthDate)
	}
	dest := g.pickDestination()
	c.Person.CurrentDivision, c.Person.CurrentAddress = dest, g.currentAddress(dest)
	g.addResident(per, &hecha.Outflow{Date: c.Person.OutflowDate, Destination: dest, Reason: c.Person.Reason})
}

// misspell returns the person's name with its given name written with
// other characters, as a clerk mishears it: a drawn given name, or when
// it is the person's own, the next one in its list (every list has
// several).
func (g *generator) misspell(per person) string {
	sur := surnameOf(per.name)
	names := givenNames(per.sex, per.birth.Year)
	i := names.index(g.rng)
	for range names.items {
		if n := sur + names.items[i]; n != per.name {
			return n
		}
		i = (i + 1) % len(names.items)
	}
	return per.name
}

// shiftBirth returns a birth date a few days, months or a year off, and
// at least 16 years ago. Each try starts 400 days earlier and moves at
// most 20 days later, so the tries end once b passes that limit.
func (g *generator) shiftBirth(b hecha.Date) hecha.Date {
	for {
		var d hecha.Date
		switch g.rng.IntN(3) {
		case 0:
			d = addDays(b, 1+g.rng.IntN(20))
		case 1:
			d = addDays(b, -(30 + g.rng.IntN(300)))
		default:
			d = addDays(b, -(365 + g.rng.IntN(30)))
		}
		if !d.After(addDays(g.now, -16*366)) {
			return d
		}
		b = addDays(b, -400)
	}
}

// addFloating adds a floating record of per with an inflow into c.
func (g *generator) addFloating(per person, c hecha.Code, date hecha.Date, withdrawn bool) {
	if date.After(g.now) {
		date = g.now
	}
	g.nextID[1]++
	rec := hecha.FloatingRecord{
		ID:   fmt.Sprintf("LD%s%08d", g.county, g.nextID[1]),
		Name: per.name, Sex: per.sex, BirthDate: per.birth, CitizenID: per.id,
		HouseholdDivision: per.household, HouseholdAddress: per.address,
		InflowDivision: c, InflowAddress: g.currentAddress(c), InflowDate: date,
		Withdrawn: withdrawn, Education: per.education, Marital: per.marital,
		Reason: hecha.Reason(reasonDraw.pick(g.rng)),
	}
	g.counts.Floating++
	if g.err == nil {
		g.err = g.sink.Floating(&rec)
	}
}

// addResident adds the resident record of per, with the outflow
// registration o (nil for none).
func (g *generator) addResident(per person, o *hecha.Outflow) {
	g.nextID[0]++
	rec := hecha.ResidentRecord{
		ID:   fmt.Sprintf("CZ%s%08d", g.county, g.nextID[0]),
		Name: per.name, Sex: per.sex, BirthDate: per.birth, CitizenID: per.id,
		HouseholdDivision: per.household, HouseholdAddress: per.address,
		Education: per.education, HukouType: per.hukou, Marital: per.marital,
		Outflow: o,
	}
	g.counts.Resident++
	if g.err == nil {
		g.err = g.sink.Resident(&rec)
	}
}

// namesake adds to one registry another person of per's name and sex,
// born on another day (the same month, year, or a year or two apart), so
// a looser comparison finds several candidates.
func (g *generator) namesake(per person) {
	if strings.Contains(per.name, "·") {
		return
	}
	for tries := 0; tries < 10; tries++ {
		var birth hecha.Date
		switch g.rng.IntN(3) {
		case 0:
			birth = hecha.NewDate(per.birth.Year, per.birth.Month, 1+g.rng.IntN(28))
		case 1:
			birth = hecha.NewDate(per.birth.Year, time.Month(1+g.rng.IntN(12)), 1+g.rng.IntN(28))
		default:
			birth = addDays(per.birth, (1+g.rng.IntN(2))*365*(1-2*g.rng.IntN(2)))
		}
		if birth.After(addDays(g.now, -16*366)) || !g.free(per.name, per.sex, birth) {
			continue
		}
		g.claim(per.name, per.sex, birth)
		other := g.newPersonLike(per.name, per.sex, birth)
		if g.rng.IntN(2) == 0 {
			g.addFloating(other, g.pickDestination(), g.outflowDate(birth), false)
		} else {
			g.addResident(other, nil)
		}
		return
	}
}

// newPersonLike makes a person of the county with the given name, sex and
// birth date (already claimed, on a day with ID numbers left).
func (g *generator) newPersonLike(name string, sex hecha.Sex, birth hecha.Date) person {
	p := person{name: name, sex: sex, birth: birth}
	p.id, _ = g.newID(g.idArea, birth, sex)
	p.household = g.pickHousehold()
	p.address = g.householdAddress(p.household)
	p.education = hecha.Education(educationDraw.pick(g.rng))
	p.hukou = hecha.HukouType(hukouDraw.pick(g.rng))
	p.marital = g.maritalFor(g.now.Year - birth.Year)
	return p
}
