package lockblock

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/concvet/concvet/internal/lockstate"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// A report is one root cause: the blocking operations of one critical
// section, reported at the first, and the other critical sections of the
// package that block in the same call (the same helper, the same chain).
// Its message names the first operation exactly and counts the rest,
// which are related locations.
type report struct {
	sections [][]finding // each sorted by position; sections sorted by their first
}

func (g *report) first() finding { return g.sections[0][0] }

// suffix counts what the report stands for beyond its first operation.
func (g *report) suffix() string {
	var parts []string
	if n := len(g.sections[0]) - 1; n > 0 {
		parts = append(parts, fmt.Sprintf("%d more %s in this critical section", n, plural(n, "operation blocks", "operations block")))
	}
	if n := len(g.sections) - 1; n > 0 {
		parts = append(parts, fmt.Sprintf("the same call blocks under a lock at %d more %s", n, plural(n, "place", "places")))
	}
	if n := g.others(); n > 0 {
		parts = append(parts, fmt.Sprintf("%d more %s in those critical sections", n, plural(n, "operation blocks", "operations block")))
	}
	if len(parts) == 0 {
		return ""
	}
	return "; " + strings.Join(parts, "; ")
}

// related locates the operations counted by suffix.
func (g *report) related(r *reporter) []analysis.RelatedInformation {
	var rel []analysis.RelatedInformation
	for _, f := range g.sections[0][1:] {
		pos, end := r.node(f.instr)
		rel = append(rel, analysis.RelatedInformation{Pos: pos, End: end, Message: "also blocks here: " + opName(f, r.pass)})
	}
	for _, sec := range g.sections[1:] {
		f := sec[0]
		pos, end := r.node(f.instr)
		locks, _ := heldPhrase(f.held)
		rel = append(rel, analysis.RelatedInformation{Pos: pos, End: end, Message: "same call while " + locks})
		// The other operations of that section are printed here too,
		// never dropped with it.
		for _, f := range sec[1:] {
			pos, end := r.node(f.instr)
			rel = append(rel, analysis.RelatedInformation{Pos: pos, End: end, Message: "also blocks in that critical section: " + opName(f, r.pass)})
		}
	}
	return rel
}

// others counts the operations of the report's other sections beyond
// their shared call.
func (g *report) others() int {
	n := 0
	for _, sec := range g.sections[1:] {
		n += len(sec) - 1
	}
	return n
}

// opName names a blocking operation briefly for a related location.
func opName(f finding, pass *analysis.Pass) string {
	switch instr := f.instr.(type) {
	case *ssa.Send:
		return "channel send"
	case *ssa.UnOp:
		return "channel receive"
	case *ssa.Select:
		return "select without default"
	case *ssa.Call:
		return "call to " + calleeName(instr, pass.Pkg) + " (it " + f.b.What + ")"
	}
	return "blocking operation"
}

// group sorts findings into reports: one per critical section (the same
// function and the same held acquisitions), then one per call that blocks
// through the same chain in several sections.
func group(findings []finding) []*report {
	bySection := map[string][]finding{}
	var keys []string
	for _, f := range findings {
		k := sectionKey(f)
		if _, ok := bySection[k]; !ok {
			keys = append(keys, k)
		}
		bySection[k] = append(bySection[k], f)
	}
	var sections [][]finding
	for _, k := range keys {
		sec := bySection[k]
		sort.SliceStable(sec, func(i, j int) bool { return sec[i].instr.Pos() < sec[j].instr.Pos() })
		sections = append(sections, sec)
	}
	sort.SliceStable(sections, func(i, j int) bool { return sections[i][0].instr.Pos() < sections[j][0].instr.Pos() })
	var reports []*report
	byCall := map[string]*report{}
	for _, sec := range sections {
		if k := callKey(sec[0]); k != "" {
			if g, ok := byCall[k]; ok {
				g.sections = append(g.sections, sec)
				continue
			}
			g := &report{sections: [][]finding{sec}}
			byCall[k] = g
			reports = append(reports, g)
			continue
		}
		reports = append(reports, &report{sections: [][]finding{sec}})
	}
	return reports
}

// sectionKey identifies a critical section: the function and where each
// held lock was acquired.
func sectionKey(f finding) string {
	poss := make([]int, len(f.held))
	for i, h := range f.held {
		poss[i] = int(h.Pos)
	}
	slices.Sort(poss)
	return fmt.Sprintf("%p %v", f.fn, poss)
}

// callKey identifies a call to a function of the package that blocks
// through a chain of calls, so that the sections reaching the same
// blocking operation through it are one report; "" for anything else.
func callKey(f finding) string {
	call, ok := f.instr.(*ssa.Call)
	if !ok || len(f.b.Chain) < 2 {
		return ""
	}
	callee := call.Call.StaticCallee()
	if callee == nil || callee.Pkg != f.fn.Pkg {
		return ""
	}
	if o := callee.Origin(); o != nil {
		callee = o
	}
	return fmt.Sprintf("%p %s %s", callee, f.b.What, f.b.ChainString())
}

// heldPhrase renders the held locks for a message, "s.mu is held" or
// "a.mu is held for reading and b.mu is held", and how to refer to them
// afterwards ("the lock", "either lock").
func heldPhrase(held []lockstate.Held) (string, string) {
	var clauses []string
	seen := map[string]bool{}
	for _, h := range held {
		name := lockName(h.Lock)
		if seen[name] {
			continue
		}
		seen[name] = true
		c := name + " is held"
		if h.Mode == lockstate.Read {
			c += " for reading"
		}
		clauses = append(clauses, c)
	}
	if len(clauses) == 1 {
		return clauses[0], "the lock"
	}
	return strings.Join(clauses, " and "), "either lock"
}

var ssaTemp = regexp.MustCompile(`^t[0-9]+\b`)

// lockName renders a lock for a message; a name rooted at an SSA
// temporary ("t54.mu") is replaced by its class.
func lockName(l lockstate.Lock) string {
	if ssaTemp.MatchString(l.Expr) {
		return lockstate.ShortClass(l.Class)
	}
	return l.Expr
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
