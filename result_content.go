package hecha

import "encoding/json"

// resultContent is the part of a result a worksheet row carries: what
// decides whether a row read again is the result already saved.
type resultContent struct {
	Form           Form                `json:"form"`
	CandidateID    string              `json:"candidate_id,omitempty"`
	NotFound       *NotFound           `json:"not_found,omitempty"`
	Verified       *Person             `json:"verified,omitempty"`
	SignOff        *SignOff            `json:"sign_off,omitempty"`
	Reregistration *Reregistration     `json:"reregistration,omitempty"`
	Correction     *OutflowCorrection  `json:"correction,omitempty"`
	Registration   *Outflow            `json:"registration,omitempty"`
	Mismatch       *MismatchResolution `json:"mismatch,omitempty"`
}

func (res *Result) content() resultContent {
	return resultContent{res.Form, res.CandidateID, res.NotFound, res.Verified, res.SignOff,
		res.Reregistration, res.Correction, res.Registration, res.Mismatch}
}

// SameContent reports whether res and o say the same about their case:
// the same form, picked record and parts. The id, the result it replaces,
// the case revision, township, clerk and time are not compared, so a
// worksheet row read again equals the result saved from it.
func (res *Result) SameContent(o *Result) bool {
	if res == nil || o == nil {
		return res == o
	}
	a, err1 := json.Marshal(res.content())
	b, err2 := json.Marshal(o.content())
	return err1 == nil && err2 == nil && string(a) == string(b)
}
