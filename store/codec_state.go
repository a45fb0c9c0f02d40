package store

import (
	"hecha"
	"hecha/internal/codec"
)

// encodeState returns the stored form of the county's state of a case,
// in the layout of stateV1.
func encodeState(st *caseState) ([]byte, error) {
	e := codec.Encoder{B: make([]byte, 0, 64+len(st.ImportHash)+40*len(st.Results))}
	e.B = append(e.B, stateV1)
	e.Str(string(st.Status))
	e.Bytes(st.ImportHash)
	e.Int(st.ContentRev)
	e.Int(st.AssignRev)
	e.Strs(st.Results)
	e.Str(st.InForce)
	return e.B, nil
}

// decodeState reads a stored case state into st (see codec.DecodeCase).
func decodeState(data []byte, st *caseState) error {
	if err := codec.CheckVersion(data, stateV1); err != nil {
		return err
	}
	d := codec.NewDecoder(data)
	d.Byte()
	*st = caseState{Status: hecha.Status(d.Str()), ImportHash: d.Bytes(), ContentRev: d.Int(), AssignRev: d.Int()}
	st.Results, st.InForce = d.Strs(), d.Str()
	return d.Err()
}
