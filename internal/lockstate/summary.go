package lockstate

import (
	"sort"

	"golang.org/x/tools/go/ssa"
)

// Summary returns the lock effects of the function for its callers:
// every lock it acquires, the locks it releases without holding them (the
// caller's), and the locks held on every return that it acquired. Locks
// rooted in local values appear only in Acquires, with Kind Local.
func (f *Func) Summary() *Effects {
	eff := &Effects{}
	seenA := map[idMode]bool{}
	seenR := map[ID]bool{}
	for _, e := range f.Events {
		switch e.Kind {
		case Acquire, CalleeAcquire, TryAcquire:
			key := idMode{e.Lock.ID, e.Mode}
			if seenA[key] {
				continue
			}
			seenA[key] = true
			r := Ref{Kind: Local, Class: e.Lock.Class, Mode: e.Mode}
			if e.Lock.Ref != nil {
				r = *e.Lock.Ref
				r.Mode = e.Mode
			}
			eff.Acquires = append(eff.Acquires, r)
		case Release, DeferRelease:
			if _, held := e.Before.Lookup(e.Lock.ID); held || e.Lock.Ref == nil || seenR[e.Lock.ID] {
				continue
			}
			seenR[e.Lock.ID] = true
			r := *e.Lock.Ref
			r.Mode = e.Mode
			eff.Releases = append(eff.Releases, r)
		}
	}
	// Locks held on every return, not released by a defer. A deferred
	// release registered before the lock was released and taken again
	// still runs at return, so any deferred release of the lock counts.
	deferredRel := map[ID]bool{}
	for _, e := range f.Events {
		if e.Kind == DeferRelease {
			deferredRel[e.Lock.ID] = true
		}
	}
	if len(f.Returns) > 0 && !f.Truncated {
		common := map[ID]Held{}
		for i, ret := range f.Returns {
			cur := map[ID]Held{}
			for _, h := range ret.State.Must() {
				if !h.Deferred && !deferredRel[h.ID] && h.Ref != nil {
					cur[h.ID] = h
				}
			}
			if i == 0 {
				common = cur
				continue
			}
			for k := range common {
				if _, ok := cur[k]; !ok {
					delete(common, k)
				}
			}
		}
		keys := make([]ID, 0, len(common))
		for k := range common {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return keys[i].Compare(keys[j]) < 0 })
		for _, k := range keys {
			h := common[k]
			r := *h.Ref
			r.Mode = h.Mode
			eff.Returns = append(eff.Returns, r)
		}
	}
	if eff.Empty() {
		return nil
	}
	return eff
}

// Reaches reports whether some non-empty path of the control flow graph
// leads from a to b; Reaches(b, b) says that b lies on a loop.
func Reaches(a, b *ssa.BasicBlock) bool {
	return reaches(a, b, func(x *ssa.BasicBlock) []*ssa.BasicBlock { return x.Succs })
}

// reaches is Reaches over the graph whose successors succs gives.
func reaches(a, b *ssa.BasicBlock, succs func(*ssa.BasicBlock) []*ssa.BasicBlock) bool {
	seen := map[*ssa.BasicBlock]bool{}
	stack := append([]*ssa.BasicBlock(nil), succs(a)...)
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if x == b {
			return true
		}
		if !seen[x] {
			seen[x] = true
			stack = append(stack, succs(x)...)
		}
	}
	return false
}

// MayPrecede reports whether a path leads from instruction a to
// instruction b of the same function: a comes first in a shared block, or
// b's block is reachable from a's.
func MayPrecede(a, b ssa.Instruction) bool {
	if a.Block() == b.Block() && earlier(a, b) {
		return true
	}
	return Reaches(a.Block(), b.Block())
}

// Dominates reports whether instruction a runs before b on every path to
// b: a's block dominates b's, and a comes first when they share one.
func Dominates(a, b ssa.Instruction) bool {
	if a.Block() == b.Block() {
		return earlier(a, b)
	}
	return a.Block().Dominates(b.Block())
}

// earlier reports whether a comes before b in their shared block.
func earlier(a, b ssa.Instruction) bool {
	for _, x := range a.Block().Instrs {
		if x == a {
			return true
		}
		if x == b {
			return false
		}
	}
	return false
}
