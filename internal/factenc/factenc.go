// Package factenc is a compact binary encoding for concvet's largest
// facts.
//
// Under the go vet driver a package's facts are written to its fact file
// with encoding/gob, together with every fact it imported about methods
// and types, so each fact is decoded again in every package downstream.
// gob walks a nested struct by reflection, field by field and element by
// element; on a module of the size of grpc-go that decoding was the
// largest single cost of the suite. A fact type that implements
// gob.GobEncoder and gob.GobDecoder with this package is one byte slice
// for gob, read back by straight-line code.
//
// The format is a version byte, then values in the order the fact's codec
// writes them: unsigned and signed varints, booleans as one byte, and
// strings interned per fact (a string seen before in the same fact is
// written as its index). A fact written by another version of the codec
// fails to decode with an error, never with a wrong value.
package factenc

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
)

// version is the first byte of every encoding; change it when the format
// of any fact changes.
const version = 1

// An Encoder appends values to a byte slice.
type Encoder struct {
	buf  []byte
	strs map[string]uint64
}

// NewEncoder returns an Encoder whose output starts with the version byte.
func NewEncoder() *Encoder {
	return &Encoder{buf: []byte{version}}
}

// Bytes returns the encoding.
func (e *Encoder) Bytes() []byte { return e.buf }

// Uint writes an unsigned integer.
func (e *Encoder) Uint(x uint64) { e.buf = binary.AppendUvarint(e.buf, x) }

// Int writes a signed integer.
func (e *Encoder) Int(x int) { e.buf = binary.AppendVarint(e.buf, int64(x)) }

// Bool writes a boolean.
func (e *Encoder) Bool(b bool) {
	if b {
		e.buf = append(e.buf, 1)
	} else {
		e.buf = append(e.buf, 0)
	}
}

// String writes a string: 0 and its bytes the first time, else 1 + the
// index of its first occurrence.
func (e *Encoder) String(s string) {
	if i, ok := e.strs[s]; ok {
		e.Uint(i + 1)
		return
	}
	if e.strs == nil {
		e.strs = make(map[string]uint64)
	}
	e.strs[s] = uint64(len(e.strs))
	e.Uint(0)
	e.Uint(uint64(len(s)))
	e.buf = append(e.buf, s...)
}

// Strings writes a slice of strings.
func (e *Encoder) Strings(ss []string) {
	e.Len(len(ss))
	for _, s := range ss {
		e.String(s)
	}
}

// Len writes the length of a slice.
func (e *Encoder) Len(n int) { e.Uint(uint64(n)) }

// A Decoder reads values written by an Encoder. The first error sticks:
// later reads return zero values, and Err reports it. The strings it
// returns share one copy of the input.
type Decoder struct {
	data string
	strs []string
	err  error
}

// Check reports whether data starts with the version byte of this codec.
func Check(data []byte) error {
	if len(data) == 0 || data[0] != version {
		return errors.New("factenc: not a fact of this version")
	}
	return nil
}

// Keep checks data's version byte and returns a copy of it, for a
// GobDecode that defers decoding until the fact is used: gob hands
// GobDecode a slice of its own buffer.
func Keep(data []byte) ([]byte, error) {
	if err := Check(data); err != nil {
		return nil, err
	}
	return bytes.Clone(data), nil
}

// NewDecoder returns a Decoder for data, checking its version byte.
func NewDecoder(data []byte) *Decoder {
	d := new(Decoder)
	if d.err = Check(data); d.err == nil {
		d.data = string(data[1:])
	}
	return d
}

// Err returns the first error met, or an error if input remains unread.
func (d *Decoder) Err() error {
	if d.err == nil && len(d.data) > 0 {
		return fmt.Errorf("factenc: %d bytes left over", len(d.data))
	}
	return d.err
}

func (d *Decoder) fail(what string) {
	if d.err == nil {
		d.err = fmt.Errorf("factenc: malformed %s", what)
	}
	d.data = ""
}

// Uint reads an unsigned integer.
func (d *Decoder) Uint() uint64 {
	var x uint64
	for i := 0; i < len(d.data) && i < binary.MaxVarintLen64; i++ {
		b := d.data[i]
		if b < 0x80 {
			if i == binary.MaxVarintLen64-1 && b > 1 {
				break // overflow
			}
			d.data = d.data[i+1:]
			return x | uint64(b)<<(7*i)
		}
		x |= uint64(b&0x7f) << (7 * i)
	}
	d.fail("unsigned integer")
	return 0
}

// Int reads a signed integer.
func (d *Decoder) Int() int {
	ux := d.Uint()
	x := int64(ux >> 1)
	if ux&1 != 0 {
		x = ^x
	}
	return int(x)
}

// Bool reads a boolean.
func (d *Decoder) Bool() bool {
	if len(d.data) == 0 || d.data[0] > 1 {
		d.fail("boolean")
		return false
	}
	b := d.data[0] == 1
	d.data = d.data[1:]
	return b
}

// String reads a string.
func (d *Decoder) String() string {
	i := d.Uint()
	if d.err != nil {
		return ""
	}
	if i > 0 {
		if i > uint64(len(d.strs)) {
			d.fail("string reference")
			return ""
		}
		return d.strs[i-1]
	}
	n := d.Uint()
	if d.err != nil || n > uint64(len(d.data)) {
		d.fail("string")
		return ""
	}
	s := d.data[:n]
	d.data = d.data[n:]
	if d.strs == nil {
		d.strs = make([]string, 0, 16)
	}
	d.strs = append(d.strs, s)
	return s
}

// Strings reads a slice of strings; an empty slice reads as nil, as gob
// decodes it.
func (d *Decoder) Strings() []string {
	n := d.Len()
	if n == 0 {
		return nil
	}
	ss := make([]string, n)
	for i := range ss {
		ss[i] = d.String()
	}
	return ss
}

// Len reads the length of a slice, failing if it cannot fit in the input
// left (every element takes at least one byte).
func (d *Decoder) Len() int {
	n := d.Uint()
	if n > uint64(len(d.data)) {
		d.fail("length")
		return 0
	}
	return int(n)
}
