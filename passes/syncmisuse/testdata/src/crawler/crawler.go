package crawler

import (
	"errors"
	"log"
	"sync"

	"jobs"
)

type Page struct {
	URL   string
	Links []string
}

type Crawler struct {
	wg      sync.WaitGroup
	results chan Page
	fetch   func(string) (Page, error)
}

// Crawl adds inside the goroutine after logging: go vet only looks at the
// first statement.
func (c *Crawler) Crawl(urls []string) {
	for _, u := range urls {
		go func() {
			log.Printf("crawling %s", u)
			c.wg.Add(1) // want `c.wg.Add is called inside the goroutine it counts, racing with c.wg.Wait`
			defer c.wg.Done()
			p, err := c.fetch(u)
			if err == nil {
				c.results <- p
			}
		}()
	}
	c.wg.Wait()
}

// vetShape is go vet's waitgroup finding: not repeated.
func (c *Crawler) vetShape(urls []string) {
	for range urls {
		go func() {
			c.wg.Add(1)
			defer c.wg.Done()
		}()
	}
	c.wg.Wait()
}

// Children: a counted worker adds for its own children, which is correct.
func (c *Crawler) Children(root Page) { // want Children:`adds\(p0.wg\)`
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		for _, l := range root.Links {
			c.wg.Add(1)
			go func() {
				defer c.wg.Done()
				_, _ = c.fetch(l)
			}()
		}
	}()
	c.wg.Wait()
}

// Background never waits in this function: nothing to race with here.
func (c *Crawler) Background(u string) {
	go func() {
		log.Print("background")
		c.wg.Add(1)
		defer c.wg.Done()
		_, _ = c.fetch(u)
	}()
}

// ViaHelper starts a helper of another package that counts itself.
func ViaHelper(list []jobs.Job) {
	var wg sync.WaitGroup
	for _, j := range list {
		go jobs.Run(&wg, j) // want `Run calls wg.Add inside the goroutine it counts`
	}
	wg.Wait()
}

// ViaMethod starts a method that adds on its receiver's WaitGroup.
func ViaMethod(r *jobs.Runner) {
	go r.Work() // want `Work calls r.WG.Add inside the goroutine it counts`
	r.WG.Wait()
}

// SyncHelper calls the helper without go: it counts before returning.
func SyncHelper(list []jobs.Job) {
	var wg sync.WaitGroup
	for _, j := range list {
		jobs.Run(&wg, j)
	}
	wg.Wait()
}

// Fetch: the defer of Done comes after an early return.
func (c *Crawler) Fetch(urls []string) { // want Fetch:`adds\(p0.wg\)`
	for _, u := range urls {
		c.wg.Add(1)
		go func() {
			p, err := c.fetch(u)
			if err != nil {
				log.Print(err)
				return
			}
			defer c.wg.Done() // want `a return before this defer skips c.wg.Done\(\), and c.wg.Wait then blocks forever`
			c.results <- p
		}()
	}
	c.wg.Wait()
}

// FetchReleased releases on the early return itself.
func (c *Crawler) FetchReleased(urls []string) { // want FetchReleased:`adds\(p0.wg\)`
	for _, u := range urls {
		c.wg.Add(1)
		go func() {
			p, err := c.fetch(u)
			if err != nil {
				c.wg.Done()
				return
			}
			defer c.wg.Done()
			c.results <- p
		}()
	}
	c.wg.Wait()
}

// Drain uses wg.Go, which calls Done itself.
func (c *Crawler) Drain(pages []Page) {
	var wg sync.WaitGroup
	for _, p := range pages {
		wg.Go(func() {
			defer wg.Done() // want `wg.Done\(\) in a function run by wg.Go, which calls Done itself`
			c.results <- p
		})
	}
	wg.Wait()
}

// DrainGo is the right form.
func (c *Crawler) DrainGo(pages []Page) {
	var wg sync.WaitGroup
	for _, p := range pages {
		wg.Go(func() {
			c.results <- p
		})
	}
	wg.Wait()
}

var errSkip = errors.New("skip")

// Twice defers Done and calls it on the error path too.
func (c *Crawler) Twice(u string) error {
	var wg sync.WaitGroup
	var err error
	wg.Add(1)
	go func() {
		defer wg.Done()
		var p Page
		p, err = c.fetch(u)
		if err != nil {
			wg.Done() // want `the goroutine is counted once by wg.Add\(1\) but calls Done here and again in its deferred wg.Done\(\)`
			return
		}
		c.results <- p
	}()
	wg.Wait()
	return err
}

// TwiceCounted counts two releases on purpose.
func (c *Crawler) TwiceCounted(u string) {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		if _, err := c.fetch(u); err == errSkip {
			wg.Done()
			return
		}
		wg.Done()
	}()
	wg.Wait()
}

// Stream starts the closer before the producers.
func (c *Crawler) Stream(urls []string) <-chan Page {
	out := make(chan Page)
	var wg sync.WaitGroup
	go func() {
		wg.Wait()
		close(out)
	}()
	for _, u := range urls {
		wg.Go(func() { // want `wg.Go\(.*\) can run after the goroutine that waits on wg has started`
			if p, err := c.fetch(u); err == nil {
				out <- p
			}
		})
	}
	return out
}

// StreamOrdered starts the closer after the producers.
func (c *Crawler) StreamOrdered(urls []string) <-chan Page {
	out := make(chan Page)
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Go(func() {
			if p, err := c.fetch(u); err == nil {
				out <- p
			}
		})
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

// Rounds waits for each round's waiter before the next round adds.
func (c *Crawler) Rounds(rounds [][]string) {
	var wg sync.WaitGroup
	for _, urls := range rounds {
		for _, u := range urls {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, _ = c.fetch(u)
			}()
		}
		done := make(chan struct{})
		go func() {
			wg.Wait()
			close(done)
		}()
		<-done
	}
}

// Lost has an Add(0) where a count was meant.
func (c *Crawler) Lost(u string) {
	var wg sync.WaitGroup
	wg.Add(0) // want `wg.Add\(0\) does nothing`
	go func() {
		defer wg.Done()
		_, _ = c.fetch(u)
	}()
	wg.Wait()
	wg.Add(len(u) - len(u))
}

// Generic workers over any item type.
type Pool[T any] struct {
	wg   sync.WaitGroup
	work func(T)
}

func (p *Pool[T]) Submit(items []T) {
	for _, it := range items {
		go func() {
			if it := any(it); it == nil {
				return
			}
			p.wg.Add(1) // want `p.wg.Add is called inside the goroutine it counts`
			defer p.wg.Done()
			p.work(it)
		}()
	}
	p.wg.Wait()
}

// Batch is a sequence of pages.
type Batch struct{ pages []Page }

// All yields the pages.
func (b *Batch) All() func(func(Page) bool) {
	return func(yield func(Page) bool) {
		for _, p := range b.pages {
			if !yield(p) {
				return
			}
		}
	}
}

// Index starts the closer, then producers over an iterator.
func (c *Crawler) Index(b *Batch) <-chan Page {
	out := make(chan Page)
	var wg sync.WaitGroup
	go func() {
		wg.Wait()
		close(out)
	}()
	for p := range b.All() {
		wg.Add(1) // want `wg.Add\(1\) can run after the goroutine that waits on wg has started`
		go func() {
			defer wg.Done()
			out <- p
		}()
	}
	return out
}

// Relay waits for the previous stage to drain before adding again.
func (c *Crawler) Relay(in <-chan Page) <-chan Page {
	out := make(chan Page)
	var wg sync.WaitGroup
	go func() {
		wg.Wait()
		close(out)
	}()
	for p := range in {
		_ = p
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
	}()
	return out
}

// ViaTwoHelpers starts a helper whose helper counts.
func ViaTwoHelpers(list []jobs.Job) {
	var wg sync.WaitGroup
	go jobs.Spawn(&wg, list) // want `Spawn calls wg.Add inside the goroutine it counts`
	wg.Wait()
}

// Acks: the producer adds once per page it hands over and never calls
// Done itself; the parent waits for it to finish before it starts the
// goroutines that release, so every Add happens before the Wait.
func (c *Crawler) Acks(urls []string) {
	var wg sync.WaitGroup
	pages := make(chan Page, len(urls))
	done := make(chan struct{})
	go func() {
		for _, u := range urls {
			p, err := c.fetch(u)
			if err != nil {
				continue
			}
			pages <- p
			wg.Add(1)
		}
		close(pages)
		close(done)
	}()
	<-done
	for p := range pages {
		go func() {
			defer wg.Done()
			c.results <- p
		}()
	}
	wg.Wait()
}

// Spread: a goroutine counts the children it starts, after logging; the
// Wait in the parent can return before any child is counted.
func (c *Crawler) Spread(root Page) {
	var wg sync.WaitGroup
	go func() {
		log.Printf("spreading %s", root.URL)
		wg.Add(len(root.Links)) // want `wg.Add is called inside the goroutine it counts`
		for _, l := range root.Links {
			go func() {
				defer wg.Done()
				_, _ = c.fetch(l)
			}()
		}
	}()
	wg.Wait()
}

// Dispatch counts the dispatcher, which is not a goroutine of its own:
// the forwarding goroutine releases that count when the dispatcher's
// output closes, besides its own deferred Done.
func (c *Crawler) Dispatch(in <-chan Page, dispatch func(<-chan Page) <-chan Page) {
	var wg sync.WaitGroup
	wg.Add(1) // released when out closes
	out := dispatch(in)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for p := range out {
			c.results <- p
		}
		wg.Done() // the dispatcher has finished
	}()
	wg.Wait()
}

// DispatchOwn counts only goroutines: the extra Done is a bug.
func (c *Crawler) DispatchOwn(in <-chan Page) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for p := range in {
			c.results <- p
		}
	}()
	wg.Add(1)
	go func() {
		defer wg.Done()
		for p := range in {
			c.results <- p
		}
		wg.Done() // want `the goroutine is counted once by wg.Add\(1\) but calls Done here and again in its deferred wg.Done\(\)`
	}()
	wg.Wait()
}
