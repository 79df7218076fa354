package fields

import "context"

type Event struct{ Key string }

// cacheWatcher waits for its initial events, which nothing sends.
type cacheWatcher struct {
	input   chan Event
	result  chan Event
	initial chan []Event
}

func newCacheWatcher(size int) *cacheWatcher { // want newCacheWatcher:`stopped-by\(Stop\)`
	w := &cacheWatcher{input: make(chan Event, size), result: make(chan Event, size), initial: make(chan []Event)}
	go w.process() // want `goroutine running \(\*cacheWatcher\).process can block forever receiving from cacheWatcher.initial: nothing in the package sends on or closes it`
	return w
}

func (w *cacheWatcher) process() {
	for _, ev := range <-w.initial {
		w.result <- ev
	}
	for ev := range w.input {
		w.result <- ev
	}
	close(w.result)
}

func (w *cacheWatcher) Stop() { close(w.input) }

// feedWatcher is handed its initial events by the constructor: silent.
type feedWatcher struct {
	initial chan []Event
	result  chan Event
}

func newFeedWatcher(events []Event) *feedWatcher {
	w := &feedWatcher{initial: make(chan []Event), result: make(chan Event, len(events))}
	go w.process()
	w.initial <- events
	return w
}

func (w *feedWatcher) process() {
	for _, ev := range <-w.initial {
		w.result <- ev
	}
}

// Progress is one step of a transfer.
type Progress struct{ Current int64 }

// transfer's producer sends every step and then closes progress; its
// consumer returns from the range at the first step it does not expect.
type transfer struct {
	progress chan Progress
	seen     []Progress
}

func (t *transfer) produce(total int64) {
	for i := int64(0); i <= total; i += 10 {
		t.progress <- Progress{Current: i}
	}
	close(t.progress)
}

func (t *transfer) consume(expect func(Progress) bool) {
	for p := range t.progress {
		if !expect(p) {
			return
		}
		t.seen = append(t.seen, p)
	}
}

func Transfer(total int64, expect func(Progress) bool) {
	t := &transfer{progress: make(chan Progress)}
	go t.produce(total) // want `goroutine running \(\*transfer\).produce can block forever sending on transfer.progress: \(\*transfer\).consume can return from inside its range over it while the sender keeps sending`
	t.consume(expect)
}

// drainTransfer's consumer skips what it does not expect but keeps
// draining: silent.
type drainTransfer struct {
	progress chan Progress
	seen     []Progress
}

func (t *drainTransfer) produce(total int64) {
	for i := int64(0); i <= total; i += 10 {
		t.progress <- Progress{Current: i}
	}
	close(t.progress)
}

func (t *drainTransfer) consume(expect func(Progress) bool) {
	for p := range t.progress {
		if !expect(p) {
			continue
		}
		t.seen = append(t.seen, p)
	}
}

func DrainTransfer(total int64, expect func(Progress) bool) {
	t := &drainTransfer{progress: make(chan Progress)}
	go t.produce(total)
	t.consume(expect)
}

// pending waits on a field the package never sets.
type pending struct {
	key  string
	done chan struct{}
}

func Track(keys []string, finished func(string)) {
	for _, k := range keys {
		p := &pending{key: k}
		go func() { // want `goroutine can block forever receiving from pending.done: the package never assigns the field, so the channel is nil`
			<-p.done
			finished(p.key)
		}()
	}
}

// tracked sets it: silent.
type tracked struct {
	key  string
	done chan struct{}
}

func TrackAll(keys []string, finished func(string)) []*tracked {
	var res []*tracked
	for _, k := range keys {
		p := &tracked{key: k, done: make(chan struct{})}
		res = append(res, p)
		go func() {
			<-p.done
			finished(p.key)
		}()
	}
	return res
}

func (p *tracked) Finish() { close(p.done) }

// sub hands its channel to callers: the field escapes and is not
// followed.
type sub struct {
	ch chan Event
}

func (s *sub) C() <-chan Event { return s.ch }

func Subscribe() *sub {
	s := &sub{ch: make(chan Event)}
	go func() {
		s.ch <- Event{Key: "hello"}
	}()
	return s
}

// pump produces records until next runs dry, checking ctx before each
// bare send; First takes one and returns.
type pump struct {
	out  chan string
	next func() (string, bool)
}

func (p *pump) run(ctx context.Context) {
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

func First(ctx context.Context, next func() (string, bool)) string {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	p := &pump{out: make(chan string), next: next}
	go p.run(ctx) // want `goroutine running \(\*pump\).run can block forever sending on pump.out: First receives one value and moves on while the sender keeps sending in a loop`
	return <-p.out
}

// retrier tries until it gets one record, sends it and returns: one
// value for one receive, silent.
type retrier struct {
	out  chan string
	next func() (string, bool)
}

func (r *retrier) run() {
	for {
		if rec, ok := r.next(); ok {
			r.out <- rec
			return
		}
	}
}

func FirstRetry(next func() (string, bool)) string {
	r := &retrier{out: make(chan string), next: next}
	go r.run()
	return <-r.out
}
