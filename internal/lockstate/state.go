package lockstate

import (
	"go/token"
	"sort"

	"golang.org/x/tools/go/ssa"
)

// Mode is the mode in which a lock is held.
type Mode uint8

const (
	Write Mode = iota // Lock, TryLock
	Read              // RLock, TryRLock
)

func (m Mode) String() string {
	if m == Read {
		return "read"
	}
	return "write"
}

// RootKind says what a [Ref] is relative to.
type RootKind uint8

const (
	Local   RootKind = iota // a value local to the function: Ref carries only the class
	Param                   // the function's Index'th parameter (the receiver is 0)
	FreeVar                 // the closure's Index'th free variable
	Global                  // the package-level variable named by Global
)

// Ref is a lock relative to a function's inputs, the form in which lock
// effects travel in facts. It is gob-encodable.
type Ref struct {
	Kind   RootKind
	Index  int      // for Param and FreeVar
	Global string   // for Global: "pkgpath.name"
	Path   []string // field names from the root to the mutex
	Class  string   // see Lock.Class
	Mode   Mode
}

func (r Ref) String() string {
	return ShortClass(r.Class)
}

// Lock is one mutex as seen from a function. See the package doc.
type Lock struct {
	ID    ID     // instance identity within the function
	Class string // type plus field path, or package-level variable
	Expr  string // source-like expression, e.g. "p.mu", for messages
	Ref   *Ref   // input-relative form; nil if rooted in a local value
}

// Owned reports whether the class names an owner (a named struct type or a
// package-level variable) rather than only the mutex type.
func (l Lock) Owned() bool { return l.Class != "sync.Mutex" && l.Class != "sync.RWMutex" }

// Held is a lock in a [State].
type Held struct {
	Lock
	Mode     Mode
	Pos      token.Pos // where it was acquired (the Lock call, or the call to a callee that returns holding it)
	Must     bool      // held on every path to this point
	Deferred bool      // a deferred release is pending on every path where it is held
	DeferPos token.Pos // the defer that releases it, if Deferred
	Assumed  bool      // held on entry by Config.Assume, not acquired since
	// Iter is the iterator call of the range-over-func loop whose
	// iterator holds the lock while the loop body runs (Config.Yielding),
	// or nil.
	Iter *ssa.Call
}

// State is a set of held locks, sorted by key. States are immutable.
type State struct {
	held []Held
}

// Held returns the locks that may be held.
func (s State) Held() []Held { return s.held }

// Must returns the locks held on every path.
func (s State) Must() []Held {
	var out []Held
	for _, h := range s.held {
		if h.Must {
			out = append(out, h)
		}
	}
	return out
}

// Lookup returns the lock with the given identity, if it may be held.
func (s State) Lookup(id ID) (Held, bool) {
	i := sort.Search(len(s.held), func(i int) bool { return s.held[i].ID.Compare(id) >= 0 })
	if i < len(s.held) && s.held[i].ID == id {
		return s.held[i], true
	}
	return Held{}, false
}

// Empty reports whether no lock may be held.
func (s State) Empty() bool { return len(s.held) == 0 }

func (s State) with(h Held) State {
	out := make([]Held, 0, len(s.held)+1)
	done := false
	for _, x := range s.held {
		if !done && x.ID.Compare(h.ID) >= 0 {
			out = append(out, h)
			done = true
			if x.ID == h.ID {
				continue
			}
		}
		out = append(out, x)
	}
	if !done {
		out = append(out, h)
	}
	return State{out}
}

func (s State) without(id ID) State {
	if _, ok := s.Lookup(id); !ok {
		return s
	}
	out := make([]Held, 0, len(s.held))
	for _, x := range s.held {
		if x.ID != id {
			out = append(out, x)
		}
	}
	return State{out}
}

func (s State) equal(t State) bool {
	if len(s.held) != len(t.held) {
		return false
	}
	for i := range s.held {
		a, b := s.held[i], t.held[i]
		if a.ID != b.ID || a.Must != b.Must || a.Deferred != b.Deferred || a.Mode != b.Mode || a.Pos != b.Pos || a.Assumed != b.Assumed || a.Iter != b.Iter {
			return false
		}
	}
	return true
}

// join merges the states of two predecessors.
func join(a, b State) State {
	var out []Held
	i, j := 0, 0
	for i < len(a.held) || j < len(b.held) {
		switch {
		case j == len(b.held) || (i < len(a.held) && a.held[i].ID.Compare(b.held[j].ID) < 0):
			h := a.held[i]
			h.Must = false
			out = append(out, h)
			i++
		case i == len(a.held) || b.held[j].ID.Compare(a.held[i].ID) < 0:
			h := b.held[j]
			h.Must = false
			out = append(out, h)
			j++
		default:
			h, g := a.held[i], b.held[j]
			h.Must = h.Must && g.Must
			h.Deferred = h.Deferred && g.Deferred
			h.Assumed = h.Assumed && g.Assumed
			if h.Iter != g.Iter {
				h.Iter = nil
			}
			if g.Mode == Write {
				h.Mode = Write
			}
			if g.Pos < h.Pos {
				h.Pos = g.Pos
			}
			out = append(out, h)
			i++
			j++
		}
	}
	return State{out}
}
