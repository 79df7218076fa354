package lockflow

import (
	"go/constant"
	"go/types"
	"strings"

	"github.com/concvet/concvet/internal/lockstate"
	"golang.org/x/tools/go/ssa"
)

// formatter describes a function of the standard library that formats its
// variadic operands, calling their String, Error or Format methods.
type formatter struct {
	format int // index of the format string among the call's Args, or -1 (Print: every operand is %v)
}

// formatters are the standard library's formatting functions, by
// qualified name (methods as "(*log.Logger).Printf").
var formatters = map[string]formatter{}

func init() {
	for _, name := range []string{"Sprintf", "Printf", "Errorf"} {
		formatters["fmt."+name] = formatter{format: 0}
	}
	for _, name := range []string{"Fprintf", "Appendf"} {
		formatters["fmt."+name] = formatter{format: 1}
	}
	for _, name := range []string{"Sprint", "Sprintln", "Print", "Println", "Fprint", "Fprintln", "Append", "Appendln"} {
		formatters["fmt."+name] = formatter{format: -1}
	}
	for _, name := range []string{"Printf", "Fatalf", "Panicf"} {
		formatters["log."+name] = formatter{format: 0}
		formatters["(*log.Logger)."+name] = formatter{format: 1} // Args[0] is the logger
	}
	for _, name := range []string{"Print", "Println", "Fatal", "Fatalln", "Panic", "Panicln"} {
		formatters["log."+name] = formatter{format: -1}
		formatters["(*log.Logger)."+name] = formatter{format: -1}
	}
}

// implicitCalls returns the String, Error and Format methods that a call
// of a std formatter (fmt.Sprintf("%v", x), log.Printf, fmt.Errorf with
// %w) calls on its operands, with their lock effects. An operand counts
// when its static type is a pointer whose method has a pointer receiver
// (the method then runs on the caller's value, and its locks are the
// caller's) and its verb is known: a format string that is not a
// constant, or that uses argument indexes or * widths, yields nothing.
func (r *Result) implicitCalls(c *ssa.CallCommon) []lockstate.Implicit {
	callee := c.StaticCallee()
	if callee == nil || callee.Pkg == nil || c.IsInvoke() {
		return nil
	}
	if p := callee.Pkg.Pkg.Path(); p != "fmt" && p != "log" {
		return nil
	}
	fm, ok := formatters[callee.String()]
	if !ok || !c.Signature().Variadic() || len(c.Args) == 0 {
		return nil
	}
	operands := varargs(c.Args[len(c.Args)-1])
	if len(operands) == 0 {
		return nil
	}
	var verbs []rune
	if fm.format >= 0 {
		k, ok := c.Args[fm.format].(*ssa.Const)
		if !ok || k.Value == nil || k.Value.Kind() != constant.String {
			return nil
		}
		if verbs, ok = formatVerbs(constant.StringVal(k.Value)); !ok {
			return nil
		}
	}
	var out []lockstate.Implicit
	for i, v := range operands {
		verb := 'v'
		if fm.format >= 0 {
			if i >= len(verbs) {
				break
			}
			verb = verbs[i]
		}
		mi, ok := v.(*ssa.MakeInterface)
		if !ok {
			continue
		}
		fn := formatMethod(callee.Prog, mi.X.Type(), verb)
		if fn == nil {
			continue
		}
		eff := r.Summary(fn).Effects()
		if eff == nil || len(eff.Acquires) == 0 {
			continue
		}
		out = append(out, lockstate.Implicit{Via: fn, Recv: mi.X, Effects: &lockstate.Effects{Acquires: eff.Acquires}})
	}
	return out
}

// IsImplicit reports whether a lock event comes from a method called
// implicitly by the event's callee (String called by fmt.Sprintf), rather
// than from the callee itself.
func IsImplicit(e lockstate.Event) bool {
	ci, ok := e.Instr.(ssa.CallInstruction)
	if !ok || e.Via == nil {
		return false
	}
	callee := ci.Common().StaticCallee()
	return callee != nil && callee != e.Via && isFormatter(callee)
}

func isFormatter(fn *ssa.Function) bool {
	_, ok := formatters[fn.String()]
	return ok
}

// varargs returns the values stored into the slice passed as the variadic
// parameter, in order, or nil if they are not all known.
func varargs(v ssa.Value) []ssa.Value {
	sl, ok := v.(*ssa.Slice)
	if !ok {
		return nil
	}
	alloc, ok := sl.X.(*ssa.Alloc)
	if !ok {
		return nil
	}
	arr, ok := deref(alloc.Type()).Underlying().(*types.Array)
	if !ok {
		return nil
	}
	out := make([]ssa.Value, arr.Len())
	for _, ref := range *alloc.Referrers() {
		ia, ok := ref.(*ssa.IndexAddr)
		if !ok {
			continue
		}
		k, ok := ia.Index.(*ssa.Const)
		if !ok {
			return nil
		}
		i, ok := constant.Int64Val(constant.ToInt(k.Value))
		if !ok || i < 0 || int(i) >= len(out) {
			return nil
		}
		for _, r := range *ia.Referrers() {
			if st, ok := r.(*ssa.Store); ok && st.Addr == ia {
				out[i] = st.Val
			}
		}
	}
	return out
}

func deref(t types.Type) types.Type {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

// formatVerbs returns the verb of each operand of a format string, or
// false when operands are not consumed one verb each (%[2]v, %*d).
func formatVerbs(format string) ([]rune, bool) {
	var verbs []rune
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		i++
		sharp := false
		for i < len(format) && strings.IndexByte("#+- 0.123456789", format[i]) >= 0 {
			sharp = sharp || format[i] == '#'
			i++
		}
		if i >= len(format) {
			break
		}
		switch format[i] {
		case '%':
			continue
		case '*', '[':
			return nil, false
		}
		verb := rune(format[i])
		if sharp && verb == 'v' {
			verb = '#' // %#v calls GoString, not String
		}
		verbs = append(verbs, verb)
	}
	return verbs, true
}

// formatMethod returns the method that fmt calls on an operand of type t
// for verb: Format for any verb of a fmt.Formatter, else Error or String
// for %v, %s, %q, %x, %X (and %w). Only pointer types with pointer
// receivers count.
func formatMethod(prog *ssa.Program, t types.Type, verb rune) *ssa.Function {
	if _, ok := t.Underlying().(*types.Pointer); !ok || verb == 'T' || verb == 'p' || verb == '#' {
		return nil
	}
	ms := prog.MethodSets.MethodSet(t)
	method := func(name string, params int) *types.Func {
		sel := ms.Lookup(nil, name)
		if sel == nil {
			return nil
		}
		f, ok := sel.Obj().(*types.Func)
		if !ok {
			return nil
		}
		sig := f.Type().(*types.Signature)
		if sig.Params().Len() != params {
			return nil
		}
		if _, ptr := sig.Recv().Type().Underlying().(*types.Pointer); !ptr || len(sel.Index()) != 1 {
			return nil // a value receiver works on a copy; promoted methods are not followed
		}
		if name != "Format" && (sig.Results().Len() != 1 || !types.Identical(sig.Results().At(0).Type(), types.Typ[types.String])) {
			return nil
		}
		return f
	}
	f := method("Format", 2)
	if f == nil && strings.ContainsRune("vsqxXw", verb) {
		if f = method("Error", 0); f == nil {
			f = method("String", 0)
		}
	}
	if f == nil {
		return nil
	}
	return prog.FuncValue(f)
}
