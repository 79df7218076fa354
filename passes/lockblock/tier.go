package lockblock

import (
	"go/token"
	"go/types"
	"strings"
	"unicode"

	"github.com/concvet/concvet/internal/lockstate"
	"github.com/concvet/concvet/internal/match"
	"golang.org/x/tools/go/ssa"
)

// By default lockblock reports only what the before-fix triage of unseen
// modules found worth a reviewer's look; blocking that is real but nearly
// always deliberate is reported with -lockblock.all. deliberate says why a
// finding is left to -all, or "" when it is reported by default. The
// features are the ones the triage separated deliberate findings by (see
// docs/precision.md); each is visible in the code, none is a name of a
// file or of a project.
func (c *classifier) deliberate(f finding) string {
	switch {
	case match.InTestFile(c.fset, f.instr.Pos()):
		return "test"
	case allRead(f.held) && !c.writerWaits(f):
		return "read-locked"
	case f.b.Disk():
		return "disk"
	case teardown(f):
		return "teardown"
	case c.userChannel(f):
		return "user channel"
	case ownResource(f):
		return "own resource"
	case publishes(f):
		return "lazy open"
	case localLocks(f):
		return "local lock"
	case c.guards.guards(f):
		return "add guard"
	case c.hand != nil && c.hand.servedFreely(f.fn, f.instr, f.held):
		return "served by its loop"
	}
	return ""
}

// classifier holds what the features need from the whole package.
type classifier struct {
	fset *token.FileSet
	// used holds the classes of channel fields that code of the package
	// (outside _test.go files) uses other than to send on them: to
	// receive, to return from an accessor, to hand to a function that
	// may receive.
	used map[string]bool
	// written holds the classes of read-write mutexes that code of the
	// package (outside _test.go files) also locks for writing.
	written map[string]bool
	// guards holds the lock classes held at each Add of each WaitGroup
	// field.
	guards addGuards
	// hand finds the goroutines on the other side of channel fields.
	hand *handoffs
}

// writerWaits reports whether a Cond or WaitGroup wait under read locks
// only can deadlock: a writer of one of the held classes queues behind the
// readers, and the goroutine that would signal needs the read lock after
// it (RWMutex gives a queued writer priority). Channel operations under a
// read lock stay with -all: the triage found them deliberate (a snapshot
// sent to a consumer that does not take the lock).
func (c *classifier) writerWaits(f finding) bool {
	if !f.b.WaitsForSignal() {
		return false
	}
	for _, h := range f.held {
		if c.written[h.Class] {
			return true
		}
	}
	return false
}

func newClassifier(fset *token.FileSet, funcs []*ssa.Function) *classifier {
	c := &classifier{fset: fset, used: map[string]bool{}, written: map[string]bool{}}
	for _, fn := range funcs {
		if match.InTestFile(fset, fn.Pos()) {
			continue
		}
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if call, ok := instr.(*ssa.Call); ok {
					if callee := call.Call.StaticCallee(); callee != nil && len(call.Call.Args) == 1 &&
						callee.String() == "(*sync.RWMutex).Lock" {
						if l, ok := lockstate.Resolve(fn, call.Call.Args[0]); ok {
							c.written[l.Class] = true
						}
					}
					continue
				}
				load, ok := instr.(*ssa.UnOp)
				if !ok || load.Op != token.MUL {
					continue
				}
				if _, ok := load.Type().Underlying().(*types.Chan); !ok || sendOnly(load) {
					continue
				}
				if l, ok := lockstate.Resolve(fn, load); ok {
					c.used[l.Class] = true
				}
			}
		}
	}
	return c
}

// sendOnly reports whether a loaded channel is only sent on, compared,
// closed or measured, or handed to a send-only parameter.
func sendOnly(v ssa.Value) bool {
	for _, ref := range *v.Referrers() {
		switch ref := ref.(type) {
		case *ssa.Send:
			if ref.Chan != v {
				return false
			}
		case *ssa.BinOp, *ssa.DebugRef:
		case *ssa.ChangeType:
			// chan T to chan<- T: what follows can only send.
			if ch, ok := ref.Type().Underlying().(*types.Chan); !ok || ch.Dir() != types.SendOnly && !sendOnly(ref) {
				return false
			}
		case *ssa.Select:
			for _, st := range ref.States {
				if st.Chan == v && st.Dir != types.SendOnly {
					return false
				}
			}
		case ssa.CallInstruction:
			cc := ref.Common()
			if b, ok := cc.Value.(*ssa.Builtin); ok {
				switch b.Name() {
				case "close", "len", "cap":
					continue
				}
				return false
			}
			params := cc.Signature().Params()
			off := len(cc.Args) - params.Len()
			for i, a := range cc.Args {
				if a != v {
					continue
				}
				if i < off {
					return false
				}
				ch, ok := params.At(i - off).Type().Underlying().(*types.Chan)
				if !ok || ch.Dir() != types.SendOnly {
					return false
				}
			}
		default:
			return false
		}
	}
	return true
}

// allRead reports whether every held lock is held for reading: the
// blocking stalls writers only, and holding a read lock across an
// operation is how code keeps state from changing under it.
func allRead(held []lockstate.Held) bool {
	for _, h := range held {
		if h.Mode != lockstate.Read {
			return false
		}
	}
	return true
}

// teardown reports whether the blocking is a teardown: the chain goes
// through a function of Go code named Close, Stop or Shutdown (or closeX,
// stopX, shutdownX), that is, the section stops something it owns. A
// join written in the section itself (Stop waits for its workers under
// the lock they take) is the classic deadlock and stays in the default.
func teardown(f finding) bool {
	// The last element is the primitive that blocks; a primitive named
	// like a teardown ((*http.Server).Shutdown) waits for what the code
	// does not own: handlers, which may take the lock.
	for _, name := range f.b.Chain[:len(f.b.Chain)-1] {
		if isTeardown(name) {
			return true
		}
	}
	return false
}

func isTeardown(name string) bool {
	name = name[strings.LastIndexAny(name, ".)")+1:]
	for _, p := range []string{"close", "Close", "stop", "Stop", "shutdown", "Shutdown"} {
		if rest, ok := strings.CutPrefix(name, p); ok && (rest == "" || unicode.IsUpper(rune(rest[0]))) {
			return true
		}
	}
	return false
}

// userChannel reports whether the section sends on a channel that the
// package's user consumes: a channel parameter (a Prometheus Collect), or
// a channel field that code of the package only sends on (an event
// channel in a config the user fills); a field returned by an accessor
// may be received through it and does not count. How fast the user
// drains it is the user's contract.
//
// A call that blocks by sending counts when every send in the functions
// of the package it reaches is on such a channel field.
func (c *classifier) userChannel(f finding) bool {
	switch instr := f.instr.(type) {
	case *ssa.Send:
		l, ok := lockstate.Resolve(f.fn, instr.Chan)
		if !ok || l.Ref == nil {
			return false
		}
		if l.Ref.Kind == lockstate.Param && len(l.Ref.Path) == 0 {
			return true
		}
		return len(l.Ref.Path) > 0 && !c.used[l.Class]
	case *ssa.Call:
		if !f.b.Sends() {
			return false
		}
		sends := 0
		ok := c.sendsToUser(instr.Call.StaticCallee(), f.fn.Pkg, map[*ssa.Function]bool{}, &sends)
		return ok && sends > 0
	}
	return false
}

// sendsToUser reports whether every channel send in fn and in the
// functions of pkg it calls is on a channel field that pkg never
// receives from; it counts the sends.
func (c *classifier) sendsToUser(fn *ssa.Function, pkg *ssa.Package, seen map[*ssa.Function]bool, sends *int) bool {
	if fn == nil || fn.Pkg != pkg || seen[fn] {
		return true
	}
	seen[fn] = true
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch instr := instr.(type) {
			case *ssa.Send:
				l, ok := lockstate.Resolve(fn, instr.Chan)
				if !ok || l.Ref == nil || len(l.Ref.Path) == 0 || c.used[l.Class] {
					return false
				}
				*sends++
			case *ssa.Select:
				return false
			case *ssa.Call:
				if !c.sendsToUser(instr.Call.StaticCallee(), pkg, seen, sends) {
					return false
				}
			}
		}
	}
	for _, anon := range fn.AnonFuncs {
		if !c.sendsToUser(anon, pkg, seen, sends) {
			return false
		}
	}
	return true
}

// ownResource reports whether a blocking call uses a resource that is a
// sibling field of a held lock: a conn's write lock around its Write, a
// file's lock around its Sync. Such a lock exists to serialise that use.
// Only reads and writes of an open conn, pipe or file count: a wait for
// goroutines behind the resource (a queue, a keeper, a WaitGroup next to
// the lock) may need the lock, and a client's request (a function
// configured as blocking, an HTTP call) is not the lock's own I/O.
func ownResource(f finding) bool {
	call, ok := f.instr.(*ssa.Call)
	if !ok {
		return false
	}
	recv := receiver(&call.Call)
	if recv == nil || isTeardown(calleeName(call, f.fn.Pkg.Pkg)) {
		// Stopping the resource waits for its users (a server's
		// Shutdown waits for handlers, which may take the lock).
		return false
	}
	r, ok := lockstate.Resolve(f.fn, recv)
	if !ok || !r.ID.HasField() {
		return false
	}
	if !f.b.StreamIO() && !f.b.Disk() {
		return false
	}
	for _, h := range f.held {
		if h.ID.HasField() && h.ID != r.ID && h.ID.Parent() == r.ID.Parent() {
			return true
		}
	}
	return false
}

// receiver returns the value a call operates on: the receiver of a method
// or interface call, seen through a type assertion.
func receiver(c *ssa.CallCommon) ssa.Value {
	if c.IsInvoke() {
		// The conn behind an interface field: o.r.(net.Conn).Read.
		if ta, ok := c.Value.(*ssa.TypeAssert); ok {
			return ta.X
		}
		return c.Value
	}
	if fn := c.StaticCallee(); fn != nil && fn.Signature.Recv() != nil && len(c.Args) > 0 {
		return c.Args[0]
	}
	return nil
}

// publishes reports whether the blocking call opens or connects what the
// lock guards: its result is stored into a field next to a held lock
// (ms.db = bolt.Open(...), c.client = c.connect()). A lazy open or a
// reconnect under the lock publishes its result once; callers that wait
// need that result anyway.
func publishes(f finding) bool {
	call, ok := f.instr.(*ssa.Call)
	if !ok {
		return false
	}
	results := []ssa.Value{call}
	for _, ref := range *call.Referrers() {
		if x, ok := ref.(*ssa.Extract); ok {
			results = append(results, x)
		}
	}
	for _, v := range results {
		for _, ref := range *v.Referrers() {
			st, ok := ref.(*ssa.Store)
			if !ok || st.Val != v {
				continue
			}
			l, ok := lockstate.Resolve(f.fn, st.Addr)
			if !ok || !l.ID.HasField() {
				continue
			}
			for _, h := range f.held {
				if h.ID.HasField() && h.ID.Parent() == l.ID.Parent() {
					return true
				}
			}
		}
	}
	return false
}
