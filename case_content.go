package hecha

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
)

// importContent is the part of a case that an import supplies.
type importContent struct {
	ID             string `json:"id"`
	Kind           Kind   `json:"kind"`
	Person         Person `json:"person"`
	InflowDivision Code   `json:"inflow_division,omitempty"`
	InflowAddress  string `json:"inflow_address,omitempty"`
	InflowDate     Date   `json:"inflow_date"`
	Resident       *Basic `json:"resident,omitempty"`
	Outflow        *Basic `json:"outflow,omitempty"`
}

// ContentHash returns the SHA-256 of the case's imported content (id,
// kind, person, inflow, the mismatch sides) as canonical JSON (see
// ContentJSON): what a county store compares to tell a changed case from
// an identical one on a re-import, whatever the case's assignment,
// candidates or results.
func (c *Case) ContentHash() ([]byte, error) {
	data, err := c.ContentJSON()
	if err != nil {
		return nil, err
	}
	h := sha256.Sum256(data)
	return h[:], nil
}

// ContentJSON returns the canonical JSON of the case's imported content,
// whose SHA-256 is ContentHash: the fields of the case's own JSON that an
// import supplies, in the same order.
func (c *Case) ContentJSON() ([]byte, error) {
	data, err := json.Marshal(importContent{
		ID: c.ID, Kind: c.Kind, Person: c.Person,
		InflowDivision: c.InflowDivision, InflowAddress: c.InflowAddress, InflowDate: c.InflowDate,
		Resident: c.Resident, Outflow: c.Outflow,
	})
	if err != nil {
		return nil, fmt.Errorf("encode case %s: %w", c.ID, err)
	}
	return data, nil
}

// SetContent copies the imported content of src into c (everything
// ContentHash covers but the id).
func (c *Case) SetContent(src *Case) {
	c.Kind, c.Person = src.Kind, src.Person
	c.InflowDivision, c.InflowAddress, c.InflowDate = src.InflowDivision, src.InflowAddress, src.InflowDate
	c.Resident, c.Outflow = src.Resident, src.Outflow
}
