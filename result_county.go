package hecha

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
)

// The county's rules for receiving results, shared by every county store.

// BatchID returns the id of a batch of results from township: the first
// 16 bytes, in hex, of the SHA-256 of the township and the result ids, so
// that a batch sent again is logged under the same id.
func BatchID(township Code, results []Result) string {
	h := sha256.New()
	h.Write([]byte(township))
	for _, r := range results {
		h.Write([]byte{'\n'})
		h.Write([]byte(r.ID))
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// CanonicalResult returns the JSON a county stores and compares for r:
// the time in UTC, so the same instant written in another zone compares
// equal.
func CanonicalResult(r Result) ([]byte, error) {
	r.SavedAt = r.SavedAt.UTC().Round(0)
	data, err := json.Marshal(r)
	if err != nil {
		return nil, fmt.Errorf("encode result %s: %w", r.ID, err)
	}
	return data, nil
}

// ReceivedResult checks what a county decides of a result from township
// before looking at its case: a malformed result id or a result naming
// another township is rejected (the error returned). Otherwise it returns
// r with its township set.
func ReceivedResult(township Code, r Result) (Result, *Error) {
	if !ValidResultID(r.ID) {
		return r, Invalid("id", "county.result_id", r.ID)
	}
	if r.Township != "" && r.Township != township {
		return r, Invalid("township", "county.result_township", string(r.Township), string(township))
	}
	r.Township = township
	return r, nil
}

// CheckReplaces checks a result against its case's result in force
// (inForce, "" for none) and the results accepted for the case before
// (accepted): a correction must replace exactly the one in force, and a
// result that names none may not silently replace one. A correction of a
// result the county never took (it was rejected) is a first result. It
// returns a conflict's message id and arguments, or "".
func CheckReplaces(inForce string, accepted []string, r Result) (string, []any) {
	switch {
	case r.Replaces == "" && inForce != "":
		return "county.result_in_force", []any{inForce}
	case r.Replaces == "" || r.Replaces == inForce:
		return "", nil
	case inForce != "" || slices.Contains(accepted, r.Replaces):
		newest := inForce
		if newest == "" {
			newest = "-"
		}
		return "store.replaces_not_newest", []any{r.Replaces, newest}
	}
	return "", nil
}
