package lockstate

import "github.com/concvet/concvet/internal/factenc"

// EncodeRefs writes refs for a fact's codec (see internal/factenc).
func EncodeRefs(e *factenc.Encoder, refs []Ref) {
	e.Len(len(refs))
	for _, r := range refs {
		EncodeRef(e, r)
	}
}

// EncodeRef writes one Ref.
func EncodeRef(e *factenc.Encoder, r Ref) {
	e.Uint(uint64(r.Kind))
	e.Int(r.Index)
	e.String(r.Global)
	e.Strings(r.Path)
	e.String(r.Class)
	e.Uint(uint64(r.Mode))
}

// DecodeRefs reads what EncodeRefs wrote; no refs read as nil.
func DecodeRefs(d *factenc.Decoder) []Ref {
	n := d.Len()
	if n == 0 {
		return nil
	}
	refs := make([]Ref, n)
	for i := range refs {
		refs[i] = DecodeRef(d)
	}
	return refs
}

// DecodeRef reads what EncodeRef wrote.
func DecodeRef(d *factenc.Decoder) Ref {
	return Ref{
		Kind:   RootKind(d.Uint()),
		Index:  d.Int(),
		Global: d.String(),
		Path:   d.Strings(),
		Class:  d.String(),
		Mode:   Mode(d.Uint()),
	}
}

// EncodeConstArgs writes conditions on arguments.
func EncodeConstArgs(e *factenc.Encoder, cs []ConstArg) {
	e.Len(len(cs))
	for _, c := range cs {
		e.Int(c.Index)
		e.Bool(c.Nil)
		e.Bool(c.NonNil)
		e.Bool(c.Bool)
	}
}

// DecodeConstArgs reads what EncodeConstArgs wrote; none read as nil.
func DecodeConstArgs(d *factenc.Decoder) []ConstArg {
	n := d.Len()
	if n == 0 {
		return nil
	}
	cs := make([]ConstArg, n)
	for i := range cs {
		cs[i] = ConstArg{Index: d.Int(), Nil: d.Bool(), NonNil: d.Bool(), Bool: d.Bool()}
	}
	return cs
}
