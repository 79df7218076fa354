package a

import (
	"context"
	"net/http"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
)

func here() {}

func none(n int) {
	here() // want `none`
}

func param(ctx context.Context) {
	here() // want `param ctx`
	tctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	here() // want `derived tctx`
	if true {
		ctx := 3
		_ = ctx
		here() // want `derived tctx`
	}
	_ = tctx
}

func notDerived(ctx context.Context) {
	bg := context.Background()
	here() // want `param ctx`
	_ = bg
}

func shadowed(ctx context.Context, names []string) {
	for _, ctx := range names {
		_ = ctx
		here() // want `none`
	}
}

func request(w http.ResponseWriter, r *http.Request) {
	here() // want `request r.Context\(\)`
	ctx := r.Context()
	here() // want `derived ctx`
	_ = ctx
}

type job struct {
	ctx  context.Context
	once sync.Once
	fn   func()
}

func (j *job) usesField() {
	if j.ctx.Err() != nil {
		return
	}
	here() // want `field j.ctx`
}

func (j *job) ignoresField() {
	here() // want `none`
}

func closures(ctx context.Context, run func(context.Context, func()), wg *sync.WaitGroup) {
	func() {
		here() // want `param ctx`
	}()
	go func() {
		here() // want `param ctx goroutine`
		go func() {
			here() // want `param ctx goroutine`
		}()
	}()
	defer func() {
		here() // want `param ctx`
	}()
	wg.Go(func() {
		here() // want `param ctx`
	})
	run(ctx, func() {
		here() // want `param ctx`
	})
	j := &job{}
	j.once.Do(func() {
		here() // want `param ctx`
	})
	j.fn = func() {
		here() // want `none`
	}
	time.AfterFunc(time.Second, func() {
		here() // want `none`
	})
	context.AfterFunc(ctx, func() {
		here() // want `none`
	})
	local := func() {
		here() // want `none`
	}
	local()
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		here() // want `request r.Context\(\)`
	})
	go func(ctx context.Context) {
		here() // want `param ctx`
	}(ctx)
}

func returned(ctx context.Context) func() {
	return func() {
		here() // want `none`
	}
}

func generic[T any](ctx context.Context, v T) T {
	here() // want `param ctx`
	return v
}

func group(ctx context.Context, keys []string) error {
	g, gctx := errgroup.WithContext(ctx)
	for range keys {
		g.Go(func() error {
			here() // want `derived gctx`
			return gctx.Err()
		})
	}
	here() // want `derived gctx`
	return g.Wait()
}

// spanned stands for a tracing helper that puts a value in a context.
func spanned(ctx context.Context, name string) (context.Context, func()) {
	return context.WithValue(ctx, name, name), func() {}
}

func detachedLocals(ctx context.Context, flush func(context.Context)) {
	go func() {
		ctx, end := spanned(context.WithoutCancel(ctx), "flush")
		defer end()
		here() // want `none`
		flush(ctx)
	}()
	bg := context.WithoutCancel(ctx)
	here() // want `param ctx`
	traced, end := spanned(bg, "x")
	defer end()
	here() // want `param ctx`
	bounded, cancel := context.WithTimeout(traced, time.Second)
	defer cancel()
	here() // want `derived bounded`
	flush(bounded)
}

type pump struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func (p *pump) start(prime func(context.Context)) {
	here() // want `none`
	p.ctx, p.cancel = context.WithCancel(context.Background())
	prime(p.ctx)
}

func (p *pump) step(prime func(context.Context)) {
	here() // want `field p.ctx`
	prime(p.ctx)
}
