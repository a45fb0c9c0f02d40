package store

import (
	"hecha"
)

// The registry records' binary layouts: the same fields, in the same
// order, as a case's candidates carry them (codec_case.go), after the
// version byte of the record's layout. JSON spelt every field's name in
// every record, about half of a record's bytes.

// encodeFloating returns the stored form of r, in the layout of floatingV2.
func encodeFloating(r *hecha.FloatingRecord) []byte {
	e := encoder{b: make([]byte, 0, 160)}
	e.b = append(e.b, floatingV2)
	e.floating(r)
	return e.b
}

// decodeFloating reads a stored floating record into r.
func decodeFloating(data []byte, r *hecha.FloatingRecord) error {
	if err := checkVersion(data, floatingV2); err != nil {
		return err
	}
	d := newDecoder(data)
	d.byte()
	d.floating(r)
	return d.err()
}

// encodeResident returns the stored form of r, in the layout of residentV2.
func encodeResident(r *hecha.ResidentRecord) []byte {
	e := encoder{b: make([]byte, 0, 160)}
	e.b = append(e.b, residentV2)
	e.resident(r)
	return e.b
}

// decodeResident reads a stored resident record into r.
func decodeResident(data []byte, r *hecha.ResidentRecord) error {
	if err := checkVersion(data, residentV2); err != nil {
		return err
	}
	d := newDecoder(data)
	d.byte()
	d.resident(r)
	return d.err()
}

func (e *encoder) floating(f *hecha.FloatingRecord) {
	e.str(f.ID)
	e.str(f.Name)
	e.str(string(f.Sex))
	e.date(f.BirthDate)
	e.str(f.CitizenID)
	e.str(string(f.HouseholdDivision))
	e.str(f.HouseholdAddress)
	e.str(string(f.InflowDivision))
	e.str(f.InflowAddress)
	e.date(f.InflowDate)
	e.bool(f.Withdrawn)
	e.str(string(f.Education))
	e.str(string(f.Marital))
	e.str(string(f.Reason))
}

func (d *decoder) floating(f *hecha.FloatingRecord) {
	*f = hecha.FloatingRecord{ID: d.str(), Name: d.str(), Sex: hecha.Sex(d.str()), BirthDate: d.date()}
	f.CitizenID, f.HouseholdDivision, f.HouseholdAddress = d.str(), hecha.Code(d.str()), d.str()
	f.InflowDivision, f.InflowAddress, f.InflowDate = hecha.Code(d.str()), d.str(), d.date()
	f.Withdrawn = d.bool()
	f.Education, f.Marital, f.Reason = hecha.Education(d.str()), hecha.MaritalStatus(d.str()), hecha.Reason(d.str())
}

func (e *encoder) resident(r *hecha.ResidentRecord) {
	e.str(r.ID)
	e.str(r.Name)
	e.str(string(r.Sex))
	e.date(r.BirthDate)
	e.str(r.CitizenID)
	e.str(string(r.HouseholdDivision))
	e.str(r.HouseholdAddress)
	e.residentTail(r)
}

// residentTail writes what a resident record holds beyond the basic
// items: education, hukou type, marital status and the outflow, if any.
// A registry record and a case's resident candidate end the same way.
func (e *encoder) residentTail(r *hecha.ResidentRecord) {
	e.str(string(r.Education))
	e.str(string(r.HukouType))
	e.str(string(r.Marital))
	e.bool(r.Outflow != nil)
	if o := r.Outflow; o != nil {
		e.date(o.Date)
		e.str(string(o.Destination))
		e.str(o.Address)
		e.str(string(o.Reason))
	}
}

func (d *decoder) resident(r *hecha.ResidentRecord) {
	*r = hecha.ResidentRecord{ID: d.str(), Name: d.str(), Sex: hecha.Sex(d.str()), BirthDate: d.date()}
	r.CitizenID, r.HouseholdDivision, r.HouseholdAddress = d.str(), hecha.Code(d.str()), d.str()
	d.residentTail(r)
}

// residentTail reads what encoder.residentTail wrote.
func (d *decoder) residentTail(r *hecha.ResidentRecord) {
	r.Education, r.HukouType, r.Marital = hecha.Education(d.str()), hecha.HukouType(d.str()), hecha.MaritalStatus(d.str())
	if d.flag() {
		r.Outflow = &hecha.Outflow{Date: d.date(), Destination: hecha.Code(d.str()), Address: d.str(), Reason: hecha.Reason(d.str())}
	}
}
