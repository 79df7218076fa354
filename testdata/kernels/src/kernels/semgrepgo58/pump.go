// Package semgrepgo58 has the shape of the bug behind dgryski/semgrep-go#58:
// a producer checks the context in a select whose default case then
// sends bare on the results channel. Once the consumer has gone, the
// send blocks and the check never runs again.
//
// kernel: goroutine-leak dgryski/semgrep-go#58
package semgrepgo58

import "context"

// Pump moves records from a source to a consumer.
type Pump struct {
	out  chan string
	next func() (string, bool)
}

func (p *Pump) run(ctx context.Context) {
	defer close(p.out)
	for {
		rec, ok := p.next()
		if !ok {
			return
		}
		select {
		case <-ctx.Done():
			return
		default:
			p.out <- rec
		}
	}
}

// First returns the first record of the source.
func First(ctx context.Context, next func() (string, bool)) string {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	p := &Pump{out: make(chan string), next: next}
	go p.run(ctx) // bug: goroutineleak
	return <-p.out
}
