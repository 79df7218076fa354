package lockstate

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// Root is where a lock's [ID] starts: a parameter, a free variable, a
// package-level variable, or a value local to the function.
type Root struct {
	Kind   RootKind
	Index  int       // for Param and FreeVar
	Global string    // for Global: "pkgpath.name"; for the package of a Global's Parent, "pkgpath"
	Value  ssa.Value // for Local: the SSA value the path starts from
}

// ID is the identity of a mutex (or of a value on the way to one) inside
// one function: a [Root] and the field and index path from it. Two locks
// with equal IDs are the same mutex. IDs are comparable, so they can be
// map keys; they order by their canonical rendering ([ID.String]).
type ID struct {
	root Root
	path string // rendered: ".mu", ".inner.mu", "[3].mu", "[t4].mu"
	key  string // canonical rendering of root and path
}

func newID(root Root, path string) ID {
	var r string
	switch root.Kind {
	case Param:
		r = fmt.Sprintf("p%d", root.Index)
	case FreeVar:
		r = fmt.Sprintf("f%d", root.Index)
	case Global:
		r = "g:" + root.Global
	default:
		r = "v:" + root.Value.Name()
		if p, ok := root.Value.(*ssa.Parameter); ok && IsRangeBody(p.Parent()) {
			// The parameters of range-over-func bodies are named
			// after the iterator's yield type: tell them apart.
			r = "v:" + p.Parent().Name() + "." + p.Name()
		}
	}
	return ID{root: root, path: path, key: r + path}
}

// Root returns where the ID starts.
func (id ID) Root() Root { return id.root }

// IsZero reports whether id is the zero ID (no lock).
func (id ID) IsZero() bool { return id.key == "" }

// HasPath reports whether the ID selects a field or element of its root,
// rather than naming the root itself.
func (id ID) HasPath() bool { return id.path != "" }

// HasField reports whether the path selects a struct field (not only
// array or slice elements).
func (id ID) HasField() bool { return strings.Contains(id.path, ".") }

// String renders the ID canonically: "p0.mu" (field mu of the first
// parameter), "f1.inner.mu" (of a free variable), "g:example.com/pkg.mu"
// (a package-level variable), "v:t3.mu" (of a local SSA value). It is for
// debugging and ordering, never for parsing.
func (id ID) String() string { return id.key }

// Compare orders IDs by their canonical rendering.
func (id ID) Compare(o ID) int { return strings.Compare(id.key, o.key) }

// Sub returns the ID of the field or element path elems (field names, or
// index elements such as "[3]") below id.
func (id ID) Sub(elems ...string) ID { return id.withPath(id.path + pathSuffix(elems)) }

func (id ID) withPath(path string) ID {
	return ID{root: id.root, path: path, key: id.key[:len(id.key)-len(id.path)] + path}
}

// Within reports whether id names a field below owner: the same root, and
// owner's path followed by a field selection.
func (id ID) Within(owner ID) bool {
	return id.root == owner.root && strings.HasPrefix(id.path, owner.path+".")
}

// Parent returns the value whose field id selects: the path up to its last
// field selection (with any index after it). A package-level variable
// without a field has its package as parent, so that package-level
// variables of one package are siblings. Other roots are their own parent.
func (id ID) Parent() ID {
	if i := strings.LastIndexByte(id.path, '.'); i >= 0 {
		return id.withPath(id.path[:i])
	}
	if id.root.Kind == Global {
		pkg := id.root.Global[:strings.LastIndexByte(id.root.Global, '.')]
		return newID(Root{Kind: Global, Global: pkg}, "")
	}
	return id
}

// HasSuffix reports whether the ID's path ends in the field names path
// (all of it when path is empty).
func (id ID) HasSuffix(path []string) bool {
	if len(path) == 0 {
		return true
	}
	return strings.HasSuffix(id.key, "."+strings.Join(path, "."))
}
