// Package moby21233 has the shape of moby/moby#21233: a pull reports
// progress on an unbuffered channel read by a consumer goroutine; the
// consumer stops at the first update it does not expect, and the
// producer blocks forever on its next send.
//
// kernel: goroutine-leak moby/moby#21233
package moby21233

// Progress is a progress update.
type Progress struct {
	ID      string
	Current int64
}

// Transfer watches a transfer's progress.
type Transfer struct {
	progress chan Progress
	seen     []Progress
}

func (t *Transfer) produce(total int64) {
	for i := int64(0); i <= total; i += 10 {
		t.progress <- Progress{ID: "layer", Current: i}
	}
	close(t.progress)
}

func (t *Transfer) consume(expect func(Progress) bool) {
	for p := range t.progress {
		if !expect(p) {
			return
		}
		t.seen = append(t.seen, p)
	}
}

// Run runs a transfer and checks its updates.
func Run(total int64, expect func(Progress) bool) *Transfer {
	t := &Transfer{progress: make(chan Progress)}
	go t.produce(total) // bug: goroutineleak
	t.consume(expect)
	return t
}
