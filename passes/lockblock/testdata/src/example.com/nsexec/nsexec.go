// Package nsexec runs work in goroutines and waits for it: spawn and join.
package nsexec

import (
	"errors"
	"runtime"
	"sync"
	"time"
)

type Runner struct {
	mu      sync.Mutex
	state   map[string]string
	jobs    chan func()
	waiters map[string]chan struct{}
}

// Quick critical sections: r.mu does not exist to serialise blocking work.

func (r *Runner) Get(key string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.state[key]
}

func (r *Runner) Set(key, value string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.state[key] = value
}

func (r *Runner) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.state)
}

// onThread runs f on a dedicated OS thread and waits for it: a
// synchronous call of f.
func onThread(f func() error) error {
	done := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		done <- f()
	}()
	return <-done
}

// Configure runs a function that does not block: the join is not reported.
func (r *Runner) Configure(key string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return onThread(func() error {
		r.state[key] = "set"
		return nil
	})
}

// Reload runs a function that waits for a job on the locked thread.
func (r *Runner) Reload() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return onThread(func() error { // want `call to onThread while r.mu is held: it receives from a channel \(onThread -> func literal -> channel receive\)`
		f := <-r.jobs
		f()
		return nil
	})
}

// startLoop waits until the loop is ready; the loop's own waiting comes
// after the signal.
func (r *Runner) startLoop() {
	ready := make(chan struct{})
	go func() {
		r.state = map[string]string{}
		close(ready)
		for f := range r.jobs {
			f()
		}
	}()
	<-ready
}

func (r *Runner) Start() {
	r.mu.Lock()
	r.startLoop()
	r.mu.Unlock()
}

// takeJob's goroutine waits for a job before it answers.
func (r *Runner) takeJob() string {
	res := make(chan string)
	go func() {
		f := <-r.jobs
		f()
		res <- "done"
	}()
	return <-res
}

func (r *Runner) RunOne() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.takeJob() // want `call to \(\*Runner\).takeJob while r.mu is held: it receives from a channel \(takeJob -> func literal -> channel receive\)`
}

// snapshot's goroutine needs r.mu: called under r.mu, it deadlocks.
func (r *Runner) snapshot() map[string]string {
	out := make(chan map[string]string)
	go func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		out <- r.state // want `channel send while r.mu is held`
	}()
	return <-out
}

func (r *Runner) Dump() map[string]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.snapshot() // want `call to \(\*Runner\).snapshot while r.mu is held: it receives from a channel \(snapshot -> channel receive\)`
}

// Wait hands its channel to others: the receive waits for them.
func (r *Runner) Wait(id string) {
	done := make(chan struct{})
	r.mu.Lock()
	r.waiters[id] = done
	<-done // want `channel receive while r.mu is held`
	r.mu.Unlock()
}

// verify checks the state in a goroutine and streams the problems it
// finds; the caller drains them.
func (r *Runner) verify() <-chan error {
	ch := make(chan error)
	go func() {
		defer close(ch)
		r.check(ch)
	}()
	return ch
}

func (r *Runner) check(ch chan<- error) {
	for k, v := range r.state {
		if v == "" {
			ch <- errors.New(k)
		}
	}
}

func (r *Runner) Commit() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for err := range r.verify() {
		return err
	}
	return nil
}

// settle's goroutine sleeps before it reports.
func (r *Runner) settle() <-chan error {
	ch := make(chan error, 1)
	go r.settleLoop(ch)
	return ch
}

func (r *Runner) settleLoop(ch chan<- error) {
	time.Sleep(time.Second)
	ch <- nil
}

func (r *Runner) Settle() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return <-r.settle() // want `channel receive while r.mu is held: it waits for a goroutine that sleeps \(settleLoop -> time.Sleep\)`
}

// inNamespace signals from a deferred function literal, after f.
func inNamespace(f func()) error {
	done := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		defer func() {
			close(done)
		}()
		f()
	}()
	return <-done
}

func (r *Runner) Rename(from, to string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return inNamespace(func() {
		r.state[to] = r.state[from]
	})
}

func (r *Runner) Pause() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return inNamespace(func() { // want `call to inNamespace while r.mu is held: it sleeps \(inNamespace -> func literal -> time.Sleep\)`
		time.Sleep(time.Millisecond)
	})
}

type node struct {
	kids []*node
	bad  bool
}

// each calls f on every child, synchronously.
func (n *node) each(f func(*node)) {
	for _, k := range n.kids {
		f(k)
	}
}

// later calls f in a goroutine.
func (n *node) later(f func()) { go f() }

func walk(n *node, ch chan<- error) {
	if n.bad {
		ch <- errors.New("bad node")
	}
	n.each(func(k *node) { walk(k, ch) })
}

// audit walks the tree in a goroutine and streams what it finds; a
// recover reports a panic on the same channel.
func audit(root *node) <-chan error {
	ch := make(chan error)
	go func() {
		defer close(ch)
		defer func() {
			if p := recover(); p != nil {
				ch <- errors.New("panic")
			}
		}()
		walk(root, ch)
	}()
	return ch
}

func (r *Runner) Audit(root *node) (n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for range audit(root) {
		n++
	}
	return n
}

// auditLater gives the channel to a goroutine it does not start itself.
func auditLater(root *node) <-chan error {
	ch := make(chan error)
	go func() {
		root.later(func() { ch <- nil })
	}()
	return ch
}

func (r *Runner) AuditLater(root *node) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return <-auditLater(root) // want `channel receive while r.mu is held: it blocks until a sender is ready`
}

func (r *Runner) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.state)
}

// countAsync's goroutine takes r.mu in a callee before it answers.
func (r *Runner) countAsync() int {
	res := make(chan int, 1)
	go func() { res <- r.count() }()
	return <-res
}

func (r *Runner) Stats() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.countAsync() // want `call to \(\*Runner\).countAsync while r.mu is held: it receives from a channel \(countAsync -> channel receive\)`
}
