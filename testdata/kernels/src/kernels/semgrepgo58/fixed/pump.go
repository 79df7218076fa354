// Package fixed is the fix semgrep-go#58 recommends: the send is a case
// of the select that waits on the context.
package fixed

import "context"

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
		case p.out <- rec:
		}
	}
}

func First(ctx context.Context, next func() (string, bool)) string {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	p := &Pump{out: make(chan string), next: next}
	go p.run(ctx)
	return <-p.out
}
