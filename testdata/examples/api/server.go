// Package api is a small order service: an HTTP front end that prices
// orders with a downstream service, records them in a billing ledger
// over database/sql, and renders product thumbnails with an external
// image tool. It is concvet's end-to-end example for ctxprop: each rule
// has one real-looking bug here, next to code that must stay silent.
package api

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"time"

	"golang.org/x/sync/errgroup"
)

type Server struct {
	prices *Pricing
	ledger *Ledger
	thumbs *Thumbnailer
	http   *http.Server
}

func NewServer(db *sql.DB, pricingURL, tool string) *Server {
	s := &Server{
		prices: &Pricing{base: pricingURL, hc: &http.Client{Timeout: 10 * time.Second}},
		ledger: &Ledger{db: db},
		thumbs: &Thumbnailer{tool: tool, dir: "/var/cache/thumbs"},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /orders", s.handleOrder)
	mux.HandleFunc("GET /quote", s.handleQuote)
	mux.HandleFunc("GET /thumb/{sku}", s.handleThumb)
	s.http = &http.Server{Addr: ":8080", Handler: mux}
	return s
}

type Order struct {
	Account string   `json:"account"`
	SKUs    []string `json:"skus"`
}

// handleOrder prices every item concurrently, then bills the order.
func (s *Server) handleOrder(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	var o Order
	if err := json.NewDecoder(r.Body).Decode(&o); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	g, gctx := errgroup.WithContext(ctx)
	cents := make([]int64, len(o.SKUs))
	for i, sku := range o.SKUs {
		g.Go(func() error {
			q, err := s.prices.Quote(ctx, sku) // bug: a failing quote does not cancel the others
			if err != nil {
				return err
			}
			cents[i] = q.Cents
			return nil
		})
	}
	g.Go(func() error { return s.ledger.CheckAccount(gctx, o.Account) })
	if err := g.Wait(); err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	var total int64
	for _, c := range cents {
		total += c
	}
	if err := s.ledger.Charge(ctx, o.Account, total); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	fmt.Fprintf(w, "charged %d\n", total)
}

// handleQuote starts the downstream call from a fresh context: it keeps
// running after the client has gone.
func (s *Server) handleQuote(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second) // bug: should derive from r.Context()
	defer cancel()
	q, err := s.prices.Quote(ctx, r.URL.Query().Get("sku"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	json.NewEncoder(w).Encode(q)
}

// handleThumb renders the thumbnail under the request's context.
func (s *Server) handleThumb(w http.ResponseWriter, r *http.Request) {
	path, err := s.thumbs.Render(r.Context(), r.PathValue("sku"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	http.ServeFile(w, r, path)
}

// Run serves until ctx is done, then shuts down with a grace period of
// its own: the fresh context is deliberate.
func (s *Server) Run(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() { errc <- s.http.ListenAndServe() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.http.Shutdown(sctx); err != nil {
		log.Printf("shutdown: %v", err)
	}
	return nil
}
