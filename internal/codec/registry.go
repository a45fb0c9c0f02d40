package codec

import (
	"hecha"
)

// The registry records' binary layouts: the same fields, in the same
// order, as a case's candidates carry them (case.go), after the
// version byte of the record's layout. JSON spelt every field's name in
// every record, about half of a record's bytes.

// EncodeFloating returns the stored form of r, in the layout of FloatingV2.
func EncodeFloating(r *hecha.FloatingRecord) []byte {
	e := Encoder{B: make([]byte, 0, 160)}
	e.B = append(e.B, FloatingV2)
	e.floating(r)
	return e.B
}

// DecodeFloating reads a stored floating record into r.
func DecodeFloating(data []byte, r *hecha.FloatingRecord) error {
	if err := CheckVersion(data, FloatingV2); err != nil {
		return err
	}
	d := NewDecoder(data)
	d.Byte()
	d.floating(r)
	return d.Err()
}

// EncodeResident returns the stored form of r, in the layout of ResidentV2.
func EncodeResident(r *hecha.ResidentRecord) []byte {
	e := Encoder{B: make([]byte, 0, 160)}
	e.B = append(e.B, ResidentV2)
	e.resident(r)
	return e.B
}

// DecodeResident reads a stored resident record into r.
func DecodeResident(data []byte, r *hecha.ResidentRecord) error {
	if err := CheckVersion(data, ResidentV2); err != nil {
		return err
	}
	d := NewDecoder(data)
	d.Byte()
	d.resident(r)
	return d.Err()
}

func (e *Encoder) floating(f *hecha.FloatingRecord) {
	e.Str(f.ID)
	e.Str(f.Name)
	e.Str(string(f.Sex))
	e.Date(f.BirthDate)
	e.Str(f.CitizenID)
	e.Str(string(f.HouseholdDivision))
	e.Str(f.HouseholdAddress)
	e.Str(string(f.InflowDivision))
	e.Str(f.InflowAddress)
	e.Date(f.InflowDate)
	e.Bool(f.Withdrawn)
	e.Str(string(f.Education))
	e.Str(string(f.Marital))
	e.Str(string(f.Reason))
}

func (d *Decoder) floating(f *hecha.FloatingRecord) {
	*f = hecha.FloatingRecord{ID: d.Str(), Name: d.Str(), Sex: hecha.Sex(d.Str()), BirthDate: d.Date()}
	f.CitizenID, f.HouseholdDivision, f.HouseholdAddress = d.Str(), hecha.Code(d.Str()), d.Str()
	f.InflowDivision, f.InflowAddress, f.InflowDate = hecha.Code(d.Str()), d.Str(), d.Date()
	f.Withdrawn = d.Bool()
	f.Education, f.Marital, f.Reason = hecha.Education(d.Str()), hecha.MaritalStatus(d.Str()), hecha.Reason(d.Str())
}

func (e *Encoder) resident(r *hecha.ResidentRecord) {
	e.Str(r.ID)
	e.Str(r.Name)
	e.Str(string(r.Sex))
	e.Date(r.BirthDate)
	e.Str(r.CitizenID)
	e.Str(string(r.HouseholdDivision))
	e.Str(r.HouseholdAddress)
	e.residentTail(r)
}

// residentTail writes what a resident record holds beyond the basic
// items: education, hukou type, marital status and the outflow, if any.
// A registry record and a case's resident candidate end the same way.
func (e *Encoder) residentTail(r *hecha.ResidentRecord) {
	e.Str(string(r.Education))
	e.Str(string(r.HukouType))
	e.Str(string(r.Marital))
	e.Bool(r.Outflow != nil)
	if o := r.Outflow; o != nil {
		e.Date(o.Date)
		e.Str(string(o.Destination))
		e.Str(o.Address)
		e.Str(string(o.Reason))
	}
}

func (d *Decoder) resident(r *hecha.ResidentRecord) {
	*r = hecha.ResidentRecord{ID: d.Str(), Name: d.Str(), Sex: hecha.Sex(d.Str()), BirthDate: d.Date()}
	r.CitizenID, r.HouseholdDivision, r.HouseholdAddress = d.Str(), hecha.Code(d.Str()), d.Str()
	d.residentTail(r)
}

// residentTail reads what Encoder.residentTail wrote.
func (d *Decoder) residentTail(r *hecha.ResidentRecord) {
	r.Education, r.HukouType, r.Marital = hecha.Education(d.Str()), hecha.HukouType(d.Str()), hecha.MaritalStatus(d.Str())
	if d.Flag() {
		r.Outflow = &hecha.Outflow{Date: d.Date(), Destination: hecha.Code(d.Str()), Address: d.Str(), Reason: hecha.Reason(d.Str())}
	}
}
