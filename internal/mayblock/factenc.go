package mayblock

import (
	"github.com/concvet/concvet/internal/factenc"
	"github.com/concvet/concvet/internal/lockstate"
)

// GobEncode writes the summary in factenc's compact form (see
// internal/factenc and lockflow's Summary).
func (s *Summary) GobEncode() ([]byte, error) {
	if s.enc != nil {
		return s.enc, nil // re-exported as it was read
	}
	e := factenc.NewEncoder()
	e.Bool(s.Block != nil)
	if b := s.Block; b != nil {
		e.String(b.What)
		e.Strings(b.Chain)
		lockstate.EncodeRefs(e, b.Released)
		e.Int(b.ChanParam)
	}
	e.Len(len(s.CallsArgs))
	for _, i := range s.CallsArgs {
		e.Int(i)
	}
	e.Len(len(s.ArgHeld))
	for _, a := range s.ArgHeld {
		e.Int(a.Arg)
		lockstate.EncodeRefs(e, a.Locks)
	}
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
	if d.Bool() {
		s.Block = &Block{
			What:      d.String(),
			Chain:     d.Strings(),
			Released:  lockstate.DecodeRefs(d),
			ChanParam: d.Int(),
		}
	}
	if n := d.Len(); n > 0 {
		s.CallsArgs = make([]int, n)
		for i := range s.CallsArgs {
			s.CallsArgs[i] = d.Int()
		}
	}
	if n := d.Len(); n > 0 {
		s.ArgHeld = make([]ArgHeld, n)
		for i := range s.ArgHeld {
			s.ArgHeld[i] = ArgHeld{Arg: d.Int(), Locks: lockstate.DecodeRefs(d)}
		}
	}
	return d.Err()
}
