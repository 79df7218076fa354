// Package chanflow follows channel values through a function in SSA form
// and summarises what a function does with its channel parameters: how
// many blocking sends it makes on one path, whether it can only return
// after receiving (once, or until the channel is closed), whether it
// closes the channel, and whether the channel escapes where it cannot be
// followed. It also tells whether a function can never return (a loop
// with no way out).
//
// The summaries are the building blocks of goroutine-leak checks: the
// caller of "go f(ch)" compares what f does with ch against what the
// caller itself does with ch on each of its paths.
package chanflow

import (
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// Kind is the kind of an operation on a channel.
type Kind int

const (
	Send       Kind = iota // ch <- v outside a select: blocks until received
	Recv                   // <-ch, v, ok := <-ch or a range step, outside a select
	SelSend                // a send case of a select
	SelRecv                // a receive case of a select
	Close                  // close(ch)
	DeferClose             // defer close(ch)
	Call                   // ch is used by a function that runs synchronously
	DeferCall              // ch is used by a deferred call
	Go                     // ch is used by a new goroutine
	Escape                 // ch flows where it cannot be followed
)

// Op is one operation of a function on a channel.
type Op struct {
	Kind  Kind
	Instr ssa.Instruction
	// Index is the select state (SelSend, SelRecv) or the slot of Fn that
	// holds the channel (Call, DeferCall, Go): a parameter index, or
	// len(Fn.Params)+j for free variable j of a closure.
	Index int
	Fn    *ssa.Function // the function run by Call, DeferCall and Go
	// CommaOk is set on a Recv that observes closing (v, ok := <-ch, range).
	CommaOk bool
	// Repeat is set on a Call whose function is a callback that the callee
	// may run any number of times (filepath.WalkDir, sort.Slice).
	Repeat bool
}

// Ops returns the operations of the function on the channel root: a
// channel-typed value (a MakeChan, a Parameter) or the address of a
// variable holding the channel (an Alloc captured by closures, or a
// closure's FreeVar). Loads of the variable are followed; any store of a
// different value into it is an Escape.
func Ops(root ssa.Value) []Op {
	w := walker{vals: map[ssa.Value]bool{}, cells: map[ssa.Value]bool{}}
	if isChanPtr(root.Type()) {
		w.addCell(root)
	} else {
		w.addVal(root)
	}
	for len(w.queue) > 0 {
		v := w.queue[0]
		w.queue = w.queue[1:]
		if w.cells[v] {
			w.cellUses(v)
		} else {
			w.valUses(v)
		}
	}
	return w.ops
}

type walker struct {
	vals, cells map[ssa.Value]bool
	queue       []ssa.Value
	ops         []Op
}

func (w *walker) addVal(v ssa.Value) {
	if !w.vals[v] {
		w.vals[v] = true
		w.queue = append(w.queue, v)
	}
}

func (w *walker) addCell(v ssa.Value) {
	if !w.cells[v] {
		w.cells[v] = true
		w.queue = append(w.queue, v)
	}
}

func (w *walker) escape(instr ssa.Instruction) {
	w.ops = append(w.ops, Op{Kind: Escape, Instr: instr})
}

func isChanPtr(t types.Type) bool {
	p, ok := types.Unalias(t).Underlying().(*types.Pointer)
	if !ok {
		return false
	}
	_, ok = p.Elem().Underlying().(*types.Chan)
	return ok
}

func (w *walker) cellUses(c ssa.Value) {
	refs := c.Referrers()
	if refs == nil {
		return
	}
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.Store:
			// Only the store that made c a cell is followed; any other
			// (ch = nil, ch = other, &ch stored away) is not.
			if r.Addr != c || !w.vals[r.Val] {
				w.escape(r)
			}
		case *ssa.UnOp:
			if r.Op.String() == "*" {
				w.addVal(r)
			} else {
				w.escape(r)
			}
		case *ssa.MakeClosure:
			for j, b := range r.Bindings {
				if b == c {
					w.closureUse(r, len(r.Fn.(*ssa.Function).Params)+j)
				}
			}
		case *ssa.DebugRef:
		default:
			w.escape(r)
		}
	}
}

func (w *walker) valUses(v ssa.Value) {
	refs := v.Referrers()
	if refs == nil {
		return
	}
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.Send:
			if r.Chan == v && r.X != v {
				w.ops = append(w.ops, Op{Kind: Send, Instr: r})
			} else {
				w.escape(r)
			}
		case *ssa.UnOp:
			if r.Op.String() == "<-" {
				w.ops = append(w.ops, Op{Kind: Recv, Instr: r, CommaOk: r.CommaOk})
			} else {
				w.escape(r)
			}
		case *ssa.Select:
			for i, st := range r.States {
				if st.Send == v {
					w.escape(r)
				}
				if st.Chan == v {
					k := SelRecv
					if st.Dir == types.SendOnly {
						k = SelSend
					}
					w.ops = append(w.ops, Op{Kind: k, Instr: r, Index: i})
				}
			}
		case *ssa.Store:
			if a, ok := r.Addr.(*ssa.Alloc); ok && r.Val == v {
				w.addCell(a)
			} else {
				w.escape(r)
			}
		case *ssa.ChangeType:
			w.addVal(r)
		case *ssa.BinOp, *ssa.DebugRef:
			// comparisons with nil
		case *ssa.Call:
			w.callUse(r, r.Common(), Close, Call)
		case *ssa.Defer:
			w.callUse(r, r.Common(), DeferClose, DeferCall)
		case *ssa.Go:
			w.callUse(r, r.Common(), Escape, Go)
		case *ssa.MakeClosure:
			for j, b := range r.Bindings {
				if b == v {
					w.closureUse(r, len(r.Fn.(*ssa.Function).Params)+j)
				}
			}
		default:
			w.escape(r)
		}
	}
}

func (w *walker) callUse(instr ssa.Instruction, call *ssa.CallCommon, closeKind, callKind Kind) {
	if b, ok := call.Value.(*ssa.Builtin); ok {
		switch b.Name() {
		case "close":
			w.ops = append(w.ops, Op{Kind: closeKind, Instr: instr})
		case "len", "cap":
		default:
			w.escape(instr)
		}
		return
	}
	fn := call.StaticCallee()
	if fn == nil || call.IsInvoke() {
		w.escape(instr)
		return
	}
	for i, a := range call.Args {
		if w.vals[a] || w.cells[a] {
			if w.cells[a] {
				w.escape(instr) // &ch passed on
				continue
			}
			w.ops = append(w.ops, Op{Kind: callKind, Instr: instr, Index: i, Fn: fn})
		}
	}
}

// closureUse records what happens to a closure that captures the channel
// in its slot.
func (w *walker) closureUse(mc *ssa.MakeClosure, slot int) {
	w.funcValueUse(mc, mc.Fn.(*ssa.Function), slot)
}

func (w *walker) funcValueUse(mc ssa.Value, fn *ssa.Function, slot int) {
	refs := mc.Referrers()
	if refs == nil {
		return
	}
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.ChangeType: // to a named func type such as fs.WalkDirFunc
			w.funcValueUse(r, fn, slot)
			continue
		case *ssa.Go:
			if r.Call.Value == mc {
				w.ops = append(w.ops, Op{Kind: Go, Instr: r, Index: slot, Fn: fn})
				continue
			}
		case *ssa.Call:
			if r.Call.Value == mc {
				w.ops = append(w.ops, Op{Kind: Call, Instr: r, Index: slot, Fn: fn})
				continue
			}
			if syncCallback(r.Common()) {
				w.ops = append(w.ops, Op{Kind: Call, Instr: r, Index: slot, Fn: fn, Repeat: true})
				continue
			}
		case *ssa.Defer:
			if r.Call.Value == mc {
				w.ops = append(w.ops, Op{Kind: DeferCall, Instr: r, Index: slot, Fn: fn})
				continue
			}
		case *ssa.DebugRef:
			continue
		}
		w.escape(r)
	}
}

// syncCallback reports whether call is to a standard function known to
// run its function argument synchronously, before it returns.
func syncCallback(call *ssa.CallCommon) bool {
	path, name := FuncName(call.StaticCallee())
	switch path + "." + name {
	case "path/filepath.Walk", "path/filepath.WalkDir", "io/fs.WalkDir",
		"sort.Slice", "sort.SliceStable", "sort.Search",
		"slices.SortFunc", "slices.SortStableFunc", "slices.IndexFunc", "slices.ContainsFunc",
		"sync.Do", "sync.Range", "strings.Map", "strings.FieldsFunc":
		return true
	}
	return false
}
