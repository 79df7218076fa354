package lockorder

import (
	_ "embed"
	"fmt"
	"go/token"
	"go/types"
	"slices"
	"sort"
	"strings"

	"github.com/concvet/concvet/internal/docutil"
	"github.com/concvet/concvet/internal/factpos"
	"github.com/concvet/concvet/internal/lockflow"
	"github.com/concvet/concvet/internal/lockstate"
	"github.com/concvet/concvet/internal/match"
	"github.com/concvet/concvet/internal/stdpkg"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

//go:embed doc.go
var doc string

// Analyzer reports lock-order inversions.
var Analyzer = &analysis.Analyzer{
	Name:      "lockorder",
	Doc:       docutil.MustExtract(doc, "lockorder"),
	URL:       "https://pkg.go.dev/github.com/concvet/concvet/passes/lockorder",
	Requires:  []*analysis.Analyzer{lockflow.Analyzer},
	Run:       run,
	FactTypes: []analysis.Fact{new(Edges)},
}

// Edge says that lock class To is acquired while From is held, in Func,
// through the call chain Via.
type Edge struct {
	From, To string
	Func     string
	Via      string
	Posn     string // file:line:col of the acquisition, for related locations across packages
	// Guards are other lock classes held whenever the edge is taken (in
	// the function, or by every caller in its package): a cycle whose
	// edges share a guard cannot deadlock.
	Guards []string

	pos, fromPos token.Pos     // in the package being analysed only
	fn           *ssa.Function // where the edge is taken, in the package being analysed only
	private      bool          // both locks belong to values the function allocated (see ownAlloc)
}

// Edges is the package fact listing the lock-order edges that a package
// establishes.
type Edges struct {
	List []Edge
}

func (*Edges) AFact() {}

func (e *Edges) String() string {
	var s []string
	for _, x := range e.List {
		s = append(s, fmt.Sprintf("%s -> %s (%s)", lockstate.ShortClass(x.From), lockstate.ShortClass(x.To), x.Func))
	}
	return "edges " + strings.Join(s, ", ")
}

// maxEdges caps the edges a package exports.
const maxEdges = 256

func run(pass *analysis.Pass) (any, error) {
	res := pass.ResultOf[lockflow.Analyzer].(*lockflow.Result)
	var local []Edge
	seen := map[string]bool{}
	add := func(e Edge) {
		k := e.From + "\x00" + e.To + "\x00" + e.Func
		if seen[k] {
			return
		}
		seen[k] = true
		e.Posn = posn(pass, e.pos)
		e.Guards = slices.Clone(e.Guards)
		slices.Sort(e.Guards)
		local = append(local, e)
	}
	callers := callerGuards(res)
	for _, f := range res.Funcs {
		if f.Truncated {
			continue
		}
		collect(pass, res, f, callers[f.Fn], add)
	}
	sort.SliceStable(local, func(i, j int) bool { return edgeLess(&local[i], &local[j]) })
	var export []Edge
	for _, e := range local {
		// Local variables mean nothing to other packages.
		if !strings.HasPrefix(e.From, "local ") && !strings.HasPrefix(e.To, "local ") && len(export) < maxEdges {
			export = append(export, e)
		}
	}
	if len(export) > 0 && !stdpkg.IsStd(pass.Pkg.Path()) {
		pass.ExportPackageFact(&Edges{List: export})
	}
	cycles(pass, res, local)
	return nil, nil
}

func posn(pass *analysis.Pass, pos token.Pos) string { return factpos.String(pass.Fset, pos) }

// collect adds the edges established by one function.
func collect(pass *analysis.Pass, res *lockflow.Result, f *lockflow.Func, outer []string, add func(Edge)) {
	name := lockflow.FuncName(f.Fn)
	lf := f.Func
	if f.Assumed != nil && !f.Assumed.Truncated {
		lf = f.Assumed // the caller's locks that it releases are held on entry
	}
	byInstr := map[ssa.Instruction][]lockstate.Event{}
	for _, e := range lf.Events {
		if e.Kind == lockstate.Acquire && e.Via == nil {
			byInstr[e.Instr] = append(byInstr[e.Instr], e)
		}
	}
	selfReported := map[string]bool{}
	returns := lockflow.Returning(lf)
	var held []lockstate.Held
	addEdge := add
	add = func(e Edge) {
		e.Guards = guards(outer, held, e.From, e.To)
		e.fn = f.Fn
		addEdge(e)
	}
	lf.Walk(func(instr ssa.Instruction, before lockstate.State) {
		if !returns(instr) {
			return // a path that panics or exits: an invariant violation
		}
		held = held[:0]
		for _, h := range before.Must() {
			if c, ok := classOf(f.Fn, h.Lock); ok {
				h.Class = c
				held = append(held, h)
			}
		}
		for _, e := range byInstr[instr] {
			c, ok := classOf(f.Fn, e.Lock)
			if !ok || res.Unshared(e.Lock, instr) {
				continue
			}
			e.Lock.Class = c
			for _, h := range held {
				switch {
				case h.ID == e.Lock.ID:
				case h.Class == e.Lock.Class:
					if !selfReported[e.Lock.Class] && unordered(f.Fn, h.Lock, e.Lock) {
						selfReported[e.Lock.Class] = true
						pass.Report(analysis.Diagnostic{
							Pos:      e.Pos,
							Category: "lockorder/lock-order-instance",
							Message: fmt.Sprintf("lock class %s is acquired while another instance of it is held (%s, then %s) with no ordering between the two: two calls with the instances swapped deadlock",
								lockstate.ShortClass(e.Lock.Class), h.Expr, e.Lock.Expr),
							Related: []analysis.RelatedInformation{{Pos: h.Pos, Message: h.Expr + " locked here"}},
						})
					}
				default:
					add(Edge{From: h.Class, To: e.Lock.Class, Func: name, Via: name, pos: e.Pos, fromPos: h.Pos,
						private: ownAlloc(f.Fn, h.Lock) && ownAlloc(f.Fn, e.Lock)})
				}
			}
		}
		call, ok := instr.(*ssa.Call)
		if !ok {
			return
		}
		callee := lockflow.Callee(&call.Call)
		cs := res.CallSummary(&call.Call)
		if cs == nil {
			return
		}
		// Locks of the caller that the callee releases (for good, or
		// to take them again before it returns) are not held across
		// its acquisitions.
		dropped := map[lockstate.ID]bool{}
		for _, r := range append(cs.Releases[:len(cs.Releases):len(cs.Releases)], cs.Restores...) {
			if l, ok := lockflow.MapRef(f.Fn, lockflow.ArgOf(&call.Call, r.Index), r); ok {
				dropped[l.ID] = true
			}
		}
		for _, ca := range cs.Classes {
			if len(held) > 0 && res.Private(f.Fn, call, cs, ca) {
				continue // the callee locks only objects nobody else can reach yet
			}
			for _, h := range held {
				if h.Class == ca.Class || dropped[h.ID] {
					continue
				}
				add(Edge{From: h.Class, To: ca.Class, Func: name, Via: name + " -> " + strings.Join(ca.Chain, " -> "), pos: lockstate.Pos(call), fromPos: h.Pos})
			}
		}
		// Function values that the callee calls under its own locks.
		for _, cu := range cs.Calls {
			fa := lockflow.FuncArg(&call.Call, cu)
			fs := res.Summary(fa)
			if fs == nil {
				continue
			}
			for _, ca := range fs.Classes {
				for _, hr := range cu.Held {
					if hr.Class == ca.Class || hr.Class == "sync.Mutex" || hr.Class == "sync.RWMutex" {
						continue
					}
					add(Edge{From: hr.Class, To: ca.Class, Func: name,
						Via:     name + " -> " + lockflow.FuncName(callee) + " -> " + strings.Join(ca.Chain, " -> "),
						pos:     lockstate.Pos(call),
						fromPos: lockstate.Pos(call)})
				}
			}
		}
	})
}

// classOf returns the lock class of l as seen from fn: its owner's, or for
// a mutex that is a local variable (possibly captured by a function
// literal) the variable itself, "local pkg.F.mu". Other mutexes without an
// owner (a *sync.Mutex parameter) have no class.
func classOf(fn *ssa.Function, l lockstate.Lock) (string, bool) {
	if l.Owned() {
		return l.Class, true
	}
	var alloc *ssa.Alloc
	root := l.ID.Root()
	switch {
	case l.ID.HasField():
		return "", false
	case root.Kind == lockstate.Local && !l.ID.HasPath():
		alloc, _ = root.Value.(*ssa.Alloc)
	case root.Kind == lockstate.FreeVar:
		// The mutex captured, or an element of a captured array.
		if root.Index >= len(fn.FreeVars) || fn.Parent() == nil {
			return "", false
		}
		alloc = bindingAlloc(fn, root.Index)
	}
	if alloc == nil || alloc.Comment == "" {
		return "", false
	}
	return "local " + lockflow.FuncName(alloc.Parent()) + "." + alloc.Comment, true
}

// bindingAlloc returns the variable that the i'th free variable of the
// function literal fn captures, if fn is created once.
func bindingAlloc(fn *ssa.Function, i int) *ssa.Alloc {
	var found *ssa.Alloc
	n := 0
	for _, b := range fn.Parent().Blocks {
		for _, instr := range b.Instrs {
			mc, ok := instr.(*ssa.MakeClosure)
			if !ok || mc.Fn != fn || i >= len(mc.Bindings) {
				continue
			}
			n++
			switch v := mc.Bindings[i].(type) {
			case *ssa.Alloc:
				found = v
			case *ssa.FreeVar:
				// Captured twice: look in the grandparent.
				if j := freeVarIndex(fn.Parent(), v); j >= 0 && fn.Parent().Parent() != nil {
					found = bindingAlloc(fn.Parent(), j)
				}
			}
		}
	}
	if n != 1 {
		return nil
	}
	return found
}

func freeVarIndex(fn *ssa.Function, v *ssa.FreeVar) int {
	for i, q := range fn.FreeVars {
		if q == v {
			return i
		}
	}
	return -1
}

// guards returns the classes held besides from and to: those of the
// callers and those held in the function.
func guards(outer []string, held []lockstate.Held, from, to string) []string {
	set := map[string]bool{}
	for _, g := range outer {
		set[g] = true
	}
	for _, h := range held {
		set[h.Class] = true
	}
	delete(set, from)
	delete(set, to)
	out := make([]string, 0, len(set))
	for g := range set {
		out = append(out, g)
	}
	sort.Strings(out)
	return out
}

// callerGuards returns, for each function of the package, the owned lock
// classes held at every one of its call sites in the package (none if it
// has no call site here).
func callerGuards(res *lockflow.Result) map[*ssa.Function][]string {
	inter := map[*ssa.Function]map[string]bool{}
	meet := func(callee *ssa.Function, classes map[string]bool) {
		if cur, ok := inter[callee]; ok {
			for c := range cur {
				if !classes[c] {
					delete(cur, c)
				}
			}
			return
		}
		inter[callee] = classes
	}
	analysed := map[*ssa.Function]bool{}
	for _, f := range res.Funcs {
		analysed[f.Fn] = true
		lf := f.Func
		if f.Assumed != nil && !f.Assumed.Truncated {
			lf = f.Assumed
		}
		lf.Walk(func(instr ssa.Instruction, before lockstate.State) {
			call, ok := instr.(*ssa.Call)
			if !ok {
				return
			}
			callee := lockflow.Callee(&call.Call)
			if callee == nil {
				return
			}
			classes := map[string]bool{}
			for _, h := range before.Must() {
				if h.Owned() {
					classes[h.Class] = true
				}
			}
			meet(origin(callee), classes)
		})
	}
	// Functions without lock events hold nothing at their calls; a
	// function referenced other than by a call may be called from
	// anywhere.
	for _, fn := range res.SSA.SrcFuncs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if call, ok := instr.(*ssa.Call); ok && !analysed[fn] {
					if callee := lockflow.Callee(&call.Call); callee != nil {
						meet(origin(callee), map[string]bool{})
					}
				}
				for _, op := range instr.Operands(nil) {
					if g, ok := (*op).(*ssa.Function); ok {
						if c, isCall := instr.(*ssa.Call); !isCall || c.Call.Value != g {
							meet(origin(g), map[string]bool{})
						}
					}
				}
			}
		}
	}
	out := map[*ssa.Function][]string{}
	for fn, set := range inter {
		if exported(fn) {
			continue // callers elsewhere may hold nothing
		}
		for c := range set {
			out[fn] = append(out[fn], c)
		}
		sort.Strings(out[fn])
	}
	return out
}

func origin(fn *ssa.Function) *ssa.Function {
	if o := fn.Origin(); o != nil {
		return o
	}
	return fn
}

// exported reports whether fn can be called from other packages: an
// exported function, or an exported method (which interfaces may reach).
func exported(fn *ssa.Function) bool {
	if fn.Parent() != nil {
		return false
	}
	return token.IsExported(fn.Name())
}

// unordered reports whether two instances of one lock class, a held and b
// acquired, come from distinct inputs of fn with no ordering comparison
// between values of their type in sight. Instances reached from one
// another (parent and child) or from local values (sorted, swapped) are
// taken to be ordered.
func unordered(fn *ssa.Function, a, b lockstate.Lock) bool {
	if a.Ref == nil || b.Ref == nil {
		return false
	}
	if a.Ref.Kind != lockstate.Param && a.Ref.Kind != lockstate.FreeVar {
		return false
	}
	if b.Ref.Kind != lockstate.Param && b.Ref.Kind != lockstate.FreeVar {
		return false
	}
	if a.Ref.Kind == b.Ref.Kind && a.Ref.Index == b.Ref.Index {
		return false
	}
	t := rootType(fn, *b.Ref)
	if t == nil {
		return false
	}
	for top := fn; top != nil; top = top.Parent() {
		if hasOrdering(top, t) {
			return false
		}
	}
	return true
}

func rootType(fn *ssa.Function, r lockstate.Ref) types.Type {
	var v ssa.Value
	switch r.Kind {
	case lockstate.Param:
		if r.Index < len(fn.Params) {
			v = fn.Params[r.Index]
		}
	case lockstate.FreeVar:
		if r.Index < len(fn.FreeVars) {
			v = fn.FreeVars[r.Index]
		}
	}
	if v == nil {
		return nil
	}
	t := v.Type()
	for {
		p, ok := t.Underlying().(*types.Pointer)
		if !ok {
			return t
		}
		t = p.Elem()
	}
}

// hasOrdering reports whether fn compares two values derived from values
// of type t with <, <=, > or >=, calls a function on two of them (a Less
// or Compare), or sorts.
func hasOrdering(fn *ssa.Function, t types.Type) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch instr := instr.(type) {
			case *ssa.BinOp:
				switch instr.Op {
				case token.LSS, token.LEQ, token.GTR, token.GEQ:
					if derived(instr.X, t, 0) && derived(instr.Y, t, 0) {
						return true
					}
				}
			case *ssa.Call:
				c := instr.Common()
				if callee := c.StaticCallee(); callee != nil && callee.Pkg != nil {
					switch callee.Pkg.Pkg.Path() {
					case "sort", "slices":
						if strings.HasPrefix(callee.Name(), "Sort") || callee.Name() == "Slice" || callee.Name() == "SliceStable" {
							return true
						}
					}
				}
				n := 0
				if c.IsInvoke() && derived(c.Value, t, 0) {
					n++
				}
				for _, a := range c.Args {
					if derived(a, t, 0) {
						n++
					}
				}
				if n >= 2 && isOrderingResult(instr.Type()) {
					return true
				}
			}
		}
	}
	return false
}

func isOrderingResult(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && (b.Kind() == types.Bool || b.Info()&types.IsInteger != 0)
}

// derived reports whether v is computed from a value of type t (or a
// pointer to it) through loads, field selections and conversions.
func derived(v ssa.Value, t types.Type, depth int) bool {
	if depth > 8 || v == nil {
		return false
	}
	vt := v.Type()
	for {
		if types.Identical(vt, t) {
			return true
		}
		p, ok := vt.Underlying().(*types.Pointer)
		if !ok {
			break
		}
		vt = p.Elem()
	}
	switch v := v.(type) {
	case *ssa.UnOp:
		return derived(v.X, t, depth+1)
	case *ssa.FieldAddr:
		return derived(v.X, t, depth+1)
	case *ssa.Field:
		return derived(v.X, t, depth+1)
	case *ssa.Convert:
		return derived(v.X, t, depth+1)
	case *ssa.ChangeType:
		return derived(v.X, t, depth+1)
	case *ssa.Call:
		if v.Call.IsInvoke() {
			return derived(v.Call.Value, t, depth+1)
		}
		for _, a := range v.Call.Args {
			if derived(a, t, depth+1) {
				return true
			}
		}
	}
	return false
}

// cycles reports each cycle of the lock-order graph (this package's edges
// and those of its dependencies) that goes through an edge of this
// package, at the last such edge.
func cycles(pass *analysis.Pass, res *lockflow.Result, local []Edge) {
	if len(local) == 0 {
		return
	}
	graph := map[string][]*Edge{}
	for i := range local {
		e := &local[i]
		graph[e.From] = append(graph[e.From], e)
	}
	for _, pf := range pass.AllPackageFacts() {
		if es, ok := pf.Fact.(*Edges); ok && pf.Package != pass.Pkg {
			for i := range es.List {
				e := &es.List[i]
				graph[e.From] = append(graph[e.From], e)
			}
		}
	}
	public := map[string][]*Edge{}
	for from, list := range graph {
		for _, e := range list {
			if !e.private {
				public[from] = append(public[from], e)
			}
		}
	}
	// Facts arrive in no particular order: sort the adjacency lists so
	// that the path found, and so the report, is the same on every run.
	for _, m := range []map[string][]*Edge{graph, public} {
		for _, list := range m {
			sort.SliceStable(list, func(i, j int) bool { return edgeLess(list[i], list[j]) })
		}
	}
	// Report each cycle once, at its last local edge in production code
	// when it has one, else at its last local edge in a test file.
	var order []*Edge
	for _, inTest := range []bool{false, true} {
		for i := len(local) - 1; i >= 0; i-- {
			if e := &local[i]; match.InTestFile(pass.Fset, e.pos) == inTest {
				order = append(order, e)
			}
		}
	}
	done := map[string]bool{}
	js := &lazyJoins{}
	for _, e := range order {
		// A cycle of private edges only joins objects that each
		// function allocated for itself (two tests locking their own
		// fixtures in opposite orders): no two of them can hold the
		// same instances. The other path must then hold an edge that
		// is not private.
		g := graph
		if e.private {
			g = public
		}
		path := find(g, e.To, e.From)
		if path == nil || guarded(e, path) || js.joined(res, e, path) {
			continue
		}
		classes := []string{e.From}
		for _, p := range path {
			classes = append(classes, p.From)
		}
		sort.Strings(classes)
		key := strings.Join(classes, "\x00")
		if done[key] {
			continue
		}
		done[key] = true
		report(pass, e, path)
	}
}

// edgeLess orders edges by position, then by their classes and function,
// for deterministic reports.
func edgeLess(a, b *Edge) bool {
	if a.pos != b.pos {
		return a.pos < b.pos
	}
	if a.From != b.From {
		return a.From < b.From
	}
	if a.To != b.To {
		return a.To < b.To
	}
	if a.Func != b.Func {
		return a.Func < b.Func
	}
	if a.Posn != b.Posn {
		return a.Posn < b.Posn
	}
	return a.Via < b.Via
}

// guarded reports whether one lock class guards every edge of the cycle.
func guarded(e *Edge, path []*Edge) bool {
	for _, g := range e.Guards {
		all := true
		for _, p := range path {
			if !slices.Contains(p.Guards, g) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

// maxDepth bounds the length of the cycles searched for.
const maxDepth = 5

// find returns a shortest path of edges from one class to another.
func find(graph map[string][]*Edge, from, to string) []*Edge {
	type node struct {
		class string
		path  []*Edge
	}
	visited := map[string]bool{from: true}
	queue := []node{{class: from}}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		if len(n.path) >= maxDepth {
			continue
		}
		for _, e := range graph[n.class] {
			p := append(append([]*Edge(nil), n.path...), e)
			if e.To == to {
				return p
			}
			if !visited[e.To] {
				visited[e.To] = true
				queue = append(queue, node{e.To, p})
			}
		}
	}
	return nil
}

func report(pass *analysis.Pass, e *Edge, path []*Edge) {
	short := lockstate.ShortClass
	var other string
	if len(path) == 1 {
		other = fmt.Sprintf("%s acquires them in the opposite order", path[0].Func)
	} else {
		var steps []string
		for _, p := range path {
			steps = append(steps, fmt.Sprintf("%s (%s -> %s)", p.Func, short(p.From), short(p.To)))
		}
		other = "the opposite order is established by " + strings.Join(steps, ", ")
	}
	var rel []analysis.RelatedInformation
	if e.fromPos.IsValid() && e.fromPos != e.pos {
		rel = append(rel, analysis.RelatedInformation{Pos: e.fromPos, Message: short(e.From) + " acquired here"})
	}
	for _, p := range path {
		pos := p.pos
		if !pos.IsValid() && p.Posn != "" {
			pos = factpos.Pos(pass.Fset, p.Posn) // an edge from a dependency, under the vet driver
		}
		if pos.IsValid() {
			rel = append(rel, analysis.RelatedInformation{Pos: pos, Message: fmt.Sprintf("%s acquired while %s is held, in %s", short(p.To), short(p.From), p.Func)})
		}
	}
	pass.Report(analysis.Diagnostic{
		Pos:      e.pos,
		Category: "lockorder/lock-order-inversion",
		Message: fmt.Sprintf("lock class %s is acquired while %s is held (%s), but %s: lock-order inversion can deadlock",
			short(e.To), short(e.From), e.Via, other),
		Related: rel,
	})
}
