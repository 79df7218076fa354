// Package handler is an HTTP front end that calls a downstream pricing
// service.
package handler

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"
)

type Quote struct {
	SKU   string
	Cents int
}

type PriceClient struct {
	base string
	hc   *http.Client
}

// fetch builds its request without the caller's context.
func (c *PriceClient) fetch(ctx context.Context, sku string) (*Quote, error) {
	req, err := http.NewRequest("GET", c.base+"/price/"+sku, nil) // want `http.NewRequest ignores ctx in scope, so the call is not cancelled with the caller; use NewRequestWithContext`
	if err != nil {
		return nil, err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var q Quote
	return &q, json.NewDecoder(resp.Body).Decode(&q)
}

// fetchOK passes the context on.
func (c *PriceClient) fetchOK(ctx context.Context, sku string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", c.base+"/price/"+sku, nil)
	if err != nil {
		return nil, err
	}
	return c.hc.Do(req)
}

// ping has no context to pass on.
func (c *PriceClient) ping() error {
	resp, err := c.hc.Get(c.base + "/healthz")
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// legacyGet uses the client's shortcut while a context is in scope.
func (c *PriceClient) legacyGet(ctx context.Context, path string) (io.ReadCloser, error) {
	resp, err := c.hc.Get(c.base + path) // want `c.hc.Get ignores ctx in scope, so the call is not cancelled with the caller; use http.NewRequestWithContext and Client.Do`
	if err != nil {
		return nil, err
	}
	return resp.Body, nil
}

type Server struct {
	prices  *PriceClient
	onClose func()
}

// ServeHTTP starts the downstream call from a fresh context instead of
// the request's.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second) // want `context.Background\(\) discards r.Context\(\) in scope, so the work under it is not cancelled with the caller`
	defer cancel()
	q, err := s.prices.fetch(ctx, strings.TrimPrefix(r.URL.Path, "/"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	json.NewEncoder(w).Encode(q)
}

// handleBatch derives its context from the request's, then drops it in
// a nested block.
func (s *Server) handleBatch(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	for _, sku := range r.URL.Query()["sku"] {
		if sku == "" {
			continue
		}
		q, err := s.prices.fetch(context.TODO(), sku) // want `context.TODO\(\) discards ctx in scope`
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		json.NewEncoder(w).Encode(q)
	}
	_ = ctx
}

// handleGood uses the request's context all the way.
func (s *Server) handleGood(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	q, err := s.prices.fetch(ctx, r.URL.Query().Get("sku"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	json.NewEncoder(w).Encode(q)
}

// handleAudit detaches on purpose with WithoutCancel.
func (s *Server) handleAudit(w http.ResponseWriter, r *http.Request) {
	ctx := context.WithoutCancel(r.Context())
	go s.prices.fetchOK(ctx, "audit")
	w.WriteHeader(http.StatusAccepted)
}

// handleWarm fires and forgets a cache warm-up that starts from
// Background: it is cut off from the request's cancellation.
func (s *Server) handleWarm(w http.ResponseWriter, r *http.Request) {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // want `goroutine starts from context.Background\(\) although r.Context\(\) is in scope`
		defer cancel()
		s.prices.fetch(ctx, "warm")
	}()
	w.WriteHeader(http.StatusAccepted)
}

// handleRefresh starts the refresh as a goroutine of its own: reported
// as a goroutine, and no fix, since r.Context() ends with the request.
func (s *Server) handleRefresh(w http.ResponseWriter, r *http.Request) {
	go s.prices.fetch(context.Background(), "refresh") // want `goroutine starts from context.Background\(\) although r.Context\(\) is in scope`
	w.WriteHeader(http.StatusAccepted)
}

// Routes registers handlers: the closures have requests of their own.
func (s *Server) Routes(ctx context.Context, mux *http.ServeMux) {
	mux.HandleFunc("/quote", func(w http.ResponseWriter, r *http.Request) {
		q, err := s.prices.fetch(context.Background(), r.URL.Query().Get("sku")) // want `context.Background\(\) discards r.Context\(\) in scope`
		if err == nil {
			json.NewEncoder(w).Encode(q)
		}
	})
	s.onClose = func() {
		// Stored for later: runs outside ctx's lifetime.
		s.prices.fetch(context.Background(), "bye")
	}
}

// quoteAll shadows ctx with a string: the parameter cannot be named
// there, so nothing is reported.
func (s *Server) quoteAll(ctx context.Context, skus []string) {
	for _, ctx := range skus {
		s.prices.fetch(context.Background(), ctx)
	}
}

// send prepares an outgoing request and gives it a context of its own:
// r is not a request being served.
func (c *PriceClient) send(req *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req = req.WithContext(ctx)
	return c.hc.Do(req)
}

// fetchLate attaches ctx after building the request.
func (c *PriceClient) fetchLate(ctx context.Context, sku string) (*http.Response, error) {
	req, err := http.NewRequest("GET", c.base+"/price/"+sku, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	req = req.WithContext(ctx)
	return c.hc.Do(req)
}
