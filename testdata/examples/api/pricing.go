package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// Pricing is the client of the downstream pricing service.
type Pricing struct {
	base string
	hc   *http.Client
}

type Quote struct {
	SKU   string `json:"sku"`
	Cents int64  `json:"cents"`
}

// Quote asks the pricing service for the price of one item.
func (p *Pricing) Quote(ctx context.Context, sku string) (*Quote, error) {
	req, err := http.NewRequest(http.MethodGet, p.base+"/v1/price/"+sku, nil) // bug: the request ignores ctx
	if err != nil {
		return nil, err
	}
	resp, err := p.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("pricing: %s", resp.Status)
	}
	var q Quote
	if err := json.NewDecoder(resp.Body).Decode(&q); err != nil {
		return nil, err
	}
	return &q, nil
}

// Healthy has no context to pass on.
func (p *Pricing) Healthy() bool {
	resp, err := p.hc.Get(p.base + "/healthz")
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// WaitReady polls the pricing service until it answers, without ever
// looking at ctx.
func (p *Pricing) WaitReady(ctx context.Context) {
	for !p.Healthy() {
		time.Sleep(500 * time.Millisecond) // bug: keeps polling after ctx is cancelled
	}
}

// WaitReadyOK polls and gives up when ctx is done.
func (p *Pricing) WaitReadyOK(ctx context.Context) error {
	t := time.NewTicker(500 * time.Millisecond)
	defer t.Stop()
	for !p.Healthy() {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
	return nil
}
