package store

import (
	"hecha"
)

// encodeCase returns the stored form of c, in the layout of caseV1.
func encodeCase(c *hecha.Case) ([]byte, error) {
	e := encoder{b: make([]byte, 0, 512)}
	e.b = append(e.b, caseV1)
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
		e.candidate(&c.Candidates[i])
	}
	e.int(c.Rev)
	e.time(c.UpdatedAt)
	return e.b, nil
}

// decodeCase reads a stored case into c. Every version of the layout
// still on disk is read here; cases written as JSON before the binary
// encoding were rewritten by migrateBinaryValues.
func decodeCase(data []byte, c *hecha.Case) error {
	if err := checkVersion(data, caseV1); err != nil {
		return err
	}
	d := newDecoder(data)
	d.byte()
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
			d.candidate(&c.Candidates[i])
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

func (e *encoder) candidate(c *hecha.Candidate) {
	e.str(string(c.Source))
	e.bool(c.Floating != nil)
	if c.Floating != nil {
		e.floating(c.Floating)
	}
	e.bool(c.Resident != nil)
	if c.Resident != nil {
		e.resident(c.Resident)
	}
	e.bool(c.ByID)
	e.strs(c.Differs)
	e.str(string(c.Form))
}

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
