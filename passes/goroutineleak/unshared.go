package goroutineleak

import (
	"fmt"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/concvet/concvet/internal/chanflow"
)

// checkUnshared reports a bare send or receive on a channel made by fn
// that no other goroutine can reach: it is never passed to a go
// statement, a call or a closure, never stored, returned or converted.
// A send on it, unbuffered, has no receiver; a receive, when fn neither
// sends on it nor closes it, has no sender. Either blocks fn forever.
func (c *checker) checkUnshared(fn *ssa.Function, mc *ssa.MakeChan) {
	if programLifetime(fn, false) || c.startup(fn) {
		return // <-make(chan struct{}) in main blocks on purpose
	}
	if _, named := c.chanVar(mc); !named {
		return // <-make(chan struct{}) is written to block forever, like select {}
	}
	capacity, constant := constCap(mc)
	var blocking *chanflow.Op
	sends := false
	for _, op := range chanflow.Ops(mc) {
		switch op.Kind {
		case chanflow.Send:
			sends = true
			if constant && capacity == 0 && blocking == nil {
				blocking = &op
			}
		case chanflow.Recv:
			if blocking == nil {
				blocking = &op
			}
		case chanflow.SelSend:
			sends = true
		case chanflow.SelRecv:
		default:
			return // closed, shared with other code, or escaped
		}
	}
	if blocking == nil || blocking.Kind == chanflow.Recv && sends {
		return
	}
	name, _ := c.chanVar(mc)
	what := fmt.Sprintf("send on unbuffered %s blocks forever: no other goroutine can reach it to receive", name)
	if blocking.Kind == chanflow.Recv {
		what = fmt.Sprintf("receive from %s blocks forever: no other goroutine can reach it, and nothing sends on or closes it", name)
	}
	c.report(analysis.Diagnostic{
		Pos:      blocking.Instr.Pos(),
		Category: "goroutineleak/unshared-channel",
		Message:  what,
		Related:  []analysis.RelatedInformation{{Pos: mc.Pos(), Message: name + " is made here"}},
	})
}
