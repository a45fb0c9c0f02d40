// Package codec is the binary encoding of the values hecha stores most:
// cases (case.go) and registry records (registry.go), as the township's
// and the county's bbolt files keep them (package store) and as a county
// on PostgreSQL keeps them (package pgstore), and the primitives other
// stored values are written with (store's case state). JSON
// (encoding/json and the root package's Date methods) costs tens of
// microseconds per case on the terminals and servers hecha runs on, which
// is most of an import row and of an uploaded result; this encoding costs
// a few, in about a third of the bytes.
//
// A value starts with the version byte of its layout (the constants
// below); a decoder reads each version still on disk and refuses any
// other. JSON, which starts with '{', is never a version byte: a store
// that still holds values written as JSON tells them apart by that byte.
//
// Primitives: strings as uvarint length + bytes; integers as varints;
// bools as one byte; a Date as three varints; a time as a flag byte (0 for
// the zero time), then varint Unix seconds, uvarint nanoseconds and varint
// zone offset in seconds; a pointer as a flag byte then the value; a slice
// as uvarint count then the elements.
package codec

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"hecha"
)

// Versions of the layouts: the first byte of each value. A layout that
// changes gets a new version; its decoder keeps reading the old ones (or
// the stores rewrite them in a migration).
const (
	// CaseV1 and CaseV2 are hecha.Case's layouts (case.go); CaseV2 leaves
	// out of a candidate's record the basic items it shares with the
	// case's person. A case is written in CaseV2 and read in either.
	CaseV1 = 1
	CaseV2 = 2
	// FloatingV2 and ResidentV2 are the registry records' layouts
	// (registry.go); version 1 was JSON.
	FloatingV2 = 2
	ResidentV2 = 2
)

// ErrMalformed reports a stored value that does not decode.
var ErrMalformed = errors.New("malformed stored value")

// CheckVersion returns nil when data starts with the version byte want,
// else an ErrMalformed naming the version found.
func CheckVersion(data []byte, want byte) error {
	switch {
	case len(data) == 0:
		return fmt.Errorf("%w: empty", ErrMalformed)
	case data[0] != want:
		return fmt.Errorf("%w: layout version %d, this hecha reads %d", ErrMalformed, data[0], want)
	}
	return nil
}

// Encoder appends values to B, the encoding so far.
type Encoder struct{ B []byte }

func (e *Encoder) Uvarint(n uint64) { e.B = binary.AppendUvarint(e.B, n) }
func (e *Encoder) Int(n int)        { e.B = binary.AppendVarint(e.B, int64(n)) }

func (e *Encoder) Str(s string) {
	e.B = binary.AppendUvarint(e.B, uint64(len(s)))
	e.B = append(e.B, s...)
}

func (e *Encoder) Bytes(p []byte) {
	e.B = binary.AppendUvarint(e.B, uint64(len(p)))
	e.B = append(e.B, p...)
}

func (e *Encoder) Bool(v bool) {
	if v {
		e.B = append(e.B, 1)
	} else {
		e.B = append(e.B, 0)
	}
}

func (e *Encoder) Date(d hecha.Date) {
	e.Int(d.Year)
	e.Int(int(d.Month))
	e.Int(d.Day)
}

func (e *Encoder) Time(t time.Time) {
	if t.IsZero() {
		e.B = append(e.B, 0)
		return
	}
	_, off := t.Zone()
	e.B = append(e.B, 1)
	e.B = binary.AppendVarint(e.B, t.Unix())
	e.Uvarint(uint64(t.Nanosecond()))
	e.Int(off)
}

func (e *Encoder) Strs(list []string) {
	e.Uvarint(uint64(len(list)))
	for _, s := range list {
		e.Str(s)
	}
}

// Decoder reads values from one string copy of the stored bytes: the
// strings it returns are slices of that copy, so a whole value costs one
// allocation for its text and refers to no transaction memory. A malformed
// value sets bad and makes every later read return zero values; check err
// at the end.
type Decoder struct {
	s   string
	pos int
	bad bool
}

func NewDecoder(data []byte) *Decoder { return &Decoder{s: string(data)} }

// err returns ErrMalformed when the value was malformed or not read to its end.
func (d *Decoder) Err() error {
	if d.bad || d.pos != len(d.s) {
		return ErrMalformed
	}
	return nil
}

func (d *Decoder) Byte() byte {
	if d.bad || d.pos >= len(d.s) {
		d.bad = true
		return 0
	}
	c := d.s[d.pos]
	d.pos++
	return c
}

func (d *Decoder) Uvarint() uint64 {
	if d.bad {
		return 0
	}
	n, w := UvarintString(d.s[d.pos:])
	if w <= 0 {
		d.bad = true
		return 0
	}
	d.pos += w
	return n
}

func (d *Decoder) Varint() int64 {
	ux := d.Uvarint()
	x := int64(ux >> 1)
	if ux&1 != 0 {
		x = ^x
	}
	return x
}

func (d *Decoder) Int() int { return int(d.Varint()) }

func (d *Decoder) Str() string {
	n := d.Uvarint()
	if d.bad || n > uint64(len(d.s)-d.pos) {
		d.bad = true
		return ""
	}
	s := d.s[d.pos : d.pos+int(n)]
	d.pos += int(n)
	return s
}

func (d *Decoder) Bytes() []byte {
	s := d.Str()
	if s == "" {
		return nil
	}
	return []byte(s)
}

func (d *Decoder) Bool() bool {
	switch d.Byte() {
	case 0:
		return false
	case 1:
		return true
	}
	d.bad = true
	return false
}

// flag reads a pointer's or a time's presence byte.
func (d *Decoder) Flag() bool { return d.Bool() }

func (d *Decoder) Date() hecha.Date {
	return hecha.Date{Year: d.Int(), Month: time.Month(d.Int()), Day: d.Int()}
}

// time reads a time as JSON would have given it back: in UTC for a zero
// offset, in the local zone when it has that offset then, else in a zone
// fixed at the offset.
func (d *Decoder) Time() time.Time {
	if !d.Flag() {
		return time.Time{}
	}
	sec, nsec, off := d.Varint(), d.Uvarint(), d.Int()
	if d.bad || nsec >= 1e9 {
		d.bad = true
		return time.Time{}
	}
	t := time.Unix(sec, int64(nsec))
	if off == 0 {
		return t.UTC()
	}
	if _, local := t.Zone(); local == off {
		return t
	}
	return t.In(time.FixedZone("", off))
}

// count reads a slice length; every element takes at least one byte, so a
// count beyond the bytes left is malformed (and allocates nothing).
func (d *Decoder) Count() int {
	n := d.Uvarint()
	if d.bad || n > uint64(len(d.s)-d.pos) {
		d.bad = true
		return 0
	}
	return int(n)
}

func (d *Decoder) Strs() []string {
	n := d.Count()
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = d.Str()
	}
	return out
}

// UvarintString is binary.Uvarint over a string, without converting it.
func UvarintString(s string) (uint64, int) {
	var x uint64
	var shift uint
	for i := 0; i < len(s) && i < binary.MaxVarintLen64; i++ {
		c := s[i]
		if c < 0x80 {
			if i == binary.MaxVarintLen64-1 && c > 1 {
				return 0, -1
			}
			return x | uint64(c)<<shift, i + 1
		}
		x |= uint64(c&0x7f) << shift
		shift += 7
	}
	return 0, 0
}

// VarintString is binary.Varint over a string.
func VarintString(s string) (int64, int) {
	ux, n := UvarintString(s)
	x := int64(ux >> 1)
	if ux&1 != 0 {
		x = ^x
	}
	return x, n
}
