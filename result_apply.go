package hecha

import "slices"

// RecordStore is what ApplyToRecords needs of the registries, inside the
// transaction that accepts a result: the lookups of the comparison, one
// record by id (nil, nil when absent) and writing one record (inserting or
// replacing it by id, with whatever the store keeps beside it).
type RecordStore interface {
	FloatingRegistry
	ResidentRegistry
	FloatingRecord(id string) (*FloatingRecord, error)
	ResidentRecord(id string) (*ResidentRecord, error)
	PutFloatingRecord(rec *FloatingRecord) error
	PutResidentRecord(rec *ResidentRecord) error
}

// ApplyToRecords applies an accepted result to its case c and to the
// registries (跨系统同步, DESIGN §5); every county store calls it in the
// transaction that accepts the result, and then stores c:
//
//   - R1, P2: nothing; the result is kept for the reports.
//   - Confirming forms (R2–R6, P1): the case's items become the verified
//     ones; the floating record and the resident record the result is
//     about are updated with them, or created (see applyConfirmed).
//   - M: the four basic items of the case, the resident record and the
//     outflow side's floating records become the final values.
//
// Records are found by the candidate the result names, else by citizen ID.
// New records take ids made from the result id ("F"/"R" + id), so applying
// the same result twice could not create two.
func ApplyToRecords(c *Case, r *Result, s RecordStore) error {
	switch {
	case r.Form == FormM && r.Mismatch != nil:
		return applyMismatch(s, c, r)
	case r.Form.Confirms() && r.Verified != nil:
		return applyConfirmed(s, c, r)
	}
	return nil
}

// pickedSource returns the registry of the candidate the result names:
// from the case's candidates, else whichever registry holds the id.
func pickedSource(s RecordStore, c *Case, id string) (Source, error) {
	if id == "" {
		return "", nil
	}
	for _, cd := range c.Candidates {
		if cd.RecordID() == id {
			return cd.Source, nil
		}
	}
	if rec, err := s.FloatingRecord(id); rec != nil || err != nil {
		return SourceFloating, err
	}
	if rec, err := s.ResidentRecord(id); rec != nil || err != nil {
		return SourceResident, err
	}
	return "", nil
}

// findFloating returns the floating record the result is about: the picked
// candidate, else the first record in force with the citizen ID; nil when
// there is none.
func findFloating(s RecordStore, c *Case, r *Result, cid string) (*FloatingRecord, error) {
	src, err := pickedSource(s, c, r.CandidateID)
	if err != nil {
		return nil, err
	}
	if src == SourceFloating {
		if rec, err := s.FloatingRecord(r.CandidateID); rec != nil || err != nil {
			return rec, err
		}
	}
	if cid == "" {
		return nil, nil
	}
	recs, err := s.FloatingByCitizenID(cid)
	if err != nil {
		return nil, err
	}
	for i := range recs {
		if !recs[i].Withdrawn {
			return &recs[i], nil
		}
	}
	return nil, nil
}

// findResident is findFloating for the resident record.
func findResident(s RecordStore, c *Case, r *Result, cid string) (*ResidentRecord, error) {
	src, err := pickedSource(s, c, r.CandidateID)
	if err != nil {
		return nil, err
	}
	if src == SourceResident {
		if rec, err := s.ResidentRecord(r.CandidateID); rec != nil || err != nil {
			return rec, err
		}
	}
	if cid == "" {
		return nil, nil
	}
	recs, err := s.ResidentByCitizenID(cid)
	if err != nil || len(recs) == 0 {
		return nil, err
	}
	return &recs[0], nil
}

// applyConfirmed applies a confirming result. The floating side: R2
// updates the record (creating it if the registry lacks it); R3 withdraws
// it and records the new registration as a new record; the resident forms
// update the person's floating record in force, if there is one. The
// resident side: the record is updated, or created, with the verified
// items; its outflow registration is set as the form says (R5 corrects the
// destination, R6 and P1 record the registration made, the others take
// the verified outflow date and current address).
func applyConfirmed(s RecordStore, c *Case, r *Result) error {
	v := *r.Verified
	v.Members = slices.Clone(v.Members)
	c.Person = v

	fl, err := findFloating(s, c, r, v.CitizenID)
	if err != nil {
		return err
	}
	switch r.Form {
	case FormR2:
		if fl == nil {
			fl = &FloatingRecord{ID: "F" + r.ID, InflowDate: v.OutflowDate}
		}
		setFloating(fl, &v)
		fl.InflowDivision, fl.InflowAddress = v.CurrentDivision, v.CurrentAddress
	case FormR3:
		if fl != nil {
			fl.Withdrawn = true
			if err := s.PutFloatingRecord(fl); err != nil {
				return err
			}
		}
		rr := r.Reregistration
		fl = &FloatingRecord{ID: "F" + r.ID, InflowDivision: rr.InflowDivision,
			InflowAddress: rr.InflowAddress, InflowDate: rr.Date}
		if fl.InflowAddress == "" {
			fl.InflowAddress = v.CurrentAddress
		}
		setFloating(fl, &v)
	default:
		if fl != nil {
			setFloating(fl, &v)
		}
	}
	if fl != nil {
		if err := s.PutFloatingRecord(fl); err != nil {
			return err
		}
	}

	rs, err := findResident(s, c, r, v.CitizenID)
	if err != nil {
		return err
	}
	if rs == nil {
		rs = &ResidentRecord{ID: "R" + r.ID}
	}
	setResident(rs, &v)
	setOutflow(rs, r, &v)
	return s.PutResidentRecord(rs)
}

// setOutflow sets the resident's outflow registration as the form says.
func setOutflow(rs *ResidentRecord, r *Result, v *Person) {
	out := Outflow{}
	if rs.Outflow != nil {
		out = *rs.Outflow
	}
	switch {
	case r.Form == FormR5 && r.Correction != nil:
		out.Destination = r.Correction.Destination
		if r.Correction.Address != "" {
			out.Address = r.Correction.Address
		}
		if out.Date.IsZero() {
			out.Date = v.OutflowDate
		}
	case (r.Form == FormR6 || r.Form == FormP1) && r.Registration != nil:
		out = *r.Registration
	default:
		if rs.Outflow == nil && v.OutflowDate.IsZero() {
			return
		}
		if !v.OutflowDate.IsZero() {
			out.Date = v.OutflowDate
		}
		out.Destination, out.Address = v.CurrentDivision, v.CurrentAddress
		if r.Form == FormR3 && r.Reregistration != nil {
			out.Destination = r.Reregistration.InflowDivision
		}
		if v.Reason != "" {
			out.Reason = v.Reason
		}
	}
	if out.Reason == "" {
		out.Reason = v.Reason
	}
	rs.Outflow = &out
}

// setFloating copies the verified items a floating record holds.
func setFloating(fl *FloatingRecord, v *Person) {
	fl.Name, fl.Sex, fl.BirthDate, fl.CitizenID = v.Name, v.Sex, v.BirthDate, v.CitizenID
	fl.HouseholdDivision, fl.HouseholdAddress = v.HouseholdDivision, v.HouseholdAddress
	fl.Education, fl.Marital, fl.Reason = v.Education, v.Marital, v.Reason
}

// setResident copies the verified items a resident record holds.
func setResident(rs *ResidentRecord, v *Person) {
	rs.Name, rs.Sex, rs.BirthDate, rs.CitizenID = v.Name, v.Sex, v.BirthDate, v.CitizenID
	rs.HouseholdDivision, rs.HouseholdAddress = v.HouseholdDivision, v.HouseholdAddress
	rs.Education, rs.HukouType, rs.Marital = v.Education, v.HukouType, v.Marital
}

// applyMismatch sets the four basic items to the final values on the case,
// on the resident record (the picked candidate, else by the resident side's
// citizen ID, else by the final one; created when missing) and on every
// floating record in force of the outflow side (by its citizen ID and the
// final one).
func applyMismatch(s RecordStore, c *Case, r *Result) error {
	final := r.Mismatch.Final(c)
	setBasic := func(name *string, sex *Sex, birth *Date, cid *string) {
		*name, *sex, *birth, *cid = final.Name, final.Sex, final.BirthDate, final.CitizenID
	}
	p := &c.Person
	setBasic(&p.Name, &p.Sex, &p.BirthDate, &p.CitizenID)

	var rs *ResidentRecord
	var err error
	for _, cid := range basicIDs(c.Resident, final) {
		if rs, err = findResident(s, c, r, cid); rs != nil || err != nil {
			break
		}
	}
	if err != nil {
		return err
	}
	if rs == nil {
		rs = &ResidentRecord{ID: "R" + r.ID, HouseholdDivision: p.HouseholdDivision, HouseholdAddress: p.HouseholdAddress}
	}
	setBasic(&rs.Name, &rs.Sex, &rs.BirthDate, &rs.CitizenID)
	if err := s.PutResidentRecord(rs); err != nil {
		return err
	}

	done := map[string]bool{}
	for _, cid := range basicIDs(c.Outflow, final) {
		recs, err := s.FloatingByCitizenID(cid)
		if err != nil {
			return err
		}
		for i := range recs {
			fl := &recs[i]
			if fl.Withdrawn || done[fl.ID] {
				continue
			}
			done[fl.ID] = true
			setBasic(&fl.Name, &fl.Sex, &fl.BirthDate, &fl.CitizenID)
			if err := s.PutFloatingRecord(fl); err != nil {
				return err
			}
		}
	}
	return nil
}

// basicIDs returns the citizen IDs to look a side of a mismatch case up
// by: the side's own, then the final one, without repeats or blanks.
func basicIDs(side *Basic, final Basic) []string {
	var ids []string
	if side != nil && side.CitizenID != "" {
		ids = append(ids, side.CitizenID)
	}
	if final.CitizenID != "" && !slices.Contains(ids, final.CitizenID) {
		ids = append(ids, final.CitizenID)
	}
	return ids
}
