package store

import (
	"hecha"
)

// encodeCase returns the stored form of c, in the layout of caseV2: that
// of caseV1 but for the candidates' records, which leave out the basic
// items they share with the case's person (see encoder.shared).
func encodeCase(c *hecha.Case) ([]byte, error) {
	e := encoder{b: make([]byte, 0, 512)}
	e.b = append(e.b, caseV2)
	e.str(c.ID)
	e.str(string(c.Kind))
	e.person(&c.Person)
	e.str(string(c.Unit))
	e.bool(c.Assignment != nil)
	if a := c.Assignment; a != nil {
		e.str(string(a.Unit))
		e.time(a.At)
		e.str(a.By)
	}
	e.str(string(c.InflowDivision))
	e.str(c.InflowAddress)
	e.date(c.InflowDate)
	e.basicPtr(c.Resident)
	e.basicPtr(c.Outflow)
	e.uvarint(uint64(len(c.Candidates)))
	for i := range c.Candidates {
		e.candidateV2(&c.Candidates[i], &c.Person)
	}
	e.int(c.Rev)
	e.time(c.UpdatedAt)
	return e.b, nil
}

// decodeCase reads a stored case into c. Every version of the layout
// still on disk is read here (caseV1 and caseV2; a case is written in
// caseV2 when it is next stored); cases written as JSON before the binary
// encoding were rewritten by migrateBinaryValues.
func decodeCase(data []byte, c *hecha.Case) error {
	if len(data) == 0 || data[0] != caseV1 {
		if err := checkVersion(data, caseV2); err != nil {
			return err
		}
	}
	d := newDecoder(data)
	version := d.byte()
	*c = hecha.Case{ID: d.str(), Kind: hecha.Kind(d.str())}
	d.person(&c.Person)
	c.Unit = hecha.Code(d.str())
	if d.flag() {
		c.Assignment = &hecha.Assignment{Unit: hecha.Code(d.str()), At: d.time(), By: d.str()}
	}
	c.InflowDivision, c.InflowAddress, c.InflowDate = hecha.Code(d.str()), d.str(), d.date()
	c.Resident, c.Outflow = d.basicPtr(), d.basicPtr()
	if n := d.count(); n > 0 {
		c.Candidates = make([]hecha.Candidate, n)
		for i := range c.Candidates {
			if version == caseV1 {
				d.candidate(&c.Candidates[i])
			} else {
				d.candidateV2(&c.Candidates[i], &c.Person)
			}
		}
	}
	c.Rev, c.UpdatedAt = d.int(), d.time()
	return d.err()
}

func (e *encoder) person(p *hecha.Person) {
	e.str(p.Name)
	e.str(string(p.Sex))
	e.str(p.CurrentAddress)
	e.str(string(p.CurrentDivision))
	e.str(p.HouseholdAddress)
	e.str(string(p.HouseholdDivision))
	e.str(p.CitizenID)
	e.date(p.BirthDate)
	e.str(string(p.Education))
	e.str(string(p.HukouType))
	e.str(string(p.Reason))
	e.date(p.OutflowDate)
	e.date(p.ReturnDate)
	e.str(string(p.Marital))
	e.uvarint(uint64(len(p.Members)))
	for _, m := range p.Members {
		e.str(m.Name)
		e.str(string(m.Relationship))
		e.str(m.CitizenID)
		e.str(string(m.Sex))
		e.date(m.BirthDate)
	}
}

func (d *decoder) person(p *hecha.Person) {
	p.Name, p.Sex = d.str(), hecha.Sex(d.str())
	p.CurrentAddress, p.CurrentDivision = d.str(), hecha.Code(d.str())
	p.HouseholdAddress, p.HouseholdDivision = d.str(), hecha.Code(d.str())
	p.CitizenID, p.BirthDate = d.str(), d.date()
	p.Education, p.HukouType, p.Reason = hecha.Education(d.str()), hecha.HukouType(d.str()), hecha.Reason(d.str())
	p.OutflowDate, p.ReturnDate = d.date(), d.date()
	p.Marital = hecha.MaritalStatus(d.str())
	if n := d.count(); n > 0 {
		p.Members = make([]hecha.Member, n)
		for i := range p.Members {
			m := &p.Members[i]
			m.Name, m.Relationship, m.CitizenID = d.str(), hecha.Relationship(d.str()), d.str()
			m.Sex, m.BirthDate = hecha.Sex(d.str()), d.date()
		}
	}
}

func (e *encoder) basicPtr(b *hecha.Basic) {
	e.bool(b != nil)
	if b != nil {
		e.str(b.Name)
		e.str(string(b.Sex))
		e.date(b.BirthDate)
		e.str(b.CitizenID)
	}
}

func (d *decoder) basicPtr() *hecha.Basic {
	if !d.flag() {
		return nil
	}
	return &hecha.Basic{Name: d.str(), Sex: hecha.Sex(d.str()), BirthDate: d.date(), CitizenID: d.str()}
}

// candidate reads a candidate in caseV1's layout: each record whole, in
// the layout of codec_registry.go without its version byte.
func (d *decoder) candidate(c *hecha.Candidate) {
	c.Source = hecha.Source(d.str())
	if d.flag() {
		c.Floating = new(hecha.FloatingRecord)
		d.floating(c.Floating)
	}
	if d.flag() {
		c.Resident = new(hecha.ResidentRecord)
		d.resident(c.Resident)
	}
	c.ByID, c.Differs, c.Form = d.bool(), d.strs(), hecha.Form(d.str())
}

// The basic items a candidate's record may share with the case's person,
// as the bits of the mask that starts a record in caseV2: a bit set means
// the item is the person's and is not written.
const (
	sameName = 1 << iota
	sameSex
	sameBirth
	sameCitizenID
	sameHouseholdDivision
	sameHouseholdAddress
	sameAll = 1<<iota - 1
)

// basics are the items of a registry record that the case's person also
// has.
type basics struct {
	name, citizenID, householdAddress string
	sex                               hecha.Sex
	birth                             hecha.Date
	householdDivision                 hecha.Code
}

func personBasics(p *hecha.Person) basics {
	return basics{name: p.Name, citizenID: p.CitizenID, householdAddress: p.HouseholdAddress,
		sex: p.Sex, birth: p.BirthDate, householdDivision: p.HouseholdDivision}
}

// shared writes the mask of the items b shares with the person's, then
// the items it does not share.
func (e *encoder) shared(b, person basics) {
	var m byte
	for _, s := range []struct {
		bit  byte
		same bool
	}{
		{sameName, b.name == person.name}, {sameSex, b.sex == person.sex},
		{sameBirth, b.birth == person.birth}, {sameCitizenID, b.citizenID == person.citizenID},
		{sameHouseholdDivision, b.householdDivision == person.householdDivision},
		{sameHouseholdAddress, b.householdAddress == person.householdAddress},
	} {
		if s.same {
			m |= s.bit
		}
	}
	e.b = append(e.b, m)
	if m&sameName == 0 {
		e.str(b.name)
	}
	if m&sameSex == 0 {
		e.str(string(b.sex))
	}
	if m&sameBirth == 0 {
		e.date(b.birth)
	}
	if m&sameCitizenID == 0 {
		e.str(b.citizenID)
	}
	if m&sameHouseholdDivision == 0 {
		e.str(string(b.householdDivision))
	}
	if m&sameHouseholdAddress == 0 {
		e.str(b.householdAddress)
	}
}

// shared reads what encoder.shared wrote, taking the items the mask marks
// from person.
func (d *decoder) shared(person basics) basics {
	m := d.byte()
	if m&^sameAll != 0 {
		d.bad = true
		return basics{}
	}
	b := person
	if m&sameName == 0 {
		b.name = d.str()
	}
	if m&sameSex == 0 {
		b.sex = hecha.Sex(d.str())
	}
	if m&sameBirth == 0 {
		b.birth = d.date()
	}
	if m&sameCitizenID == 0 {
		b.citizenID = d.str()
	}
	if m&sameHouseholdDivision == 0 {
		b.householdDivision = hecha.Code(d.str())
	}
	if m&sameHouseholdAddress == 0 {
		b.householdAddress = d.str()
	}
	return b
}

// candidateV2 writes a candidate in caseV2's layout: as caseV1's, but each
// record's id is followed by its basic items as encoder.shared writes them
// against the case's person, then by its other items in caseV1's order.
func (e *encoder) candidateV2(c *hecha.Candidate, p *hecha.Person) {
	person := personBasics(p)
	e.str(string(c.Source))
	e.bool(c.Floating != nil)
	if f := c.Floating; f != nil {
		e.str(f.ID)
		e.shared(basics{name: f.Name, sex: f.Sex, birth: f.BirthDate, citizenID: f.CitizenID,
			householdDivision: f.HouseholdDivision, householdAddress: f.HouseholdAddress}, person)
		e.str(string(f.InflowDivision))
		e.str(f.InflowAddress)
		e.date(f.InflowDate)
		e.bool(f.Withdrawn)
		e.str(string(f.Education))
		e.str(string(f.Marital))
		e.str(string(f.Reason))
	}
	e.bool(c.Resident != nil)
	if r := c.Resident; r != nil {
		e.str(r.ID)
		e.shared(basics{name: r.Name, sex: r.Sex, birth: r.BirthDate, citizenID: r.CitizenID,
			householdDivision: r.HouseholdDivision, householdAddress: r.HouseholdAddress}, person)
		e.residentTail(r)
	}
	e.bool(c.ByID)
	e.strs(c.Differs)
	e.str(string(c.Form))
}

// candidateV2 reads what encoder.candidateV2 wrote.
func (d *decoder) candidateV2(c *hecha.Candidate, p *hecha.Person) {
	person := personBasics(p)
	c.Source = hecha.Source(d.str())
	if d.flag() {
		id := d.str()
		b := d.shared(person)
		f := &hecha.FloatingRecord{ID: id, Name: b.name, Sex: b.sex, BirthDate: b.birth, CitizenID: b.citizenID,
			HouseholdDivision: b.householdDivision, HouseholdAddress: b.householdAddress}
		f.InflowDivision, f.InflowAddress, f.InflowDate = hecha.Code(d.str()), d.str(), d.date()
		f.Withdrawn = d.bool()
		f.Education, f.Marital, f.Reason = hecha.Education(d.str()), hecha.MaritalStatus(d.str()), hecha.Reason(d.str())
		c.Floating = f
	}
	if d.flag() {
		id := d.str()
		b := d.shared(person)
		r := &hecha.ResidentRecord{ID: id, Name: b.name, Sex: b.sex, BirthDate: b.birth, CitizenID: b.citizenID,
			HouseholdDivision: b.householdDivision, HouseholdAddress: b.householdAddress}
		d.residentTail(r)
		c.Resident = r
	}
	c.ByID, c.Differs, c.Form = d.bool(), d.strs(), hecha.Form(d.str())
}

// encodeState returns the stored form of the county's state of a case,
// in the layout of stateV1.
func encodeState(st *caseState) ([]byte, error) {
	e := encoder{b: make([]byte, 0, 64+len(st.ImportHash)+40*len(st.Results))}
	e.b = append(e.b, stateV1)
	e.str(string(st.Status))
	e.bytes(st.ImportHash)
	e.int(st.ContentRev)
	e.int(st.AssignRev)
	e.strs(st.Results)
	e.str(st.InForce)
	return e.b, nil
}

// decodeState reads a stored case state into st (see decodeCase).
func decodeState(data []byte, st *caseState) error {
	if err := checkVersion(data, stateV1); err != nil {
		return err
	}
	d := newDecoder(data)
	d.byte()
	*st = caseState{Status: hecha.Status(d.str()), ImportHash: d.bytes(), ContentRev: d.int(), AssignRev: d.int()}
	st.Results, st.InForce = d.strs(), d.str()
	return d.err()
}
