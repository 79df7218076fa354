package chanflow

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// FieldOps is what one package does with one unexported channel field of
// its own struct types, over all values of the struct: where it is made,
// sent on, received from and closed. Unexported fields cannot be touched
// by other packages, so when no operation escapes (the channel is passed
// to a call, stored elsewhere, converted or returned) the list is
// complete.
type FieldOps struct {
	Field *types.Var
	// Makes are the channels stored in the field; Nils the stores of nil.
	Makes []*ssa.MakeChan
	// Stores counts every store, of a made channel or not.
	Stores int
	// Sends are bare sends; SelSends sends in a select.
	Sends    []*ssa.Send
	SelSends []*ssa.Select
	// Recvs are bare receives (ranges are comma-ok receives);
	// SelRecvs receives in a select.
	Recvs    []*ssa.UnOp
	SelRecvs []*ssa.Select
	Closes   []ssa.Instruction
	// Escapes is set when the channel, or the field's address, flows
	// where it cannot be followed.
	Escapes bool
	// Allocated is set when the package makes a value of the struct
	// that holds the field (a composite literal, new or a variable).
	Allocated bool
}

// Made reports whether every store of the field is of a channel made by
// the package, and there is at least one.
func (f *FieldOps) Made() bool {
	return f.Stores > 0 && len(f.Makes) == f.Stores
}

// Unbuffered reports whether every channel stored in the field is made
// by make(chan T) with no buffer.
func (f *FieldOps) Unbuffered() bool {
	if !f.Made() {
		return false
	}
	for _, mc := range f.Makes {
		k, ok := mc.Size.(*ssa.Const)
		if !ok || k.Value == nil || k.Int64() != 0 {
			return false
		}
	}
	return true
}

// Receives counts the receive sites, bare or in a select.
func (f *FieldOps) Receives() int { return len(f.Recvs) + len(f.SelRecvs) }

// Fields computes, for the functions of one package, the operations on
// each unexported channel field declared in pkg. Fields of generic types
// are identified by their origin.
func Fields(pkg *types.Package, funcs []*ssa.Function) map[*types.Var]*FieldOps {
	res := map[*types.Var]*FieldOps{}
	get := func(v *types.Var) *FieldOps {
		v = v.Origin()
		f := res[v]
		if f == nil {
			f = &FieldOps{Field: v}
			res[v] = f
		}
		return f
	}
	allocated := map[*types.Var]bool{}
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch in := instr.(type) {
				case *ssa.Alloc:
					markAllocated(allocated, in.Type().Underlying().(*types.Pointer).Elem(), 0)
				case *ssa.FieldAddr:
					if v := chanField(pkg, in.X.Type(), in.Field); v != nil {
						fieldAddrUses(get(v), in)
					}
				case *ssa.Field:
					if v := chanField(pkg, in.X.Type(), in.Field); v != nil {
						chanValueUses(get(v), in)
					}
				}
			}
		}
	}
	for v, f := range res {
		f.Allocated = allocated[v]
	}
	return res
}

// markAllocated records the fields of the struct t, and of the structs
// it embeds by value, as belonging to a value the package makes.
func markAllocated(seen map[*types.Var]bool, t types.Type, depth int) {
	st, ok := t.Underlying().(*types.Struct)
	if !ok || depth > 4 {
		return
	}
	for i := range st.NumFields() {
		v := st.Field(i)
		if seen[v.Origin()] {
			continue
		}
		seen[v.Origin()] = true
		markAllocated(seen, v.Type(), depth+1)
	}
}

// FieldOf returns the origin of field i of the struct t (or *t), or nil.
func FieldOf(t types.Type, i int) *types.Var {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok || i >= st.NumFields() {
		return nil
	}
	return st.Field(i).Origin()
}

// chanField returns the origin of field i of the struct t (or *t) when it
// is an unexported channel field declared in pkg.
func chanField(pkg *types.Package, t types.Type, i int) *types.Var {
	v := FieldOf(t, i)
	if v == nil || v.Exported() || v.Pkg() != pkg {
		return nil
	}
	if _, ok := v.Type().Underlying().(*types.Chan); !ok {
		return nil
	}
	return v
}

func fieldAddrUses(f *FieldOps, fa *ssa.FieldAddr) {
	for _, r := range *fa.Referrers() {
		switch r := r.(type) {
		case *ssa.Store:
			if r.Addr != fa {
				f.Escapes = true // the field's address is stored
				continue
			}
			f.Stores++
			if mc, ok := r.Val.(*ssa.MakeChan); ok {
				f.Makes = append(f.Makes, mc)
				madeChanUses(f, mc)
			}
		case *ssa.UnOp:
			if r.Op != token.MUL {
				f.Escapes = true
				continue
			}
			chanValueUses(f, r)
		case *ssa.DebugRef:
		default:
			f.Escapes = true
		}
	}
}

// madeChanUses records the uses of mc, a channel made by the package and
// stored in the field, other than through the field: the function that
// makes a reply channel, stores it in a request and then receives from
// its local copy (ch := make(chan error); q <- req{ch: ch}; return <-ch)
// receives from the field's channel. Storing it in any other place is an
// escape.
func madeChanUses(f *FieldOps, mc *ssa.MakeChan) {
	chanUses(f, mc, func(r ssa.Instruction) bool {
		st, ok := r.(*ssa.Store)
		if !ok || st.Val != mc {
			return false
		}
		fa, ok := st.Addr.(*ssa.FieldAddr)
		return ok && FieldOf(fa.X.Type(), fa.Field) == f.Field
	})
}

// chanValueUses records the uses of v, a value loaded from the field.
func chanValueUses(f *FieldOps, v ssa.Value) {
	chanUses(f, v, func(ssa.Instruction) bool { return false })
}

// chanUses records the uses of v, a value of the field's channel, except
// those that skip accepts.
func chanUses(f *FieldOps, v ssa.Value, skip func(ssa.Instruction) bool) {
	refs := v.Referrers()
	if refs == nil {
		return
	}
	for _, r := range *refs {
		if skip(r) {
			continue
		}
		switch r := r.(type) {
		case *ssa.Send:
			if r.Chan != v || r.X == v {
				f.Escapes = true
				continue
			}
			f.Sends = append(f.Sends, r)
		case *ssa.UnOp:
			if r.Op != token.ARROW {
				f.Escapes = true
				continue
			}
			f.Recvs = append(f.Recvs, r)
		case *ssa.Select:
			for _, st := range r.States {
				if st.Send == v {
					f.Escapes = true
				}
				if st.Chan != v {
					continue
				}
				if st.Dir == types.SendOnly {
					f.SelSends = append(f.SelSends, r)
				} else {
					f.SelRecvs = append(f.SelRecvs, r)
				}
			}
		case *ssa.Call:
			b, ok := r.Call.Value.(*ssa.Builtin)
			switch {
			case ok && b.Name() == "close":
				f.Closes = append(f.Closes, r)
			case ok && (b.Name() == "len" || b.Name() == "cap"):
			default:
				f.Escapes = true
			}
		case *ssa.Defer:
			if b, ok := r.Call.Value.(*ssa.Builtin); ok && b.Name() == "close" {
				f.Closes = append(f.Closes, r)
				continue
			}
			f.Escapes = true
		case *ssa.BinOp:
			// ch == nil, ch != nil
		case *ssa.DebugRef:
		default:
			f.Escapes = true
		}
	}
}
