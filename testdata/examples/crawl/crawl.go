// Package crawl is a small crawler with a shutdown path, used as an
// end-to-end example for syncmisuse and chanclose.
package crawl

import (
	"log"
	"sync"
)

// Crawler fetches pages with a pool of goroutines.
type Crawler struct {
	wg    sync.WaitGroup
	quit  chan struct{}
	fetch func(url string) error
}

// New returns a crawler ready to run.
func New(fetch func(string) error) *Crawler {
	return &Crawler{quit: make(chan struct{}), fetch: fetch}
}

// Crawl fetches every URL and waits for all of them.
func (c *Crawler) Crawl(urls []string) {
	for _, u := range urls {
		go func() {
			log.Printf("crawling %s", u)
			c.wg.Add(1) // syncmisuse: Add inside the goroutine it counts
			defer c.wg.Done()
			if err := c.fetch(u); err != nil {
				log.Print(err)
			}
		}()
	}
	c.wg.Wait()
}

// stopWorkers tells the workers to stop.
func (c *Crawler) stopWorkers() {
	close(c.quit)
}

// Shutdown stops the workers and then closes quit again.
func (c *Crawler) Shutdown() {
	c.stopWorkers()
	close(c.quit) // chanclose: already closed by stopWorkers
}
