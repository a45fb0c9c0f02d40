package store

import (
	"encoding/binary"
	"errors"
	"time"

	"hecha"
	"hecha/internal/codec"
)

// Summaries are stored in a small binary form rather than JSON: the case
// list reads every summary when the program starts (100,000 of them must
// load in well under 300 ms), and decoding JSON is several times slower
// than this (BenchmarkSummaryDecode measures both).
//
// Layout (version 1): a version byte, then the string fields as uvarint
// length + bytes in the order of summaryFields, then the birth date as
// three uvarints, then UpdatedAt as a varint of Unix nanoseconds (0 for the
// zero time). summaryV1 is declared in schema_values.go.

// errSummary reports a summary value that does not decode.
var errSummary = errors.New("malformed case summary")

// summaryStrings returns pointers to the string fields of s, in stored order.
func summaryStrings(s *hecha.CaseSummary) [10]*string {
	return [10]*string{
		&s.ID, (*string)(&s.Kind), &s.Name, &s.Pinyin, &s.Initials, &s.CitizenID,
		(*string)(&s.Sex), (*string)(&s.Unit), (*string)(&s.Village), (*string)(&s.Status),
	}
}

// encodeSummary returns the stored form of s.
func encodeSummary(s *hecha.CaseSummary) []byte {
	fields := summaryStrings(s)
	n := 1 + 3*binary.MaxVarintLen64 + binary.MaxVarintLen64 + binary.MaxVarintLen64 + len(s.Form)
	for _, f := range fields {
		n += binary.MaxVarintLen64 + len(*f)
	}
	b := make([]byte, 0, n)
	b = append(b, summaryV1)
	for _, f := range fields {
		b = binary.AppendUvarint(b, uint64(len(*f)))
		b = append(b, *f...)
	}
	b = binary.AppendUvarint(b, uint64(len(s.Form)))
	b = append(b, s.Form...)
	b = binary.AppendUvarint(b, uint64(s.BirthDate.Year))
	b = binary.AppendUvarint(b, uint64(s.BirthDate.Month))
	b = binary.AppendUvarint(b, uint64(s.BirthDate.Day))
	var ns int64
	if !s.UpdatedAt.IsZero() {
		ns = s.UpdatedAt.UnixNano()
	}
	return binary.AppendVarint(b, ns)
}

// decodeSummary reads a stored summary into s. The strings are slices of
// one copy of data, so s does not refer to the transaction's memory and
// decoding allocates once per summary.
func decodeSummary(data []byte, s *hecha.CaseSummary) error {
	if err := codec.CheckVersion(data, summaryV1); err != nil {
		return err
	}
	str := string(data[1:])
	pos := 0
	next := func() (string, bool) {
		n, w := codec.UvarintString(str[pos:])
		if w <= 0 || n > uint64(len(str)-pos-w) {
			return "", false
		}
		pos += w
		v := str[pos : pos+int(n)]
		pos += int(n)
		return v, true
	}
	*s = hecha.CaseSummary{}
	for _, f := range summaryStrings(s) {
		v, ok := next()
		if !ok {
			return errSummary
		}
		*f = v
	}
	form, ok := next()
	if !ok {
		return errSummary
	}
	s.Form = hecha.Form(form)
	var nums [3]uint64
	for i := range nums {
		n, w := codec.UvarintString(str[pos:])
		if w <= 0 || n > 1<<16 {
			return errSummary
		}
		nums[i] = n
		pos += w
	}
	s.BirthDate = hecha.Date{Year: int(nums[0]), Month: time.Month(nums[1]), Day: int(nums[2])}
	ns, w := codec.VarintString(str[pos:])
	if w <= 0 || pos+w != len(str) {
		return errSummary
	}
	if ns != 0 {
		s.UpdatedAt = time.Unix(0, ns)
	}
	return nil
}
