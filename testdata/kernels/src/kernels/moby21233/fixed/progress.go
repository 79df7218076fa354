// Package fixed is moby/moby#21233 as fixed: the consumer keeps draining
// after the first update it does not expect.
package fixed

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
	failed := false
	for p := range t.progress {
		if failed || !expect(p) {
			failed = true
			continue
		}
		t.seen = append(t.seen, p)
	}
}

// Run runs a transfer and checks its updates.
func Run(total int64, expect func(Progress) bool) *Transfer {
	t := &Transfer{progress: make(chan Progress)}
	go t.produce(total)
	t.consume(expect)
	return t
}
