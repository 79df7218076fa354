package lockflow

import (
	"github.com/concvet/concvet/internal/factenc"
	"github.com/concvet/concvet/internal/lockstate"
)

// GobEncode writes the summary in factenc's compact form: summaries are
// the most numerous facts, and decoding them with gob's reflection was
// the largest cost of the suite under the vet driver (see
// internal/factenc). Unexported fields stay behind, as with gob.
func (s *Summary) GobEncode() ([]byte, error) {
	if s.enc != nil {
		return s.enc, nil // re-exported as it was read
	}
	e := factenc.NewEncoder()
	e.Len(len(s.Acquires))
	for _, a := range s.Acquires {
		lockstate.EncodeRef(e, a.Ref)
		e.String(a.Expr)
		e.String(a.Leaf)
		e.Strings(a.Chain)
		e.Bool(a.Always)
		e.String(a.At)
	}
	lockstate.EncodeRefs(e, s.Releases)
	lockstate.EncodeRefs(e, s.Returns)
	lockstate.EncodeRefs(e, s.Restores)
	e.Len(len(s.Classes))
	for _, c := range s.Classes {
		e.String(c.Class)
		e.Uint(uint64(c.Mode))
		e.Strings(c.Chain)
		e.Bool(c.Always)
	}
	e.Len(len(s.Calls))
	for _, c := range s.Calls {
		e.Uint(uint64(c.Kind))
		e.Int(c.Index)
		lockstate.EncodeRefs(e, c.Held)
	}
	e.Bool(s.NoReturn)
	lockstate.EncodeConstArgs(e, s.FatalIf)
	return e.Bytes(), nil
}

// GobDecode keeps what GobEncode wrote, to be decoded by load when the
// summary is used: a package reads the facts of all its dependencies'
// methods, and uses few of them.
func (s *Summary) GobDecode(data []byte) error {
	enc, err := factenc.Keep(data)
	*s = Summary{enc: enc}
	return err
}

// load decodes a summary kept by GobDecode; it does nothing to one that
// was not read from a fact file.
func (s *Summary) load() error {
	if s.enc == nil {
		return nil
	}
	d := factenc.NewDecoder(s.enc)
	*s = Summary{}
	if n := d.Len(); n > 0 {
		s.Acquires = make([]Acq, n)
		for i := range s.Acquires {
			s.Acquires[i] = Acq{
				Ref:    lockstate.DecodeRef(d),
				Expr:   d.String(),
				Leaf:   d.String(),
				Chain:  d.Strings(),
				Always: d.Bool(),
				At:     d.String(),
			}
		}
	}
	s.Releases = lockstate.DecodeRefs(d)
	s.Returns = lockstate.DecodeRefs(d)
	s.Restores = lockstate.DecodeRefs(d)
	if n := d.Len(); n > 0 {
		s.Classes = make([]ClassAcq, n)
		for i := range s.Classes {
			s.Classes[i] = ClassAcq{
				Class:  d.String(),
				Mode:   lockstate.Mode(d.Uint()),
				Chain:  d.Strings(),
				Always: d.Bool(),
			}
		}
	}
	if n := d.Len(); n > 0 {
		s.Calls = make([]CallUnder, n)
		for i := range s.Calls {
			s.Calls[i] = CallUnder{
				Kind:  lockstate.RootKind(d.Uint()),
				Index: d.Int(),
				Held:  lockstate.DecodeRefs(d),
			}
		}
	}
	s.NoReturn = d.Bool()
	s.FatalIf = lockstate.DecodeConstArgs(d)
	return d.Err()
}
