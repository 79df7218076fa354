package chanflow_test

import (
	"go/types"
	"testing"

	"golang.org/x/tools/go/ssa"

	"github.com/concvet/concvet/internal/chanflow"
)

const fieldSrc = `package p

type node struct {
	reqs   chan int
	stop   chan struct{}
	out    chan int
	never  chan int
	Public chan int
}

func newNode(n int) *node {
	return &node{reqs: make(chan int), stop: make(chan struct{}), out: make(chan int, n)}
}

func (x *node) run() {
	defer close(x.out)
	for {
		select {
		case r := <-x.reqs:
			x.out <- r
		case <-x.stop:
			return
		}
	}
}

func (x *node) Do(r int) { x.reqs <- r }

func (x *node) Stop() { close(x.stop) }

func (x *node) Out() <-chan int { return x.out }

func (x *node) wait() { <-x.never }
`

func TestFields(t *testing.T) {
	pkg := buildSrc(t, fieldSrc)
	var funcs []*ssa.Function
	for _, m := range pkg.Members {
		if fn, ok := m.(*ssa.Function); ok {
			funcs = append(funcs, fn)
		}
	}
	ptr := types.NewPointer(pkg.Pkg.Scope().Lookup("node").Type())
	ms := pkg.Prog.MethodSets.MethodSet(ptr)
	for i := range ms.Len() {
		funcs = append(funcs, pkg.Prog.MethodValue(ms.At(i)))
	}
	byName := map[string]*chanflow.FieldOps{}
	for v, ops := range chanflow.Fields(pkg.Pkg, funcs) {
		byName[v.Name()] = ops
	}
	if _, ok := byName["Public"]; ok {
		t.Errorf("exported field Public is summarised")
	}
	reqs := byName["reqs"]
	if reqs == nil || reqs.Escapes || !reqs.Unbuffered() || len(reqs.Sends) != 1 || len(reqs.SelRecvs) != 1 || !reqs.Allocated {
		t.Errorf("reqs = %+v, want one bare send, one select receive, unbuffered, allocated", reqs)
	}
	if stop := byName["stop"]; stop == nil || len(stop.Closes) != 1 || len(stop.SelRecvs) != 1 {
		t.Errorf("stop = %+v, want one close and one select receive", stop)
	}
	if out := byName["out"]; out == nil || !out.Escapes || out.Unbuffered() {
		t.Errorf("out = %+v, want escaping (returned by Out) and buffered", out)
	}
	if never := byName["never"]; never == nil || never.Stores != 0 || len(never.Recvs) != 1 {
		t.Errorf("never = %+v, want no store and one bare receive", never)
	}
}
