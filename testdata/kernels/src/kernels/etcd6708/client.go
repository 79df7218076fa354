// Package etcd6708 has the shape of etcd-io/etcd#6708: Sync holds the
// cluster client's write lock while it refreshes the endpoints; in
// leader-priority mode that asks the members API for the leader, and the
// members API sends the request through its httpClient interface, which
// is the cluster client itself: Do takes the read lock.
//
// kernel: double-lock etcd-io/etcd#6708
package etcd6708

import (
	"context"
	"sync"
)

// SelectionMode chooses how endpoints are ordered.
type SelectionMode int

const (
	SelectionRandom SelectionMode = iota
	SelectionPrioritizeLeader
)

type httpClient interface {
	Do(ctx context.Context, path string) (string, error)
}

// MembersAPI queries cluster membership.
type MembersAPI interface {
	Leader(ctx context.Context) (string, error)
}

type httpMembersAPI struct {
	client httpClient
}

func (m *httpMembersAPI) Leader(ctx context.Context) (string, error) {
	return m.client.Do(ctx, "/v2/members/leader")
}

type httpClusterClient struct {
	sync.RWMutex
	endpoints []string
	mode      SelectionMode
}

func (c *httpClusterClient) Do(ctx context.Context, path string) (string, error) {
	c.RLock()
	eps := c.endpoints
	c.RUnlock()
	if len(eps) == 0 {
		return "", context.Canceled
	}
	return eps[0] + path, nil
}

func (c *httpClusterClient) setEndpoints(ctx context.Context, eps []string) {
	c.endpoints = eps
	if c.mode == SelectionPrioritizeLeader {
		var api MembersAPI = &httpMembersAPI{client: c}
		if leader, err := api.Leader(ctx); err == nil { // bug: lockpair
			c.endpoints = append([]string{leader}, eps...)
		}
	}
}

// Sync refreshes the endpoints.
func (c *httpClusterClient) Sync(ctx context.Context, eps []string) {
	c.Lock()
	defer c.Unlock()
	c.setEndpoints(ctx, eps) // bug: lockpair
}
