package codec

import (
	"hecha"
)

// EncodeCase returns the stored form of c, in the layout of CaseV2: that
// of CaseV1 but for the candidates' records, which leave out the basic
// items they share with the case's person (see Encoder.shared).
func EncodeCase(c *hecha.Case) ([]byte, error) {
	e := Encoder{B: make([]byte, 0, 512)}
	e.B = append(e.B, CaseV2)
	e.Str(c.ID)
	e.Str(string(c.Kind))
	e.person(&c.Person)
	e.Str(string(c.Unit))
	e.Bool(c.Assignment != nil)
	if a := c.Assignment; a != nil {
		e.Str(string(a.Unit))
		e.Time(a.At)
		e.Str(a.By)
	}
	e.Str(string(c.InflowDivision))
	e.Str(c.InflowAddress)
	e.Date(c.InflowDate)
	e.basicPtr(c.Resident)
	e.basicPtr(c.Outflow)
	e.Uvarint(uint64(len(c.Candidates)))
	for i := range c.Candidates {
		e.candidateV2(&c.Candidates[i], &c.Person)
	}
	e.Int(c.Rev)
	e.Time(c.UpdatedAt)
	return e.B, nil
}

// CaseContent appends to e a case's imported content (what an import
// gives it: its id, kind, person, inflow, resident and outflow), in the
// layout of CaseV2's items. The county hashes it to tell a changed case
// from one imported again unchanged (store's contentHash), so what it
// writes must not change: a change makes every case of every county read
// as changed at its next import.
func (e *Encoder) CaseContent(c *hecha.Case) {
	e.Str(c.ID)
	e.Str(string(c.Kind))
	e.person(&c.Person)
	e.Str(string(c.InflowDivision))
	e.Str(c.InflowAddress)
	e.Date(c.InflowDate)
	e.basicPtr(c.Resident)
	e.basicPtr(c.Outflow)
}

// DecodeCase reads a stored case into c. Every version of the layout
// still on disk is read here (CaseV1 and CaseV2; a case is written in
// CaseV2 when it is next stored). A case written as JSON before this
// encoding does not decode here: its store tells it by its '{' and reads
// it as JSON, or rewrote it (store's migrateBinaryValues).
func DecodeCase(data []byte, c *hecha.Case) error {
	if len(data) == 0 || data[0] != CaseV1 {
		if err := CheckVersion(data, CaseV2); err != nil {
			return err
		}
	}
	d := NewDecoder(data)
	version := d.Byte()
	*c = hecha.Case{ID: d.Str(), Kind: hecha.Kind(d.Str())}
	d.person(&c.Person)
	c.Unit = hecha.Code(d.Str())
	if d.Flag() {
		c.Assignment = &hecha.Assignment{Unit: hecha.Code(d.Str()), At: d.Time(), By: d.Str()}
	}
	c.InflowDivision, c.InflowAddress, c.InflowDate = hecha.Code(d.Str()), d.Str(), d.Date()
	c.Resident, c.Outflow = d.basicPtr(), d.basicPtr()
	if n := d.Count(); n > 0 {
		c.Candidates = make([]hecha.Candidate, n)
		for i := range c.Candidates {
			if version == CaseV1 {
				d.candidate(&c.Candidates[i])
			} else {
				d.candidateV2(&c.Candidates[i], &c.Person)
			}
		}
	}
	c.Rev, c.UpdatedAt = d.Int(), d.Time()
	return d.Err()
}

func (e *Encoder) person(p *hecha.Person) {
	e.Str(p.Name)
	e.Str(string(p.Sex))
	e.Str(p.CurrentAddress)
	e.Str(string(p.CurrentDivision))
	e.Str(p.HouseholdAddress)
	e.Str(string(p.HouseholdDivision))
	e.Str(p.CitizenID)
	e.Date(p.BirthDate)
	e.Str(string(p.Education))
	e.Str(string(p.HukouType))
	e.Str(string(p.Reason))
	e.Date(p.OutflowDate)
	e.Date(p.ReturnDate)
	e.Str(string(p.Marital))
	e.Uvarint(uint64(len(p.Members)))
	for _, m := range p.Members {
		e.Str(m.Name)
		e.Str(string(m.Relationship))
		e.Str(m.CitizenID)
		e.Str(string(m.Sex))
		e.Date(m.BirthDate)
	}
}

func (d *Decoder) person(p *hecha.Person) {
	p.Name, p.Sex = d.Str(), hecha.Sex(d.Str())
	p.CurrentAddress, p.CurrentDivision = d.Str(), hecha.Code(d.Str())
	p.HouseholdAddress, p.HouseholdDivision = d.Str(), hecha.Code(d.Str())
	p.CitizenID, p.BirthDate = d.Str(), d.Date()
	p.Education, p.HukouType, p.Reason = hecha.Education(d.Str()), hecha.HukouType(d.Str()), hecha.Reason(d.Str())
	p.OutflowDate, p.ReturnDate = d.Date(), d.Date()
	p.Marital = hecha.MaritalStatus(d.Str())
	if n := d.Count(); n > 0 {
		p.Members = make([]hecha.Member, n)
		for i := range p.Members {
			m := &p.Members[i]
			m.Name, m.Relationship, m.CitizenID = d.Str(), hecha.Relationship(d.Str()), d.Str()
			m.Sex, m.BirthDate = hecha.Sex(d.Str()), d.Date()
		}
	}
}

func (e *Encoder) basicPtr(b *hecha.Basic) {
	e.Bool(b != nil)
	if b != nil {
		e.Str(b.Name)
		e.Str(string(b.Sex))
		e.Date(b.BirthDate)
		e.Str(b.CitizenID)
	}
}

func (d *Decoder) basicPtr() *hecha.Basic {
	if !d.Flag() {
		return nil
	}
	return &hecha.Basic{Name: d.Str(), Sex: hecha.Sex(d.Str()), BirthDate: d.Date(), CitizenID: d.Str()}
}

// candidate reads a candidate in CaseV1's layout: each record whole, in
// the layout of registry.go without its version byte.
func (d *Decoder) candidate(c *hecha.Candidate) {
	c.Source = hecha.Source(d.Str())
	if d.Flag() {
		c.Floating = new(hecha.FloatingRecord)
		d.floating(c.Floating)
	}
	if d.Flag() {
		c.Resident = new(hecha.ResidentRecord)
		d.resident(c.Resident)
	}
	c.ByID, c.Differs, c.Form = d.Bool(), d.Strs(), hecha.Form(d.Str())
}

// The basic items a candidate's record may share with the case's person,
// as the bits of the mask that starts a record in CaseV2: a bit set means
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
func (e *Encoder) shared(b, person basics) {
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
	e.B = append(e.B, m)
	if m&sameName == 0 {
		e.Str(b.name)
	}
	if m&sameSex == 0 {
		e.Str(string(b.sex))
	}
	if m&sameBirth == 0 {
		e.Date(b.birth)
	}
	if m&sameCitizenID == 0 {
		e.Str(b.citizenID)
	}
	if m&sameHouseholdDivision == 0 {
		e.Str(string(b.householdDivision))
	}
	if m&sameHouseholdAddress == 0 {
		e.Str(b.householdAddress)
	}
}

// shared reads what Encoder.shared wrote, taking the items the mask marks
// from person.
func (d *Decoder) shared(person basics) basics {
	m := d.Byte()
	if m&^sameAll != 0 {
		d.bad = true
		return basics{}
	}
	b := person
	if m&sameName == 0 {
		b.name = d.Str()
	}
	if m&sameSex == 0 {
		b.sex = hecha.Sex(d.Str())
	}
	if m&sameBirth == 0 {
		b.birth = d.Date()
	}
	if m&sameCitizenID == 0 {
		b.citizenID = d.Str()
	}
	if m&sameHouseholdDivision == 0 {
		b.householdDivision = hecha.Code(d.Str())
	}
	if m&sameHouseholdAddress == 0 {
		b.householdAddress = d.Str()
	}
	return b
}

// candidateV2 writes a candidate in CaseV2's layout: as CaseV1's, but each
// record's id is followed by its basic items as Encoder.shared writes them
// against the case's person, then by its other items in CaseV1's order.
func (e *Encoder) candidateV2(c *hecha.Candidate, p *hecha.Person) {
	person := personBasics(p)
	e.Str(string(c.Source))
	e.Bool(c.Floating != nil)
	if f := c.Floating; f != nil {
		e.Str(f.ID)
		e.shared(basics{name: f.Name, sex: f.Sex, birth: f.BirthDate, citizenID: f.CitizenID,
			householdDivision: f.HouseholdDivision, householdAddress: f.HouseholdAddress}, person)
		e.Str(string(f.InflowDivision))
		e.Str(f.InflowAddress)
		e.Date(f.InflowDate)
		e.Bool(f.Withdrawn)
		e.Str(string(f.Education))
		e.Str(string(f.Marital))
		e.Str(string(f.Reason))
	}
	e.Bool(c.Resident != nil)
	if r := c.Resident; r != nil {
		e.Str(r.ID)
		e.shared(basics{name: r.Name, sex: r.Sex, birth: r.BirthDate, citizenID: r.CitizenID,
			householdDivision: r.HouseholdDivision, householdAddress: r.HouseholdAddress}, person)
		e.residentTail(r)
	}
	e.Bool(c.ByID)
	e.Strs(c.Differs)
	e.Str(string(c.Form))
}

// candidateV2 reads what Encoder.candidateV2 wrote.
func (d *Decoder) candidateV2(c *hecha.Candidate, p *hecha.Person) {
	person := personBasics(p)
	c.Source = hecha.Source(d.Str())
	if d.Flag() {
		id := d.Str()
		b := d.shared(person)
		f := &hecha.FloatingRecord{ID: id, Name: b.name, Sex: b.sex, BirthDate: b.birth, CitizenID: b.citizenID,
			HouseholdDivision: b.householdDivision, HouseholdAddress: b.householdAddress}
		f.InflowDivision, f.InflowAddress, f.InflowDate = hecha.Code(d.Str()), d.Str(), d.Date()
		f.Withdrawn = d.Bool()
		f.Education, f.Marital, f.Reason = hecha.Education(d.Str()), hecha.MaritalStatus(d.Str()), hecha.Reason(d.Str())
		c.Floating = f
	}
	if d.Flag() {
		id := d.Str()
		b := d.shared(person)
		r := &hecha.ResidentRecord{ID: id, Name: b.name, Sex: b.sex, BirthDate: b.birth, CitizenID: b.citizenID,
			HouseholdDivision: b.householdDivision, HouseholdAddress: b.householdAddress}
		d.residentTail(r)
		c.Resident = r
	}
	c.ByID, c.Differs, c.Form = d.Bool(), d.Strs(), hecha.Form(d.Str())
}
