// Package factenctest checks that a fact's factenc codec keeps every
// exported field: it fills facts with random values, sends them through
// gob (which calls the codec) and compares what comes back.
package factenctest

import (
	"bytes"
	"encoding/gob"
	"math/rand/v2"
	"reflect"
	"testing"
)

// RoundTrip fills n values of the type of *fact with random data in every
// exported field, at every depth, encodes each with gob, decodes it into a
// fresh value, and fails t unless the result equals the original with
// empty slices nil (fill leaves unexported fields zero) (what gob itself keeps).
// It also checks that every truncation of an encoding fails to decode
// without a panic.
//
// load finishes decoding a fact that GobDecode only kept (a lazy codec);
// it is called on every decoded value before the comparison.
func RoundTrip[T any](t *testing.T, n int, load func(*T) error) {
	t.Helper()
	for seed := range uint64(n) {
		rng := rand.New(rand.NewPCG(seed, 7))
		orig := new(T)
		fill(reflect.ValueOf(orig).Elem(), rng, 0)
		var buf bytes.Buffer
		if err := gob.NewEncoder(&buf).Encode(orig); err != nil {
			t.Fatalf("seed %d: encode: %v", seed, err)
		}
		got := new(T)
		if err := gob.NewDecoder(bytes.NewReader(buf.Bytes())).Decode(got); err != nil {
			t.Fatalf("seed %d: decode: %v", seed, err)
		}
		// Facts read from a dependency are written again, undecoded, in
		// the package's own fact file: that must keep them too.
		var again bytes.Buffer
		if err := gob.NewEncoder(&again).Encode(got); err != nil {
			t.Fatalf("seed %d: encode again: %v", seed, err)
		}
		if err := load(got); err != nil {
			t.Fatalf("seed %d: load: %v", seed, err)
		}
		got2 := new(T)
		if err := gob.NewDecoder(&again).Decode(got2); err != nil {
			t.Fatalf("seed %d: decode again: %v", seed, err)
		}
		if err := load(got2); err != nil {
			t.Fatalf("seed %d: load again: %v", seed, err)
		}
		if !reflect.DeepEqual(got2, got) {
			t.Fatalf("seed %d: a fact written again undecoded changed:\n got %+v\nwant %+v", seed, got2, got)
		}
		want := new(T)
		*want = *orig
		normalize(reflect.ValueOf(want).Elem())
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("seed %d: round trip changed the fact:\n got %+v\nwant %+v", seed, got, want)
		}
		if seed < 20 {
			enc, ok := any(orig).(gob.GobEncoder)
			if !ok {
				t.Fatalf("%T does not implement gob.GobEncoder", orig)
			}
			data, _ := enc.GobEncode()
			for i := range data {
				v := new(T)
				err := any(v).(gob.GobDecoder).GobDecode(data[:i])
				if err == nil {
					err = load(v)
				}
				if err == nil {
					t.Fatalf("seed %d: a truncation to %d of %d bytes decoded without error", seed, i, len(data))
				}
			}
		}
	}
}

var pool = []string{"", "mu", "s.mu", "(*pkg.T).mu", "a/b.go:12:3", "pkg.f", "ünïcode"}

func fill(v reflect.Value, rng *rand.Rand, depth int) {
	switch v.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), rng, depth+1)
			}
		}
	case reflect.Pointer:
		if rng.IntN(4) > 0 && depth < 6 {
			v.Set(reflect.New(v.Type().Elem()))
			fill(v.Elem(), rng, depth+1)
		}
	case reflect.Slice:
		n := rng.IntN(4)
		if depth >= 6 {
			n = 0
		}
		s := reflect.MakeSlice(v.Type(), n, n)
		for i := range n {
			fill(s.Index(i), rng, depth+1)
		}
		v.Set(s)
	case reflect.String:
		v.SetString(pool[rng.IntN(len(pool))])
	case reflect.Bool:
		v.SetBool(rng.IntN(2) == 1)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(rng.IntN(1<<20) - 1<<19))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		v.SetUint(uint64(rng.IntN(256)))
	case reflect.Interface, reflect.Func, reflect.Chan, reflect.Map:
		// not part of a fact's encoding: left nil
	default:
		panic("factenctest: cannot fill " + v.Type().String())
	}
}

// normalize turns empty slices into nil,
// copying what it changes so the original stays intact.
func normalize(v reflect.Value) {
	switch v.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				normalize(v.Field(i)) // unexported fields are never filled
			}
		}
	case reflect.Pointer:
		if !v.IsNil() {
			c := reflect.New(v.Type().Elem())
			c.Elem().Set(v.Elem())
			normalize(c.Elem())
			v.Set(c)
		}
	case reflect.Slice:
		if v.Len() == 0 {
			v.SetZero()
			return
		}
		c := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		reflect.Copy(c, v)
		for i := range c.Len() {
			normalize(c.Index(i))
		}
		v.Set(c)
	}
}
