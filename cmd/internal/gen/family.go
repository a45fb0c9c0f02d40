package gen

import (
	"fmt"
	"slices"

	"hecha"
)

// childCounts weighs the number of children in a household.
var childCounts = newWeighted(`1:50 2:40 3:10`)

// members returns the person's household (家庭户信息), everyone with an
// ID number: for someone who is or was married, the spouse (when
// married) and children; for someone unmarried, the household they grew
// up in: the father as householder, the mother, and brothers and sisters.
func (g *generator) members(per person) []hecha.Member {
	switch per.marital {
	case "20", "30", "40":
		return g.ownFamily(per)
	}
	return g.parents(per)
}

// ownFamily returns a married person's spouse and children.
func (g *generator) ownFamily(per person) []hecha.Member {
	var ms []hecha.Member
	age := g.now.Year - per.birth.Year
	fatherSurname := surnameOf(per.name)
	if per.marital == "20" {
		sex, rel := hecha.SexFemale, hecha.Relationship("12")
		if per.sex == hecha.SexFemale {
			sex, rel = hecha.SexMale, "11"
		}
		if g.rng.IntN(4) == 0 {
			rel = "10"
		}
		birth := g.between(addDays(per.birth, -5*365), addDays(per.birth, 5*365))
		if limit := addDays(g.now, -20*366); birth.After(limit) {
			// At least 20: spread over the three years before, not piled
			// on one day (which ran out of ID numbers).
			birth = g.between(addDays(limit, -3*365), limit)
		}
		area := g.idArea
		if g.rng.IntN(10) < 3 {
			area = string(g.inflows[g.rng.IntN(len(g.inflows))].County())
			if g.table.CheckIDArea("", hecha.Code(area)) != nil {
				area = g.idArea
			}
		}
		id, birth := g.newID(area, birth, sex)
		name := personName(g.rng, sex, birth.Year)
		if sex == hecha.SexMale && surnameOf(name) != "" {
			fatherSurname = surnameOf(name)
		}
		ms = append(ms, hecha.Member{Name: name, Relationship: rel, Sex: sex, BirthDate: birth, CitizenID: id})
	}
	if age < 21 || fatherSurname == "" {
		return ms
	}
	// One child mostly, two often, three sometimes; the eldest first.
	var births []hecha.Date
	for k := atoi(childCounts.pick(g.rng)); k > 0; k-- {
		birth := g.between(addDays(per.birth, 20*365), addDays(per.birth, 38*365))
		if !birth.After(addDays(g.now, -30)) {
			births = append(births, birth)
		}
	}
	slices.SortFunc(births, func(a, b hecha.Date) int { return a.Compare(b) })
	sons, daughters := 0, 0
	for _, birth := range births {
		sex, rel := hecha.SexMale, hecha.Relationship("20")
		if g.rng.IntN(2) == 0 {
			sex, rel = hecha.SexFemale, "30"
		}
		if len(births) > 1 && sex == hecha.SexMale {
			sons++
			rel = hecha.Relationship(fmt.Sprint(21 + min(sons, 3)))
		} else if len(births) > 1 {
			daughters++
			rel = hecha.Relationship(fmt.Sprint(31 + min(daughters, 3)))
		}
		id, birth := g.newID(g.idArea, birth, sex)
		name := fatherSurname + givenName(g.rng, sex, birth.Year)
		ms = append(ms, hecha.Member{Name: name, Relationship: rel, Sex: sex, BirthDate: birth, CitizenID: id})
	}
	return ms
}

// parents returns the household an unmarried person grew up in.
func (g *generator) parents(per person) []hecha.Member {
	surname := surnameOf(per.name)
	father := addDays(per.birth, -(22*365 + g.rng.IntN(13*365)))
	mother := g.between(addDays(father, -2*365), addDays(father, 6*365))
	if limit := addDays(per.birth, -18*365); mother.After(limit) {
		mother = limit
	}
	fatherID, father := g.newID(g.idArea, father, hecha.SexMale)
	fatherName := personName(g.rng, hecha.SexMale, father.Year)
	if surname != "" {
		fatherName = surname + givenName(g.rng, hecha.SexMale, father.Year)
	}
	ms := []hecha.Member{
		{Name: fatherName, Relationship: "02", Sex: hecha.SexMale, BirthDate: father, CitizenID: fatherID},
	}
	if g.rng.IntN(10) < 9 {
		id, mother := g.newID(g.idArea, mother, hecha.SexFemale)
		name := personName(g.rng, hecha.SexFemale, mother.Year)
		ms = append(ms, hecha.Member{Name: name, Relationship: "10", Sex: hecha.SexFemale, BirthDate: mother, CitizenID: id})
	}
	for k := g.rng.IntN(3); k > 0 && surname != ""; k-- {
		birth := g.between(addDays(per.birth, -8*365), addDays(per.birth, 8*365))
		if birth.After(addDays(g.now, -30)) || birth.Before(addDays(mother, 18*365)) {
			continue
		}
		sex, rel := hecha.SexMale, hecha.Relationship("20")
		if g.rng.IntN(2) == 0 {
			sex, rel = hecha.SexFemale, "30"
		}
		id, birth := g.newID(g.idArea, birth, sex)
		name := surname + givenName(g.rng, sex, birth.Year)
		ms = append(ms, hecha.Member{Name: name, Relationship: rel, Sex: sex, BirthDate: birth, CitizenID: id})
	}
	return ms
}
