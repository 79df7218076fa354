package indexer

import (
	"context"
	"fmt"
	"net/http"

	"golang.org/x/sync/errgroup"
)

// LinkChecker checks the links of the indexed pages with at most Limit
// requests in flight.
type LinkChecker struct {
	Client *http.Client
	Limit  int
}

func (lc *LinkChecker) check(ctx context.Context, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, url, nil)
	if err != nil {
		return err
	}
	resp, err := lc.Client.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode >= 400 {
		return fmt.Errorf("%s: %s", url, resp.Status)
	}
	return nil
}

// Sample checks as many links as fit under the limit. Bug
// (ignored-trygo): the links that do not fit are silently not checked.
func (lc *LinkChecker) Sample(ctx context.Context, urls []string) error {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(lc.Limit)
	for _, u := range urls {
		g.TryGo(func() error { return lc.check(ctx, u) })
	}
	return g.Wait()
}

// Check checks every link, counting the ones deferred to the next run:
// silent.
func (lc *LinkChecker) Check(ctx context.Context, urls []string) (deferred []string, err error) {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(lc.Limit)
	for _, u := range urls {
		if !g.TryGo(func() error { return lc.check(ctx, u) }) {
			deferred = append(deferred, u)
		}
	}
	return deferred, g.Wait()
}
