package chanclose

import (
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/concvet/concvet/internal/stdpkg"
)

// A key names a channel: an SSA value, or a variable or field path loaded
// from memory (mem), rooted at a value such as a parameter, a global, a
// captured variable or a local allocation.
type key struct {
	root ssa.Value
	path string // ".done", ".conn.out" or ""
	mem  bool
}

// param returns the parameter index of k's root in fn, or -1.
func (k key) param(fn *ssa.Function) int {
	for i, p := range fn.Params {
		if p == k.root {
			return i
		}
	}
	return -1
}

// fields returns the field names of k's path.
func (k key) fields() []string {
	if k.path == "" {
		return nil
	}
	return strings.Split(k.path[1:], ".")
}

type eventKind int

const (
	evClose      eventKind = iota // close(ch), or a call whose callee always closes ch
	evDeferClose                  // defer close(ch)
	evSend                        // ch <- v, or a call whose callee always sends on ch
	evSelSend                     // a send case of a select
	evKill                        // a store that may change what k holds
	evKillCall                    // a call of a package function (via) that may store fields
	evKillAll                     // a call that may change any variable or field
)

func (k eventKind) String() string {
	return [...]string{"close", "deferclose", "send", "selsend", "kill", "killcall", "killall"}[k]
}

// An event is an operation on a channel at one instruction.
type event struct {
	kind  eventKind
	key   key
	instr ssa.Instruction
	index int           // position of instr in its block
	via   *ssa.Function // the callee, for an operation made by a call
	param paramPath     // the callee's parameter, for an operation made by a call
	pos   token.Pos     // where to report: the instruction's, or a select case's arrow
}

// stripConv takes off conversions that keep the channel the same.
func stripConv(v ssa.Value) ssa.Value {
	for {
		switch x := v.(type) {
		case *ssa.ChangeType:
			v = x.X
		default:
			return v
		}
	}
}

// chanKey returns the key of the channel value v.
func chanKey(v ssa.Value) (key, bool) {
	v = stripConv(v)
	switch x := v.(type) {
	case *ssa.Const:
		return key{}, false
	case *ssa.UnOp:
		if x.Op.String() == "*" {
			root, path := ptrKey(x.X)
			return key{root: root, path: path, mem: true}, true
		}
	}
	return key{root: v}, true
}

// ptrKey returns the root and field path of the address p.
func ptrKey(p ssa.Value) (ssa.Value, string) {
	switch x := p.(type) {
	case *ssa.FieldAddr:
		root, path := ptrKey(x.X)
		return root, path + "." + fieldName(x.X.Type(), x.Field)
	case *ssa.UnOp:
		if x.Op.String() == "*" {
			return ptrKey(x.X)
		}
	}
	return p, ""
}

func fieldName(ptr types.Type, i int) string {
	p, ok := ptr.Underlying().(*types.Pointer)
	if !ok {
		return "?"
	}
	s, ok := p.Elem().Underlying().(*types.Struct)
	if !ok || i >= s.NumFields() {
		return "?"
	}
	return s.Field(i).Name()
}

// keyAt returns the key, in the caller's terms, of parameter path p of a
// call with arguments args.
func keyAt(args []ssa.Value, p paramPath) (key, bool) {
	if p.Index >= len(args) {
		return key{}, false
	}
	if p.Path == "" {
		return chanKey(args[p.Index])
	}
	root, path := ptrKey(stripConv(args[p.Index]))
	return key{root: root, path: path + p.Path, mem: true}, true
}

// events returns the channel operations of fn in block order, with the
// stores and calls that may change channels held in memory.
func (c *checker) events(fn *ssa.Function) []event {
	var out []event
	var instr ssa.Instruction
	var i int
	add := func(kind eventKind, k key, via *ssa.Function, p paramPath) {
		out = append(out, event{kind, k, instr, i, via, p, instr.Pos()})
	}
	for _, b := range fn.Blocks {
		for i, instr = range b.Instrs {
			switch x := instr.(type) {
			case *ssa.Call:
				if isClose(x.Common()) {
					if k, ok := chanKey(x.Common().Args[0]); ok {
						add(evClose, k, nil, paramPath{})
					}
					continue
				}
				c.callEvents(x.Common(), add)
			case *ssa.Defer:
				if isClose(x.Common()) {
					if k, ok := chanKey(x.Common().Args[0]); ok {
						add(evDeferClose, k, nil, paramPath{})
					}
				}
			case *ssa.Go:
				if passesFunc(x.Common()) {
					add(evKillAll, key{}, nil, paramPath{})
				}
			case *ssa.Send:
				if k, ok := chanKey(x.Chan); ok {
					add(evSend, k, nil, paramPath{})
				}
			case *ssa.Select:
				for _, st := range x.States {
					if st.Dir == types.SendOnly {
						if k, ok := chanKey(st.Chan); ok {
							add(evSelSend, k, nil, paramPath{})
							out[len(out)-1].pos = st.Pos
						}
					}
				}
			case *ssa.Store:
				root, path := ptrKey(x.Addr)
				add(evKill, key{root: root, path: path, mem: true}, nil, paramPath{})
			}
		}
	}
	return out
}

func isClose(call *ssa.CallCommon) bool {
	b, ok := call.Value.(*ssa.Builtin)
	return ok && b.Name() == "close"
}

// callEvents adds the events of a call: the closes and sends its callee
// always makes, and what it may change.
func (c *checker) callEvents(call *ssa.CallCommon, add func(eventKind, key, *ssa.Function, paramPath)) {
	callee := call.StaticCallee()
	if callee == nil {
		if _, ok := call.Value.(*ssa.Builtin); !ok {
			add(evKillAll, key{}, nil, paramPath{})
		}
		return
	}
	if obj, ok := callee.Object().(*types.Func); ok {
		if f := c.fact(obj); f != nil {
			for _, p := range f.Closes {
				if k, ok := keyAt(call.Args, p); ok {
					add(evClose, k, callee, p)
				}
			}
			for _, p := range f.Sends {
				if k, ok := keyAt(call.Args, p); ok {
					add(evSend, k, callee, p)
				}
			}
		}
	}
	switch {
	case passesFunc(call):
		add(evKillAll, key{}, nil, paramPath{})
	case callee.Pkg != nil && callee.Pkg.Pkg == c.pass.Pkg || callee.Pkg == nil && callee.Parent() != nil:
		if len(c.storedFields(callee)) > 0 {
			add(evKillCall, key{}, callee, paramPath{})
		}
	case isStd(callee):
	default:
		add(evKillAll, key{}, nil, paramPath{})
	}
}

// passesFunc reports whether a call passes a function value, which the
// callee may run and which may change anything.
func passesFunc(call *ssa.CallCommon) bool {
	for _, a := range call.Args {
		if _, ok := a.Type().Underlying().(*types.Signature); ok {
			return true
		}
	}
	return false
}

// isStd reports whether fn belongs to the standard library, which does
// not store into the caller's fields except through function values.
func isStd(fn *ssa.Function) bool {
	obj := fn.Object()
	if obj == nil || obj.Pkg() == nil {
		return false
	}
	return stdpkg.IsStd(obj.Pkg().Path())
}

// storedFields returns the names of the fields that fn, or a function of
// the package that it calls, stores into; "" stands for any variable.
func (c *checker) storedFields(fn *ssa.Function) map[string]bool {
	if s, ok := c.stores[fn]; ok {
		return s
	}
	s := make(map[string]bool)
	c.stores[fn] = s // cycles see the partial set
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch x := instr.(type) {
			case *ssa.Store:
				switch a := x.Addr.(type) {
				case *ssa.FieldAddr:
					s[fieldName(a.X.Type(), a.Field)] = true
				case *ssa.Alloc, *ssa.IndexAddr:
					// a local variable or an element: not a channel variable of the caller
				default:
					s[""] = true // a global, or through a pointer parameter
				}
			case ssa.CallInstruction:
				if callee := x.Common().StaticCallee(); callee != nil && (callee.Pkg == fn.Pkg || callee.Parent() != nil) {
					for name := range c.storedFields(callee) {
						s[name] = true
					}
				}
			}
		}
	}
	return s
}

// kills reports whether the event e, a kill, may change what k holds.
func (c *checker) kills(e *event, k key) bool {
	if !k.mem {
		return false
	}
	switch e.kind {
	case evKillAll:
		return true
	case evKillCall:
		stored := c.storedFields(e.via)
		if stored[""] {
			return true
		}
		for _, f := range k.fields() {
			if stored[f] {
				return true
			}
		}
	case evKill:
		if e.key.root == k.root && (k.path == e.key.path || strings.HasPrefix(k.path, e.key.path+".")) {
			return true
		}
		// A store through another pointer to a field of the same name may
		// alias.
		ef := e.key.fields()
		if len(ef) > 0 {
			for _, f := range k.fields() {
				if f == ef[len(ef)-1] {
					return true
				}
			}
		}
		if e.key.path == "" && e.key.root == k.root {
			return true
		}
	}
	return false
}

func isKill(k eventKind) bool { return k == evKill || k == evKillCall || k == evKillAll }
