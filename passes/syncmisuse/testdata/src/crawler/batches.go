package crawler

import "sync"

// Batches fetches the pages in rounds. Each round has its own gate and
// its own WaitGroup, declared in the loop body: the Add of the next
// round is on a new WaitGroup, not the one this round's goroutines
// wait on.
func (c *Crawler) Batches(rounds [][]string) [][]Page {
	var out [][]Page
	for _, urls := range rounds {
		var gate, done sync.WaitGroup
		gate.Add(1)
		done.Add(len(urls))
		pages := make([]Page, len(urls))
		for i, u := range urls {
			go func() {
				defer done.Done()
				gate.Wait()
				if p, err := c.fetch(u); err == nil {
					pages[i] = p
				}
			}()
		}
		gate.Done()
		done.Wait()
		out = append(out, pages)
	}
	return out
}

// BatchesShared keeps one gate for every round: the next round's Add can
// run while a goroutine of this round still waits on the gate.
func (c *Crawler) BatchesShared(rounds [][]string) [][]Page {
	var out [][]Page
	var gate sync.WaitGroup
	for _, urls := range rounds {
		var done sync.WaitGroup
		gate.Add(1) // want `gate.Add\(1\) can run after the goroutine that waits on gate has started`
		done.Add(len(urls))
		pages := make([]Page, len(urls))
		for i, u := range urls {
			go func() {
				defer done.Done()
				gate.Wait()
				if p, err := c.fetch(u); err == nil {
					pages[i] = p
				}
			}()
		}
		gate.Done()
		done.Wait()
		out = append(out, pages)
	}
	return out
}
