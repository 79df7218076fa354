// Package odd is valid Go that stresses analyzers: generics everywhere,
// goto, labels, select {}, range over channels, defer in loops,
// recursion, build tags and cgo. Every analyzer must run over it without
// an error or a panic.
package odd

import (
	"context"
	"sync"
	"time"
)

type Number interface{ ~int | ~int64 | ~float64 }

// Locked is a generic value guarded by an embedded mutex.
type Locked[T any] struct {
	sync.Mutex
	v T
}

func (l *Locked[T]) Set(v T) {
	l.Lock()
	defer l.Unlock()
	l.v = v
}

func (l *Locked[T]) Swap(f func(T) T) T {
	l.Lock()
	defer l.Unlock()
	l.v = f(l.v)
	return l.v
}

// Embedded generic type with promoted methods.
type Counter[N Number] struct {
	*Locked[N]
	ch chan N
}

func NewCounter[N Number]() *Counter[N] {
	return &Counter[N]{Locked: &Locked[N]{}, ch: make(chan N, 1)}
}

func (c *Counter[N]) Add(n N) {
	c.Swap(func(v N) N { return v + n })
	select {
	case c.ch <- n:
	default:
	}
}

func Map[T, U any](ctx context.Context, in []T, f func(context.Context, T) U) []U {
	out := make([]U, len(in))
	var wg sync.WaitGroup
	for i, x := range in {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = f(ctx, x)
		}()
	}
	wg.Wait()
	return out
}

func Sum[N Number](ch <-chan N) (s N) {
	for v := range ch {
		s += v
	}
	return s
}

func Forever() {
	select {}
}

func Labeled(grid [][]int, mu *sync.Mutex) int {
	n := 0
outer:
	for _, row := range grid {
		for _, v := range row {
			if v < 0 {
				continue outer
			}
			if v > 100 {
				break outer
			}
			mu.Lock()
			n += v
			mu.Unlock()
		}
	}
	i := 0
loop:
	if i < 3 {
		i++
		goto loop
	}
	return n + i
}

func DeferInLoop(mus []*sync.Mutex) {
	for _, m := range mus {
		m.Lock()
		defer m.Unlock()
	}
}

func Recursive(n int, mu *sync.RWMutex) int {
	if n == 0 {
		return 0
	}
	mu.RLock()
	v := n
	mu.RUnlock()
	return v + Mutual(n-1, mu)
}

func Mutual(n int, mu *sync.RWMutex) int {
	if n == 0 {
		return 0
	}
	return Recursive(n-1, mu)
}

func Ticker(ctx context.Context) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func Closures() func() int {
	var mu sync.Mutex
	n := 0
	inc := func() int {
		mu.Lock()
		defer mu.Unlock()
		n++
		return n
	}
	return inc
}

type Node[T any] struct {
	mu       sync.Mutex
	val      T
	children []*Node[T]
}

func (n *Node[T]) Walk(f func(T)) {
	n.mu.Lock()
	kids := append([]*Node[T](nil), n.children...)
	v := n.val
	n.mu.Unlock()
	f(v)
	for _, k := range kids {
		k.Walk(f)
	}
}
