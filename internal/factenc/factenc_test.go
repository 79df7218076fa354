package factenc

import (
	"math"
	"slices"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	ints := []int{0, 1, -1, 63, -64, 64, 1 << 40, -(1 << 40), math.MaxInt64, math.MinInt64}
	uints := []uint64{0, 1, 127, 128, 1 << 63, math.MaxUint64}
	strs := []string{"", "mu", "s.mu", "mu", "", "ünïcode", "s.mu"}
	e := NewEncoder()
	for _, x := range ints {
		e.Int(x)
	}
	for _, x := range uints {
		e.Uint(x)
	}
	e.Bool(true)
	e.Bool(false)
	e.Strings(strs)
	e.Strings(nil)
	data := e.Bytes()

	d := NewDecoder(data)
	for _, want := range ints {
		if got := d.Int(); got != want {
			t.Errorf("Int = %d, want %d", got, want)
		}
	}
	for _, want := range uints {
		if got := d.Uint(); got != want {
			t.Errorf("Uint = %d, want %d", got, want)
		}
	}
	if !d.Bool() || d.Bool() {
		t.Error("Bool: want true then false")
	}
	if got := d.Strings(); !slices.Equal(got, strs) {
		t.Errorf("Strings = %q, want %q", got, strs)
	}
	if got := d.Strings(); got != nil {
		t.Errorf("empty Strings = %#v, want nil", got)
	}
	if err := d.Err(); err != nil {
		t.Fatal(err)
	}

	// Every truncation fails, and so does a wrong version or trailing input.
	for i := range data {
		d := NewDecoder(data[:i])
		for range ints {
			d.Int()
		}
		for range uints {
			d.Uint()
		}
		d.Bool()
		d.Bool()
		d.Strings()
		d.Strings()
		if d.Err() == nil {
			t.Errorf("truncated to %d of %d bytes: no error", i, len(data))
		}
	}
	if NewDecoder([]byte{version + 1}).Err() == nil {
		t.Error("wrong version: no error")
	}
	if NewDecoder(append(slices.Clone(data), 0)).Err() == nil {
		t.Error("unread input: no error") // nothing read: Err reports the bytes left over
	}
}

// TestBadReferences checks that malformed input is an error, not a panic.
func TestBadReferences(t *testing.T) {
	for _, data := range [][]byte{
		{version, 5},          // reference to a string never seen
		{version, 0, 10, 'a'}, // string longer than the input
		{version, 2},          // bool out of range
		{version, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}, // varint overflow
	} {
		d := NewDecoder(data)
		_ = d.String()
		if d.Err() == nil {
			d = NewDecoder(data)
			d.Bool()
		}
		if d.Err() == nil {
			t.Errorf("%v: no error", data)
		}
	}
}
