package store

import (
	"slices"

	"go.etcd.io/bbolt"

	"hecha"
)

// applyToRecords applies an accepted result to the case and the registries
// (跨系统同步, DESIGN §5), in the result's transaction:
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
func applyToRecords(tx *bbolt.Tx, c *hecha.Case, r *hecha.Result) error {
	switch {
	case r.Form == hecha.FormM && r.Mismatch != nil:
		return applyMismatch(tx, c, r)
	case r.Form.Confirms() && r.Verified != nil:
		return applyConfirmed(tx, c, r)
	}
	return nil
}

// pickedSource returns the registry of the candidate the result names:
// from the case's candidates, else whichever registry holds the id.
func pickedSource(tx *bbolt.Tx, c *hecha.Case, id string) hecha.Source {
	if id == "" {
		return ""
	}
	for _, cd := range c.Candidates {
		if cd.RecordID() == id {
			return cd.Source
		}
	}
	if tx.Bucket(bucketFloating).Get([]byte(id)) != nil {
		return hecha.SourceFloating
	}
	if tx.Bucket(bucketResident).Get([]byte(id)) != nil {
		return hecha.SourceResident
	}
	return ""
}

// findFloating returns the floating record the result is about: the picked
// candidate, else the first record in force with the citizen ID; nil when
// there is none.
func findFloating(tx *bbolt.Tx, c *hecha.Case, r *hecha.Result, cid string) (*hecha.FloatingRecord, error) {
	if pickedSource(tx, c, r.CandidateID) == hecha.SourceFloating {
		if rec, err := getFloating(tx, r.CandidateID); rec != nil || err != nil {
			return rec, err
		}
	}
	recs, err := txRegistry{tx}.FloatingByCitizenID(cid)
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
func findResident(tx *bbolt.Tx, c *hecha.Case, r *hecha.Result, cid string) (*hecha.ResidentRecord, error) {
	if pickedSource(tx, c, r.CandidateID) == hecha.SourceResident {
		if rec, err := getResident(tx, r.CandidateID); rec != nil || err != nil {
			return rec, err
		}
	}
	recs, err := txRegistry{tx}.ResidentByCitizenID(cid)
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
func applyConfirmed(tx *bbolt.Tx, c *hecha.Case, r *hecha.Result) error {
	v := *r.Verified
	v.Members = slices.Clone(v.Members)
	c.Person = v

	fl, err := findFloating(tx, c, r, v.CitizenID)
	if err != nil {
		return err
	}
	switch r.Form {
	case hecha.FormR2:
		if fl == nil {
			fl = &hecha.FloatingRecord{ID: "F" + r.ID, InflowDate: v.OutflowDate}
		}
		setFloating(fl, &v)
		fl.InflowDivision, fl.InflowAddress = v.CurrentDivision, v.CurrentAddress
	case hecha.FormR3:
		if fl != nil {
			fl.Withdrawn = true
			if err := putFloating(tx, fl); err != nil {
				return err
			}
		}
		rr := r.Reregistration
		fl = &hecha.FloatingRecord{ID: "F" + r.ID, InflowDivision: rr.InflowDivision,
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
		if err := putFloating(tx, fl); err != nil {
			return err
		}
	}

	rs, err := findResident(tx, c, r, v.CitizenID)
	if err != nil {
		return err
	}
	if rs == nil {
		rs = &hecha.ResidentRecord{ID: "R" + r.ID}
	}
	setResident(rs, &v)
	setOutflow(rs, r, &v)
	return putResident(tx, rs)
}

// setOutflow sets the resident's outflow registration as the form says.
func setOutflow(rs *hecha.ResidentRecord, r *hecha.Result, v *hecha.Person) {
	out := hecha.Outflow{}
	if rs.Outflow != nil {
		out = *rs.Outflow
	}
	switch {
	case r.Form == hecha.FormR5 && r.Correction != nil:
		out.Destination = r.Correction.Destination
		if r.Correction.Address != "" {
			out.Address = r.Correction.Address
		}
		if out.Date.IsZero() {
			out.Date = v.OutflowDate
		}
	case (r.Form == hecha.FormR6 || r.Form == hecha.FormP1) && r.Registration != nil:
		out = *r.Registration
	default:
		if rs.Outflow == nil && v.OutflowDate.IsZero() {
			return
		}
		if !v.OutflowDate.IsZero() {
			out.Date = v.OutflowDate
		}
		out.Destination, out.Address = v.CurrentDivision, v.CurrentAddress
		if r.Form == hecha.FormR3 && r.Reregistration != nil {
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
func setFloating(fl *hecha.FloatingRecord, v *hecha.Person) {
	fl.Name, fl.Sex, fl.BirthDate, fl.CitizenID = v.Name, v.Sex, v.BirthDate, v.CitizenID
	fl.HouseholdDivision, fl.HouseholdAddress = v.HouseholdDivision, v.HouseholdAddress
	fl.Education, fl.Marital, fl.Reason = v.Education, v.Marital, v.Reason
}

// setResident copies the verified items a resident record holds.
func setResident(rs *hecha.ResidentRecord, v *hecha.Person) {
	rs.Name, rs.Sex, rs.BirthDate, rs.CitizenID = v.Name, v.Sex, v.BirthDate, v.CitizenID
	rs.HouseholdDivision, rs.HouseholdAddress = v.HouseholdDivision, v.HouseholdAddress
	rs.Education, rs.HukouType, rs.Marital = v.Education, v.HukouType, v.Marital
}

// applyMismatch sets the four basic items to the final values on the case,
// on the resident record (the picked candidate, else by the resident side's
// citizen ID, else by the final one; created when missing) and on every
// floating record in force of the outflow side (by its citizen ID and the
// final one).
func applyMismatch(tx *bbolt.Tx, c *hecha.Case, r *hecha.Result) error {
	final := r.Mismatch.Final(c)
	setBasic := func(name *string, sex *hecha.Sex, birth *hecha.Date, cid *string) {
		*name, *sex, *birth, *cid = final.Name, final.Sex, final.BirthDate, final.CitizenID
	}
	p := &c.Person
	setBasic(&p.Name, &p.Sex, &p.BirthDate, &p.CitizenID)

	var rs *hecha.ResidentRecord
	var err error
	for _, cid := range basicIDs(c.Resident, final) {
		if rs, err = findResident(tx, c, r, cid); rs != nil || err != nil {
			break
		}
	}
	if err != nil {
		return err
	}
	if rs == nil {
		rs = &hecha.ResidentRecord{ID: "R" + r.ID, HouseholdDivision: p.HouseholdDivision, HouseholdAddress: p.HouseholdAddress}
	}
	setBasic(&rs.Name, &rs.Sex, &rs.BirthDate, &rs.CitizenID)
	if err := putResident(tx, rs); err != nil {
		return err
	}

	done := map[string]bool{}
	for _, cid := range basicIDs(c.Outflow, final) {
		recs, err := txRegistry{tx}.FloatingByCitizenID(cid)
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
			if err := putFloating(tx, fl); err != nil {
				return err
			}
		}
	}
	return nil
}

// basicIDs returns the citizen IDs to look a side of a mismatch case up
// by: the side's own, then the final one, without repeats or blanks.
func basicIDs(side *hecha.Basic, final hecha.Basic) []string {
	var ids []string
	if side != nil && side.CitizenID != "" {
		ids = append(ids, side.CitizenID)
	}
	if final.CitizenID != "" && !slices.Contains(ids, final.CitizenID) {
		ids = append(ids, final.CitizenID)
	}
	return ids
}
