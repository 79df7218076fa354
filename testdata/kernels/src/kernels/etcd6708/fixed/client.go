// Package fixed is etcd-io/etcd#6708 as fixed: the leader is looked up
// before the write lock is taken.
package fixed

import (
	"context"
	"sync"
)

type SelectionMode int

const (
	SelectionRandom SelectionMode = iota
	SelectionPrioritizeLeader
)

type httpClient interface {
	Do(ctx context.Context, path string) (string, error)
}

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

func (c *httpClusterClient) Sync(ctx context.Context, eps []string) {
	var leader string
	if c.mode == SelectionPrioritizeLeader {
		var api MembersAPI = &httpMembersAPI{client: c}
		if l, err := api.Leader(ctx); err == nil {
			leader = l
		}
	}
	c.Lock()
	defer c.Unlock()
	c.endpoints = eps
	if leader != "" {
		c.endpoints = append([]string{leader}, eps...)
	}
}
