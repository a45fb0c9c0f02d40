package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"hecha"
)

// The store's binary encoding, for the values read and written most: cases
// (codec_case.go), registry records (codec_registry.go) and the county's
// case state. JSON (encoding/json and the
// root package's Date methods) costs tens of microseconds per case on the
// terminals and servers hecha runs on, which is most of an import row and
// of an uploaded result; this encoding costs a few.
//
// A value starts with the version byte of its layout, declared in
// schema_values.go; a decoder reads each version still on disk and refuses
// any other. (Values written as JSON before the binary encoding, which
// start with '{', were rewritten in binary by migrateBinaryValues.)
//
// Primitives: strings as uvarint length + bytes; integers as varints;
// bools as one byte; a Date as three varints; a time as a flag byte (0 for
// the zero time), then varint Unix seconds, uvarint nanoseconds and varint
// zone offset in seconds; a pointer as a flag byte then the value; a slice
// as uvarint count then the elements.

// errCodec reports a stored value that does not decode.
var errCodec = errors.New("malformed stored value")

// checkVersion returns nil when data starts with the version byte want,
// else an errCodec naming the version found.
func checkVersion(data []byte, want byte) error {
	switch {
	case len(data) == 0:
		return fmt.Errorf("%w: empty", errCodec)
	case data[0] != want:
		return fmt.Errorf("%w: layout version %d, this hecha reads %d", errCodec, data[0], want)
	}
	return nil
}

// encoder appends values to a buffer.
type encoder struct{ b []byte }

func (e *encoder) uvarint(n uint64) { e.b = binary.AppendUvarint(e.b, n) }
func (e *encoder) int(n int)        { e.b = binary.AppendVarint(e.b, int64(n)) }

func (e *encoder) str(s string) {
	e.b = binary.AppendUvarint(e.b, uint64(len(s)))
	e.b = append(e.b, s...)
}

func (e *encoder) bytes(p []byte) {
	e.b = binary.AppendUvarint(e.b, uint64(len(p)))
	e.b = append(e.b, p...)
}

func (e *encoder) bool(v bool) {
	if v {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}

func (e *encoder) date(d hecha.Date) {
	e.int(d.Year)
	e.int(int(d.Month))
	e.int(d.Day)
}

func (e *encoder) time(t time.Time) {
	if t.IsZero() {
		e.b = append(e.b, 0)
		return
	}
	_, off := t.Zone()
	e.b = append(e.b, 1)
	e.b = binary.AppendVarint(e.b, t.Unix())
	e.uvarint(uint64(t.Nanosecond()))
	e.int(off)
}

func (e *encoder) strs(list []string) {
	e.uvarint(uint64(len(list)))
	for _, s := range list {
		e.str(s)
	}
}

// decoder reads values from one string copy of the stored bytes: the
// strings it returns are slices of that copy, so a whole value costs one
// allocation for its text and refers to no transaction memory. A malformed
// value sets bad and makes every later read return zero values; check err
// at the end.
type decoder struct {
	s   string
	pos int
	bad bool
}

func newDecoder(data []byte) *decoder { return &decoder{s: string(data)} }

// err returns errCodec when the value was malformed or not read to its end.
func (d *decoder) err() error {
	if d.bad || d.pos != len(d.s) {
		return errCodec
	}
	return nil
}

func (d *decoder) byte() byte {
	if d.bad || d.pos >= len(d.s) {
		d.bad = true
		return 0
	}
	c := d.s[d.pos]
	d.pos++
	return c
}

func (d *decoder) uvarint() uint64 {
	if d.bad {
		return 0
	}
	n, w := uvarintString(d.s[d.pos:])
	if w <= 0 {
		d.bad = true
		return 0
	}
	d.pos += w
	return n
}

func (d *decoder) varint() int64 {
	ux := d.uvarint()
	x := int64(ux >> 1)
	if ux&1 != 0 {
		x = ^x
	}
	return x
}

func (d *decoder) int() int { return int(d.varint()) }

func (d *decoder) str() string {
	n := d.uvarint()
	if d.bad || n > uint64(len(d.s)-d.pos) {
		d.bad = true
		return ""
	}
	s := d.s[d.pos : d.pos+int(n)]
	d.pos += int(n)
	return s
}

func (d *decoder) bytes() []byte {
	s := d.str()
	if s == "" {
		return nil
	}
	return []byte(s)
}

func (d *decoder) bool() bool {
	switch d.byte() {
	case 0:
		return false
	case 1:
		return true
	}
	d.bad = true
	return false
}

// flag reads a pointer's or a time's presence byte.
func (d *decoder) flag() bool { return d.bool() }

func (d *decoder) date() hecha.Date {
	return hecha.Date{Year: d.int(), Month: time.Month(d.int()), Day: d.int()}
}

// time reads a time as JSON would have given it back: in UTC for a zero
// offset, in the local zone when it has that offset then, else in a zone
// fixed at the offset.
func (d *decoder) time() time.Time {
	if !d.flag() {
		return time.Time{}
	}
	sec, nsec, off := d.varint(), d.uvarint(), d.int()
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
func (d *decoder) count() int {
	n := d.uvarint()
	if d.bad || n > uint64(len(d.s)-d.pos) {
		d.bad = true
		return 0
	}
	return int(n)
}

func (d *decoder) strs() []string {
	n := d.count()
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = d.str()
	}
	return out
}
